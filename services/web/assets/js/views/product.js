// One product: picture, price, stock, and "Add to cart" with the cart's
// refusals (price changed, out of stock) said in words, each with its fix.
import { api, ApiError, explain } from '../api.js';
import { busy, field, h, heading, notice, show } from '../dom.js';
import { money } from '../format.js';
import { go, here } from '../router.js';
import * as session from '../session.js';
import { productImage } from './catalog.js';

function stockWords(stock) {
  if (!stock) return 'Stock unknown';
  if (stock.availableQty <= 0) return 'Out of stock';
  if (stock.availableQty < 10) return `Only ${stock.availableQty} left`;
  return 'In stock';
}

export async function productPage(view, { id }) {
  let product;
  try {
    product = await api('GET', `products/${encodeURIComponent(id)}`, { auth: false });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      show(view, heading('Product not found'), h('p', {}, 'This product is not in the shop (any more). ', h('a', { href: './' }, 'See all products'), '.'));
      return;
    }
    throw err;
  }
  const stock = await api('GET', `inventory/${encodeURIComponent(id)}`, { auth: false }).catch(() => null);

  const priceText = h('p', { class: 'price big' }, money(product.price, product.currency));
  const stockText = h('p', { class: 'stock' }, stockWords(stock));
  const message = h('div', { class: 'messages' });
  const qty = field('Quantity', { type: 'number', name: 'qty', min: 1, max: 1000, value: 1, required: true, inputmode: 'numeric' });
  const form = h('form', { class: 'buy' }, qty, h('button', { type: 'submit' }, 'Add to cart'));

  // `price` is what the shopper saw; the cart refuses it if the catalog moved on.
  const add = (count, price) => busy(form, async () => {
    show(message);
    try {
      await api('POST', 'cart/items', { body: { productId: product.productId, qty: count, price } });
      show(message, notice('ok', `Added ${count} × ${product.name} to your cart. `, h('a', { href: 'cart' }, 'View cart')));
    } catch (err) {
      show(message, refusal(err, count));
    }
  });

  const refusal = (err, count) => {
    if (err instanceof ApiError && err.status === 409 && err.message === 'Price changed') {
      product.price = err.body.price;
      show(priceText, money(product.price, product.currency));
      return notice('error', `The price changed to ${money(err.body.price, product.currency)} while you were looking. `,
        h('button', { type: 'button', onclick: () => add(count, product.price) }, 'Add at the new price'));
    }
    if (err instanceof ApiError && err.status === 409 && err.body.availableQty !== undefined) {
      // requestedQty is what the cart would hold; what is already there counts too.
      const inCart = err.body.requestedQty - count;
      const canAdd = err.body.availableQty - inCart;
      show(stockText, stockWords({ availableQty: err.body.availableQty }));
      return notice('error', `Not enough stock: ${err.body.availableQty} available`,
        inCart > 0 ? ` and ${inCart} already in your cart. ` : '. ',
        canAdd > 0 ? h('button', { type: 'button', onclick: () => add(canAdd, product.price) }, `Add ${canAdd} instead`) : null);
    }
    if (err instanceof ApiError && err.status === 404) return notice('error', 'This product is no longer available.');
    return notice('error', explain(err));
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!session.user()) {
      go(`signin?next=${encodeURIComponent(here())}`);
      return;
    }
    add(Number(form.qty.value), product.price);
  });

  show(view,
    h('p', { class: 'crumbs' }, h('a', { href: './' }, 'Products'), ' › ',
      h('a', { href: `./?category=${encodeURIComponent(product.category)}` }, product.category)),
    h('div', { class: 'product' },
      h('div', { class: 'picture' }, productImage(product, 480, true)),
      h('div', { class: 'details' },
        heading(product.name),
        priceText,
        stockText,
        product.description ? h('p', { class: 'description' }, product.description) : null,
        form,
        message)));
}
