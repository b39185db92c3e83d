// The page (web/index.html) against the native CLI: same translation, a well-formed attention map,
// model switching, hover and keyboard, bad input, a narrow screen; no console errors anywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, launch, siteUrl, stopServer, manifest, nativeTranslate, screenshot, readCells, pickModel, openReady as open,
  translateOnPage, assertRowsSumToOne, clippedLabels, timeline } from './helpers.mjs';

let browser, url, models;
before(async () => {
  url = await siteUrl();
  models = await manifest();
  browser = await launch();
});
after(async () => { await browser?.close(); stopServer(); });

const openReady = (viewport) => open(browser, url, viewport);

test('every model: type a sentence + Enter gives the native CLI translation and a To x Ts map whose rows sum to 1', async () => {
  const { page, context, problems } = await openReady();
  for (const m of models) {
    await pickModel(page, m.name);
    for (const [i, sentence] of m.examples.slice(0, 2).entries()) {
      await translateOnPage(page, sentence);
      const expected = nativeTranslate(m.name, sentence, 1);
      assert.equal(await page.textContent('#output'), expected.translation || '(empty translation)', `${m.name}: "${sentence}"`);
      if (!expected.attention.cross) {  // the context-vector model: no attention, and the page says so
        assert.equal(await page.locator('#heatmap svg.heatmap').count(), 0, `${m.name}: no map expected`);
        assert.match(await page.textContent('#heatmap .hm-empty'), /no attention map/);
        if (i === 0) await screenshot(page, `page-${m.name}`);
        continue;
      }
      // a Transformer opens on its last layer, mean of heads: compare layer 1, head 1 with the native map's start
      if (expected.attention.cross.shape.length === 4) {
        await page.selectOption('#page-hm-layer', '0');
        await page.selectOption('#page-hm-head', '0');
      }
      const svg = page.locator('#heatmap svg.heatmap');
      const [to, ts] = expected.attention.cross.shape.slice(-2);
      assert.equal(Number(await svg.getAttribute('data-rows')), to);
      assert.equal(Number(await svg.getAttribute('data-cols')), ts);
      const cells = await readCells(page.locator('#heatmap'));
      assert.equal(cells.length, to);
      cells.forEach((row) => assert.equal(row.length, ts));
      assertRowsSumToOne(cells, `${m.name} "${sentence}"`);
      const native = expected.attention.cross.data;
      cells.flat().forEach((v, k) => assert.ok(Math.abs(v - native[k]) < 1e-3, `${m.name}: cell ${k} ${v} vs native ${native[k]}`));
      if (i === 0) await screenshot(page, `page-${m.name}`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('beam search in the page gives the native beam-4 translation', async () => {
  const { page, context, problems } = await openReady();
  const m = models.find((x) => x.name === 'toy-en-fr-bahdanau-gru') || models[0];
  await pickModel(page, m.name);
  await page.selectOption('#beam', '4');
  await page.waitForFunction(() => /beam 4/.test(document.getElementById('meta').textContent));
  await translateOnPage(page, m.examples[0]);
  assert.equal(await page.textContent('#output'), nativeTranslate(m.name, m.examples[0], 4).translation);
  assert.match(await page.textContent('#meta'), /beam 4 .* ms$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('switching the model changes the attention map', { skip: false }, async (t) => {
  if (models.length < 2) return t.skip('needs two models');
  const { page, context, problems } = await openReady();
  const a = models[0], b = models[1];
  await pickModel(page, a.name);
  const mapA = await readCells(page.locator('#heatmap'));
  const labelsA = await page.locator('#heatmap .hm-col-label').allTextContents();
  await pickModel(page, b.name);
  const mapB = await readCells(page.locator('#heatmap'));
  const labelsB = await page.locator('#heatmap .hm-col-label').allTextContents();
  assert.notDeepEqual([mapA, labelsA], [mapB, labelsB]);
  assert.equal(await page.textContent('#output'), nativeTranslate(b.name, b.examples[0]).translation);
  assert.equal(await page.inputValue('#sentence'), b.examples[0]);
  await screenshot(page, 'page-switched-model');
  assert.deepEqual(problems, []);
  await context.close();
});

test('hovering a cell shows its value and highlights its row, column and tokens; keyboard works too', async () => {
  const { page, context, problems } = await openReady();
  const cell = page.locator('#heatmap rect.cell[data-row="1"][data-col="0"]');
  const value = Number(await cell.getAttribute('data-value'));
  await cell.hover();
  const tip = page.locator('#heatmap .hm-tooltip');
  await tip.waitFor({ state: 'visible' });
  assert.ok((await tip.textContent()).includes(value.toFixed(3)), await tip.textContent());
  assert.equal(await page.locator('#heatmap .hm-row-label.hl').getAttribute('data-row'), '1');
  assert.equal(await page.locator('#heatmap .hm-col-label.hl').getAttribute('data-col'), '0');
  await screenshot(page, 'page-hover-cell');
  await page.locator('#heatmap .hm-row-label[data-row="0"]').hover();
  assert.equal(await page.locator('#heatmap .hm-col-label.aligned').count(), 1);
  assert.match(await tip.textContent(), /attends most to/);
  // Keyboard: Tab reaches the map; arrows move the active cell.
  await page.mouse.move(1, 1);
  await page.locator('#heatmap svg').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  const v11 = Number(await page.locator('#heatmap rect.cell[data-row="1"][data-col="1"]').getAttribute('data-value'));
  assert.ok((await tip.textContent()).includes(v11.toFixed(3)));
  assert.deepEqual(problems, []);
  await context.close();
});

test('bad input gives a clear message and the page stays usable', async () => {
  const { page, context, problems } = await openReady();
  const m = models.find((x) => x.task === 'toy-en-fr') || models[0];
  await pickModel(page, m.name);
  const error = page.locator('#error');
  const warning = page.locator('#warning');

  await translateOnPage(page, '');
  assert.ok(await error.isVisible());
  assert.match(await error.textContent(), /empty/i);
  await screenshot(page, 'page-bad-empty');

  await translateOnPage(page, '   ');
  assert.match(await error.textContent(), /empty/i);

  await translateOnPage(page, 'qwxz zzyzx');
  assert.ok(await warning.isVisible());
  assert.match(await warning.textContent(), /None of the words/);
  assert.equal(await page.locator('#source-tokens .tok.unk').count(), 2);
  await screenshot(page, 'page-bad-unknown');

  await translateOnPage(page, 'a'.repeat(5000));
  assert.match(await error.textContent(), /too long \(5000 characters/);
  await screenshot(page, 'page-bad-long');

  await translateOnPage(page, `${m.examples[0].split(' ')[0]} 😀 🐈`);
  assert.ok(await warning.isVisible());
  assert.match(await warning.textContent(), /😀/);
  await screenshot(page, 'page-bad-emoji');

  // Still usable: a good sentence translates as the CLI does, and the messages are gone.
  await translateOnPage(page, m.examples[0]);
  assert.equal(await page.textContent('#output'), nativeTranslate(m.name, m.examples[0]).translation);
  assert.ok(await error.isHidden());
  assert.deepEqual(problems, []);
  await context.close();
});

test('readable at 375 px: nothing wider than the screen except the scrollable map', async () => {
  const { page, context, problems } = await openReady({ width: 375, height: 800 });
  const m = models.find((x) => x.task === 'toy-en-fr') || models[0];
  await pickModel(page, m.name);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 375, `page is ${overflow} px wide`);
  await screenshot(page, 'page-375px');
  assert.deepEqual(problems, []);
  await context.close();
});

test('every row and column label of the map is fully visible, on a desktop and at 375 px', async () => {
  const m = models.find((x) => x.task === 'toy-en-fr' && x.attention !== 'none') || models[0];
  for (const viewport of [undefined, { width: 375, height: 800 }]) {
    const { page, context, problems } = await openReady(viewport);
    await pickModel(page, m.name);
    for (const sentence of m.examples) {
      await translateOnPage(page, sentence);
      assert.deepEqual(await clippedLabels(page.locator('#heatmap')), [], `${m.name}: "${sentence}"`);
    }
    await screenshot(page, `page-labels-${viewport ? '375px' : 'desktop'}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the site is served compressed: the wasm module, the page script and the model list come brotli-encoded and decode to the built bytes', async () => {
  const dist = path.join(ROOT, 'web/dist');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const script = html.match(/src="\.\/(assets\/main-[^"]+\.js)"/)[1];
  for (const file of ['wasm/attnlab.wasm', script, 'models/index.json']) {
    const r = await fetch(new URL(file, url), { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(r.headers.get('content-encoding'), 'br', file);
    assert.equal(r.headers.get('vary'), 'Accept-Encoding', file);
    assert.ok(Number(r.headers.get('content-length')) < 0.9 * fs.statSync(path.join(dist, file)).size, `${file}: not smaller`);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), fs.readFileSync(path.join(dist, file)), `${file}: decoded bytes differ`);
    const plain = await fetch(new URL(file, url), { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null, `${file} without Accept-Encoding`);
  }
  // The page's own fetch of the module (it compiles it while the worker starts) arrived compressed.
  const { page, context, problems } = await openReady();
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('/wasm/attnlab.wasm')));
  assert.ok(wasm && wasm.encodedBodySize > 0 && wasm.encodedBodySize < 0.5 * wasm.decodedBodySize,
    `wasm transferred ${wasm?.encodedBodySize} of ${wasm?.decodedBodySize} bytes`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('index.html starts the one worker before any module: the client takes it over, its script holds the glue, and the wasm is fetched once', async () => {
  const built = fs.readFileSync(path.join(ROOT, 'web/dist/wasm/worker.js'), 'utf8');
  assert.doesNotMatch(built, /from '\.\/attnlab\.mjs'/);
  assert.match(built, /var createAttnlab = /);
  const { page, context, problems } = await openReady();
  assert.equal(page.workers().length, 1, 'one worker');
  assert.equal(await page.evaluate(() => window.attnlabEarly.worker), null, 'the early worker was taken over');
  const workerRequests = await page.workers()[0].evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.deepEqual(workerRequests.filter((n) => /attnlab\.(mjs|wasm)$/.test(n)), []);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/wasm/attnlab.wasm')).length);
  assert.equal(wasm, 1);
  assert.notEqual(await page.locator('#output').textContent(), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('index.html fetches the opening model\'s three files, each once, and hands them to the worker, which asks for none', async () => {
  const { page, context, problems } = await openReady();
  const opening = await page.inputValue('#model');
  const { requests } = await timeline(page);
  const files = requests.filter((r) => r.name.includes(`/models/${opening}/`));
  assert.deepEqual(files.map((r) => `${r.by} ${r.name.split('/').pop()}`).sort(), ['page config.json', 'page model.safetensors', 'page vocab.json']);
  const handed = await page.workers()[0].evaluate(() => performance.getEntriesByName('attnlab:worker:prefetch').map((m) => m.detail));
  assert.deepEqual(handed, [new URL(`models/${opening}/`, url).href]);
  assert.notEqual(await page.locator('#output').textContent(), '');
  assert.deepEqual(problems, []);
  await context.close();
});

test('when index.html\'s fetch of the opening model\'s weights fails, the worker fetches them itself and the page translates', async () => {
  const context = await browser.newContext();
  let refused = 0;
  await context.route('**/models/toy-en-fr-bahdanau-gru/model.safetensors', (route) => {
    if (refused++ === 0) return route.fulfill({ status: 503, body: 'busy' });
    return route.continue();
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  assert.equal(await page.inputValue('#model'), 'toy-en-fr-bahdanau-gru');
  assert.equal(refused, 2, 'asked twice: by index.html (refused), then by the worker');
  const { requests } = await timeline(page);
  assert.deepEqual(requests.filter((r) => r.name.endsWith('/models/toy-en-fr-bahdanau-gru/model.safetensors')).map((r) => r.by).sort(), ['page', 'worker']);
  assert.equal(await page.locator('#output').textContent(), nativeTranslate('toy-en-fr-bahdanau-gru', await page.inputValue('#sentence')).translation);
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('the worker translates the opening sentence as soon as the opening model is loaded, and the page\'s first translation is that result (the native CLI\'s), for §5 and for a URL\'s own sentence', async () => {
  for (const [query, model, sentence] of [['', 'toy-en-fr-bahdanau-gru', null], ['?section=rnn&s=2%207%201', 'reverse-bahdanau-gru', '2 7 1']]) {
    const { page, context, problems } = await open(browser, url + query);
    assert.equal(await page.inputValue('#model'), model, query);
    const shown = await page.inputValue('#sentence');
    if (sentence) assert.equal(shown, sentence, query);
    const { marks } = await timeline(page);
    assert.ok(marks['attnlab:worker:opening'] >= marks['attnlab:worker:loadModelFolder'], `${query}: translated once loaded`);
    assert.ok(marks['attnlab:worker:opening:taken'] >= marks['attnlab:worker:opening'], `${query}: the page's first request took it`);
    assert.equal(await page.textContent('#output'), nativeTranslate(model, shown).translation, query);
    assert.deepEqual(problems, [], query);
    await context.close();
  }
});

test('index.html picks the opening model as the page does (URL model, else the section\'s, else §5\'s) and fetches its files for the worker, each once, with the model list once', async () => {
  const names = models.map((m) => m.name);
  const cases = [['', 'toy-en-fr-bahdanau-gru'], ['?section=self', 'toy-en-fr-transformer'],
    ['?section=self&model=toy-en-fr-context-gru', 'toy-en-fr-context-gru'], ['?section=rnn&model=no-such-model', 'reverse-bahdanau-gru']];
  for (const [query, expected] of cases) {
    assert.ok(names.includes(expected), `${expected} is not among the built models`);
    const { page, context, problems } = await open(browser, url + query);
    assert.equal(await page.inputValue('#model'), expected, query);
    const worker = page.workers()[0];
    const asked = await worker.evaluate(() => performance.getEntriesByName('attnlab:worker:prefetch').map((m) => m.detail));
    assert.deepEqual(asked, [new URL(`models/${expected}/`, url).href], query);
    const { requests } = await timeline(page);
    assert.deepEqual(requests.filter((r) => r.name.includes(`/models/${expected}/`)).map((r) => `${r.by} ${r.name.split('/').pop()}`).sort(),
      ['page config.json', 'page model.safetensors', 'page vocab.json'], query);
    assert.equal(requests.filter((r) => r.name.endsWith('/models/index.json')).length, 1, `${query}: the model list fetched once`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a model list that is missing or unreadable is reported on the page, and no model but the opening one (chosen at build time) is fetched', async () => {
  for (const [label, reply] of [['HTTP 404', { status: 404, body: 'no' }], ['not JSON', { status: 200, contentType: 'application/json', body: '{"models": [' }]]) {
    const context = await browser.newContext();
    await context.route('**/models/index.json', (route) => route.fulfill(reply));
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 30000 });
    const shown = await page.locator('#error').textContent();
    if (label === 'HTTP 404') assert.match(shown, /model list \(HTTP 404\)/);
    else assert.notEqual(shown.trim(), '', label);
    const { requests } = await timeline(page);
    assert.deepEqual(requests.filter((r) => /\/models\/[^/]+\//.test(r.name)).map((r) => r.name.replace(url, '')).sort(),
      ['config.json', 'model.safetensors', 'vocab.json'].map((f) => `models/toy-en-fr-bahdanau-gru/${f}`), label);
    assert.deepEqual(pageErrors, [], label);
    await context.close();
  }
});

test('hashed assets (assets/*-[hash].*) are served immutable and a reload takes them from the cache without asking; index.html, the worker, the wasm and the models are revalidated', async () => {
  const html = fs.readFileSync(path.join(ROOT, 'web/dist/index.html'), 'utf8');
  const script = html.match(/src="\.\/(assets\/main-[^"]+\.js)"/)[1];
  const css = html.match(/href="\.\/(assets\/main-[^"]+\.css)"/)[1];
  for (const file of [script, css]) {
    const r = await fetch(new URL(file, url), { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable', file);
  }
  for (const file of ['', 'index.html', 'wasm/worker.js', 'wasm/attnlab.wasm', 'models/index.json', `models/${models[0].name}/model.safetensors`]) {
    const r = await fetch(new URL(file, url));
    assert.equal(r.status, 200, file);
    assert.equal(r.headers.get('cache-control'), 'no-cache', file || '/');
  }
  const { page, context, problems } = await openReady();
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  const sizes = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('resource').map((e) => [new URL(e.name).pathname, e.transferSize])));
  // transferSize 0: taken from the cache without a request; a revalidation (304) transfers its headers.
  assert.equal(sizes[`/${script}`], 0, `${script} after a reload`);
  assert.ok(sizes['/models/index.json'] > 0, `models/index.json after a reload: ${sizes['/models/index.json']}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the first script the page runs holds no KaTeX: KaTeX comes in a chunk of its own, asked for once the first translation is on screen, and typesets the formula', async () => {
  const assets = path.join(ROOT, 'web/dist/assets');
  const html = fs.readFileSync(path.join(ROOT, 'web/dist/index.html'), 'utf8');
  const entry = html.match(/<script type="module"[^>]*src="\.\/assets\/([^"]+\.js)"/)[1];
  const KATEX = 'KaTeX parse error'; // a string of KaTeX's own code
  const code = (file) => fs.readFileSync(path.join(assets, file), 'utf8');
  const withKatex = fs.readdirSync(assets).filter((f) => f.endsWith('.js') && code(f).includes(KATEX));
  assert.equal(withKatex.length, 1, `KaTeX in ${withKatex.join(', ') || 'no chunk'}`);
  assert.notEqual(withKatex[0], entry);
  const entryBytes = fs.statSync(path.join(assets, entry)).size;
  assert.ok(entryBytes < 32 * 1024, `the first script is ${entryBytes} bytes`);

  const { page, context, problems } = await openReady();
  const opening = await page.inputValue('#model');
  const { marks, requests } = await timeline(page); // the weights are fetched by the worker
  const shown = marks['attnlab:first-translation'];
  const katex = requests.find((r) => r.name.endsWith(`/assets/${withKatex[0]}`));
  const weights = requests.find((r) => r.name.endsWith(`/models/${opening}/model.safetensors`));
  assert.ok(katex && weights, `requests: ${requests.map((r) => r.name).join(', ')}`);
  assert.ok(katex.start >= weights.start, `KaTeX asked for at ${katex.start} ms, the weights at ${weights.start} ms`);
  assert.ok(shown > 0 && katex.start >= shown, `KaTeX asked for at ${katex.start} ms, the first translation shown at ${shown} ms`);
  assert.ok(requests.filter((r) => /KaTeX_.*\.woff2$/.test(r.name)).every((r) => r.start >= shown), 'a KaTeX font asked for before the first translation');
  assert.equal(await page.locator('#formula .katex .katex-mathml math').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});
