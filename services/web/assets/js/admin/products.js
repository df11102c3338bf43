// Admin: the product list with stock, and creating a product (with its first
// stock and an image uploaded through the pre-signed PUT URL).
import { api, ApiError, explain } from '../api.js';
import { busy, field, h, heading, notice, show } from '../dom.js';
import { money } from '../format.js';
import { go, here } from '../router.js';
import * as session from '../session.js';

/** True for an admin; otherwise shows sign-in or "admins only" and returns false. */
export function adminOnly(view) {
  if (!session.user()) {
    go(`signin?next=${encodeURIComponent(here())}`, { replace: true });
    return false;
  }
  if (!session.isAdmin()) {
    show(view, heading('Admins only'), h('p', {}, 'This part of the shop is for its staff. ', h('a', { href: './' }, 'Back to the shop'), '.'));
    return false;
  }
  return true;
}

const SECTIONS = [
  ['admin', 'Products'],
  ['admin/orders', 'Orders'],
  ['admin/audit', 'Inventory audit'],
  ['admin/health', 'Health'],
];
export function adminNav(active) {
  return h('nav', { class: 'tabs', 'aria-label': 'Admin' },
    h('ul', {}, SECTIONS.map(([href, text]) => h('li', {}, h('a', { href, 'aria-current': href === active ? 'page' : undefined }, text)))));
}

/** Uploads an image file through a pre-signed PUT URL; the product then shows it. */
export async function uploadImage(productId, file) {
  const contentType = file.type;
  if (!['image/jpeg', 'image/png', 'image/webp'].includes(contentType)) throw new Error('Choose a JPEG, PNG or WebP image.');
  const target = await api('POST', `products/${encodeURIComponent(productId)}/image-upload-url`, { body: { contentType } });
  const res = await fetch(target.uploadUrl, { method: 'PUT', headers: { 'Content-Type': contentType }, body: file });
  if (!res.ok) throw new Error(`The image upload failed (${res.status}).`);
}

export async function productList(view, params, query) {
  if (!adminOnly(view)) return;
  const after = query.get('after') || '';
  const page = await api('GET', 'products', { query: { limit: 25, nextToken: after } });
  const stock = await Promise.all(page.items.map((p) => api('GET', `inventory/${encodeURIComponent(p.productId)}`, { auth: false }).catch(() => null)));
  const rows = page.items.map((p, i) => h('tr', {},
    h('th', { scope: 'row' }, h('a', { href: `admin/products/${encodeURIComponent(p.productId)}` }, p.productId)),
    h('td', {}, p.name),
    h('td', {}, p.category),
    h('td', { class: 'num' }, money(p.price, p.currency)),
    h('td', { class: 'num' }, stock[i] ? String(stock[i].availableQty) : '–'),
    h('td', { class: 'num' }, stock[i] ? String(stock[i].reservedQty) : '–')));
  show(view, heading('Products'), adminNav('admin'),
    query.get('archived') ? notice('ok', `${query.get('archived')} is archived: it is no longer on sale.`) : null,
    h('p', {}, h('a', { href: 'admin/products/new', class: 'button' }, 'New product')),
    h('table', { class: 'admin' },
      h('caption', { class: 'visually-hidden' }, 'Products and their stock'),
      h('thead', {}, h('tr', {}, ['Product id', 'Name', 'Category', 'Price', 'Available', 'Reserved'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows)),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      after ? h('a', { href: 'admin', class: 'button secondary' }, 'First page') : null,
      page.nextToken ? h('a', { href: `admin?after=${encodeURIComponent(page.nextToken)}`, class: 'button secondary' }, 'Next page') : null));
}

export async function newProduct(view) {
  if (!adminOnly(view)) return;
  const message = h('div', { class: 'messages' });
  const form = h('form', { class: 'narrow' },
    field('Product id', { name: 'productId', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', maxlength: 64 }, 'Letters, digits, - and _ (e.g. P100). It cannot change later.'),
    field('Name', { name: 'name', required: true, maxlength: 200 }),
    field('Category', { name: 'category', required: true, maxlength: 100 }),
    field('Description', { tag: 'textarea', name: 'description', maxlength: 2000, rows: 3 }),
    field('Price', { name: 'price', required: true, inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]{1,2})?' }, 'For example 29.99'),
    field('Currency', { name: 'currency', required: true, value: 'USD', pattern: '[A-Z]{3}', maxlength: 3 }),
    field('Stock', { name: 'stock', type: 'number', min: 0, value: 0, required: true }),
    field('Image', { name: 'image', type: 'file', accept: 'image/jpeg,image/png,image/webp' }, 'Optional: JPEG, PNG or WebP.'),
    h('button', { type: 'submit' }, 'Create product'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(form, async () => {
      show(message);
      const productId = form.productId.value.trim();
      // The price goes as the number typed: the API reads money exactly from the JSON text.
      const body = {
        productId, name: form.name.value.trim(), category: form.category.value.trim(),
        price: Number(form.price.value), currency: form.currency.value.trim(),
      };
      if (form.description.value.trim()) body.description = form.description.value.trim();
      try {
        await api('POST', 'products', { body });
      } catch (err) {
        show(message, notice('error', err instanceof ApiError && err.status === 409 ? `A product ${productId} exists already.` : explain(err)));
        return;
      }
      const steps = [];
      try {
        await api('PUT', `inventory/${encodeURIComponent(productId)}`, { body: { availableQty: Number(form.stock.value) } });
      } catch (err) {
        steps.push(`Setting its stock failed: ${explain(err)}`);
      }
      if (form.image.files.length) {
        try {
          await uploadImage(productId, form.image.files[0]);
        } catch (err) {
          steps.push(`Its image was not saved: ${err.message}`);
        }
      }
      go(`admin/products/${encodeURIComponent(productId)}?created=1${steps.length ? `&problem=${encodeURIComponent(steps.join(' '))}` : ''}`);
    });
  });
  show(view, heading('New product'), adminNav(''), message, form);
}
