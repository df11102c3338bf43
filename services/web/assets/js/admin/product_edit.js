// Admin: one product — its details (name, description, price, category), its
// stock, its image, and archiving it.
import { api, ApiError, explain } from '../api.js';
import { go } from '../router.js';
import { busy, field, h, heading, notice, show } from '../dom.js';
import { money, when } from '../format.js';
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

  const details = h('form', { class: 'narrow' },
    field('Name', { name: 'name', required: true, maxlength: 200, value: product.name }),
    field('Description', { tag: 'textarea', name: 'description', maxlength: 2000, rows: 4, value: product.description || '' }),
    field('Price', { name: 'price', required: true, inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]{1,2})?', value: product.price.toFixed(2) },
      `In ${product.currency}; the new price applies to carts at once.`),
    field('Category', { name: 'category', required: true, maxlength: 100, value: product.category }),
    h('button', { type: 'submit' }, 'Save'));
  details.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(details, async () => {
      // Only what changed goes out, so a save never rewrites a field someone else just changed.
      const changes = {};
      const price = Number(details.price.value);
      if (details.name.value.trim() !== product.name) changes.name = details.name.value.trim();
      if (details.description.value !== (product.description || '')) changes.description = details.description.value;
      if (price !== product.price) changes.price = price;
      if (details.category.value.trim() !== product.category) changes.category = details.category.value.trim();
      if (!Object.keys(changes).length) {
        show(message, notice('ok', 'Nothing changed.'));
        return;
      }
      try {
        await api('PATCH', `products/${encodeURIComponent(id)}`, { body: changes });
        await again(notice('ok', 'Product saved.'));
      } catch (err) {
        show(message, notice('error', explain(err)));
      }
    });
  });

  // Archiving asks once more in the page (no pop-up), then takes the product off sale.
  const archive = h('div', { class: 'archive' },
    h('button', { type: 'button', class: 'secondary', onclick: () => show(archive,
      h('p', {}, `Take ${product.name} off sale? Carts keep it as unavailable; orders keep their lines.`),
      h('button', { type: 'button', onclick: archiveNow }, 'Yes, archive it'), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: () => again() }, 'Keep it')) }, 'Archive product'));
  async function archiveNow(e) {
    e.target.disabled = true;
    try {
      await api('DELETE', `products/${encodeURIComponent(id)}`);
      go(`admin?archived=${encodeURIComponent(product.name)}`);
    } catch (err) {
      e.target.disabled = false;
      show(message, notice('error', explain(err)));
    }
  }

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
          h('dt', {}, 'Created'), h('dd', {}, when(product.createdAt)),
          product.updatedAt ? [h('dt', {}, 'Updated'), h('dd', {}, when(product.updatedAt))] : null),
        h('p', {}, h('a', { href: `products/${encodeURIComponent(id)}` }, 'See it in the shop')),
        h('h2', {}, 'Details'),
        details,
        h('h2', {}, 'Stock'),
        stockForm,
        h('h2', {}, 'Archive'),
        archive)));
}
