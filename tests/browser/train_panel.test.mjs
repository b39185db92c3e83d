// The Train panel (web/src/lib/train_panel.js): a run started from the panel draws its loss curve and
// redraws the probe's map in place, Stop halts the steps (the export that follows holds the stopped step),
// the three downloaded files translate in `attnlab translate` exactly as "Use this model" does in the
// page's translator, an experiment draws its two runs on one chart (and the attention entropy it plots
// is the entropy of the map on screen), and every string of a finished experiment is in the reader's
// language. Small sizes; no timing is asserted. A run the test stops while it trains draws 20 000–40 000 pairs,
// so that it is still running when Stop comes on a fast machine too (the worker reports at most every 250 ms;
// 3000 pairs at size 16 trained in about a second on an AMD EPYC Zen 5); the runs left to finish draw 1000.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { en } from '../../web/src/lib/messages.js';
import { runOptions } from '../../web/src/lib/train_presets.js';
import { useSite, openReady, CLI, readCells, nativeSlice, assertClose, assertRowsSumToOne, visibleTexts, foreign, SHOTS, translateOnPage,
  whileTranslating } from './helpers.mjs';

const site = useSite({ before, after });

/** Picks a preset in the panel: experiment ('single' or an experiment's id), then task, architecture and sizes. */
async function choose(page, { experiment = 'single', task, arch, size, examples, seed }) {
  await page.selectOption('#train-experiment', experiment);
  if (task) await page.selectOption('#train-task', task);
  if (arch) await page.selectOption('#train-arch', arch);
  if (size) await page.selectOption('#train-size', String(size));
  if (examples) await page.selectOption('#train-examples', String(examples));
  if (seed !== undefined) await page.fill('#train-seed', String(seed));
}

/** A picture of the panel alone, for the reader's eye (test-results/browser/NAME.png). */
async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.locator('#train').screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Opens the page in `lang`, picks `preset` (as choose) and presses Train: {page, context, problems}. */
async function startRun(lang, preset) {
  const session = await openReady(site.browser, `${site.url}?lang=${lang}`);
  await choose(session.page, preset);
  await session.page.click('#train-start');
  return session;
}

/** Waits until the curves hold at least n points. */
const curvePoints = (page, n) => page.waitForFunction((k) => Number(document.querySelector('#train-curves').dataset.points) >= k, n,
  { timeout: 120000 });

const phase = (page, p) => page.waitForSelector(`#train[data-phase="${p}"]`, { timeout: 300000 });

/** The curves' uPlot data: {series: labels, columns: [xs, ...ys]}. */
const plotData = (page) => page.evaluate(() => {
  const u = document.querySelector('#train-curves')._plot;
  return { series: u.series.map((s) => s.label), columns: u.data.map((c) => Array.from(c)) };
});

/** Clicks Export and saves the three downloads into a new temporary folder; returns the folder. */
async function exportBundle(page) {
  const downloads = [];
  const got = new Promise((resolve) => page.on('download', (d) => { downloads.push(d); if (downloads.length === 3) resolve(); }));
  await page.click('#train-export');
  await got;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-panel-'));
  for (const d of downloads) await d.saveAs(path.join(dir, d.suggestedFilename()));
  assert.deepEqual(fs.readdirSync(dir).sort(), ['config.json', 'model.safetensors', 'vocab.json']);
  // a model trained in the page is the reader's own: exported in float32, though most shipped bundles are F16
  const weights = fs.readFileSync(path.join(dir, 'model.safetensors'));
  const header = JSON.parse(weights.subarray(8, 8 + Number(weights.readBigUInt64LE(0))).toString('utf8'));
  const dtypes = new Set(Object.entries(header).filter(([name]) => name !== '__metadata__').map(([, e]) => e.dtype));
  assert.deepEqual([...dtypes], ['F32']);
  return dir;
}

test('a run from the panel draws its loss curve and redraws the probe map in place; Stop halts it, Resume finishes it with the exact match by length', async () => {
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'bahdanau-gru', size: 16, examples: 40000, seed: 2 }); // long enough to be running at Stop
  await page.waitForFunction(() => Number(document.querySelector('#train-heatmap').dataset.updates) >= 3 &&
    Number(document.querySelector('#train-curves').dataset.points) >= 3, null, { timeout: 120000 });
  const early = await readCells(page.locator('#train-heatmap'));
  const updates = Number(await page.getAttribute('#train-heatmap', 'data-updates'));
  await page.waitForFunction((n) => Number(document.querySelector('#train-heatmap').dataset.updates) >= n + 2, updates, { timeout: 120000 });
  // In place: one map in the panel's map container, its weights a distribution per row, and different from before.
  assert.equal(await page.locator('#train-heatmap svg.heatmap').count(), 1);
  const later = await readCells(page.locator('#train-heatmap'));
  assertRowsSumToOne(later, 'probe map');
  assert.equal(later[0].length, '24 nov 2026'.length + 1);
  assert.notDeepEqual(later, early);

  await page.click('#train-stop');
  await phase(page, 'stopped');
  // the 'stopped' event sets the bar to the step the worker stopped at; the export after it has that many steps
  await page.waitForFunction(() => document.querySelector('#train-progress-text').textContent.includes('stopped'));
  const stoppedAt = Number(await page.evaluate(() => document.querySelector('#train-bar').value));
  const dir = await exportBundle(page);
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  assert.equal(config.training.steps, stoppedAt);
  assert.ok(stoppedAt > 0 && stoppedAt < Number(await page.evaluate(() => document.querySelector('#train-bar').max)));
  fs.rmSync(dir, { recursive: true });

  await page.click('#train-resume');
  await phase(page, 'done');
  const { series, columns } = await plotData(page);
  assert.equal(series.length, 3); // step, loss, held-out token accuracy
  const losses = columns[1].filter((v) => v !== null);
  assert.ok(losses.length >= 4, `loss points: ${losses.length}`);
  assert.ok(losses.at(-1) < losses[0], `the loss fell: ${losses[0]} -> ${losses.at(-1)}`);
  const accuracy = columns[2].filter((v) => v !== null);
  assert.ok(accuracy.length >= 1 && accuracy.every((v) => v >= 0 && v <= 1));
  assert.equal(columns[0].at(-1), Number(await page.evaluate(() => document.querySelector('#train-bar').max)));
  // the held-out exact match and the by-length chart
  const exact = await page.locator('#train-result .train-exact').evaluateAll((ps) => ps.map((p) => Number(p.dataset.exact)));
  assert.equal(exact.length, 1);
  assert.ok(exact[0] >= 0 && exact[0] <= 1);
  const points = await page.locator('#train-bylength circle.pt').evaluateAll((cs) => cs.map((c) => Number(c.dataset.value)));
  assert.ok(points.length >= 2, `by-length points: ${points.length}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Use this model" translates in the translator exactly as `attnlab translate` does on the three exported files', async () => {
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'bahdanau-gru', size: 32, examples: 20000, seed: 5 }); // still running at Stop
  await curvePoints(page, 4);
  await page.click('#train-stop');
  await phase(page, 'stopped');
  const dir = await exportBundle(page);
  await page.click('#train-use');
  await page.waitForFunction(() => document.querySelector('#output').dataset.model === 'trained-1', null, { timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('#heatmap svg.heatmap'));
  const sentence = await page.inputValue('#sentence');
  assert.equal(sentence, '24 nov 2026');
  assert.equal(await page.inputValue('#model'), 'trained-1');
  const native = JSON.parse(execFileSync(CLI, ['translate', '--model', dir, '--json', sentence], { encoding: 'utf8' }));
  assert.equal(await page.textContent('#output'), native.translation || en['output.empty']);
  assertClose(await readCells(page.locator('#heatmap')), nativeSlice(native.attention.cross), 'cross', 1e-4);
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the teacher-forcing experiment trains its two runs one after the other and draws both on one chart, every string in zh, then in en', async () => {
  const { page, context, problems } = await startRun('zh', { experiment: 'teacher-forcing', size: 32, examples: 1000, seed: 1 });
  await phase(page, 'done');
  const { series, columns } = await plotData(page);
  assert.equal(series.length, 5); // step, then loss and token accuracy of each run
  assert.match(series[1], /教师强制 1\.0/);
  assert.match(series[3], /教师强制 0\.5/);
  for (const c of [1, 3]) assert.ok(columns[c].filter((v) => v !== null).length >= 2, `${series[c]} has points`);
  assert.equal(await page.locator('#train-curves .u-legend .u-series').count(), 4); // the legend: two series per run
  assert.equal(await page.locator('#train-result .train-exact').count(), 2);
  const models = await page.locator('#train-bylength circle.pt').evaluateAll((cs) => [...new Set(cs.map((c) => c.dataset.model))]);
  assert.deepEqual(models.sort(), ['run-0', 'run-1']);
  assert.deepEqual(foreign(await visibleTexts(page), 'zh'), []);
  await shot(page, 'train-panel-zh');
  await page.click('.lang-switch button[data-lang="en"]');
  assert.deepEqual(foreign(await visibleTexts(page), 'en'), []);
  assert.match((await plotData(page)).series[3], /teacher forcing 0\.5/);
  await shot(page, 'train-panel-en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the scaled vs unscaled experiment plots the attention entropy of the probe map: the last point is the entropy of the map on screen', async () => {
  const { page, context, problems } = await startRun('en', { experiment: 'scaled-vs-unscaled', size: 64, examples: 20000, seed: 1 }); // the first run still runs at Stop
  // the first run (scaled) has trained a few steps; stop it there and read its last point and its map
  await curvePoints(page, 4);
  await page.click('#train-stop');
  await phase(page, 'stopped');
  await page.waitForFunction(() => document.querySelector('#train-progress-text').textContent.includes('stopped'));
  const { series, columns } = await plotData(page);
  assert.equal(series.length, 5);
  assert.match(series[2], /^attention entropy · Luong attention \(scaled dot product\)/);
  assert.match(series[4], /^attention entropy · Luong attention \(multiplicative, dot\)/);
  const entropies = columns[2].filter((v) => v !== null);
  const cells = await readCells(page.locator('#train-heatmap'));
  const expected = cells.reduce((s, row) => s - row.reduce((r, a) => (a > 0 ? r + a * Math.log(a) : r), 0), 0) / cells.length;
  assert.ok(Math.abs(entropies.at(-1) - expected) < 1e-4, `plotted ${entropies.at(-1)}, map on screen ${expected}`);
  for (const e of entropies) assert.ok(e >= 0 && e <= Math.log(cells[0].length) + 1e-6, `entropy ${e}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the map view the reader picks during a Transformer run is kept as the map is redrawn', async () => {
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'transformer', size: 16, examples: 20000, seed: 1 }); // a long run: still running at Stop
  await page.waitForSelector('#train-hm-map', { timeout: 120000 });
  assert.equal(await page.inputValue('#train-hm-map'), 'cross'); // the default view
  await page.selectOption('#train-hm-map', 'encoder_self');
  await page.click('#train-title'); // leave the picker: the map is not redrawn under an open picker
  const updates = Number(await page.getAttribute('#train-heatmap', 'data-updates'));
  await page.waitForFunction((n) => Number(document.querySelector('#train-heatmap').dataset.updates) >= n + 2, updates, { timeout: 120000 });
  assert.equal(await page.inputValue('#train-hm-map'), 'encoder_self');
  const maps = await page.locator('#train-heatmap svg.heatmap').evaluateAll((ss) => ss.map((s) => s.dataset.map));
  assert.ok(maps.length >= 1 && maps.every((m) => m === 'encoder_self'), `maps shown: ${maps}`);
  await page.click('#train-stop');
  await phase(page, 'stopped');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a crash of the module during a run says "training lost" in the panel, and Train starts a new run', async () => {
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'bahdanau-gru', size: 16, examples: 20000, seed: 1 }); // running at the crash and at Stop
  await curvePoints(page, 2);
  // The next message the worker receives aborts it. Flag and Stop in one task of the page: the panel also
  // asks for the held-out accuracy about once a second, and that request must not take the flag first.
  const stopWasEnabled = await page.evaluate(() => {
    const stop = document.querySelector('#train-stop');
    const enabled = !stop.disabled;
    window.attnlabClient._crashForTest();
    stop.click();
    return enabled;
  });
  assert.equal(stopWasEnabled, true);
  await phase(page, 'lost');
  assert.equal(await page.textContent('#train-error'), en['train.lost']);
  assert.equal(await page.isDisabled('#train-export'), true);
  assert.equal(await page.isDisabled('#train-use'), true);
  await page.click('#train-start');
  await phase(page, 'running');
  assert.equal(await page.isHidden('#train-error'), true);
  await curvePoints(page, 2);
  await page.click('#train-stop');
  await phase(page, 'stopped');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Records the options of every client.train() call the panel makes (window.trainCalls). */
const recordTrainCalls = (page) => page.evaluate(() => {
  const client = window.attnlabClient;
  const train = client.train.bind(client);
  window.trainCalls = [];
  client.train = (options, onEvent) => { window.trainCalls.push(options); return train(options, onEvent); };
});

test('the panel opens on the module\'s small dates preset and trains exactly its sizes; the curves\' and the map\'s headings show only once a run draws under them', async () => {
  const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=en`);
  assert.equal(await page.inputValue('#train-experiment'), 'small-dates');
  for (const id of ['#train-single', '#train-size-row', '#train-examples-row', '#train-layers-row']) {
    assert.equal(await page.isHidden(id), true, `${id} hidden: the preset fixes it`);
  }
  assert.equal(await page.isVisible('#train-seed'), true);
  // nothing to show yet: no empty headings
  assert.equal(await page.isHidden('#train-curves-title'), true);
  assert.equal(await page.isHidden('#train-map-title'), true);
  await recordTrainCalls(page);
  await page.fill('#train-seed', '3');
  await page.click('#train-start');
  await curvePoints(page, 2);
  await page.waitForSelector('#train-heatmap svg.heatmap');
  assert.equal(await page.isVisible('#train-curves-title'), true);
  assert.equal(await page.isVisible('#train-map-title'), true);
  await page.click('#train-stop');
  await phase(page, 'stopped');
  const preset = await page.evaluate(() => window.attnlabClient.smallDatesPreset());
  assert.deepEqual(preset, { task: 'dates', preset: 'bahdanau-gru', embedding: 16, hidden: 56, attentionSize: 56, epochs: 3 });
  const calls = await page.evaluate(() => window.trainCalls);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0], { ...preset, seed: 3, probe: '24 nov 2026' }); // the task's whole splits, as `attnlab train`
  assert.match(await page.textContent('#train-progress-text'), /step \d+ \/ 1437/); // 3 epochs of the 30 000 training dates
  assert.deepEqual(problems, []);
  await context.close();
});

test('the panel\'s toy-en-fr preset trains on the drawn sentences of at most 10 words only, says so, and its export records the limit', async () => {
  const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=en`);
  await choose(page, { task: 'toy-en-fr', size: 16, examples: 1000, seed: 2 });
  assert.match(await page.textContent('#train-lookfor'), /only on the drawn sentences of at most 10 words/);
  await recordTrainCalls(page);
  await page.click('#train-start');
  await curvePoints(page, 1);
  await page.click('#train-stop');
  await phase(page, 'stopped');
  const calls = await page.evaluate(() => window.trainCalls);
  assert.equal(calls.length, 1); // one press of Train, one run
  assert.equal(calls[0].maxTrainWords, 10);
  assert.equal(calls[0].trainSize, 1000);
  const config = JSON.parse((await page.evaluate(() => window.attnlabClient.exportTraining())).config);
  assert.deepEqual(config.data, { seed: 1, train_size: 1000, valid_size: 200, test_size: 500, max_train_words: 10 });
  // another task trains on every drawn pair and says nothing of it
  await choose(page, { task: 'reverse' });
  assert.doesNotMatch(await page.textContent('#train-lookfor'), /at most/);
  assert.deepEqual(problems, []);
  await context.close();
});

/** The page's URL as the page has it now (Playwright's page.url() may not have seen a replaceState yet). */
const href = (page) => page.evaluate(() => location.href);

test('the panel\'s choices live in the URL beside the page\'s own state, and a link to it reproduces the preset it trains', async () => {
  const link = `${site.url}?lang=en&train=single&train_task=reverse&train_arch=luong-general-gru&train_layers=2&train_size=32` +
    '&train_pairs=20000&train_seed=7'; // a long run: still running at Stop
  const first = await openReady(site.browser, link);
  const pickers = (page) => page.evaluate(() => Object.fromEntries(['experiment', 'task', 'arch', 'layers', 'size', 'examples', 'seed']
    .map((k) => [k, document.getElementById(`train-${k}`).value])));
  assert.deepEqual(await pickers(first.page), { experiment: 'single', task: 'reverse', arch: 'luong-general-gru', layers: '2', size: '32',
    examples: '20000', seed: '7' });
  // the page's first translation rewrote the URL before the panel was mounted: the link's choices are still there
  const opened = new URL(await href(first.page));
  assert.deepEqual(['train', 'train_task', 'train_arch', 'train_layers', 'train_size', 'train_pairs', 'train_seed'].map((k) => opened.searchParams.get(k)),
    ['single', 'reverse', 'luong-general-gru', '2', '32', '20000', '7']);
  // the reader changes a choice; then a translation rewrites the page's part of the URL and keeps the panel's
  await first.page.selectOption('#train-arch', 'transformer');
  await first.page.selectOption('#train-size', '16');
  await translateOnPage(first.page, 'the cat eats .');
  const url = new URL(await href(first.page));
  assert.equal(url.searchParams.get('s'), 'the cat eats .');
  assert.equal(url.searchParams.get('train_arch'), 'transformer');
  assert.equal(url.searchParams.get('train_size'), '16');
  const expected = await pickers(first.page);
  assert.deepEqual(first.problems, []);
  await first.context.close();

  const again = await openReady(site.browser, url.href);
  assert.deepEqual(await pickers(again.page), expected);
  await recordTrainCalls(again.page);
  await again.page.click('#train-start');
  await curvePoints(again.page, 2);
  await again.page.click('#train-stop');
  await phase(again.page, 'stopped');
  const [options] = await again.page.evaluate(() => window.trainCalls);
  assert.deepEqual(options, runOptions({ task: 'reverse', preset: 'transformer', size: 16, layers: 2, seed: 7, examples: 20000 }));
  // the default choice writes nothing into the URL
  await again.page.selectOption('#train-experiment', 'small-dates');
  await again.page.fill('#train-seed', '1');
  assert.deepEqual([...new URL(await href(again.page)).searchParams.keys()].filter((k) => k.startsWith('train')), []);
  assert.deepEqual(again.problems, []);
  await again.context.close();
});

test('at 375 px, in zh and in en, every choice of every picker of the panel fits in its picker, the pickers stay inside the panel, each with its label', async () => {
  for (const lang of ['zh', 'en']) {
    const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=${lang}&train=single`, { width: 375, height: 800 });
    const panel = await page.locator('#train').boundingBox();
    const cut = await page.locator('#train-form select').evaluateAll((selects) => selects.filter((s) => s.offsetParent).flatMap((s) => {
      // each choice's text at the select's font, against the select's inner width less its arrow
      const style = getComputedStyle(s);
      const ctx = document.createElement('canvas').getContext('2d');
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
      return [...s.options].flatMap((o) => {
        const text = ctx.measureText(o.text).width;
        return text <= room ? [] : [`#${s.id}: "${o.text}" needs ${text.toFixed(0)} px, has ${room.toFixed(0)}`];
      });
    }));
    assert.deepEqual(cut, [], lang);
    const outside = await page.locator('#train-form select, #train-form input, #train-form button').evaluateAll((els, box) =>
      els.filter((e) => e.offsetParent).flatMap((e) => {
        const b = e.getBoundingClientRect();
        return b.left >= box.x - 0.5 && b.right <= box.x + box.width + 0.5 ? [] : [`#${e.id}: [${b.left}, ${b.right}]`];
      }), panel);
    assert.deepEqual(outside, [], lang);
    // each label on the line of its picker, or just above it at its left edge (not left at the end of the line above)
    const apart = await page.locator('#train-form label[for]').evaluateAll((labels) => labels.filter((l) => l.offsetParent).flatMap((l) => {
      const a = l.getBoundingClientRect(), b = document.getElementById(l.htmlFor).getBoundingClientRect();
      const middle = (a.top + a.bottom) / 2;
      const beside = middle >= b.top && middle <= b.bottom;
      const above = a.bottom <= b.top + 1 && b.top - a.bottom < 16 && Math.abs(a.left - b.left) < 2;
      return beside || above ? [] : [`"${l.textContent}" at (${a.left.toFixed(0)}, ${middle.toFixed(0)}), #${l.htmlFor} at (${b.left.toFixed(0)}, ${b.top.toFixed(0)}-${b.bottom.toFixed(0)})`];
    }));
    assert.deepEqual(apart, [], lang);
    await page.selectOption('#train-arch', 'luong-scaled-dot-gru');
    await shot(page, `train-panel-375-${lang}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("the primer's §2, §4 and §6 open the panel on their experiment (others on the small dates preset) until the reader picks one; a link's choice is kept", async () => {
  const { page, context, problems } = await openReady(site.browser, `${site.url}?lang=en&section=seq2seq`);
  const experiment = () => page.inputValue('#train-experiment');
  const open = (id) => whileTranslating(page, () => page.click(`nav#sections a[data-section="${id}"]`));
  assert.equal(await experiment(), 'context-vs-bahdanau');
  assert.equal(await page.isVisible('#train-single'), false); // an experiment's runs are fixed: no single-model pickers
  for (const [id, wanted] of [['training', 'teacher-forcing'], ['scores', 'scaled-vs-unscaled'], ['attention', 'small-dates']]) {
    await open(id);
    assert.equal(await experiment(), wanted, `section ${id}`);
  }
  await page.selectOption('#train-experiment', 'single');
  await open('seq2seq');
  assert.equal(await experiment(), 'single', 'the reader chose: §2 does not replace it');
  assert.deepEqual(problems, []);
  await context.close();

  const linked = await openReady(site.browser, `${site.url}?lang=en&section=scores&train=teacher-forcing`);
  assert.equal(await linked.page.inputValue('#train-experiment'), 'teacher-forcing');
  assert.deepEqual(linked.problems, []);
  await linked.context.close();
});
