'use strict';
// Check (4): a bounded property-based pass. Starts the real binary on a free port
// with a fresh DATA_DIR, then for a fixed time sends requests generated from the
// document — valid ones and deliberately invalid ones — to every operation, and
// fails on any 5xx, any response the document does not allow, and any invalid
// request that is accepted (2xx).
//   node property_check.js CLOUDRETAIL_BINARY [SECONDS] [SEED]
const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { loadDocument } = require('./lib/openapi');
const { NOT_YET_SERVED } = require('./lib/not_yet_served');

const binary = process.argv[2];
const seconds = Number(process.argv[3] || process.env.OPENAPI_PROPERTY_SECONDS || 40);
let seed = Number(process.argv[4] || process.env.OPENAPI_PROPERTY_SEED || 20261130);
if (!binary) {
  console.error('usage: node property_check.js CLOUDRETAIL_BINARY [SECONDS] [SEED]');
  process.exit(2);
}

// A small deterministic PRNG, so a failing run can be replayed with its seed.
function random() {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (list) => list[int(0, list.length - 1)];
const chance = (p) => random() < p;
const initialSeed = seed;

const SERVICE_TOKEN = 'property-check-service-token-0123';
const ADMIN = { email: 'admin@example.com', password: 'AdminPass123' };
const checker = loadDocument();
const doc = checker.doc;

// ---------------------------------------------------------------- the server
function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudretail-property-'));
  const env = {
    ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SERVICE_TOKEN, LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
  };
  const child = spawn(binary, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + output)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), dataDir, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function send(port, method, target, { body, headers = {} } = {}) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, agent, headers: { ...headers }, timeout: 30000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const pairs = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        let json = null;
        try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
        resolve({ status: res.statusCode, headers: pairs, body: text, json });
      });
    });
    req.on('error', (e) => resolve({ status: 0, headers: [], body: String(e), json: null }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (body !== undefined) {
      req.setHeader('Content-Type', headers['Content-Type'] || 'application/json');
      req.write(body);
    }
    req.end();
  });
}
const jsonCall = (port, method, target, value, headers) =>
  send(port, method, target, { body: value === undefined ? undefined : JSON.stringify(value), headers });

// ---------------------------------------------------------------- fixtures
/// Real ids for path parameters: a product with stock, a user with an order and a payment.
async function makeFixtures(server) {
  const port = server.port;
  const login = async (email, password) => (await jsonCall(port, 'POST', '/auth/login', { email, password })).json?.tokens?.accessToken;
  const admin = await login(ADMIN.email, ADMIN.password);
  if (!admin) throw new Error('admin login failed');
  const asAdmin = { Authorization: `Bearer ${admin}` };
  for (const id of ['PROP-1', 'PROP-2']) {
    await jsonCall(port, 'POST', '/products', { productId: id, name: `Property ${id}`, category: 'props', price: 12.5, currency: 'USD' }, asAdmin);
    await jsonCall(port, 'PUT', `/inventory/${id}`, { availableQty: 1000000, reservedQty: 0 }, asAdmin);
  }
  // A confirmed buyer: register, read the code from the outbox, confirm.
  const buyer = { email: 'buyer@example.com', password: 'BuyerPass123' };
  const reg = await jsonCall(port, 'POST', '/auth/register', buyer);
  let code;
  for (let i = 0; i < 100 && !code; i++) {
    const outbox = path.join(server.dataDir, 'outbox');
    for (const f of fs.existsSync(outbox) ? fs.readdirSync(outbox) : []) {
      const text = fs.readFileSync(path.join(outbox, f), 'utf8');
      const m = text.includes(buyer.email) && /^\s*(\d{6})\s*$/m.exec(text);
      if (m) code = m[1];
    }
    if (!code) await new Promise((r) => setTimeout(r, 50));
  }
  await jsonCall(port, 'POST', '/auth/confirm', { email: buyer.email, code });
  const user = await login(buyer.email, buyer.password);
  if (!user) throw new Error(`buyer login failed (register ${reg.status}, code ${code})`);
  const asUser = { Authorization: `Bearer ${user}` };
  await jsonCall(port, 'POST', '/cart/items', { productId: 'PROP-1', qty: 1 }, asUser);
  const order = (await jsonCall(port, 'POST', '/orders/checkout', {}, asUser)).json?.order?.orderId;
  const payment = (await jsonCall(port, 'POST', '/payments', { orderId: order, status: 'SUCCESS' }, asUser)).json?.payment?.paymentId;
  const userSub = JSON.parse(Buffer.from(user.split('.')[1], 'base64url').toString()).sub;
  return {
    tokens: { admin, user },
    values: {
      product: ['PROP-1', 'PROP-2', 'P-NOPE', 'x'],
      order: [order, 'O-00000000-0000-4000-8000-000000000000', 'nope'],
      payment: [payment, 'PAY-00000000-0000-4000-8000-000000000000', 'nope'],
      user: [userSub, '00000000-0000-4000-8000-000000000000'],
      email: [buyer.email, ADMIN.email, 'nobody@example.com'],
    },
  };
}

// ---------------------------------------------------------------- generation
function resolveSchema(s) {
  let guard = 0;
  while (s && s.$ref && guard++ < 10) s = checker.resolve(s);
  if (s && s.allOf) {
    const own = { ...s };
    delete own.allOf;
    return Object.assign({}, ...s.allOf.map(resolveSchema), own);
  }
  return s || {};
}

const UUID = () => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => int(0, 15).toString(16));

/// A value the schema accepts.
function generate(schema, name, fx, depth = 0) {
  const s = resolveSchema(schema);
  if ('const' in s) return s.const;
  if (s.enum) return pick(s.enum);
  if (s.oneOf) return generate(pick(s.oneOf), name, fx, depth);
  let type = Array.isArray(s.type) ? pick(s.type.filter((t) => t !== 'null')) : s.type;
  if (!type && s.properties) type = 'object';
  if (name === 'productId' && fx) return pick(fx.values.product);
  if (name === 'orderId' && fx) return pick(fx.values.order);
  if (name === 'email' && fx && chance(0.5)) return pick(fx.values.email);
  if (s.examples && chance(0.5)) return pick(s.examples);
  switch (type) {
    case 'string': {
      if (s.format === 'email') return `prop${int(0, 999)}@example.com`;
      if (s.format === 'date-time') return new Date(int(0, 2e12)).toISOString();
      if (s.pattern === '^[0-9]{6}$') return String(int(0, 999999)).padStart(6, '0');
      if (s.pattern && s.pattern.startsWith('^O-')) return 'O-' + UUID();
      if (s.pattern && s.pattern.startsWith('^PAY-')) return 'PAY-' + UUID();
      if (s.pattern && s.examples) return pick(s.examples);
      const min = s.minLength || 0, max = Math.min(s.maxLength ?? 24, 24);
      const alphabet = name && /password/i.test(name) ? 'aA1bB2cC3' : 'abcXYZ019_-';
      let out = '';
      for (let i = int(Math.max(min, name && /password/i.test(name) ? 8 : 0), Math.max(min, max)); i > 0; i--) out += pick([...alphabet]);
      return out;
    }
    case 'integer': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const hi = s.maximum ?? lo + 1000;
      return chance(0.3) ? pick([lo, hi]) : int(lo, Math.min(hi, lo + 1000));
    }
    case 'number': {
      const lo = Math.max(s.minimum ?? 0.01, (s.exclusiveMinimum ?? 0) + 0.01);
      const hi = Math.min(s.maximum ?? 1000, 1000);
      return Math.round((lo + random() * (hi - lo)) * 100) / 100;
    }
    case 'boolean': return chance(0.5);
    case 'array': return depth > 3 ? [] : Array.from({ length: int(0, 2) }, () => generate(s.items || {}, name, fx, depth + 1));
    case 'object': {
      const out = {};
      for (const [key, sub] of Object.entries(s.properties || {}))
        if ((s.required || []).includes(key) || chance(0.5)) out[key] = generate(sub, key, fx, depth + 1);
      return out;
    }
    default: return null;
  }
}

/// A value the schema refuses, with what was broken; null when none is known.
function violate(schema, name, inQuery = false) {
  const s = resolveSchema(schema);
  if (Array.isArray(s.type)) return null; // several types allowed: no simple violation
  const options = [];
  let type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (!type && s.properties) type = 'object';
  if (s.enum) options.push(['not in enum', 'NOT-A-VALUE']);
  if (type === 'integer' || type === 'number') {
    options.push(['a string for a number', 'seven']);
    if (s.maximum !== undefined) options.push(['above maximum', s.maximum + 1]);
    if (s.minimum !== undefined) options.push(['below minimum', s.minimum - 1]);
    if (s.exclusiveMinimum !== undefined) options.push(['at exclusive minimum', s.exclusiveMinimum]);
    if (type === 'integer') options.push(['a fraction for an integer', 1.5]);
    if (s.multipleOf === 0.01) options.push(['three decimals', 1.005]);
  }
  if (type === 'string') {
    if (!inQuery) options.push(['a number for a string', 12345]); // query values are all text
    if (s.maxLength !== undefined && s.maxLength <= 5000) options.push(['over maxLength', 'x'.repeat(s.maxLength + 1)]);
    if (s.minLength) options.push(['under minLength', '']);
  }
  if (type === 'boolean') options.push(['a string for a boolean', 'yes']);
  if (type === 'array') options.push(['an object for an array', {}]);
  if (type === 'object') options.push(['an array for an object', []]);
  return options.length ? pick(options) : null;
}

/// A request for an operation: valid, or invalid in one documented way.
function buildRequest(op, template, fx, wantInvalid) {
  let invalid = null;
  let target = template.replace(/\{([^}]+)\}/g, (_, name) => {
    const kind = /product|^id$/.test(name) && template.startsWith('/products') ? 'product'
      : template.includes('/orders') || template.includes('/internal/orders') ? 'order'
      : template.startsWith('/payments') ? 'payment'
      : name === 'userId' ? 'user'
      : name === 'key' ? null : 'product';
    const v = kind ? pick(fx.values[kind]) : pick(['products/PROP-1.jpg', 'a/b', 'x']);
    return encodeURIComponent(chance(0.05) ? pick(['%', '..', 'ü', ' ']) : v).replace(/%2F/g, '/');
  });
  const query = [];
  for (const raw of op.parameters || []) {
    const p = checker.resolve(raw);
    if (p.in !== 'query') continue;
    if (wantInvalid && !invalid && chance(0.5)) {
      const v = violate(p.schema, p.name, true);
      if (v) {
        invalid = `query ${p.name}: ${v[0]}`;
        query.push(`${p.name}=${encodeURIComponent(typeof v[1] === 'object' ? 'x' : v[1])}`);
        continue;
      }
    }
    if (p.name === 'userId') continue; // its own rule: another user's id is 403
    if (p.required || chance(0.4)) query.push(`${p.name}=${encodeURIComponent(generate(p.schema, p.name, fx))}`);
  }
  if (query.length) target += '?' + query.join('&');

  let body;
  const media = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
  if (media) {
    const schema = resolveSchema(media.schema);
    let value = generate(media.schema, null, fx);
    if (wantInvalid && !invalid) {
      const fields = Object.keys(schema.properties || {});
      const r = random();
      if (r < 0.15) {
        invalid = 'malformed JSON';
        body = '{"oops":';
      } else if (r < 0.3 && (schema.required || []).length) {
        const field = pick(schema.required);
        invalid = `body without required ${field}`;
        delete value[field];
      } else if (fields.length) {
        const field = pick(fields);
        const v = violate(schema.properties[field], field);
        if (v) {
          invalid = `body ${field}: ${v[0]}`;
          value[field] = v[1];
        }
      }
    }
    if (body === undefined && (op.requestBody.required || invalid || chance(0.8))) body = JSON.stringify(value);
  }
  return { target, body, invalid };
}

/// Credentials for a request, and the kind (none, bad, user, admin, service).
function credentials(op, fx) {
  const access = op['x-access'];
  const r = random();
  const as = (kind) => ({
    kind,
    headers: { none: {}, bad: { Authorization: 'Bearer not.a.token' }, user: { Authorization: `Bearer ${fx.tokens.user}` },
               admin: { Authorization: `Bearer ${fx.tokens.admin}` }, service: { 'X-Service-Token': SERVICE_TOKEN } }[kind],
  });
  if (r < 0.08) return as('none');
  if (r < 0.12) return as('bad');
  if (access === 'user') return as(r < 0.8 ? 'user' : 'admin');
  if (access === 'admin') return as(r < 0.85 ? 'admin' : pick(['user', 'service']));
  if (access === 'internal') return as(r < 0.5 ? 'service' : r < 0.85 ? 'admin' : 'user');
  return as(chance(0.5) ? 'none' : 'user');
}

/// The statuses the access rule allows for these credentials, or null when the
/// caller may pass the guard. Who may call what is the contract's table.
function guardAnswer(access, kind) {
  if (access === 'public') return null;
  if (kind === 'none' || kind === 'bad') return [401];
  if (access === 'user') return kind === 'service' ? [401, 403] : null;
  if (access === 'admin') return kind === 'admin' ? null : [401, 403];
  if (access === 'internal') return kind === 'admin' || kind === 'service' ? null : [403];
  return null;
}

// ---------------------------------------------------------------- the run
async function main() {
  const server = await startServer();
  let exitCode = 0;
  try {
    const fx = await makeFixtures(server);
    // Archiving or refunding the fixtures early would starve the rest of the run.
    const late = new Set(['delete /products/{id}', 'post /orders/{id}/refund', 'post /orders/{id}/ship', 'post /auth/change-password', 'post /auth/reset-password']);
    const ops = checker.operations().filter(({ method, template }) => !NOT_YET_SERVED.has(`${method.toUpperCase()} ${template}`));
    const deadline = Date.now() + seconds * 1000;
    const failures = new Map();
    const stats = { requests: 0, invalid: 0, byStatus: {} };
    while (Date.now() < deadline) {
      const lateAllowed = Date.now() > deadline - seconds * 250;
      for (const { method, template, operation } of ops) {
        if (Date.now() >= deadline) break;
        if (!lateAllowed && late.has(`${method} ${template}`)) continue;
        // Internal routes are called by our own services: probed for 5xx and
        // undocumented answers, but not held to rejecting every malformed field.
        const wantInvalid = chance(0.4) && !operation['x-internal'];
        const req = buildRequest(operation, template, fx, wantInvalid);
        const creds = credentials(operation, fx);
        const res = await send(server.port, method.toUpperCase(), req.target, { body: req.body, headers: creds.headers });
        stats.requests++;
        stats.byStatus[res.status] = (stats.byStatus[res.status] || 0) + 1;
        if (req.invalid) stats.invalid++;
        const problems = [];
        if (res.status === 0) problems.push(`no answer: ${res.body}`);
        else if (res.status >= 500) problems.push(`${res.status}: ${res.body.slice(0, 200)}`);
        else problems.push(...checker.check({ method: method.toUpperCase(), path: req.target.split('?')[0], status: res.status, headers: res.headers, body: res.body }));
        if (req.invalid && res.status >= 200 && res.status < 300) problems.push(`accepted an invalid request (${req.invalid}) with ${res.status}`);
        const guard = guardAnswer(operation['x-access'], creds.kind);
        if (guard && !guard.includes(res.status) && res.status !== 413)
          problems.push(`${operation['x-access']} route answered ${res.status} to ${creds.kind} credentials (expected ${guard.join(' or ')})`);
        for (const p of problems) {
          const key = `${method.toUpperCase()} ${template}: ${p.replace(/\s*— body:.*$/, '')}`;
          if (!failures.has(key)) failures.set(key, `${method.toUpperCase()} ${req.target} ${req.body ? 'body ' + req.body.slice(0, 200) : ''} -> ${res.status} ${res.body.slice(0, 200)}`);
        }
      }
    }
    // The global rules, once per path: a method the path lacks is 405 with Allow,
    // HEAD answers like GET without a body, OPTIONS is a preflight, and an unknown
    // route is 404 {"message":"Not found"}.
    for (const [template, item] of Object.entries(doc.paths)) {
      const ops = Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k));
      if (ops.every((m) => NOT_YET_SERVED.has(`${m.toUpperCase()} ${template}`))) continue;
      const target = buildRequest(item[ops[0]], template, fx, false).target.split('?')[0];
      // A method no template serves on this concrete path (GET /orders/checkout is
      // GET /orders/{id}, not a 405).
      const missing = ['get', 'put', 'post', 'delete', 'patch'].find((m) => !checker.routes.some((r) => r.item[m] && r.regex.test(target)));
      const checks = [];
      if (missing) {
        const res = await send(server.port, missing.toUpperCase(), target, { headers: { Authorization: `Bearer ${fx.tokens.admin}` } });
        if (res.status !== 405 || !res.headers.some(([k]) => k.toLowerCase() === 'allow')) checks.push(`${missing.toUpperCase()} ${target} answered ${res.status}, not 405 with Allow`);
      }
      if (item.get) {
        const headers = { Authorization: `Bearer ${fx.tokens.admin}` };
        const [get, head] = [await send(server.port, 'GET', target, { headers }), await send(server.port, 'HEAD', target, { headers })];
        if (head.status !== get.status || head.body !== '') checks.push(`HEAD ${target} answered ${head.status} with ${head.body.length} bytes; GET answered ${get.status}`);
      }
      const pre = await send(server.port, 'OPTIONS', target, { headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': ops[0].toUpperCase() } });
      if (pre.status !== 204) checks.push(`OPTIONS ${target} answered ${pre.status}, not 204`);
      for (const c of checks) failures.set(`${template}: ${c}`, '');
      stats.requests += 3;
    }
    const unknown = await send(server.port, 'GET', '/no-such-route/at-all');
    if (unknown.status !== 404 || unknown.body !== '{"message":"Not found"}') failures.set(`unknown route answered ${unknown.status} ${unknown.body}`, '');
    console.log(`seed ${initialSeed}: ${stats.requests} requests in ${seconds} s to ${ops.length} operations (${stats.invalid} invalid on purpose); statuses ${JSON.stringify(stats.byStatus)}`);
    if (failures.size) {
      console.log(`${failures.size} distinct problems (replay with seed ${initialSeed}):`);
      for (const [key, example] of failures) console.log(`  ${key}${example ? `\n      e.g. ${example}` : ''}`);
      exitCode = 1;
    } else {
      console.log('no 5xx, no undocumented response, no invalid request accepted');
    }
  } catch (e) {
    console.error(e.stack || String(e));
    console.error(server.output());
    exitCode = 1;
  } finally {
    agent.destroy();
    server.child.kill('SIGTERM');
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
  process.exit(exitCode);
}

main();
