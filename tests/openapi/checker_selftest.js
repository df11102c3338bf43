'use strict';
// The response checker must fail on what it exists to catch: each case below is
// an answer the document does not allow, next to one it allows.
const assert = require('assert');
const { loadDocument } = require('./lib/openapi');

const checker = loadDocument();
const H = (extra = []) => [['X-Request-Id', 'abc-1'], ['Content-Type', 'application/json; charset=utf-8'], ...extra];
const health = '{"status":"ok","service":"health-service","timestamp":"2026-02-03T12:00:00.000Z","requestId":"abc-1"}';
const payment = (amount) => `{"paymentId":"PAY-7b9e2c41-0d3a-4f5e-8c21-6a4b2d9e1f37","orderId":"O-3f1c8a2e-5b7d-4e21-9a6f-0c2d4e6f8a10","userId":"u","amount":${amount},"currency":"USD","status":"SUCCESS","provider":"MOCK","createdAt":"2026-02-03T12:05:00.000Z"}`;
const cases = [
  ['allowed: health', { method: 'GET', path: '/health', status: 200, headers: H(), body: health }, true],
  ['allowed: HEAD like GET', { method: 'HEAD', path: '/health', status: 200, headers: H(), body: '' }, true],
  ['allowed: money with two decimals', { method: 'GET', path: '/payments/PAY-1', status: 200, headers: H(), body: payment('109.97') }, true],
  ['allowed: unknown route 404', { method: 'GET', path: '/nope', status: 404, headers: H(), body: '{"message":"Not found"}' }, true],
  ['allowed: wrong method 405 with Allow', { method: 'DELETE', path: '/health', status: 405, headers: H([['Allow', 'GET']]), body: '{"message":"Method not allowed"}' }, true],
  ['status not documented', { method: 'GET', path: '/health', status: 201, headers: H(), body: health }, false],
  ['no X-Request-Id', { method: 'GET', path: '/health', status: 200, headers: [['Content-Type', 'application/json']], body: health }, false],
  ['wrong content type', { method: 'GET', path: '/health', status: 200, headers: H().slice(0, 1).concat([['Content-Type', 'text/html']]), body: health }, false],
  ['undocumented field', { method: 'GET', path: '/health', status: 200, headers: H(), body: health.replace('}', ',"extra":1}') }, false],
  ['timestamp without milliseconds', { method: 'GET', path: '/health', status: 200, headers: H(), body: health.replace('.000Z', 'Z') }, false],
  ['money with float noise', { method: 'GET', path: '/payments/PAY-1', status: 200, headers: H(), body: payment('109.97000000000001') }, false],
  ['money as Boost prints doubles', { method: 'GET', path: '/payments/PAY-1', status: 200, headers: H(), body: payment('1.0997E2') }, false],
  ['payment status outside the enum', { method: 'GET', path: '/payments/PAY-1', status: 200, headers: H(), body: payment('1').replace('"SUCCESS"', '"PAID"') }, false],
  ['error body without message', { method: 'GET', path: '/products/P1', status: 404, headers: H(), body: '{"error":"x"}' }, false],
  ['429 without Retry-After', { method: 'POST', path: '/auth/login', status: 429, headers: H(), body: '{"message":"slow down"}' }, false],
  ['wrong method answered 200', { method: 'DELETE', path: '/health', status: 200, headers: H(), body: health }, false],
];
let failed = 0;
for (const [name, exchange, allowed] of cases) {
  const problems = checker.check(exchange);
  try {
    assert.strictEqual(problems.length === 0, allowed, `${name}: ${problems.join('; ') || 'no problem found'}`);
  } catch (e) {
    failed++;
    console.log('FAIL ' + e.message);
  }
}
console.log(`${cases.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
