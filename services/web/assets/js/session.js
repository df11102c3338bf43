// The signed-in user's tokens, kept in localStorage so a reload or a second tab
// stays signed in. The access token is refreshed a minute before it expires.

const KEY = 'cloudretail.session';
const listeners = new Set();
let refreshTimer = 0;
let refreshing = null;

function decode(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  } catch {
    return null;
  }
}

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || null;
  } catch {
    return null;
  }
}

let current = load();

/** { sub, email, groups, exp } of the signed-in user, or null. */
export function user() {
  if (!current) return null;
  const claims = decode(current.accessToken);
  const id = decode(current.idToken) || {};
  if (!claims) return null;
  return { sub: claims.sub, email: claims.email || id.email || '', groups: claims.groups || [], exp: claims.exp };
}

export function isAdmin() {
  const u = user();
  return !!u && u.groups.includes('admin');
}

export function accessToken() {
  return current ? current.accessToken : null;
}

/** Seconds until the access token expires (negative when it has). */
export function secondsLeft() {
  const u = user();
  return u ? u.exp - Date.now() / 1000 : -1;
}

export function signedIn(tokens) {
  current = { accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken };
  save();
}

export function signedOut() {
  const refreshToken = current && current.refreshToken;
  current = null;
  save();
  return refreshToken;
}

export function onChange(fn) {
  listeners.add(fn);
}

function save() {
  if (current) localStorage.setItem(KEY, JSON.stringify(current));
  else localStorage.removeItem(KEY);
  schedule();
  listeners.forEach((fn) => fn());
}

/** New tokens from the refresh token; one request at a time, shared by callers. */
export function refresh(apiRoot) {
  if (!current || !current.refreshToken) return Promise.resolve(false);
  if (refreshing) return refreshing;
  const token = current.refreshToken;
  refreshing = fetch(new URL('auth/refresh', apiRoot), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refreshToken: token }),
  })
    .then(async (res) => {
      if (res.ok) {
        const body = await res.json();
        signedIn({ refreshToken: token, ...body.tokens });
        return true;
      }
      // Refused (expired, revoked): the user signs in again. Another tab may
      // have rotated the token already; then its new session is in storage.
      const stored = load();
      if (stored && stored.refreshToken !== token) {
        current = stored;
        save();
        return true;
      }
      if (res.status === 401 || res.status === 400) signedOut();
      return false;
    })
    .catch(() => false)
    .finally(() => { refreshing = null; });
  return refreshing;
}

let root = null;
function schedule() {
  clearTimeout(refreshTimer);
  if (!current || !root) return;
  const wait = Math.max(5, secondsLeft() - 60) * 1000;
  refreshTimer = setTimeout(() => refresh(root), Math.min(wait, 2 ** 31 - 1));
}

/** Starts the refresh timer and follows sign-in and sign-out in other tabs. */
export function start(apiRoot) {
  root = apiRoot;
  schedule();
  window.addEventListener('storage', (e) => {
    if (e.key !== KEY) return;
    current = load();
    schedule();
    listeners.forEach((fn) => fn());
  });
}
