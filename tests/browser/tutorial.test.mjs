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
