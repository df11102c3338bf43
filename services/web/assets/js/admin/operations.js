// Admin: the inventory audit (reserved stock against open orders) and the
// shop's health (database, request and business counters from /metrics).
import { api, ApiError } from '../api.js';
import { h, heading, notice, show } from '../dom.js';
import { adminNav, adminOnly } from './products.js';

export async function audit(view) {
  if (!adminOnly(view)) return;
  const report = await api('GET', 'admin/inventory-audit');
  show(view, heading('Inventory audit'), adminNav('admin/audit'),
    report.ok
      ? notice('ok', `All ${report.checked} products agree: reserved stock equals what open orders hold.`)
      : notice('error', `${report.discrepancies.length} of ${report.checked} products disagree with their open orders.`),
    report.discrepancies.length
      ? h('table', { class: 'admin' },
        h('caption', {}, 'Products whose reserved stock differs from their open orders'),
        h('thead', {}, h('tr', {}, ['Product', 'Reserved', 'Held by open orders'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, report.discrepancies.map((d) => h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `admin/products/${encodeURIComponent(d.productId)}` }, d.productId)),
          h('td', { class: 'num' }, String(d.reservedQty)),
          h('td', { class: 'num' }, String(d.expectedReservedQty))))))
      : null);
}

/**
 * The Prometheus text as rows: each metric's HELP text, its total, and for a
 * metric with one label the value per label (orders by state). Histograms are left out.
 */
function metricRows(text) {
  const metrics = new Map();
  const get = (name) => metrics.get(name) || metrics.set(name, { help: name, total: 0, parts: [] }).get(name);
  for (const line of text.split('\n')) {
    const help = /^# HELP (\w+) (.*)$/.exec(line);
    if (help) {
      get(help[1]).help = help[2];
      continue;
    }
    const m = /^(\w+)(?:\{(\w+)="([^"]*)"[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (!m || /_(bucket|sum|count)$/.test(m[1]) || m[1].startsWith('cloudretail_http_')) continue;
    const metric = get(m[1]);
    metric.total += Number(m[4]);
    if (m[2]) metric.parts.push(`${m[3]} ${Number(m[4])}`);
  }
  return [...metrics].filter(([name, m]) => name.startsWith('cloudretail_') && !name.startsWith('cloudretail_http_') && m.help !== name).map(([name, m]) => {
    let value = Number.isInteger(m.total) ? String(m.total) : m.total.toFixed(2);
    if (name.endsWith('_timestamp_seconds')) value = m.total > 0 ? new Date(m.total * 1000).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : 'never';
    return [m.help, value, m.parts.join(', ')];
  });
}

export async function health(view) {
  if (!adminOnly(view)) return;
  const ready = await api('GET', 'health/ready', { auth: false }).catch((err) => (err instanceof ApiError ? err.body : null));
  const metrics = await api('GET', 'metrics', { text: true }).then(metricRows).catch(() => []);
  const up = ready && ready.status === 'ready';
  const rows = metrics.map(([help, value, parts]) => h('tr', {},
    h('th', { scope: 'row' }, help, parts ? h('p', { class: 'hint' }, parts) : null),
    h('td', { class: 'num' }, value)));
  show(view, heading('Health'), adminNav('admin/health'),
    up ? notice('ok', 'The shop is up and its database answers.') : notice('error', 'The database does not answer: orders cannot be taken.'),
    rows.length
      ? h('table', { class: 'admin' }, h('caption', {}, 'Counters since this process started'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Value'))),
        h('tbody', {}, rows))
      : h('p', {}, 'Counters are not available from this process.'));
}
