// Shared by the browser tests: Chromium (Debian's /usr/bin/chromium through playwright-core, never a
// downloaded browser), the site under test, the native CLI as the reference, and the page-error checks.
//   ATTNLAB_WEB_URL  the served web/dist (scripts/web.sh test sets it; otherwise a vite preview of
//                    web/dist is started here on a free loopback port)
//   ATTNLAB_MODELS   the folder of model bundles the site was built from (default: models/)
//   ATTNLAB_CLI      the native attnlab command (default: build/native/attnlab)
import { createRequire } from 'node:module';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS = path.resolve(process.env.ATTNLAB_MODELS || path.join(ROOT, 'models'));
export const CLI = process.env.ATTNLAB_CLI || path.join(ROOT, 'build/native/attnlab');
export const SHOTS = path.join(ROOT, 'test-results/browser');
const require = createRequire(path.join(ROOT, 'web/package.json'));
const { chromium } = require('playwright-core');

export const LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

let server = null;
async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** The base URL of the site (starting a preview server if ATTNLAB_WEB_URL is not set). */
export async function siteUrl() {
  if (process.env.ATTNLAB_WEB_URL) return process.env.ATTNLAB_WEB_URL.replace(/\/?$/, '/');
  if (!server) {
    const port = await freePort();
    const web = path.join(ROOT, 'web');
    if (!fs.existsSync(path.join(web, 'dist/index.html'))) throw new Error('web/dist is missing: run scripts/web.sh build');
    const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      { cwd: web, stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    server = { child, url };
  }
  return server.url;
}

export function stopServer() {
  if (server) { server.child.kill(); server = null; }
}

export async function launch() {
  return chromium.launch(LAUNCH);
}

/** A new page that records console errors, uncaught exceptions and requests to other origins. */
export async function openPage(browser, url, viewport = { width: 1200, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  const origin = new URL(url).origin;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`request outside the origin: ${u}`);
  });
  await page.goto(url);
  return { page, context, problems };
}

/** openPage on the page itself (index.html), once its first translation is shown. */
export async function openReady(browser, url, viewport) {
  const session = await openPage(browser, url, viewport);
  await session.page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  return session;
}

/** The page's and its workers' marks and requests on the page's timeline (ms after navigation start): {marks:
 * {name: ms}, requests: [{name, start, end, by: 'page' | 'worker'}]} sorted by start. Only the attnlab:* marks. */
export async function timeline(page) {
  const read = () => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('attnlab:')).map((m) => [m.name, m.startTime]),
    requests: performance.getEntriesByType('resource').map((r) => ({ name: r.name, start: r.startTime, end: r.responseEnd })),
  });
  const own = await page.evaluate(read);
  const marks = Object.fromEntries(own.marks);
  const requests = own.requests.map((q) => ({ ...q, by: 'page' }));
  // A worker's entries are on its own timeline: moved onto the page's.
  for (const w of page.workers()) {
    const theirs = await w.evaluate(read);
    const shift = theirs.origin - own.origin;
    for (const [name, t] of theirs.marks) marks[name] = t + shift;
    for (const q of theirs.requests) requests.push({ name: q.name, start: q.start + shift, end: q.end + shift, by: 'worker' });
  }
  return { marks, requests: requests.sort((a, b) => a.start - b.start) };
}

/** Types `sentence` into the page's input, presses Enter and waits for the translation or the error. */
export async function translateOnPage(page, sentence) {
  await page.fill('#sentence', sentence);
  await whileTranslating(page, () => page.press('#sentence', 'Enter'));
}

/** The models the site was built with (its generated manifest). */
export async function manifest() {
  const response = await fetch(new URL('models/index.json', await siteUrl()));
  return (await response.json()).models;
}

/** The native CLI's translation of `sentence` (the model's known output); extra: e.g. ['--states']. */
export function nativeTranslate(modelName, sentence, beam = 1, extra = []) {
  const out = execFileSync(CLI, ['translate', '--model', path.join(MODELS, modelName), '--beam', String(beam), '--json', ...extra, sentence],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Runs `action` on the page and waits for the next translation or error to be shown. */
export async function whileTranslating(page, action) {
  const before = Number(await page.evaluate(() => document.body.dataset.done || 0));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.done || 0) > n, before, { timeout: 30000 });
}

/** Picks a model in the page's model picker and waits for its first translation (none if already picked). */
export async function pickModel(page, name) {
  if ((await page.inputValue('#model')) === name) return;
  await whileTranslating(page, () => page.selectOption('#model', name));
}

/** One (rows, cols) slice of a native map of shape (rows, cols) or (layers, heads, rows, cols), as a matrix. */
export function nativeSlice(map, layer = 0, head = 0) {
  const [rows, cols] = map.shape.slice(-2);
  const heads = map.shape.length === 4 ? map.shape[1] : 1;
  const offset = (layer * heads + head) * rows * cols;
  return [...Array(rows).keys()].map((r) => map.data.slice(offset + r * cols, offset + (r + 1) * cols));
}

/** Asserts that two matrices have the same shape and agree to `tol`. */
export function assertClose(actual, expected, label, tol = 1e-3) {
  assert.deepEqual([actual.length, actual[0]?.length], [expected.length, expected[0]?.length], `${label}: shape`);
  actual.forEach((row, r) => row.forEach((v, c) =>
    assert.ok(Math.abs(v - expected[r][c]) < tol, `${label}: cell (${r}, ${c}) ${v} vs native ${expected[r][c]}`)));
}

export function assertRowsSumToOne(matrix, label) {
  matrix.forEach((row, r) => {
    const sum = row.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-3, `${label}: row ${r} sums to ${sum}`);
  });
}

/**
 * The labels of every heatmap under `locator` that stick out of their svg or out of the left of the
 * window, each drawn at its widest (bold, as when highlighted). [] when every label is fully visible.
 */
export async function clippedLabels(locator) {
  return locator.locator('svg.heatmap').evaluateAll((svgs) => svgs.flatMap((svg) => {
    const box = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll('.hm-label')];
    labels.forEach((l) => l.classList.add('hl'));
    const out = labels.flatMap((l) => {
      const b = l.getBoundingClientRect();
      const inside = b.left >= box.left - 0.5 && b.right <= box.right + 0.5 && b.top >= box.top - 0.5 &&
        b.bottom <= box.bottom + 0.5 && b.left >= 0;
      return inside ? [] : [`${svg.dataset.map}: "${l.textContent}" at [${b.left}, ${b.right}] x [${b.top}, ${b.bottom}], ` +
        `svg [${box.left}, ${box.right}] x [${box.top}, ${box.bottom}]`];
    });
    labels.forEach((l) => l.classList.remove('hl'));
    return out;
  }));
}

/** The heatmap cells of the page (or of a widget's shadow root) as a matrix of numbers. */
export async function readCells(locator) {
  const cells = await locator.locator('rect.cell').evaluateAll((rects) => rects.map((r) =>
    [Number(r.dataset.row), Number(r.dataset.col), Number(r.dataset.value)]));
  const m = [];
  for (const [r, c, v] of cells) { (m[r] ||= [])[c] = v; }
  return m;
}

/**
 * Registers before/after hooks for a test file: Chromium, the site and its manifest. Returns an object
 * whose browser, url and models are set once the before hook has run.
 */
export function useSite({ before, after }) {
  const site = { browser: null, url: null, models: null };
  before(async () => {
    site.url = await siteUrl();
    site.models = await manifest();
    site.browser = await launch();
  });
  after(async () => { await site.browser?.close(); stopServer(); });
  return site;
}

/** The native CLI's toy-en-fr test split: [{source, target}] (the task's own sentence pairs). */
export function nativeTestPairs(task = 'toy-en-fr') {
  const out = execFileSync(CLI, ['data', '--task', task, '--split', 'test', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out).splits.test;
}

/**
 * The visible text under the document (shadow roots included) that is meant to be translated: every
 * non-empty text node outside [translate="no"], KaTeX, <script>/<style> and elements in another
 * language (lang="…" on the language switch), whose element is rendered. Also aria-label and title.
 */
export async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const skip = (el) => el.closest('[translate="no"], .katex, script, style, .lang-switch');
    const shown = (el) => {
      if (el.closest('[hidden]')) return false;
      const d = el.closest('details:not([open])');
      if (d && !el.closest('summary')) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 || r.height > 0;
    };
    function walk(root) {
      const w = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = w.currentNode; n; n = w.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
          const el = n.parentElement;
          const text = n.textContent.trim();
          if (text && el && !skip(el) && shown(el)) out.push(text);
        } else if (n.nodeType === Node.ELEMENT_NODE) {
          for (const a of ['aria-label', 'title']) if (n.hasAttribute(a) && !skip(n)) out.push(n.getAttribute(a));
          if (n.shadowRoot) walk(n.shadowRoot);
        }
      }
    }
    walk(document.documentElement);
    return out;
  });
}

// Latin words a Chinese reader sees in the primer itself (and names, symbols, file names).
export const KEPT_IN_ZH = new Set(['RNN', 'Seq2Seq', 'GRU', 'LSTM', 'Transformer', 'Aaren', 'Bahdanau', 'Luong', 'softmax', 'Embedding',
  'Context', 'Attention', 'attention', 'Mask', 'VS', 'is', 'all', 'you', 'need', 'multi', 'head', 'Self', 'teacher', 'forcing', 'input', 'feeding',
  'general', 'dot', 'concat', 'scale', 'factor', 'index', 'ISO', 'WebAssembly', 'worker', 'attnlab', 'Bengio', 'TensorFlow', 'pre', 'LN',
  'beam', 'eos', 'unk', 'bos', 'NAME', 'model', 'sentence', 'lang', 'section', 'view', 'widget', 'js', 'translate', 'tanh',
  'Ws', 'Uh', 'Wh', 'eval', 'json', 'not', 'ne', 'pas', 'rouge', 'red', 'the', 'attnlab-widget', 'attnlab-translate']);

/** The strings of `texts` that are not in `lang`: Latin words in zh (beyond the primer's own), Chinese in en. */
export function foreign(texts, lang) {
  if (lang === 'en') return texts.filter((s) => /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/.test(s));
  return texts.filter((s) => (s.match(/[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]/g) || []).some((w) => !KEPT_IN_ZH.has(w) && !w.split('-').every((p) => KEPT_IN_ZH.has(p))));
}
