// The shopper's orders: the list, and one order with its status, the expiry
// countdown of an unpaid order, the mock payment (pay, or simulate a failure,
// then retry) and cancelling.
import { api, ApiError, explain, newKey, product } from '../api.js';
import { busy, h, heading, notice, show } from '../dom.js';
import { countdown, money, statusWords, when } from '../format.js';
import { go, here, reload } from '../router.js';
import * as session from '../session.js';

function needUser() {
  if (session.user()) return true;
  go(`signin?next=${encodeURIComponent(here())}`, { replace: true });
  return false;
}

export function statusBadge(status) {
  return h('span', { class: `status s-${status.toLowerCase()}` }, statusWords(status));
}

export async function orderList(view, params, query) {
  if (!needUser()) return;
  const after = query.get('after') || '';
  const page = await api('GET', 'orders', { query: { limit: 20, nextToken: after } });
  const rows = page.items.map((o) => h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: `orders/${encodeURIComponent(o.orderId)}` }, o.orderId)),
    h('td', {}, when(o.createdAt)),
    h('td', {}, statusBadge(o.status)),
    h('td', { class: 'num' }, money(o.totalAmount, o.currency))));
  show(view, heading('Your orders'),
    rows.length
      ? h('table', { class: 'orders' },
        h('caption', { class: 'visually-hidden' }, 'Your orders, newest first'),
        h('thead', {}, h('tr', {}, ['Order', 'Placed', 'Status', 'Total'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows))
      : h('p', {}, 'No orders yet. ', h('a', { href: './' }, 'See all products'), '.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      after ? h('a', { href: 'orders', class: 'button secondary' }, 'Newest orders') : null,
      page.nextToken ? h('a', { href: `orders?after=${encodeURIComponent(page.nextToken)}`, class: 'button secondary' }, 'Older orders') : null));
}

/** The order's lines with product names (the catalog may have dropped a product since). */
export async function orderLines(order) {
  const products = await Promise.all(order.items.map((i) => product(i.productId).catch(() => null)));
  return h('table', { class: 'lines' },
    h('caption', { class: 'visually-hidden' }, 'Products in this order'),
    h('thead', {}, h('tr', {}, ['Product', 'Price', 'Quantity', 'Subtotal'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, order.items.map((item, i) => h('tr', {},
      h('th', { scope: 'row' }, products[i] ? h('a', { href: `products/${encodeURIComponent(item.productId)}` }, products[i].name) : item.productId),
      h('td', {}, money(item.price, order.currency)),
      h('td', {}, String(item.qty)),
      h('td', {}, money(Math.round(item.price * 100) * item.qty / 100, order.currency))))),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row', colspan: 3 }, 'Total'), h('td', {}, h('strong', {}, money(order.totalAmount, order.currency))))));
}

/** "Pay within 14:05", ticking; reloads the page when the order expires. */
function expiryCountdown(order) {
  const el = h('p', { class: 'expiry' });
  const deadline = Date.parse(order.expiresAt);
  const tick = () => {
    const left = (deadline - Date.now()) / 1000;
    if (left <= 0) {
      show(el, 'The time to pay has run out.');
      setTimeout(() => { if (el.isConnected) reload(); }, 1500);
      return false;
    }
    show(el, 'Pay within ', h('strong', {}, countdown(left)), ' or the order expires and its items go back on sale.');
    return true;
  };
  tick();
  // Stops once the page shows something else (or never showed this one).
  let seen = false;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    if (el.isConnected) seen = true;
    else if (seen || ticks > 10) return clearInterval(timer);
    if (!tick()) clearInterval(timer);
  }, 1000);
  return el;
}

const PAYMENT_WORDS = {
  SUCCESS: 'Payment received. Your order is confirmed.',
  FAILED: 'The payment failed. Your order is kept for now: you can pay again.',
};

export async function orderPage(view, { id }, query, flash) {
  if (!needUser()) return;
  let order;
  try {
    order = await api('GET', `orders/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      show(view, heading('Order not found'), h('p', {}, h('a', { href: 'orders' }, 'Your orders')));
      return;
    }
    throw err;
  }
  const message = h('div', { class: 'messages' });
  const actions = h('form', { class: 'actions', onsubmit: (e) => e.preventDefault() });

  const pay = (status) => busy(actions, async () => {
    try {
      await api('POST', 'payments', { body: { orderId: order.orderId, status }, idempotencyKey: newKey() });
      await orderPage(view, { id }, query, notice(status === 'SUCCESS' ? 'ok' : 'error', PAYMENT_WORDS[status]));
    } catch (err) {
      show(message, notice('error', explain(err)));
    }
  });
  const cancel = () => busy(actions, async () => {
    try {
      await api('POST', `orders/${encodeURIComponent(order.orderId)}/cancel`);
      await orderPage(view, { id }, query, notice('ok', 'Order cancelled. Its items went back on sale.'));
    } catch (err) {
      show(message, notice('error', explain(err)));
    }
  });

  const payable = order.status === 'PENDING' || order.status === 'PAYMENT_FAILED';
  if (payable) {
    actions.append(
      h('button', { type: 'button', onclick: () => pay('SUCCESS') }, 'Pay now'),
      // The mock provider fails on request; only an unpaid, pending order can fail.
      order.status === 'PENDING' ? h('button', { type: 'button', class: 'secondary', onclick: () => pay('FAILED') }, 'Simulate failed payment') : null,
      h('button', { type: 'button', class: 'secondary', onclick: cancel }, 'Cancel order'));
  }

  show(view,
    h('p', { class: 'crumbs' }, h('a', { href: 'orders' }, 'Your orders')),
    heading(`Order ${order.orderId}`),
    flash || null,
    h('dl', { class: 'facts' },
      h('dt', {}, 'Status'), h('dd', { class: 'order-status' }, statusBadge(order.status)),
      h('dt', {}, 'Placed'), h('dd', {}, when(order.createdAt)),
      order.userEmail ? [h('dt', {}, 'Email'), h('dd', {}, order.userEmail)] : null,
      order.shippedAt ? [h('dt', {}, 'Shipped'), h('dd', {}, when(order.shippedAt))] : null,
      order.trackingNumber ? [h('dt', {}, 'Tracking number'), h('dd', {}, order.trackingNumber)] : null,
      order.refundedAt ? [h('dt', {}, 'Refunded'), h('dd', {}, when(order.refundedAt))] : null),
    order.status === 'PENDING' && order.expiresAt ? expiryCountdown(order) : null,
    await orderLines(order),
    payable ? h('h2', {}, 'Payment') : null,
    payable ? h('p', { class: 'hint' }, 'This shop uses a test payment provider: no money moves.') : null,
    message,
    payable ? actions : null);
}
