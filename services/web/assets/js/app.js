// The storefront and admin: the navigation bar, the route table, and rendering
// the view for the current URL into <main>.
import { api, apiRoot, explain, whenUnauthorized } from './api.js';
import { h, notice, show, heading } from './dom.js';
import { currentPath, go, here, onNavigate, query } from './router.js';
import * as session from './session.js';

// [pattern, module, export]; ':name' segments become params. Views load on first use.
const ROUTES = [
  ['', 'views/catalog.js', 'catalog'],
  ['products/:id', 'views/product.js', 'productPage'],
  ['cart', 'views/cart.js', 'cartPage'],
  ['orders', 'views/orders.js', 'orderList'],
  ['orders/:id', 'views/orders.js', 'orderPage'],
  ['signin', 'views/account.js', 'signIn'],
  ['register', 'views/account.js', 'register'],
  ['confirm', 'views/account.js', 'confirm'],
  ['forgot', 'views/account.js', 'forgot'],
  ['reset', 'views/account.js', 'reset'],
  ['admin', 'admin/products.js', 'productList'],
  ['admin/products/new', 'admin/products.js', 'newProduct'],
  ['admin/products/:id', 'admin/product_edit.js', 'editProduct'],
  ['admin/orders', 'admin/orders.js', 'orderAdmin'],
  ['admin/audit', 'admin/operations.js', 'audit'],
  ['admin/health', 'admin/operations.js', 'health'],
];

function match(path) {
  const parts = path.replace(/\/+$/, '').split('/');
  for (const [pattern, module, name] of ROUTES) {
    const want = pattern.split('/');
    if (want.length !== parts.length) continue;
    const params = {};
    if (want.every((w, i) => (w.startsWith(':') ? (params[w.slice(1)] = decodeURIComponent(parts[i])) !== '' : w === parts[i])))
      return { module, name, params };
  }
  return null;
}

const main = document.getElementById('main');
const nav = document.getElementById('nav');

function renderNav() {
  const path = currentPath();
  const u = session.user();
  const link = (href, text, active) => h('li', {}, h('a', { href, 'aria-current': active ? 'page' : undefined }, text));
  show(nav,
    link('./', 'Products', path === ''),
    link('cart', 'Cart', path === 'cart'),
    u ? link('orders', 'Orders', path.startsWith('orders')) : null,
    session.isAdmin() ? link('admin', 'Admin', path.startsWith('admin')) : null,
    u
      ? h('li', { class: 'who' },
        h('span', { class: 'email' }, u.email),
        h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'))
      : link(`signin?next=${encodeURIComponent(here())}`, 'Sign in', path === 'signin'));
}

async function signOut() {
  const refreshToken = session.signedOut();
  go('');
  // Revokes the refresh token on the server; the page is signed out either way.
  try {
    await api('POST', 'auth/logout', { body: { refreshToken }, auth: false });
  } catch { /* already signed out here */ }
}

let renderCount = 0;
async function render({ navigated = false } = {}) {
  const mine = ++renderCount;
  // Busy until the new view replaces the old one: assistive technology waits for it,
  // and so do the browser tests (a field filled meanwhile would belong to the old view).
  main.setAttribute('aria-busy', 'true');
  renderNav();
  const route = match(currentPath());
  if (!route) {
    show(main, heading('Page not found'), h('p', {}, 'There is nothing at this address. ', h('a', { href: './' }, 'See all products'), '.'));
    main.setAttribute('aria-busy', 'false');
    return;
  }
  // A view that takes long shows that it is loading; a fast one never flickers.
  const spinner = setTimeout(() => { if (mine === renderCount) show(main, h('p', { class: 'loading' }, 'Loading…')); }, 150);
  const view = document.createElement('div');
  try {
    const module = await import(`./${route.module}`);
    await module[route.name](view, route.params, query());
  } catch (err) {
    console.error(err);
    show(view, heading('Something went wrong'), notice('error', explain(err)));
  } finally {
    clearTimeout(spinner);
  }
  if (mine !== renderCount) return;  // the user went elsewhere meanwhile
  main.replaceChildren(view);
  main.setAttribute('aria-busy', 'false');
  // For measuring: the time from navigation start to the first view on screen.
  if (!performance.getEntriesByName('first-view').length) performance.mark('first-view');
  if (navigated) {
    window.scrollTo(0, 0);
    const h1 = main.querySelector('h1');
    if (h1) {
      h1.tabIndex = -1;
      h1.focus({ preventScroll: true });
    }
  }
}

session.start(apiRoot);
session.onChange(renderNav);
whenUnauthorized(() => go(`signin?next=${encodeURIComponent(here())}`, { replace: true }));
onNavigate(render);
render();
