// The tutorial page: three <attnlab-translate> widgets (the library build, dist/widget/attnlab-widget.js)
// in running prose, each translating as the native CLI does, sharing one worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, siteUrl, stopServer, manifest, nativeTranslate, screenshot, readCells } from './helpers.mjs';
import { SECTIONS } from '../../web/src/lib/sections.js';

let browser, url, models;
before(async () => {
  url = await siteUrl();
  models = await manifest();
  browser = await launch();
});
after(async () => { await browser?.close(); stopServer(); });

test('the tutorial renders three working translation widgets (reverse, English→French, English→Chinese)', async () => {
  const workers = [];
  const { page, context, problems } = await openPage(browser, new URL('tutorial.html', url).href);
  page.on('worker', (w) => workers.push(w.url()));
  const widgets = page.locator('attnlab-translate[data-task]');
  assert.equal(await widgets.count(), 3);
  for (let i = 0; i < 3; i++) {
    const w = widgets.nth(i);
    await w.locator('svg.heatmap').waitFor({ timeout: 30000 });
    const name = await w.getAttribute('model');
    const sentence = await w.locator('input').inputValue();
    const expected = nativeTranslate(name, sentence);
    assert.equal(await w.locator('.output').textContent(), expected.translation);
    const cells = await readCells(w);
    // the prose is about an RNN's attention: the widgets show one (Ts-column) map per output token
    assert.equal(models.find((m) => m.name === name).architecture, 'seq2seq', name);
    assert.deepEqual([cells.length, cells[0].length], expected.attention.cross.shape);
  }
  // Editing one widget and pressing Enter re-translates only that widget.
  const w0 = widgets.nth(0);
  const name0 = await w0.getAttribute('model');
  const m0 = models.find((m) => m.name === name0);
  const other = m0.examples[m0.examples.length - 1];
  await w0.locator('input').fill(other);
  await w0.evaluate((el) => { el.dataset.translated = '0'; el.addEventListener('attnlab-translated', () => { el.dataset.translated = '1'; }, { once: true }); });
  await w0.locator('input').press('Enter');
  await page.waitForSelector('attnlab-translate[data-translated="1"]', { timeout: 30000 });
  assert.equal(await w0.locator('.output').textContent(), nativeTranslate(name0, other).translation);
  assert.equal(page.workers().filter((w) => w.url().endsWith('/wasm/worker.js')).length, 1, `workers: ${workers}`);
  await screenshot(page, 'tutorial');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a widget on a narrow screen fits and reports bad input in place', async () => {
  const { page, context, problems } = await openPage(browser, new URL('tutorial.html', url).href, { width: 375, height: 800 });
  const w = page.locator('attnlab-translate').nth(1);
  await w.locator('svg.heatmap').waitFor({ timeout: 30000 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);
  await w.locator('input').fill('');
  await w.locator('input').press('Enter');
  await w.locator('.error').waitFor({ state: 'visible' });
  assert.match(await w.locator('.error').textContent(), /empty/);
  await screenshot(page, 'tutorial-375px');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a widget takes lang, section and view: section="transformer" lang="zh" opens the masked decoder map in Chinese; view picks map, layer and head', async (t) => {
  if (!models.some((m) => m.name === 'toy-en-fr-transformer')) return t.skip('no toy-en-fr-transformer');
  const { page, context, problems } = await openPage(browser, new URL('tutorial.html?lang=en', url).href);
  await page.evaluate(() => {
    for (const [id, attrs] of [['w-sec', { section: 'transformer', lang: 'zh' }],
      ['w-view', { model: 'toy-en-fr-transformer', sentence: 'the cats sleep .', view: 'encoder_self:0:2', lang: 'en' }]]) {
      const w = document.createElement('attnlab-translate');
      w.id = id;
      for (const [k, v] of Object.entries(attrs)) w.setAttribute(k, v);
      document.querySelector('main').append(w);
    }
  });
  const sec = page.locator('#w-sec');
  await sec.locator('svg.heatmap').waitFor({ timeout: 30000 });
  const sentence = await sec.locator('input').inputValue();
  assert.equal(sentence, 'the small cat does not eat the red apple .');
  assert.equal(await sec.locator('.output').textContent(), nativeTranslate('toy-en-fr-transformer', sentence).translation);
  assert.equal(await sec.locator('select[id$="-map"]').inputValue(), 'decoder_self');
  assert.equal(await sec.locator('button[type="submit"]').textContent(), '翻译');
  assert.ok((await sec.locator('rect.cell.masked').count()) > 0);
  const view = page.locator('#w-view');
  await view.locator('svg.heatmap').waitFor({ timeout: 30000 });
  assert.deepEqual([await view.locator('select[id$="-map"]').inputValue(), await view.locator('select[id$="-layer"]').inputValue(),
    await view.locator('select[id$="-head"]').inputValue()], ['encoder_self', '0', '2']);
  const native = nativeTranslate('toy-en-fr-transformer', 'the cats sleep .').attention.encoder_self;
  const [, heads, n] = native.shape;
  const cells = await readCells(view);
  const off = 2 * n * n;
  cells.flat().forEach((v, k) => assert.ok(Math.abs(v - native.data[off + k]) < 1e-5, `cell ${k}`));
  assert.equal(heads > 2, true);
  // lang switches the widget's strings in place
  await view.evaluate((w) => w.setAttribute('lang', 'zh'));
  assert.equal(await view.locator('button[type="submit"]').textContent(), '翻译');
  await screenshot(page, 'tutorial-widget-attributes');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a widget whose model attribute is set after it is on the page names that model in its input\'s label', async () => {
  const { page, context, problems } = await openPage(browser, new URL('tutorial.html?lang=en', url).href);
  await page.evaluate(() => {
    const w = document.createElement('attnlab-translate');
    w.id = 'w-late';
    w.setAttribute('lang', 'en');
    w.setAttribute('sentence', 'the cats sleep .');
    document.querySelector('main').append(w);
    w.setAttribute('model', 'toy-en-fr-bahdanau-gru');
  });
  const w = page.locator('#w-late');
  await w.locator('svg.heatmap').waitFor({ timeout: 30000 });
  assert.equal(await w.locator('input').getAttribute('aria-label'), 'Sentence to translate with toy-en-fr-bahdanau-gru');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a widget with section="embedding" steps through greedy decoding (the native tokens, attention rows and raw scores); section="scores" draws the module\'s saturation demo', async (t) => {
  const s = SECTIONS.find((x) => x.id === 'embedding');
  if (!models.some((m) => m.name === s.model)) return t.skip(`no ${s.model}`);
  const { page, context, problems } = await openPage(browser, new URL('tutorial.html?lang=en', url).href);
  const w = page.locator('#widget-steps');
  await w.locator('.step-top').waitFor({ timeout: 30000 });
  assert.equal(await w.locator('input').inputValue(), s.sentence);
  const native = nativeTranslate(s.model, s.sentence);
  const [to, ts] = native.attention.cross.shape;
  assert.equal(await w.locator('.output').textContent(), native.translation);
  for (let i = 0; i < to; i++) {
    if (i > 0) await w.locator('#step-forward').click();
    assert.equal(await w.locator('.step-input').textContent(), i === 0 ? '<bos>' : native.output_tokens[i - 1], `step ${i + 1}: fed back`);
    assert.equal(await w.locator('.step-top tr.chosen .step-token').textContent(), native.output_tokens[i], `step ${i + 1}: output`);
    const row = await w.locator('.step-cell').evaluateAll((cs) => cs.map((c) => Number(c.dataset.value)));
    const scores = await w.locator('.step-scores td[data-score]').evaluateAll((cs) => cs.map((c) => Number(c.dataset.score)));
    for (let j = 0; j < ts; j++) {
      assert.ok(Math.abs(row[j] - native.attention.cross.data[i * ts + j]) < 1e-5, `step ${i + 1} weight ${j}`);
      const e = native.scores.cross.data[i * ts + j];
      assert.ok(Math.abs(scores[j] - e) < 1e-5 * Math.max(1, Math.abs(e)), `step ${i + 1} score ${j}: ${scores[j]} vs ${e}`);
    }
  }
  assert.ok(await w.locator('#step-forward').isDisabled());
  // a language switch keeps the step
  await w.evaluate((el) => el.setAttribute('lang', 'zh'));
  assert.equal(await w.locator('#step-position').textContent(), `第 ${to} 步，共 ${to} 步`);
  await page.evaluate(() => {
    const x = document.createElement('attnlab-translate');
    x.id = 'w-sat';
    x.setAttribute('section', 'scores');
    x.setAttribute('lang', 'en');
    document.querySelector('main').append(x);
  });
  const sat = page.locator('#w-sat');
  await sat.locator('.sat-table').waitFor({ timeout: 30000 });
  const rows = await sat.locator('.sat-table tr[data-dk]').evaluateAll((rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
  const points = await sat.locator('circle.sat-pt').evaluateAll((cs) => cs.map((c) => [c.dataset.series, Number(c.dataset.dk), Number(c.dataset.value)]));
  // the same numbers as the page's §6 demo (which primer.test.mjs compares with the module's softmaxSaturation)
  const pageView = await context.newPage();
  await pageView.goto(new URL('index.html?section=scores&lang=en', url).href);
  await pageView.waitForSelector('#extra .sat-table', { timeout: 60000 });
  assert.deepEqual(rows, await pageView.locator('#extra .sat-table tr[data-dk]').evaluateAll((rs) => rs.map((r) => [...r.cells].map((c) => c.textContent))));
  assert.deepEqual(points, await pageView.locator('#extra circle.sat-pt').evaluateAll((cs) => cs.map((c) => [c.dataset.series, Number(c.dataset.dk), Number(c.dataset.value)])));
  assert.equal(rows.length, 6);
  const unscaled = points.filter((p) => p[0] === 'entropyUnscaled').map((p) => p[2]);
  for (let i = 1; i < unscaled.length; i++) assert.ok(unscaled[i] < unscaled[i - 1]);
  assert.ok(Number(rows.at(-1)[1]) > 0.9 && Number(rows.at(-1)[2]) < 0.6);
  await screenshot(page, 'tutorial-widget-steps-saturation');
  assert.deepEqual(problems, []);
  await context.close();
});
