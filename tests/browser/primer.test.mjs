// The path through the primer: each section opens on its model, sentence and map with its formula
// typeset by KaTeX; §2 puts the context-vector model beside Bahdanau's with the task's own reference
// and right/wrong marks, and charts every model's exact match from its eval.json; the page's state
// (model, sentence, section, view) lives in the URL; errors clear stale output and tell the module's limits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openReady, screenshot, useSite, nativeTranslate, nativeTestPairs, readCells, assertClose, translateOnPage,
  whileTranslating, nativeSlice, MODELS } from './helpers.mjs';
import { SECTIONS, ADJECTIVE_SWAP } from '../../web/src/lib/sections.js';
import { fixed } from '../../web/src/lib/format.js';

const site = useSite({ before, after });
const has = (name) => site.models.some((m) => m.name === name);

async function openSection(page, s) {
  await whileTranslating(page, () => page.click(`nav#sections a[data-section="${s.id}"]`));
  if (s.chart) await page.waitForSelector('#chart[data-ready="true"]');
}

test('the page opens on §5 with Bahdanau\'s model and the adjective-swap sentence, its cross-attention the native map', async () => {
  const { page, context, problems } = await openReady(site.browser, site.url);
  assert.equal(await page.inputValue('#model'), 'toy-en-fr-bahdanau-gru');
  assert.equal(await page.inputValue('#sentence'), ADJECTIVE_SWAP);
  assert.equal(await page.getAttribute('#formula', 'data-section'), 'attention');
  const native = nativeTranslate('toy-en-fr-bahdanau-gru', ADJECTIVE_SWAP);
  assert.equal(await page.textContent('#output'), native.translation);
  const [to, ts] = native.attention.cross.shape;
  const expected = [...Array(to).keys()].map((r) => native.attention.cross.data.slice(r * ts, (r + 1) * ts));
  assertClose(await readCells(page.locator('#heatmap')), expected, 'opening map', 1e-5);
  assert.deepEqual(problems, []);
  await context.close();
});

test('every section typesets its formula with KaTeX and opens its model, sentence and map', async () => {
  for (const viewport of [{ width: 1280, height: 900 }, { width: 375, height: 800 }]) {
    for (const lang of ['en', 'zh']) {
      const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=${lang}`, viewport);
      for (const s of SECTIONS) {
        await openSection(page, s);
        assert.ok(await page.locator('#formula .katex .katex-mathml math').count() === 1, `${s.id}: KaTeX MathML`);
        assert.ok(await page.locator('#formula .katex-html').count() === 1, `${s.id}: KaTeX HTML`);
        if (!has(s.model)) continue;
        assert.equal(await page.inputValue('#model'), s.model, s.id);
        assert.equal(await page.inputValue('#sentence'), s.sentence, s.id);
        if (s.view) {
          assert.equal(await page.inputValue('#page-hm-map'), s.view.name, s.id);
          if (s.view.head === 'grid') assert.ok(await page.locator('#heatmap .hm-grid').count() === 1);
        }
        if (s.pair && has(s.pair)) assert.equal(await page.getAttribute('#pair-output', 'data-model'), s.pair);
        if (viewport.width === 375) {
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(wide <= 375, `${s.id}: page ${wide} px wide at 375`);
        }
        await screenshot(page, `section-${s.id}-${lang}-${viewport.width}`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});

test('a link to a section (?section=) opens it on its model, sentence and map, as its nav link does', async () => {
  for (const s of SECTIONS.filter((x) => has(x.model))) {
    const { page, context, problems } = await openReady(site.browser, `${site.url}?section=${s.id}`);
    assert.equal(await page.getAttribute('#formula', 'data-section'), s.id);
    assert.equal(await page.inputValue('#model'), s.model, s.id);
    assert.equal(await page.inputValue('#sentence'), s.sentence, s.id);
    if (s.view) assert.equal(await page.inputValue('#page-hm-map'), s.view.name, s.id);
    if (s.view?.head) assert.equal(await page.inputValue('#page-hm-head'), String(s.view.head), s.id);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a Transformer opens on its last layer, mean of heads; the map, layer and head survive a new translation and a reload of the URL', async (t) => {
  if (!has('toy-en-fr-transformer')) return t.skip('no toy-en-fr-transformer');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?model=toy-en-fr-transformer`);
  const layers = nativeTranslate('toy-en-fr-transformer', ADJECTIVE_SWAP).attention.cross.shape[0];
  assert.equal(await page.inputValue('#page-hm-layer'), String(layers - 1));
  assert.equal(await page.inputValue('#page-hm-head'), 'mean');
  await page.selectOption('#page-hm-map', 'decoder_self');
  await page.selectOption('#page-hm-layer', '0');
  await page.selectOption('#page-hm-head', '1');
  await translateOnPage(page, 'the cats sleep .');
  assert.deepEqual([await page.inputValue('#page-hm-map'), await page.inputValue('#page-hm-layer'), await page.inputValue('#page-hm-head')],
    ['decoder_self', '0', '1']);
  const link = page.url();
  const { page: again, context: c2 } = await openReady(site.browser, link);
  assert.equal(await again.inputValue('#model'), 'toy-en-fr-transformer');
  assert.equal(await again.inputValue('#sentence'), 'the cats sleep .');
  assert.deepEqual([await again.inputValue('#page-hm-map'), await again.inputValue('#page-hm-layer'), await again.inputValue('#page-hm-head')],
    ['decoder_self', '0', '1']);
  assert.deepEqual(await readCells(again.locator('#heatmap')), await readCells(page.locator('#heatmap')));
  // the decoder's masked cells are drawn as masked (hatched), exactly the cells above the diagonal
  const masked = await again.locator('#heatmap rect.cell.masked').evaluateAll((rs) => rs.map((r) => [Number(r.dataset.row), Number(r.dataset.col)]));
  const n = Number(await again.getAttribute('#heatmap svg.heatmap', 'data-rows'));
  assert.equal(masked.length, (n * (n - 1)) / 2);
  assert.ok(masked.every(([r, c]) => c > r));
  assert.ok(await again.locator('#heatmap rect.cell.masked').first().evaluate((r) => r.getAttribute('fill').startsWith('url(#hatch')));
  await screenshot(again, 'state-reloaded');
  assert.deepEqual(problems, []);
  await c2.close();
  await context.close();
});

test('§2: the context-vector model beside Bahdanau\'s on a long test sentence; the reference is the task\'s own and each token is marked against it', async (t) => {
  if (!has('toy-en-fr-context-gru') || !has('toy-en-fr-bahdanau-gru')) return t.skip('needs both toy-en-fr GRU models');
  const s = SECTIONS.find((x) => x.id === 'seq2seq');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?section=seq2seq`);
  const pairs = nativeTestPairs().filter((p) => { const n = p.source.split(' ').length; return n >= 18 && n <= 25; }).slice(0, 2);
  assert.ok(pairs.length === 2);
  for (const sentence of [s.sentence, ...pairs.map((p) => p.source)]) {
    await translateOnPage(page, sentence);
    const reference = await page.textContent('#reference-text');
    const pair = pairs.find((p) => p.source === sentence);
    if (pair) assert.equal(reference, pair.target, `the reference of "${sentence}" is the test split's French`);
    for (const [name, marks] of [['toy-en-fr-context-gru', '#marks'], ['toy-en-fr-bahdanau-gru', '#pair-marks']]) {
      const native = nativeTranslate(name, sentence);
      const out = native.output_tokens.filter((x) => x !== '<eos>');
      const ref = reference.split(' ');
      const shown = await page.locator(`${marks} .tok`).evaluateAll((els) => els.map((e) => [e.textContent, e.dataset.right === 'true']));
      assert.deepEqual(shown, out.map((tok, i) => [tok, tok === ref[i]]), `${name}: "${sentence}"`);
    }
    // Bahdanau's map beside it is the native map
    const native = nativeTranslate('toy-en-fr-bahdanau-gru', sentence).attention.cross;
    const [to, ts] = native.shape;
    assertClose(await readCells(page.locator('#pair-heatmap')), [...Array(to).keys()].map((r) => native.data.slice(r * ts, (r + 1) * ts)),
      'Bahdanau beside', 1e-5);
    assert.equal(await page.locator('#heatmap .hm-empty').count(), 1, 'the context model has no map, and says so');
  }
  assert.ok(s.sentence.split(' ').length >= 18 && s.sentence.split(' ').length <= 25);
  assert.deepEqual(problems, []);
  await context.close();
});

test('§2: the chart shows the exact match by source length of every model of the section\'s task with an eval.json, equal to the file', async () => {
  const { page, context, problems } = await openReady(site.browser, `${site.url}?section=seq2seq`);
  await page.waitForSelector('#chart[data-ready="true"]');
  const shown = await page.locator('#chart circle.pt').evaluateAll((cs) => cs.map((c) =>
    [c.dataset.model, Number(c.dataset.min), Number(c.dataset.max), Number(c.dataset.value)]));
  const task = site.models.find((m) => m.name === 'toy-en-fr-context-gru').task;
  const expected = site.models.filter((m) => m.task === task && fs.existsSync(path.join(MODELS, m.name, 'eval.json'))).flatMap((m) =>
    JSON.parse(fs.readFileSync(path.join(MODELS, m.name, 'eval.json'), 'utf8')).buckets.map((b) => [m.name, b.min_len, b.max_len, b.exact_match]));
  assert.ok(expected.length > 0);
  assert.deepEqual(shown, expected);
  // each point is drawn at its value: a higher exact match is higher on the chart
  const ys = await page.locator('#chart circle.pt').evaluateAll((cs) => cs.map((c) => [Number(c.dataset.value), Number(c.getAttribute('cy'))]));
  for (const [v1, y1] of ys) for (const [v2, y2] of ys) if (v1 > v2 + 1e-9) assert.ok(y1 < y2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an error clears the previous translation and map; the limits told are the module\'s, in characters and tokens', async () => {
  const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=en`);
  const limits = await page.evaluate(() => window.attnlabClient.limits());
  assert.match(await page.textContent('#sentence-hint'), new RegExp(`${limits.maxChars} characters and ${limits.maxTokens} tokens`));
  for (const [bad, said] of [
    ['a'.repeat(limits.maxChars + 1), new RegExp(`\\(${limits.maxChars + 1} characters\\); at most ${limits.maxChars} characters and ${limits.maxTokens} tokens`)],
    [Array(limits.maxTokens + 1).fill('a').join(' '), new RegExp(`\\(${2 * limits.maxTokens + 1} characters, ${limits.maxTokens + 1} tokens\\)`)],
    ['   ', /empty/],
  ]) {
    await translateOnPage(page, ADJECTIVE_SWAP);
    assert.ok((await page.textContent('#output')).length > 0);
    assert.equal(await page.locator('#heatmap svg.heatmap').count(), 1);
    await translateOnPage(page, bad);
    assert.match(await page.textContent('#error'), said);
    assert.equal(await page.textContent('#output'), '');
    assert.equal(await page.locator('#heatmap *').count(), 0);
    assert.equal(await page.textContent('#source-tokens'), '');
  }
  // the token limit applies as told: exactly maxTokens tokens translate
  await translateOnPage(page, Array(limits.maxTokens).fill('a').join(' '));
  assert.ok(await page.locator('#error').isHidden());
  assert.deepEqual(problems, []);
  await context.close();
});

test('character-level maps show a space as ␣, and every map has a data-table alternative', async (t) => {
  const m = site.models.find((x) => x.task === 'dates' && x.architecture === 'seq2seq');
  if (!m) return t.skip('no character-level seq2seq model');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?model=${m.name}&lang=en`);
  await translateOnPage(page, m.examples[0]);
  const labels = await page.locator('#heatmap .hm-col-label').allTextContents();
  const native = nativeTranslate(m.name, m.examples[0]);
  assert.deepEqual(labels, native.source_tokens.map((x) => (x === ' ' ? '␣' : x)));
  assert.ok(labels.includes('␣'));
  assert.equal(await page.getAttribute('#heatmap svg.heatmap', 'role'), 'img');
  await page.click('#heatmap details.hm-table summary');
  const cells = await page.locator('#heatmap details.hm-table td').allTextContents();
  const flat = (await readCells(page.locator('#heatmap'))).flat().map((v) => v.toFixed(3));
  assert.deepEqual(cells, flat);
  assert.equal(await page.locator('#result[aria-live]').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('§3: stepping forward through greedy decoding shows the native greedy tokens, each fed back as the next input, with the native attention rows, their raw scores and the top 5', async () => {
  const s = SECTIONS.find((x) => x.id === 'embedding');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?section=embedding&lang=en`);
  for (const sentence of [s.sentence, 'the big dog sees the small cat .']) {
    await translateOnPage(page, sentence);
    const native = nativeTranslate(s.model, sentence);
    const [to, ts] = native.attention.cross.shape;
    assert.equal(await page.textContent('#step-position'), `Step 1 of ${to}`);
    assert.ok(await page.isDisabled('#step-back'));
    for (let i = 0; i < to; i++) {
      if (i > 0) await page.click('#step-forward');
      assert.equal(await page.getAttribute('#extra', 'data-step'), String(i));
      assert.equal(await page.textContent('#extra .step-input'), i === 0 ? '<bos>' : native.output_tokens[i - 1], `step ${i + 1}: fed back`);
      const top = await page.locator('#extra .step-top tr:not(:first-child)').evaluateAll((rows) => rows.map((r) =>
        [r.querySelector('.step-token').textContent, Number(r.querySelector('[data-probability]').dataset.probability)]));
      assert.equal(top.length, 5);
      assert.equal(top[0][0], native.output_tokens[i], `step ${i + 1}: the output is the most likely token`);
      top.slice(1).forEach(([, p], k) => assert.ok(p <= top[k][1]));
      const row = await page.locator('#extra .step-cell').evaluateAll((cs) => cs.map((c) => Number(c.dataset.value)));
      assertClose([row], [native.attention.cross.data.slice(i * ts, (i + 1) * ts)], `step ${i + 1}: attention row`, 1e-5);
      const scores = await page.locator('#extra .step-scores td[data-score]').evaluateAll((cs) => cs.map((c) => Number(c.dataset.score)));
      assertScores(scores, nativeRow(native.scores.cross, i), `step ${i + 1}: raw scores`);
      assert.equal(await page.textContent('#step-output'), native.output_tokens.slice(0, i + 1).join(' '));
    }
    assert.ok(await page.isDisabled('#step-forward'));
    await page.click('#step-back');
    assert.equal(await page.getAttribute('#extra', 'data-step'), String(to - 2));
  }
  await screenshot(page, 'section-embedding-steps');
  assert.deepEqual(problems, []);
  await context.close();
});

test('§6: the saturation demo draws the module\'s numbers: without ÷√d_k the softmax saturates as d_k grows, with it it does not', async () => {
  const { page, context, problems } = await openReady(site.browser, `${site.url}?section=scores&lang=en`);
  await page.waitForSelector('#extra .sat-chart');
  const module = await page.evaluate(() => window.attnlabClient.softmaxSaturation([1, 4, 16, 64, 256, 1024], { nKeys: 10, trials: 200, seed: 1 }));
  const shown = await page.locator('#extra circle.sat-pt').evaluateAll((cs) => cs.map((c) => [c.dataset.series, Number(c.dataset.dk), Number(c.dataset.value)]));
  const expected = ['entropyUnscaled', 'entropyScaled'].flatMap((k) => module.map((p) => [k, p.dK, p[k]]));
  assert.deepEqual(shown, expected);
  const rows = await page.locator('#extra .sat-table tr[data-dk]').evaluateAll((rs) => rs.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.deepEqual(rows, module.map((p) => [String(p.dK), p.maxWeightUnscaled.toFixed(3), p.maxWeightScaled.toFixed(3)]));
  for (let i = 1; i < module.length; i++) assert.ok(module[i].entropyUnscaled < module[i - 1].entropyUnscaled);
  assert.ok(module.at(-1).maxWeightUnscaled > 0.9 && module.at(-1).maxWeightScaled < 0.6);
  assert.deepEqual(problems, []);
  await context.close();
});

test('§10: every layer x head of the Transformer as a grid of small native maps; a click opens one large', async (t) => {
  if (!has('toy-en-fr-transformer')) return t.skip('no toy-en-fr-transformer');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?section=multihead&lang=en`);
  const native = nativeTranslate('toy-en-fr-transformer', ADJECTIVE_SWAP);
  for (const kind of ['cross', 'decoder_self']) {
    if (kind !== 'cross') await page.selectOption('#page-hm-map', kind);
    if ((await page.inputValue('#page-hm-head')) !== 'grid') await page.selectOption('#page-hm-head', 'grid');
    const map = native.attention[kind];
    const [layers, heads, rows, cols] = map.shape;
    const thumbs = page.locator('#heatmap .hm-thumb');
    assert.equal(await thumbs.count(), layers * heads);
    for (let l = 0; l < layers; l++) {
      for (let h = 0; h < heads; h++) {
        const thumb = page.locator(`#heatmap .hm-thumb[data-layer="${l}"][data-head="${h}"]`);
        const values = await thumb.locator('rect').evaluateAll((rs) => rs.map((r) => Number(r.dataset.value)));
        const expected = nativeSlice(map, l, h);
        assertClose([values], [expected.flat()], `${kind} thumb layer ${l + 1} head ${h + 1}`, 1e-5);
        if (kind === 'decoder_self') assert.equal(await thumb.locator('rect.masked').count(), (rows * (rows - 1)) / 2);
      }
    }
    await screenshot(page, `section-multihead-grid-${kind}`);
    const l = layers - 1, h = heads - 1;
    await page.click(`#heatmap .hm-thumb[data-layer="${l}"][data-head="${h}"]`);
    assert.equal(await page.inputValue('#page-hm-layer'), String(l));
    assert.equal(await page.inputValue('#page-hm-head'), String(h));
    assertClose(await readCells(page.locator('#heatmap')), nativeSlice(map, l, h), `${kind} opened large`, 1e-5);
    assert.equal(Number(await page.getAttribute('#heatmap svg.heatmap', 'data-cols')), cols);
    assert.match(page.url(), new RegExp(`layer=${l}&head=${h}`));
  }
  assert.deepEqual(problems, []);
  await context.close();
});

/** Whether "YYYY-MM-DD" is a real date within 1900-2099 (the test's own check, independent of the module). */
function realIsoDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = m.slice(1).map(Number);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2099 && dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

test('dates: the formats are listed with an example each; a date gets the right answer and a verdict, a non-date, an impossible date or a year out of range gets the library\'s warning (as `attnlab translate`)', async (t) => {
  const dateModels = site.models.filter((x) => x.task === 'dates');
  if (dateModels.length === 0) return t.skip('no dates model');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=en`);
  const pairs = nativeTestPairs('dates').slice(0, 3);
  for (const m of dateModels) {
    await whileTranslating(page, () => page.selectOption('#model', m.name));
    const cases = [...pairs.map((p) => [p.source, p.target]), ['31 feb 2026', null], ['hello world', null], ['the cat sleeps .', null],
      ['1 jan 2150', null], ['13/13/2026', null]];
    for (const [input, iso] of cases) {
      await translateOnPage(page, input);
      const native = nativeTranslate(m.name, input);
      const out = native.translation;
      assert.equal(await page.textContent('#output'), out);
      assert.ok(await page.isVisible('#dates-note .dates-formats'));
      const formats = await page.locator('#dates-note .dates-format-list li').allTextContents();
      assert.equal(formats.length, 32);
      assert.deepEqual(formats.slice(0, 2), ['D MMM YYYY 24 nov 2026', 'MMMM D, YYYY november 24, 2026']);
      assert.ok(formats.includes('YYYY-MM-DD 2026-11-24') && formats.includes('MMDDYY 112426'));
      // the library's one check: the same line as `attnlab translate` prints
      if (native.date_warning) assert.equal((await page.textContent('#dates-note .dates-warning .data')).trim(), native.date_warning);
      else assert.equal(await page.locator('#dates-note .dates-warning').count(), 0);
      if (input === '1 jan 2150') assert.match(native.date_warning, /year 2150 is outside 1900-2099/);
      if (input === '31 feb 2026') assert.match(native.date_warning, /February 2026 has 28 days/);
      if (iso) {
        assert.equal((await page.textContent('#dates-note .dates-reference .data')).trim(), iso, `${m.name} "${input}"`);
        assert.equal(await page.getAttribute('#dates-note .verdict', 'data-right'), String(out === iso));
        assert.equal(await page.locator('#dates-note .dates-not-date').count(), 0);
      } else {
        assert.equal(await page.locator('#dates-note .dates-not-date').count(), 1, `${m.name} "${input}" is not a date`);
      }
      assert.equal(await page.locator('#dates-note .dates-impossible').count(), realIsoDate(out) ? 0 : 1, `${m.name} "${input}" -> ${out}`);
    }
    await screenshot(page, `dates-${m.name}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('dates: the random date button writes a date of the task (module-drawn, various formats) and translates it', async (t) => {
  const m = site.models.find((x) => x.task === 'dates');
  if (!m) return t.skip('no dates model');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=en&model=${m.name}`);
  const seen = new Set();
  for (let i = 0; i < 4; ++i) {
    await whileTranslating(page, () => page.click('#examples .random-date'));
    const input = await page.inputValue('#sentence');
    seen.add(input);
    const native = nativeTranslate(m.name, input);
    assert.equal(await page.textContent('#output'), native.translation, input);
    assert.equal(await page.locator('#dates-note .dates-not-date').count(), 0, `${input} is a date of the task`);
    assert.ok(realIsoDate((await page.textContent('#dates-note .dates-reference .data')).trim()), input);
  }
  assert.ok(seen.size > 1, [...seen].join(' | '));
  await screenshot(page, 'dates-random');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Row `row` of layer/head of a native map or score map (null, i.e. -inf, as -Infinity). */
function nativeRow(map, row, layer = 0, head = 0) {
  const r = nativeSlice(map, layer, head)[row];
  return r.map((v) => (v === null ? -Infinity : v));
}

async function rowTable(page) {
  return page.locator('#row-detail .row-table tr[data-col]').evaluateAll((rows) => rows.map((r) => ({
    score: Number(r.dataset.score), weight: Number(r.dataset.weight), computed: Number(r.dataset.computed),
    shown: r.cells[1].textContent, exp: Number(r.cells[2].textContent) })));
}

/** Raw scores equal to 1e-5 relative to their size (float32 scores reach ±100), −∞ where masked. */
function assertScores(shown, expected, label) {
  assert.equal(shown.length, expected.length, label);
  shown.forEach((v, i) => {
    if (expected[i] === -Infinity) assert.equal(v, -Infinity, `${label} col ${i}: masked`);
    else assert.ok(Math.abs(v - expected[i]) < 1e-5 * Math.max(1, Math.abs(expected[i])), `${label} col ${i}: ${v} vs native ${expected[i]}`);
  });
}

function assertRow(rows, scores, weights, label) {
  assert.equal(rows.length, scores.length, label);
  rows.forEach((r, i) => {
    if (scores[i] === -Infinity) {
      assert.equal(r.score, -Infinity, `${label} col ${i}: masked`);
      assert.equal(r.shown, '−∞');
      assert.equal(r.exp, 0);
    } else {
      // float32 scores reach ±100 (Luong's general score): 1e-5 relative to the score's size
      assert.ok(Math.abs(r.score - scores[i]) < 1e-5 * Math.max(1, Math.abs(scores[i])), `${label} col ${i}: score ${r.score} vs native ${scores[i]}`);
    }
    assert.ok(Math.abs(r.weight - weights[i]) < 1e-5, `${label} col ${i}: weight ${r.weight} vs native ${weights[i]}`);
    assert.ok(Math.abs(r.computed - weights[i]) < 1e-5, `${label} col ${i}: softmax of the shown scores ${r.computed} vs ${weights[i]}`);
  });
}

test('§5–§6: clicking an output row shows, per source token, the native raw score and weight, the softmax that links them, the model\'s score formula, and the weighted sum of the native encoder states that is the native context vector', async () => {
  for (const [name, formula, notFormula] of [['toy-en-fr-bahdanau-gru', /\\tanh/, /\\sqrt/], ['toy-en-fr-luong-general-gru', /s_t\^\\top W h_i/, /\\tanh\(W s/]]) {
    if (!has(name)) continue;
    const { page, context, problems } = await openReady(site.browser, `${site.url}?section=attention&model=${name}&lang=en`);
    const native = nativeTranslate(name, ADJECTIVE_SWAP, 1, ['--states']);
    assertContextIsWeightedSum(native, name);
    const rows = native.attention.cross.shape[0];
    assert.ok(await page.isVisible('#row-hint'));
    for (const row of [0, rows - 2]) {
      await page.click(`#heatmap .hm-row-label[data-row="${row}"]`);
      assertRow(await rowTable(page), nativeRow(native.scores.cross, row), nativeRow(native.attention.cross, row), `${name} row ${row}`);
      const tex = await page.locator('#row-detail > .formula .katex-mathml annotation').textContent();
      assert.match(tex, formula);
      assert.doesNotMatch(tex, notFormula);
      await assertWeightedSum(page, native, row, `${name} row ${row}`);
    }
    await screenshot(page, `row-detail-${name}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

/** The CLI's context vectors are Σ_i α_{t,i} h_i of its own states and weights, every dimension, to 1e-5. */
function assertContextIsWeightedSum(native, label) {
  const { attention: { cross: a }, states: { cross: h }, context: { cross: c } } = native;
  const [to, ts] = a.shape, d = h.shape[1];
  assert.deepEqual([h.shape, c.shape], [[ts, d], [to, d]], label);
  for (let t = 0; t < to; t++) {
    for (let k = 0; k < d; k++) {
      let sum = 0;
      for (let i = 0; i < ts; i++) sum += a.data[t * ts + i] * h.data[i * d + k];
      assert.ok(Math.abs(sum - c.data[t * d + k]) < 1e-5, `${label}: c[${t}][${k}] ${c.data[t * d + k]} vs Σ α h ${sum}`);
    }
  }
}

/** The row detail's weighted sum: each h_i's first numbers, α_i·h_i, their sum and the model's c_t, against the CLI. */
async function assertWeightedSum(page, native, row, label) {
  const { attention: { cross: a }, states: { cross: h }, context: { cross: c } } = native;
  const [, ts] = a.shape, d = h.shape[1];
  const rows = await page.locator('#row-detail .sum-table tr[data-col]').evaluateAll((rs) => rs.map((r) =>
    ({ state: JSON.parse(r.dataset.vector), weighted: JSON.parse(r.dataset.weighted) })));
  assert.equal(rows.length, ts, label);
  const k = rows[0].state.length;
  assert.ok(k >= 3, `${label}: shows ${k} dimensions`);
  const sum = new Array(k).fill(0);
  rows.forEach((r, i) => {
    const alpha = a.data[row * ts + i];
    const hi = Array.from(h.data.slice(i * d, i * d + k));
    assertClose([r.state], [hi], `${label} h_${i}`, 1e-5);
    assertClose([r.weighted], [hi.map((x) => alpha * x)], `${label} α_${i}·h_${i}`, 1e-5);
    hi.forEach((x, j) => { sum[j] += alpha * x; });
  });
  const shownSum = JSON.parse(await page.getAttribute('#row-detail .sum-table .sum-computed', 'data-values'));
  const shownContext = JSON.parse(await page.getAttribute('#row-detail .sum-table .sum-model', 'data-values'));
  const modelContext = Array.from(c.data.slice(row * d, row * d + k));
  assertClose([shownContext], [modelContext], `${label}: the model's c_t`, 1e-5);
  assertClose([shownSum], [sum], `${label}: Σ α_i h_i shown`, 1e-5);
  assertClose([shownSum], [modelContext], `${label}: Σ α_i h_i = c_t`, 1e-5);
}

test('§5–§6: a Transformer head\'s row: scaled dot-product scores, masked cells of the decoder as −∞ with weight 0; the mean of heads asks for one head', async (t) => {
  if (!has('toy-en-fr-transformer')) return t.skip('no toy-en-fr-transformer');
  const { page, context, problems } = await openReady(site.browser, `${site.url}?model=toy-en-fr-transformer&lang=en`);
  const native = nativeTranslate('toy-en-fr-transformer', ADJECTIVE_SWAP);
  await page.click('#heatmap .hm-row-label[data-row="1"]');
  assert.equal(await page.locator('#row-detail .row-table').count(), 0, 'mean of heads: no table');
  assert.ok((await page.textContent('#row-detail')).includes('Pick one head'));
  for (const [map, layer, head, row] of [['decoder_self', 0, 1, 2], ['cross', 1, 3, 4], ['encoder_self', 1, 0, 3]]) {
    await page.selectOption('#page-hm-map', map);
    await page.selectOption('#page-hm-layer', String(layer));
    await page.selectOption('#page-hm-head', String(head));
    await page.click(`#heatmap .hm-row-label[data-row="${row}"]`);
    const scores = nativeRow(native.scores[map], row, layer, head);
    assertRow(await rowTable(page), scores, nativeRow(native.attention[map], row, layer, head), `${map} L${layer + 1} H${head + 1} row ${row}`);
    if (map === 'decoder_self') assert.equal(scores.filter((v) => v === -Infinity).length, scores.length - row - 1);
    assert.match(await page.locator('#row-detail > .formula .katex-mathml annotation').textContent(), /\\sqrt\{d_k\}/);
  }
  await screenshot(page, 'row-detail-transformer');
  assert.deepEqual(problems, []);
  await context.close();
});

test('§10: a Transformer head\'s row shows, per key, the native raw score qᵀk/√d_k, weight α_i and value vector v_i, and the weighted sum Σ α_i v_i that is the native head output o_t, in zh and en; masked keys are masked, not zeros; the mean of heads offers head 1', async (t) => {
  if (!has('toy-en-fr-transformer')) return t.skip('no toy-en-fr-transformer');
  const native = nativeTranslate('toy-en-fr-transformer', ADJECTIVE_SWAP, 1, ['--states']);
  for (const [lang, valueHeader] of [['zh', '值向量 v_i'], ['en', 'value vector v_i']]) {
    const { page, context, problems } = await openReady(site.browser, `${site.url}?model=toy-en-fr-transformer&lang=${lang}`);
    // the mean of heads: no sum of its own; the offered head 1 opens it
    await page.click('#heatmap .hm-row-label[data-row="2"]');
    assert.equal(await page.locator('#row-detail .sum-table').count(), 0, `${lang}: mean of heads`);
    await page.click('#row-detail button.pick-head');
    assert.equal(await page.inputValue('#page-hm-head'), '0', `${lang}: head 1 picked`);
    await assertHeadSum(page, native, 'cross', native.values.cross.shape[0] - 1, 0, 2, `${lang} mean → head 1`);
    for (const [map, layer, head, row] of [['decoder_self', 0, 1, 2], ['cross', 1, 3, 4], ['encoder_self', 1, 0, 3]]) {
      await page.selectOption('#page-hm-map', map);
      await page.selectOption('#page-hm-layer', String(layer));
      await page.selectOption('#page-hm-head', String(head));
      await page.click(`#heatmap .hm-row-label[data-row="${row}"]`);
      const label = `${lang} ${map} L${layer + 1} H${head + 1} row ${row}`;
      assertRow(await rowTable(page), nativeRow(native.scores[map], row, layer, head), nativeRow(native.attention[map], row, layer, head), label);
      await assertHeadSum(page, native, map, layer, head, row, label);
      assert.ok((await page.locator('#row-detail .sum-table th').allTextContents()).includes(valueHeader), label);
      // a head sums its own value vectors: the note under the weights says so, not "context vector c_t"
      const note = await page.textContent('#row-detail');
      assert.match(note, lang === 'en' ? /The head's output o_t is the weighted sum of its value vectors/ : /这个头的输出 o_t 是各值向量/, label);
      assert.doesNotMatch(note, /c_t/, label);
      if (map === 'decoder_self') await screenshot(page, `row-detail-head-sum-${lang}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  }
});

/** The head's weighted sum on the page against the CLI's values and head_context: v_i, α_i·v_i, Σ, o_t to 1e-5. */
async function assertHeadSum(page, native, map, layer, head, row, label) {
  const weights = nativeRow(native.attention[map], row, layer, head), scores = nativeRow(native.scores[map], row, layer, head);
  const values = nativeSlice(native.values[map], layer, head), output = nativeSlice(native.head_context[map], layer, head)[row];
  const rows = await page.locator('#row-detail .sum-table tr[data-col]').evaluateAll((rs) => rs.map((r) => ({
    masked: r.dataset.masked === 'true', text: r.textContent,
    vector: r.dataset.vector && JSON.parse(r.dataset.vector), weighted: r.dataset.weighted && JSON.parse(r.dataset.weighted) })));
  assert.equal(rows.length, values.length, label);
  const k = rows.find((r) => !r.masked).vector.length;
  assert.ok(k >= 3, `${label}: shows ${k} dimensions`);
  const sum = new Array(k).fill(0);
  rows.forEach((r, i) => {
    if (scores[i] === -Infinity) { // the causal mask: shown as masked, weight 0, no contribution
      assert.ok(r.masked && r.vector === undefined && r.weighted === undefined, `${label} key ${i}: masked`);
      assert.equal(weights[i], 0);
      return;
    }
    assert.ok(!r.masked, `${label} key ${i}: not masked`);
    const v = Array.from(values[i].slice(0, k));
    assertClose([r.vector], [v], `${label} v_${i}`, 1e-5);
    assertClose([r.weighted], [v.map((x) => weights[i] * x)], `${label} α_${i}·v_${i}`, 1e-5);
    v.forEach((x, j) => { sum[j] += weights[i] * x; });
  });
  if (map === 'decoder_self') assert.equal(rows.filter((r) => r.masked).length, rows.length - row - 1, `${label}: the future is masked`);
  const shownSum = JSON.parse(await page.getAttribute('#row-detail .sum-table .sum-computed', 'data-values'));
  const shownOutput = JSON.parse(await page.getAttribute('#row-detail .sum-table .sum-model', 'data-values'));
  const model = Array.from(output.slice(0, k));
  assertClose([shownOutput], [model], `${label}: the head's o_t`, 1e-5);
  assertClose([shownSum], [sum], `${label}: Σ α_i v_i shown`, 1e-5);
  assertClose([shownSum], [model], `${label}: Σ α_i v_i = o_t`, 1e-5);
  const tex = await page.locator('#row-detail .weighted-sum .katex-mathml annotation').textContent();
  assert.match(tex, /o_t = \\sum_i \\alpha_\{t,i\} v_i/, label);
  assert.match(tex, /W\^V/, label);
  assertNoNegativeZero(await page.textContent('#row-detail'), label);
}

/** A tiny negative number is shown as 0.0000, never -0.0000. */
function assertNoNegativeZero(text, label) {
  assert.doesNotMatch(text, /-0\.0000(?!\d)/, `${label}: -0.0000 shown`);
}

test('the row detail prints a tiny negative number as 0.0000, not -0.0000', () => {
  assert.deepEqual([-1e-7, -0, 0, 1.23456, -2.5].map((v) => fixed(v)), ['0.0000', '0.0000', '0.0000', '1.2346', '-2.5000']);
  assertNoNegativeZero(fixed(-4e-5), 'fixed(-4e-5)');
});
