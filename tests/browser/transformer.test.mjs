// The page with a Transformer bundle (toy-en-fr-transformer, when the site has it): its three kinds of
// maps per layer and head and as small multiples of all heads, each against the native CLI; its
// one-line description; every label on screen at 375 px and on a desktop.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, siteUrl, stopServer, manifest, nativeTranslate, screenshot, readCells, openReady, translateOnPage,
  nativeSlice, assertClose, assertRowsSumToOne, clippedLabels, MODELS } from './helpers.mjs';

const NAME = 'toy-en-fr-transformer';
const KINDS = ['encoder_self', 'decoder_self', 'cross'];
let browser, url, entry;
before(async () => {
  url = await siteUrl();
  entry = (await manifest()).find((m) => m.name === NAME);
  browser = await launch();
});
after(async () => { await browser?.close(); stopServer(); });

/** The page with the Transformer picked (null, and the test skipped, if the site has no such model). */
async function openTransformer(t, viewport) {
  if (!entry) { t.skip(`${NAME} is not among the site's models (${MODELS})`); return null; }
  return openReady(browser, `${url}?model=${NAME}`, viewport);
}

/** Picks a map kind, a layer and a head ('all' for every head) in the page's map pickers. */
async function show(page, { map, layer, head }) {
  if (map !== undefined) await page.selectOption('#page-hm-map', map);
  if (layer !== undefined) await page.selectOption('#page-hm-layer', String(layer));
  if (head !== undefined) await page.selectOption('#page-hm-head', String(head));
}

/** (rows, cols) of each kind of map, from the native translation's token counts. */
function gridOf(kind, expected) {
  const ts = expected.source_tokens.length, to = expected.output_tokens.length;
  return { encoder_self: [ts, ts], decoder_self: [to, to], cross: [to, ts] }[kind];
}

test('Transformer: the translation is the native one, and every map, layer and head shown is the native map, a (rows x cols) grid of the token counts whose rows sum to 1', async (t) => {
  const session = await openTransformer(t);
  if (!session) return;
  const { page, context, problems } = session;
  for (const sentence of entry.examples.slice(0, 2)) {
    await translateOnPage(page, sentence);
    const expected = nativeTranslate(NAME, sentence);
    assert.equal(await page.textContent('#output'), expected.translation);
    assert.deepEqual(Object.keys(expected.attention).sort(), [...KINDS].sort());
    for (const kind of KINDS) {
      const native = expected.attention[kind];
      const [layers, heads] = native.shape;
      assert.deepEqual(native.shape.slice(2), gridOf(kind, expected), `${kind}: native shape`);
      for (let layer = 0; layer < layers; layer++) {
        for (let head = 0; head < heads; head++) {
          await show(page, { map: kind, layer, head });
          const label = `"${sentence}" ${kind} layer ${layer + 1} head ${head + 1}`;
          const svg = page.locator('#heatmap svg.heatmap');
          assert.deepEqual([Number(await svg.getAttribute('data-rows')), Number(await svg.getAttribute('data-cols'))],
            gridOf(kind, expected), label);
          const cells = await readCells(page.locator('#heatmap'));
          assertClose(cells, nativeSlice(native, layer, head), label);
          assertRowsSumToOne(cells, label);
        }
      }
    }
  }
  await show(page, { map: 'cross', layer: 0, head: 0 });
  await screenshot(page, 'page-transformer');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Transformer: "mean of heads" shows the mean of the native maps of every head, rows summing to 1', async (t) => {
  const session = await openTransformer(t);
  if (!session) return;
  const { page, context, problems } = session;
  const sentence = entry.examples[0];
  await translateOnPage(page, sentence);
  const expected = nativeTranslate(NAME, sentence);
  for (const kind of KINDS) {
    const native = expected.attention[kind];
    const [layers, heads] = native.shape;
    for (let layer = 0; layer < layers; layer++) {
      await show(page, { map: kind, layer, head: 'mean' });
      const label = `${kind} layer ${layer + 1} mean of heads`;
      const slices = [...Array(heads).keys()].map((h) => nativeSlice(native, layer, h));
      const mean = slices[0].map((row, r) => row.map((_, c) => slices.reduce((acc, m) => acc + m[r][c], 0) / heads));
      const cells = await readCells(page.locator('#heatmap'));
      assertClose(cells, mean, label);
      assertRowsSumToOne(cells, label);
      assert.match(await page.locator('#heatmap svg.heatmap').getAttribute('aria-label'), new RegExp(`mean of ${heads} heads`), label);
    }
  }
  await screenshot(page, 'page-transformer-mean-of-heads');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Transformer: switching the map kind, the layer and the head each changes the cells', async (t) => {
  const session = await openTransformer(t);
  if (!session) return;
  const { page, context, problems } = session;
  const read = () => readCells(page.locator('#heatmap'));
  const views = [
    { map: 'cross', layer: 0, head: 0 }, { head: 1 }, { layer: 1 }, { map: 'decoder_self' }, { map: 'encoder_self' },
  ];
  let previous = null;
  for (const view of views) {
    await show(page, view);
    const cells = await read();
    if (previous) assert.notDeepEqual(cells, previous, `after ${JSON.stringify(view)}`);
    previous = cells;
  }
  // The pickers keep the layer and head across kinds: encoder_self is now shown at layer 2, head 2.
  assert.equal(await page.inputValue('#page-hm-layer'), '1');
  assert.equal(await page.inputValue('#page-hm-head'), '1');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Transformer: "all heads" shows one labelled map per head, each that head\'s native map, with values on hover', async (t) => {
  const session = await openTransformer(t);
  if (!session) return;
  const { page, context, problems } = session;
  const sentence = await page.inputValue('#sentence');
  const expected = nativeTranslate(NAME, sentence);
  for (const kind of KINDS) {
    const native = expected.attention[kind];
    const [layers, heads] = native.shape;
    for (let layer = 0; layer < layers; layer++) {
      await show(page, { map: kind, layer, head: 'all' });
      const figures = page.locator('#heatmap .hm-multiples figure.hm-head');
      assert.equal(await figures.count(), heads, `${kind}: one map per head`);
      assert.equal(await page.locator('#heatmap svg.heatmap').count(), heads);
      assert.deepEqual(await figures.locator('figcaption').allTextContents(), [...Array(heads).keys()].map((h) => `head ${h + 1}`));
      for (let head = 0; head < heads; head++) {
        const label = `${kind} layer ${layer + 1}, small map of head ${head + 1}`;
        const figure = figures.nth(head);
        assert.equal(await figure.locator('svg.heatmap').getAttribute('data-head'), String(head));
        const cells = await readCells(figure);
        assert.deepEqual([cells.length, cells[0].length], gridOf(kind, expected), label);
        assertClose(cells, nativeSlice(native, layer, head), label);
        assertRowsSumToOne(cells, label);
      }
    }
  }
  await show(page, { map: 'cross', layer: 0 });
  const second = page.locator('#heatmap figure.hm-head').nth(1);
  const cell = second.locator('rect.cell[data-row="1"][data-col="0"]');
  await cell.hover();
  const tip = second.locator('.hm-tooltip');
  await tip.waitFor({ state: 'visible' });
  assert.ok((await tip.textContent()).includes(Number(await cell.getAttribute('data-value')).toFixed(3)), await tip.textContent());
  await screenshot(page, 'page-transformer-all-heads');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Transformer: the model picker describes it by its layers, heads and width', async (t) => {
  const session = await openTransformer(t);
  if (!session) return;
  const { page, context, problems } = session;
  const m = JSON.parse(fs.readFileSync(path.join(MODELS, NAME, 'config.json'), 'utf8')).model;
  const text = await page.textContent('#model-description');
  assert.ok(text.includes(`Transformer${m.norm_first ? ' (pre-LN)' : ''}, ${m.num_encoder_layers}+${m.num_decoder_layers} layers, ` +
    `${m.num_heads} heads, d=${m.d_model}`), text);
  assert.doesNotMatch(text, /context vector|undefined|null/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Transformer: every label of every map, one head or all heads, is fully visible at 375 px and on a desktop', async (t) => {
  for (const [viewport, name] of [[{ width: 375, height: 800 }, '375px'], [undefined, 'desktop']]) {
    const session = await openTransformer(t, viewport);
    if (!session) return;
    const { page, context, problems } = session;
    for (const sentence of entry.examples) {
      await translateOnPage(page, sentence);
      for (const map of KINDS) {
        for (const head of [0, 'all']) {
          await show(page, { map, layer: 0, head });
          assert.deepEqual(await clippedLabels(page.locator('#heatmap')), [], `${name} "${sentence}" ${map} head ${head}`);
        }
      }
    }
    if (viewport) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= viewport.width);
    await show(page, { map: 'cross', layer: 0, head: 0 });
    await screenshot(page, `page-transformer-${name}`);
    await show(page, { head: 'all' });
    await screenshot(page, `page-transformer-all-heads-${name}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
