// The public API, called from the browser. The pages live at <prefix>/shop/ and
// the API at <prefix>/, so the API's root is the page base's parent: this works
// with API_BASE_PATH and behind the split deployment's gateway alike.
import * as session from './session.js';

export const apiRoot = new URL('../', document.baseURI);

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `Request failed (${status})`);
    this.status = status;
    this.code = (body && body.error) || '';
    this.body = body || {};
  }
}

let onUnauthorized = () => {};
/** Called when a signed-in call is refused even after a refresh (sign in again). */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/** A random UUID, also on plain-HTTP origins where crypto.randomUUID is missing. */
export function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * api('GET', 'products', {query: {limit: 20}}) → parsed JSON body.
 * Options: body (JSON), auth (send the bearer token), idempotencyKey, text (return text).
 * Throws ApiError for any non-2xx answer, and a TypeError when the network fails.
 */
export async function api(method, path, options = {}) {
  const url = new URL(path, apiRoot);
  for (const [k, v] of Object.entries(options.query || {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  const auth = options.auth !== false && !!session.accessToken();
  // Refresh ahead of a call rather than after its 401 when the token is about to lapse.
  if (auth && session.secondsLeft() < 30) await session.refresh(apiRoot);

  const send = () => {
    const headers = {};
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    if (auth && session.accessToken()) headers.Authorization = `Bearer ${session.accessToken()}`;
    return fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  };
  let res = await send();
  if (res.status === 401 && auth) {
    if (await session.refresh(apiRoot)) res = await send();
    if (res.status === 401) {
      session.signedOut();
      onUnauthorized();
    }
  }
  if (options.text) {
    if (!res.ok) throw new ApiError(res.status, null);
    return res.text();
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** What to tell a person about a failed call. */
export function explain(err) {
  if (err instanceof ApiError) {
    if (err.status === 429) return 'Too many attempts. Please wait a moment and try again.';
    if (err.status === 503) return 'The shop is busy or partly down. Please try again in a moment.';
    if (err.status >= 500) return 'Something went wrong on our side. Please try again.';
    return err.message;
  }
  return 'Could not reach the shop. Check your connection and try again.';
}

const productMemo = new Map();
/** A product by id for lines of carts and orders (null when gone); remembered 30 s. */
export function product(id) {
  const hit = productMemo.get(id);
  if (hit && hit.at > Date.now() - 30000) return hit.promise;
  const promise = api('GET', `products/${encodeURIComponent(id)}`, { auth: false }).catch((err) => {
    if (err instanceof ApiError && err.status === 404) return null;
    productMemo.delete(id);
    throw err;
  });
  productMemo.set(id, { at: Date.now(), promise });
  return promise;
}
