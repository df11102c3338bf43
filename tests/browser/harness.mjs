// What the browser tests share: the real binary on a free port with a fresh
// DATA_DIR, Debian's Chromium through playwright-core, the email outbox, API
// calls for setting the scene, and the axe-core check of a page.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const ADMIN = { email: 'admin@shop.test', password: 'AdminPass123' };

export function binaryPath() {
  const bin = process.env.CLOUDRETAIL_BIN || join(import.meta.dirname, '../../build/cloudretail');
  if (!existsSync(bin)) throw new Error(`no binary at ${bin}: build first or set CLOUDRETAIL_BIN`);
  return bin;
}

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (p && existsSync(p)) return p;
  throw new Error('Debian chromium is not installed (scripts/setup.sh --test installs it)');
}

/** Seeds the demo catalog, starts `cloudretail serve` on a free port; returns { url, dataDir, stop }. */
export async function startServer(extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudretail-browser-'));
  const env = {
    ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, ...extraEnv,
  };
  const seeded = spawnSync(binaryPath(), ['seed'], { env, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stdout}${seeded.stderr}`);
  const child = spawn(binaryPath(), ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => { if (child.exitCode !== null) resolve(); else child.on('exit', resolve); });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Calls the API directly (for setting the scene, not for what the test checks). */
export async function api(base, method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return json;
}

export async function adminToken(base) {
  return (await api(base, 'POST', 'auth/login', { body: ADMIN })).tokens.accessToken;
}

/** The text part of a MIME message, decoded (quoted-printable or base64). */
function textPart(eml) {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(eml);
  const parts = boundary ? eml.split(`--${boundary[1]}`) : [eml];
  const part = parts.find((p) => /content-type:\s*text\/plain/i.test(p)) || parts[0];
  const split = part.search(/\r?\n\r?\n/);
  const head = part.slice(0, split);
  let body = part.slice(split).trim();
  if (/content-transfer-encoding:\s*base64/i.test(head)) body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    body = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, x) => String.fromCharCode(parseInt(x, 16)));
  return body;
}

/** The Subject header, with RFC 2047 encoded words decoded. */
function subjectOf(eml) {
  const m = /^subject:(.*(?:\r?\n[ \t].*)*)/im.exec(eml);
  if (!m) return '';
  return m[1].replace(/\r?\n[ \t]/g, ' ').trim().replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*/g, (_, charset, enc, text) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, x) => String.fromCharCode(parseInt(x, 16))));
}

/** The newest emailed 6-digit code for `email` ('verification' or 'password reset'),
 *  waiting a little for the outbox. */
export async function emailedCode(dataDir, email, kind = 'verification') {
  const dir = join(dataDir, 'outbox');
  for (let i = 0; i < 100; i++) {
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).sort() : [];
    for (const f of files.reverse()) {
      const eml = readFileSync(join(dir, f), 'utf8');
      const lower = eml.toLowerCase();
      if (!lower.includes(`to: ${email.toLowerCase()}`) && !lower.includes(`<${email.toLowerCase()}>`)) continue;
      if (!subjectOf(eml).toLowerCase().includes(`${kind} code`)) continue;
      const m = /\b(\d{6})\b/.exec(textPart(eml));
      if (m) return m[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code emailed to ${email}`);
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function checkAccessibility(page, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const words = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
    throw new Error(`accessibility violations on ${label}:\n  ${words.join('\n  ')}`);
  }
}

/** A valid 64×64 PNG of one colour, made here, for the image upload. */
export function solidPng(r, g, b) {
  const size = 64;
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;  // bit depth
  header[9] = 2;  // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}
