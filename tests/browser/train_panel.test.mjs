// The Train panel (web/src/lib/train_panel.js): a run started from the panel draws its loss curve and
// redraws the probe's map in place, Stop halts the steps (the export that follows holds the stopped step),
// the three downloaded files translate in `attnlab translate` exactly as "Use this model" does in the
// page's translator, an experiment draws its two runs on one chart (and the attention entropy it plots
// is the entropy of the map on screen), and every string of a finished experiment is in the reader's
// language. Short runs (1000–3000 training pairs, small sizes); no timing is asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { en } from '../../web/src/lib/messages.js';
import { useSite, openReady, CLI, readCells, nativeSlice, assertClose, assertRowsSumToOne, visibleTexts, foreign, SHOTS } from './helpers.mjs';

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
  return dir;
}

test('a run from the panel draws its loss curve and redraws the probe map in place; Stop halts it, Resume finishes it with the exact match by length', async () => {
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'bahdanau-gru', size: 16, examples: 3000, seed: 2 });
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
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'bahdanau-gru', size: 32, examples: 3000, seed: 5 });
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
  const { page, context, problems } = await startRun('en', { experiment: 'scaled-vs-unscaled', size: 64, examples: 1000, seed: 1 });
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
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'transformer', size: 16, examples: 3000, seed: 1 });
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
  const { page, context, problems } = await startRun('en', { task: 'dates', arch: 'bahdanau-gru', size: 16, examples: 3000, seed: 1 });
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
