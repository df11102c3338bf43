// Admin: every customer's orders, newest first, filtered by status, with the
// actions each status allows: ship (with an optional tracking number) a paid
// order, refund a paid or shipped one (asked once more, it cannot be undone),
// cancel an unpaid one.
import { api, explain } from '../api.js';
import { h, heading, notice, show } from '../dom.js';
import { money, statusWords, when } from '../format.js';
import { go } from '../router.js';
import { statusBadge } from '../views/orders.js';
import { adminNav, adminOnly } from './products.js';

const STATUSES = ['PENDING', 'CONFIRMED', 'PAYMENT_FAILED', 'SHIPPED', 'REFUNDED', 'CANCELLED', 'EXPIRED'];

export async function orderAdmin(view, params, query) {
  if (!adminOnly(view)) return;
  const status = STATUSES.includes(query.get('status')) ? query.get('status') : '';
  const after = query.get('after') || '';
  const page = await api('GET', 'admin/orders', { query: { status, limit: 25, nextToken: after } });
  const message = h('div', { class: 'messages' });

  const act = async (button, order, route, body, words) => {
    button.disabled = true;
    try {
      const res = await api('POST', `orders/${encodeURIComponent(order.orderId)}/${route}`, { body });
      show(message, notice('ok', `Order ${order.orderId} ${words(res)}.`));
      // The row shows the order's new state and the actions it now allows.
      button.closest('tr').replaceWith(row(res.order));
    } catch (err) {
      button.disabled = false;
      show(message, notice('error', `Order ${order.orderId}: ${explain(err)}`));
    }
  };

  const actions = (o) => {
    const box = h('div', { class: 'row-actions' });
    const named = (label) => ({ type: 'button', class: 'secondary', 'aria-label': `${label} order ${o.orderId}` });
    if (o.status === 'CONFIRMED') {
      const trackingId = `tracking-${o.orderId}`;
      const tracking = h('input', { id: trackingId, name: 'tracking', maxlength: 128, placeholder: 'Tracking number', class: 'tracking' });
      box.append(
        h('label', { for: trackingId, class: 'visually-hidden' }, `Tracking number for order ${o.orderId} (optional)`),
        tracking,
        h('button', { ...named('Ship'), onclick: (e) => act(e.target, o, 'ship',
          tracking.value.trim() ? { trackingNumber: tracking.value.trim() } : {}, () => 'shipped') }, 'Ship'));
    }
    if (o.status === 'CONFIRMED' || o.status === 'SHIPPED') {
      box.append(h('button', { ...named('Refund'), onclick: () => show(box,
        h('span', {}, `Refund ${money(o.totalAmount, o.currency)}${o.status === 'SHIPPED' ? ' (the goods were sent)' : ''}?`),
        h('button', { type: 'button', 'aria-label': `Yes, refund order ${o.orderId}`, onclick: (e) => act(e.target, o, 'refund', {},
          (res) => `refunded${res.refund ? `: ${money(-res.refund.amount, o.currency)} back to the customer` : ''}`) }, 'Yes, refund'),
        h('button', { type: 'button', class: 'secondary', onclick: () => show(box, [...actions(o).childNodes]) }, 'No')) }, 'Refund'));
    }
    if (o.status === 'PENDING' || o.status === 'PAYMENT_FAILED') {
      box.append(h('button', { ...named('Cancel'), onclick: (e) => act(e.target, o, 'cancel', {}, () => 'cancelled') }, 'Cancel'));
    }
    return box;
  };

  const row = (o) => h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: `orders/${encodeURIComponent(o.orderId)}` }, o.orderId)),
    h('td', {}, when(o.createdAt)),
    h('td', {}, o.userEmail || o.userId),
    h('td', {}, statusBadge(o.status), o.trackingNumber ? h('p', { class: 'hint' }, `Tracking ${o.trackingNumber}`) : null),
    h('td', { class: 'num' }, money(o.totalAmount, o.currency)),
    h('td', {}, actions(o)));

  const filter = h('form', { class: 'filters', 'aria-label': 'Filter orders' },
    h('label', { for: 'status-filter' }, 'Status'),
    h('select', { id: 'status-filter', name: 'status' },
      h('option', { value: '' }, 'All statuses'),
      STATUSES.map((s) => h('option', { value: s, selected: s === status }, statusWords(s)))),
    h('button', { type: 'submit', class: 'secondary' }, 'Filter'));
  const apply = () => go(filter.status.value ? `admin/orders?status=${filter.status.value}` : 'admin/orders');
  filter.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  filter.status.addEventListener('change', apply);

  const base = status ? `admin/orders?status=${status}&` : 'admin/orders?';
  show(view, heading('Orders'), adminNav('admin/orders'), filter, message,
    page.items.length
      ? h('table', { class: 'admin' },
        h('caption', { class: 'visually-hidden' }, 'Orders, newest first'),
        h('thead', {}, h('tr', {}, ['Order', 'Placed', 'Customer', 'Status', 'Total'].map((t) => h('th', { scope: 'col' }, t)),
          h('th', { scope: 'col' }, 'Actions'))),
        h('tbody', {}, page.items.map(row)))
      : h('p', {}, status ? `No orders are ${statusWords(status).toLowerCase()}.` : 'No orders yet.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      after ? h('a', { href: base.slice(0, -1), class: 'button secondary' }, 'Newest orders') : null,
      page.nextToken ? h('a', { href: `${base}after=${encodeURIComponent(page.nextToken)}`, class: 'button secondary' }, 'Older orders') : null));
}
