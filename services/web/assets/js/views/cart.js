// The cart: change quantities, remove lines, check out. Each refusal of the
// API (out of stock, price changed, product archived) is said with its fix.
import { api, ApiError, explain, newKey, product } from '../api.js';
import { busy, h, heading, notice, show } from '../dom.js';
import { money, sum, times } from '../format.js';
import { go, here } from '../router.js';
import * as session from '../session.js';

export async function cartPage(view) {
  if (!session.user()) {
    go(`signin?next=${encodeURIComponent(here())}`, { replace: true });
    return;
  }
  const message = h('div', { class: 'messages' });
  let checkoutKey = null;  // kept across a retry after a network failure, so it makes one order

  const draw = async (cart, note) => {
    const products = await Promise.all(cart.items.map((i) => product(i.productId).catch(() => null)));
    const lines = cart.items.map((item, i) => line(item, products[i]));
    if (!lines.length) {
      show(view, heading('Your cart'), note || null, h('p', {}, 'Your cart is empty. ', h('a', { href: './' }, 'See all products'), '.'));
      return;
    }
    // The catalog price is what checkout charges, whatever the line remembers.
    const unit = (item, p) => (p ? p.price : item.price);
    const currency = (products.find(Boolean) || {}).currency || 'USD';
    const total = sum(cart.items.map((item, i) => times(unit(item, products[i]), item.qty)));
    const blocked = cart.items.some((item, i) => item.available === false || !products[i]);
    const checkout = h('form', { class: 'checkout', onsubmit: (e) => { e.preventDefault(); placeOrder(checkout); } },
      h('p', { class: 'total' }, 'Total ', h('strong', {}, money(total, currency))),
      blocked ? h('p', {}, 'Remove the products that are no longer available to check out.') : null,
      h('button', { type: 'submit', disabled: blocked }, 'Checkout'));
    show(view, heading('Your cart'), note || null, message,
      h('table', { class: 'lines' },
        h('caption', { class: 'visually-hidden' }, 'Products in your cart'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col' }, 'Price'),
          h('th', { scope: 'col' }, 'Quantity'), h('th', { scope: 'col' }, 'Subtotal'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, lines)),
      checkout);
  };

  const line = (item, p) => {
    const name = p ? p.name : item.productId;
    const gone = item.available === false || !p;
    const changed = p && p.price !== item.price;
    const qtyId = `qty-${item.productId}`;
    const qtyForm = h('form', { class: 'qty', onsubmit: (e) => { e.preventDefault(); setQty(qtyForm, item, Number(qtyForm.qty.value), name); } },
      h('label', { for: qtyId, class: 'visually-hidden' }, `Quantity of ${name}`),
      h('input', { id: qtyId, name: 'qty', type: 'number', min: 1, max: 1000, value: item.qty, required: true, disabled: gone, inputmode: 'numeric' }),
      h('button', { type: 'submit', class: 'secondary', disabled: gone, 'aria-label': `Update quantity of ${name}` }, 'Update'));
    return h('tr', {},
      h('th', { scope: 'row' }, p ? h('a', { href: `products/${encodeURIComponent(item.productId)}` }, name) : name,
        gone ? h('p', { class: 'warn' }, 'No longer available') : null),
      h('td', {}, money(p ? p.price : item.price, p ? p.currency : 'USD'),
        changed ? h('p', { class: 'warn' }, `Price changed from ${money(item.price, p.currency)}`) : null),
      h('td', {}, qtyForm),
      h('td', {}, money(times(p ? p.price : item.price, item.qty), p ? p.currency : 'USD')),
      h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${name}`, onclick: (e) => remove(e.target, item, name) }, 'Remove')));
  };

  const setQty = (form, item, qty, name) => busy(form, async () => {
    try {
      const res = await api('PUT', `cart/items/${encodeURIComponent(item.productId)}`, { body: { qty } });
      await draw(res.cart || res, notice('ok', `${name}: quantity set to ${qty}.`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body.availableQty !== undefined) {
        const n = err.body.availableQty;
        show(message, notice('error', `Only ${n} of ${name} in stock. `,
          n > 0 ? h('button', { type: 'button', onclick: () => setQty(form, item, n, name) }, `Set quantity to ${n}`) : `Remove it to check out.`));
      } else {
        show(message, notice('error', explain(err)));
      }
    }
  });

  const remove = async (button, item, name) => {
    button.disabled = true;
    try {
      const res = await api('DELETE', `cart/items/${encodeURIComponent(item.productId)}`);
      await draw(res.cart || res, notice('ok', `Removed ${name}.`));
    } catch (err) {
      button.disabled = false;
      show(message, notice('error', explain(err)));
    }
  };

  const placeOrder = (form) => busy(form, async () => {
    checkoutKey = checkoutKey || newKey();
    try {
      const res = await api('POST', 'orders/checkout', { idempotencyKey: checkoutKey });
      checkoutKey = null;
      go(`orders/${encodeURIComponent(res.order.orderId)}`);
    } catch (err) {
      if (err instanceof ApiError) checkoutKey = null;  // answered: a new attempt is a new request
      show(message, await checkoutRefusal(err));
    }
  });

  const checkoutRefusal = async (err) => {
    if (err instanceof ApiError && err.status === 409 && err.body.productId) {
      const p = await product(err.body.productId).catch(() => null);
      const name = p ? p.name : err.body.productId;
      if (err.message === 'Product not available') return notice('error', `${name} is no longer sold. Remove it from your cart to check out.`);
      if (err.message === 'Price changed') return notice('error', `The price of ${name} changed. Check the new total and check out again.`);
      return notice('error', `${name} is out of stock for the quantity in your cart. Lower the quantity or remove it, then check out again.`);
    }
    if (err instanceof ApiError && /Out of stock for (\S+)/.test(err.message)) {
      const id = err.message.match(/Out of stock for (\S+)/)[1];
      const p = await product(id).catch(() => null);
      return notice('error', `${p ? p.name : id} is out of stock for the quantity in your cart. Lower the quantity or remove it, then check out again.`);
    }
    return notice('error', explain(err));
  };

  await draw(await api('GET', 'cart'));
}
