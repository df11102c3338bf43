// The catalog: a grid of products with images, filtered by category, paged
// with the API's nextToken, and searched. The URL holds the state
// (?q=&category=&after=&trail=)
// so every page of results can be bookmarked and the back button works.
import { api } from '../api.js';
import { h, heading, show } from '../dom.js';
import { money } from '../format.js';
import { go } from '../router.js';

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

/** Search words and the category filter (every category with its number of products). */
function filters(q, category, categories) {
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Products' },
    h('label', { for: 'product-search' }, 'Search'),
    h('input', { id: 'product-search', type: 'search', name: 'q', value: q, maxlength: 200, placeholder: 'Name, description or category' }),
    h('label', { for: 'category-filter' }, 'Category'),
    h('select', { id: 'category-filter', name: 'category' },
      h('option', { value: '' }, 'All categories'),
      categories.map((c) => h('option', { value: c.category, selected: c.category === category }, `${c.category} (${c.count})`))),
    h('button', { type: 'submit', class: 'secondary' }, 'Search'));
  const apply = () => {
    const params = new URLSearchParams();
    if (form.q.value.trim()) params.set('q', form.q.value.trim());
    if (form.category.value) params.set('category', form.category.value);
    const s = params.toString();
    go(s ? `./?${s}` : './');
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); apply(); });
  form.category.addEventListener('change', apply);
  return form;
}

export async function catalog(view, params, query) {
  const q = (query.get('q') || '').trim();
  const category = query.get('category') || '';
  const after = query.get('after') || '';
  // Cursors of the pages before this one, for "Previous page".
  const trail = (query.get('trail') || '').split(',').filter(Boolean);

  const [page, categories] = await Promise.all([
    api('GET', 'products', { auth: false, query: { limit: PAGE_SIZE, q, category, nextToken: after } }),
    // Without the category list the catalog still shows, only without the choice.
    api('GET', 'categories', { auth: false }).catch(() => ({ items: [] })),
  ]);

  const title = q
    ? `Results for “${q}”${category ? ` in ${category}` : ''}`
    : category ? `Products in ${category}` : 'Products';
  const cards = page.items.map((p, i) =>
    h('li', { class: 'card' },
      h('a', { href: `products/${encodeURIComponent(p.productId)}`, class: 'card-link', tabindex: -1, 'aria-hidden': 'true' },
        productImage(p, 320, i < 4)),
      h('h2', {}, h('a', { href: `products/${encodeURIComponent(p.productId)}` }, p.name)),
      h('p', { class: 'price' }, money(p.price, p.currency)),
      h('p', { class: 'category' }, h('a', { href: `./?category=${encodeURIComponent(p.category)}` }, p.category))));

  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' },
    after
      ? pageLink('Previous page', { q, category, after: trail[trail.length - 1], trail: trail.slice(0, -1).join(',') })
      : null,
    page.nextToken ? pageLink('Next page', { q, category, after: page.nextToken, trail: (after ? [...trail, after] : trail).join(',') }) : null);

  show(view,
    heading(title),
    filters(q, category, categories.items),
    cards.length
      ? h('ul', { class: 'grid', 'aria-label': title }, cards)
      : h('p', {}, q ? 'No products match. Try fewer or shorter words.' : category ? 'No products in this category.' : 'No products yet.'),
    nav);
}
