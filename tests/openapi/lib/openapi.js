'use strict';
// The OpenAPI document as a checker: finds the operation for a request and
// checks a response against it (status, content type, headers, body schema).
const fs = require('fs');
const path = require('path');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const DOCUMENT = path.resolve(__dirname, '../../../services/apidocs/openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

function loadDocument(file = DOCUMENT) {
  const text = fs.readFileSync(file, 'utf8');
  return new Checker(JSON.parse(text));
}

function escapePointer(s) {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

class Checker {
  constructor(doc) {
    this.doc = doc;
    // multipleOfPrecision: 109.97 / 0.01 is 10996.999999999998 in doubles; the exact
    // two-decimal rule on the response text is checked by moneyProblems().
    this.ajv = new Ajv2020({ strict: false, allErrors: true, multipleOfPrecision: 6 });
    addFormats(this.ajv);
    this.ajv.addSchema(doc, 'openapi.json');
    this.validators = new Map();
    this.routes = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      const rest = item['x-rest-parameter'];
      const segments = template.split('/').slice(1);
      const pattern = segments
        .map((s) => {
          const m = /^\{(.+)\}$/.exec(s);
          if (!m) return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          return m[1] === rest ? '(.+)' : '([^/]+)';
        })
        .join('/');
      this.routes.push({ template, item, regex: new RegExp('^/' + pattern + '$'), literals: segments.filter((s) => !s.startsWith('{')).length });
    }
    // Literal segments win over parameters (/products/{id} vs /orders/checkout).
    this.routes.sort((a, b) => b.literals - a.literals);
  }

  /// Every operation: [{method, template, operation}].
  operations() {
    const out = [];
    for (const [template, item] of Object.entries(this.doc.paths))
      for (const method of METHODS) if (item[method]) out.push({ method, template, operation: item[method] });
    return out;
  }

  /// The path item for a concrete path (query excluded), or null.
  matchPath(pathname) {
    for (const r of this.routes) if (r.regex.test(pathname)) return r;
    return null;
  }

  resolve(obj) {
    let seen = 0;
    while (obj && obj.$ref && seen++ < 10) {
      const parts = obj.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      obj = parts.reduce((o, k) => (o ? o[k] : undefined), this.doc);
    }
    return obj;
  }

  validator(pointer) {
    if (!this.validators.has(pointer)) this.validators.set(pointer, this.ajv.compile({ $ref: 'openapi.json#' + pointer }));
    return this.validators.get(pointer);
  }

  /// The JSON pointer of a response's schema for a media type.
  responseSchemaPointer(template, method, status, mediaKey) {
    const raw = this.doc.paths[template][method].responses[status];
    const base = raw.$ref ? raw.$ref.replace(/^#/, '') : `/paths/${escapePointer(template)}/${method}/responses/${status}`;
    return `${base}/content/${escapePointer(mediaKey)}/schema`;
  }

  /// Problems (strings) with one exchange; [] when the document allows it.
  /// x: {method, path, status, headers: [[name, value]], body}
  check(x) {
    const problems = [];
    const method = x.method.toLowerCase();
    const header = (name) => {
      const h = (x.headers || []).find(([k]) => k.toLowerCase() === name.toLowerCase());
      return h ? h[1] : undefined;
    };
    const reqId = header('X-Request-Id');
    if (!reqId || !/^[A-Za-z0-9._:-]{1,128}$/.test(reqId)) problems.push(`X-Request-Id missing or malformed: ${reqId}`);

    // Global rules (the document's info): an unknown route — also any path without
    // the API_BASE_PATH prefix when one is set — is 404 {"message":"Not found"};
    // a body over 1 MiB is 413 and a malformed target 400, before any routing.
    if (x.status === 404 && isNotFound(x.body)) return problems;
    if (x.status === 413 || (x.status === 400 && /Invalid request target/.test(x.body || ''))) return [...problems, ...this.checkErrorBody(x, header)];
    const route = this.matchPath(x.path);
    if (!route) {
      // Global rule: an unknown route is 404 {"message":"Not found"}.
      if (x.status !== 404) problems.push(`no operation for path ${x.path} and status ${x.status} is not 404`);
      else problems.push(...this.checkErrorBody(x, header));
      return problems;
    }
    const opMethod = method === 'head' ? 'get' : method;
    const op = route.item[opMethod];
    if (!op) {
      if (method === 'options') {
        if (x.status !== 204 && x.status !== 404) problems.push(`OPTIONS answered ${x.status}`);
        return problems;
      }
      // Global rule: a wrong method on a known path is 405 with Allow.
      if (x.status !== 405) problems.push(`${x.method} ${route.template} is not documented and answered ${x.status}, not 405`);
      else if (!header('Allow')) problems.push('405 without Allow');
      return problems;
    }
    const statusKey = String(x.status);
    const responses = op.responses;
    const rawResponse = responses[statusKey] || responses[statusKey[0] + 'XX'] || responses.default;
    if (!rawResponse) {
      problems.push(`${x.method} ${route.template}: status ${x.status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
      return problems;
    }
    const response = this.resolve(rawResponse);
    for (const [name, raw] of Object.entries(response.headers || {})) {
      const h = this.resolve(raw);
      const value = header(name);
      if (value === undefined) {
        if (h.required) problems.push(`${x.method} ${route.template} ${x.status}: header ${name} missing`);
        continue;
      }
      if (h.schema && !this.ajv.validate(h.schema.$ref ? { $ref: 'openapi.json' + h.schema.$ref } : h.schema, value))
        problems.push(`${x.method} ${route.template} ${x.status}: header ${name}=${value} breaks its schema`);
    }
    const content = response.content;
    if (method === 'head' || x.status === 204) return problems;
    if (!content) {
      if (x.body) problems.push(`${x.method} ${route.template} ${x.status}: a body where the document has none`);
      return problems;
    }
    const type = (header('Content-Type') || '').split(';')[0].trim().toLowerCase();
    const mediaKey = Object.keys(content).find((k) => k === type || k === '*/*' || (k.endsWith('/*') && type.startsWith(k.slice(0, -1))));
    if (!mediaKey) {
      problems.push(`${x.method} ${route.template} ${x.status}: content type ${type} not documented (${Object.keys(content).join(', ')})`);
      return problems;
    }
    if (mediaKey !== 'application/json' || x.body === undefined || x.body === null) return problems;
    let parsed;
    try {
      parsed = JSON.parse(x.body);
    } catch (e) {
      problems.push(`${x.method} ${route.template} ${x.status}: body is not JSON`);
      return problems;
    }
    const validate = this.validator(this.responseSchemaPointer(route.template, opMethod, rawResponse === responses[statusKey] ? statusKey : 'default', mediaKey));
    if (!validate(parsed))
      problems.push(`${x.method} ${x.path} ${x.status}: body breaks the schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })} — body: ${x.body.slice(0, 300)}`);
    if (route.template !== '/openapi.json') problems.push(...moneyProblems(x.body).map((p) => `${x.method} ${x.path}: ${p}`));
    return problems;
  }

  checkErrorBody(x, header) {
    const type = (header('Content-Type') || '').split(';')[0].trim();
    if (type !== 'application/json') return [`${x.method} ${x.path} ${x.status}: error content type ${type}`];
    try {
      const body = JSON.parse(x.body);
      if (typeof body.message !== 'string') return [`${x.method} ${x.path} ${x.status}: error body without message`];
    } catch (e) {
      return [`${x.method} ${x.path} ${x.status}: error body is not JSON`];
    }
    return [];
  }
}

function isNotFound(body) {
  try {
    const b = JSON.parse(body);
    return b.message === 'Not found' && Object.keys(b).length === 1;
  } catch (e) {
    return false;
  }
}

/// Every number in our JSON is an integer or money: none may carry more than two
/// decimals or an exponent (109.97, never 109.97000000000001 or 1.0997E2).
function moneyProblems(text) {
  const out = [];
  // Numbers outside strings: strip strings first.
  const bare = text.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of bare.matchAll(/-?\d+(?:\.(\d+))?(?:[eE][+-]?\d+)?/g)) {
    if (/[eE]/.test(m[0])) out.push(`number ${m[0]} has an exponent`);
    else if (m[1] && m[1].length > 2) out.push(`number ${m[0]} has more than two decimals`);
  }
  return out;
}

module.exports = { loadDocument, Checker, METHODS, moneyProblems, DOCUMENT };
