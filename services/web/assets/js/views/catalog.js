// The catalog: a grid of products with images, filtered by category, paged
// with the API's nextToken. The URL holds the state (?category=&after=&trail=)
// so every page of results can be bookmarked and the back button works.
import { api } from '../api.js';
import { h, heading, show } from '../dom.js';
import { money } from '../format.js';

// The server preloads the first page with this size (WebAssets::kCatalogPageSize).
const PAGE_SIZE = 24;

/** The product's picture, sized so the grid does not jump while images load. */
export function productImage(p, size = 320, eager = false) {
  if (!p.imageUrl) return h('div', { class: 'noimage', role: 'img', 'aria-label': `${p.name} (no picture)` }, p.name.slice(0, 1));
  return h('img', {
    src: p.imageUrl, alt: p.name, width: size, height: size,
    loading: eager ? 'eager' : 'lazy', decoding: 'async',
  });
}

function pageLink(text, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return h('a', { href: s ? `./?${s}` : './', class: 'button secondary' }, text);
}

export async function catalog(view, params, query) {
  const category = query.get('category') || '';
  const after = query.get('after') || '';
  // Cursors of the pages before this one, for "Previous page".
  const trail = (query.get('trail') || '').split(',').filter(Boolean);

  const page = await api('GET', 'products', { auth: false, query: { limit: PAGE_SIZE, category, nextToken: after } });

  const title = category ? `Products in ${category}` : 'Products';
  const cards = page.items.map((p, i) =>
    h('li', { class: 'card' },
      h('a', { href: `products/${encodeURIComponent(p.productId)}`, class: 'card-link', tabindex: -1, 'aria-hidden': 'true' },
        productImage(p, 320, i < 4)),
      h('h2', {}, h('a', { href: `products/${encodeURIComponent(p.productId)}` }, p.name)),
      h('p', { class: 'price' }, money(p.price, p.currency)),
      h('p', { class: 'category' }, h('a', { href: `./?category=${encodeURIComponent(p.category)}` }, p.category))));

  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    after
      ? pageLink('Previous page', { category, after: trail[trail.length - 1], trail: trail.slice(0, -1).join(',') })
      : null,
    page.nextToken ? pageLink('Next page', { category, after: page.nextToken, trail: (after ? [...trail, after] : trail).join(',') }) : null);

  show(view,
    heading(title),
    category ? h('p', {}, h('a', { href: './' }, 'All products')) : null,
    cards.length
      ? h('ul', { class: 'grid', 'aria-label': title }, cards)
      : h('p', {}, category ? 'No products in this category.' : 'No products yet.'),
    nav);
}
