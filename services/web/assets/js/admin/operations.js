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

/** Sums of the Prometheus samples whose name starts with `prefix`, by name. */
function counters(text) {
  const totals = new Map();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (!m || m[1].endsWith('_bucket') || m[1].endsWith('_sum') || m[1].endsWith('_count')) continue;
    totals.set(m[1], (totals.get(m[1]) || 0) + Number(m[3]));
  }
  return totals;
}

export async function health(view) {
  if (!adminOnly(view)) return;
  const ready = await api('GET', 'health/ready', { auth: false }).catch((err) => (err instanceof ApiError ? err.body : null));
  const metrics = await api('GET', 'metrics', { text: true }).then(counters).catch(() => null);
  const up = ready && ready.status === 'ready';
  const rows = metrics
    ? [...metrics].filter(([name]) => name.startsWith('cloudretail_')).map(([name, value]) => h('tr', {},
      h('th', { scope: 'row' }, name.replace(/^cloudretail_/, '').replace(/_/g, ' ')),
      h('td', { class: 'num' }, Number.isInteger(value) ? String(value) : value.toFixed(2))))
    : [];
  show(view, heading('Health'), adminNav('admin/health'),
    up ? notice('ok', 'The shop is up and its database answers.') : notice('error', 'The database does not answer: orders cannot be taken.'),
    rows.length
      ? h('table', { class: 'admin' }, h('caption', {}, 'Counters since this process started'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Counter'), h('th', { scope: 'col' }, 'Value'))),
        h('tbody', {}, rows))
      : h('p', {}, 'Counters are not available from this process.'));
}
