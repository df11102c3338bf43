// Navigation inside the single page: every URL under the base answers the same
// page shell, and this module turns the path into a view.

const base = new URL(document.baseURI);
const listeners = [];

/** The path below the base, e.g. "products/P001" ('' for the catalog). */
export function currentPath() {
  const path = location.pathname;
  return path.startsWith(base.pathname) ? path.slice(base.pathname.length) : '';
}

/** The current path with its query, to come back to after signing in. */
export function here() {
  return currentPath() + location.search;
}

export function query() {
  return new URLSearchParams(location.search);
}

export function href(path) {
  return new URL(path, base).href;
}

/** Goes to a path relative to the base ('cart', 'orders/O-1', 'signin?next=cart'). */
export function go(path, { replace = false } = {}) {
  const url = new URL(path, base);
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((fn) => fn({ navigated: true }));
}

/** Renders the current page again (after a change such as a payment). */
export function reload() {
  listeners.forEach((fn) => fn({ navigated: false }));
}

export function onNavigate(fn) {
  listeners.push(fn);
}

window.addEventListener('popstate', () => listeners.forEach((fn) => fn({ navigated: true })));

// Links to pages of this app change the view without a page load.
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname) || url.pathname.startsWith(`${base.pathname}assets/`)) return;
  e.preventDefault();
  go(url.pathname.slice(base.pathname.length) + url.search);
});
