'use strict';
// Check (3): every response the integration, e2e, PostgreSQL and split suites
// received (tests/support appends them as JSON lines) is one the document allows:
// status, content type, headers and body schema.
//   node validate_exchanges.js EXCHANGE_DIR
const fs = require('fs');
const path = require('path');
const { loadDocument } = require('./lib/openapi');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node validate_exchanges.js EXCHANGE_DIR');
  process.exit(2);
}
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl')) : [];
const checker = loadDocument();
// The tests' API_BASE_PATH runs use /dev, like an API Gateway stage.
const BASE_PATHS = ['/dev'];

let checked = 0;
const failures = new Map(); // problem -> count, so one bug reads as one line
const covered = new Set();
for (const file of files) {
  for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let x;
    try {
      x = JSON.parse(line);
    } catch (e) {
      continue; // a line cut by a test process killed mid-write
    }
    x.path = x.target.split('?')[0]; // as sent: no '..' normalisation
    for (const base of BASE_PATHS)
      if (!checker.matchPath(x.path) && x.path.startsWith(base + '/') && checker.matchPath(x.path.slice(base.length)))
        x.path = x.path.slice(base.length);
    const route = checker.matchPath(x.path);
    if (route) covered.add(`${x.method.toLowerCase() === 'head' ? 'get' : x.method.toLowerCase()} ${route.template} ${x.status}`);
    checked++;
    for (const p of checker.check(x)) {
      const key = p.replace(/ — body: [^]*$/, ''); // one line per problem, with one example body
      if (!failures.has(key)) failures.set(key, { n: 0, example: p.slice(key.length) });
      failures.get(key).n++;
    }
  }
}

// Coverage, to show what the suites exercise: operations with no exchange at all.
const untouched = checker.operations().filter(({ method, template }) => ![...covered].some((c) => c.startsWith(`${method} ${template} `)));
console.log(`${checked} exchanges from ${files.length} test processes checked against the document`);
console.log(`${checker.operations().length - untouched.length} of ${checker.operations().length} operations exercised, ${covered.size} operation/status pairs`);
if (untouched.length) console.log('not exercised by the suites: ' + untouched.map((o) => `${o.method.toUpperCase()} ${o.template}`).join(', '));
if (checked === 0) {
  console.log('no exchanges recorded (no integration suite ran in this ctest run): skipped');
  process.exit(77);
}
if (failures.size) {
  console.log(`${failures.size} distinct problems:`);
  for (const [p, { n, example }] of failures) console.log(`  [${n}x] ${p}${example.slice(0, 400)}`);
  process.exit(1);
}
console.log('every response matches the document');
