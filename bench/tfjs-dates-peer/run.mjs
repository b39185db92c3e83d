// The TensorFlow.js date-conversion-attention example (ported in date_format.js, model.js, train.js;
// Apache-2.0, see their headers) trained in headless Chromium with tfjs-backend-wasm, one thread. The
// page is served from this folder by Playwright's request routing (no server): tfjs's and the wasm
// backend's browser bundles from node_modules/ (`npm ci` here first), then train.js's run().
// Used by scripts/bench-train-browser.mjs; alone: node run.mjs TARGET [CAP_SECONDS]  (e.g. 0.997 2400)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BASE = 'http://tfjs-peer.invalid/';
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const PAGE = `<!doctype html><meta charset="utf-8"><title>tfjs dates peer</title>
<script src="node_modules/@tensorflow/tfjs/dist/tf.min.js"></script>
<script src="node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js"></script>`;

/**
 * Trains the peer in a new page of `browser` to `target` exact match (0..1) or `capSeconds` of training.
 * `log` gets its progress lines. Returns train.js's run() result.
 */
export async function trainPeer(browser, { target, capSeconds = 2400, log = (line) => console.error(line) }) {
  if (!fs.existsSync(path.join(HERE, 'node_modules/@tensorflow/tfjs-backend-wasm'))) {
    throw new Error(`the tfjs peer is not installed: run npm ci in ${HERE}`);
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.route(`${BASE}**`, (route) => {
      const rel = new URL(route.request().url()).pathname.slice(1);
      if (rel === 'index.html') return route.fulfill({ contentType: TYPES['.html'], body: PAGE });
      const file = path.join(HERE, rel);
      if (!file.startsWith(HERE + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ contentType: TYPES[path.extname(file)] || 'application/octet-stream', body: fs.readFileSync(file) });
    });
    page.on('console', (m) => { if (m.text().startsWith('peer: ')) log(m.text()); });
    page.on('pageerror', (e) => log(`peer: page error: ${e.message}`));
    await page.goto(`${BASE}index.html`);
    return await page.evaluate(async ({ base, target, capSeconds }) => {
      globalThis.tf.wasm.setWasmPaths(`${base}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
      const { run } = await import(`${base}train.js`);
      return run({ target, capSeconds, log: (line) => console.log(`peer: ${line}`) });
    }, { base: BASE, target, capSeconds });
  } finally {
    await context.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { launch } = await import('../../tests/browser/helpers.mjs');
  const [target = '0.99', cap = '2400'] = process.argv.slice(2);
  const browser = await launch();
  try {
    console.log(JSON.stringify(await trainPeer(browser, { target: Number(target), capSeconds: Number(cap) })));
  } finally {
    await browser.close();
  }
}
