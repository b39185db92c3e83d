// The tutorial page: two <attnlab-translate> widgets (the library build, dist/widget/attnlab-widget.js)
// in running prose, each translating as the native CLI does, sharing one worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, siteUrl, stopServer, manifest, nativeTranslate, screenshot, readCells } from './helpers.mjs';

let browser, url, models;
before(async () => {
  url = await siteUrl();
  models = await manifest();
  browser = await launch();
});
after(async () => { await browser?.close(); stopServer(); });

test('the tutorial renders two working widgets', async () => {
  const workers = [];
  const { page, context, problems } = await openPage(browser, new URL('tutorial.html', url).href);
  page.on('worker', (w) => workers.push(w.url()));
  const widgets = page.locator('attnlab-translate');
  assert.equal(await widgets.count(), 2);
  for (let i = 0; i < 2; i++) {
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
