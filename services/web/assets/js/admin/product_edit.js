// Admin: one product — its stock and its image.
import { api, ApiError, explain } from '../api.js';
import { busy, field, h, heading, notice, show } from '../dom.js';
import { money } from '../format.js';
import { productImage } from '../views/catalog.js';
import { adminNav, adminOnly, uploadImage } from './products.js';

export async function editProduct(view, { id }, query) {
  if (!adminOnly(view)) return;
  let product;
  try {
    product = await api('GET', `products/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      show(view, heading('Product not found'), adminNav(''), h('p', {}, h('a', { href: 'admin' }, 'All products')));
      return;
    }
    throw err;
  }
  const stock = await api('GET', `inventory/${encodeURIComponent(id)}`).catch(() => ({ availableQty: 0, reservedQty: 0 }));
  const message = h('div', { class: 'messages' });
  const again = (note) => editProduct(view, { id }, new URLSearchParams()).then(() => note && view.querySelector('.messages').replaceChildren(note));

  const stockForm = h('form', { class: 'inline' },
    field('Available', { name: 'available', type: 'number', min: 0, value: stock.availableQty, required: true },
      `Reserved by open orders: ${stock.reservedQty}.`),
    h('button', { type: 'submit' }, 'Save stock'));
  stockForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(stockForm, async () => {
      try {
        await api('PUT', `inventory/${encodeURIComponent(id)}`, { body: { availableQty: Number(stockForm.available.value) } });
        await again(notice('ok', 'Stock saved.'));
      } catch (err) {
        show(message, notice('error', explain(err)));
      }
    });
  });

  const imageForm = h('form', { class: 'inline' },
    field('New image', { name: 'image', type: 'file', accept: 'image/jpeg,image/png,image/webp', required: true }),
    h('button', { type: 'submit' }, 'Upload image'));
  imageForm.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(imageForm, async () => {
      try {
        await uploadImage(id, imageForm.image.files[0]);
        await again(notice('ok', 'Image uploaded.'));
      } catch (err) {
        show(message, notice('error', err instanceof ApiError ? explain(err) : err.message));
      }
    });
  });

  show(view,
    heading(`${product.name} (${product.productId})`),
    adminNav(''),
    query.get('created') ? notice('ok', 'Product created.') : null,
    query.get('problem') ? notice('error', query.get('problem')) : null,
    message,
    h('div', { class: 'product' },
      h('div', { class: 'picture' }, productImage(product, 320, true), imageForm),
      h('div', { class: 'details' },
        h('dl', { class: 'facts' },
          h('dt', {}, 'Price'), h('dd', { class: 'price' }, money(product.price, product.currency)),
          h('dt', {}, 'Category'), h('dd', {}, product.category),
          h('dt', {}, 'Created'), h('dd', {}, product.createdAt || '')),
        h('h2', {}, 'Stock'),
        stockForm,
        h('p', {}, h('a', { href: `products/${encodeURIComponent(id)}` }, 'See it in the shop')))));
}
