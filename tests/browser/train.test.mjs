// Training in the page's worker (the TrainingSession through web/src/lib/worker.js and attnlab.js): the
// stream of progress events with the probe's attention, Stop that halts stepping, Resume, the exported
// bundle translating in the page exactly as `attnlab translate` does on the same files, and a crash
// during training reported as "training lost" while the page keeps translating. No timing is asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { useSite, nativeTranslate, openReady, CLI, assertRowsSumToOne } from './helpers.mjs';

// A small dates run: 488 steps (2 epochs of 6000 dates), stopped long before the end in most tests. The worker
// pushes progress at most every 250 ms, so the first test needs a run that lasts over a second on any machine:
// 2 epochs of 1500 dates (122 steps) ended in 0.55 s on a fast one (AMD EPYC Zen 5, 2026-12-01), with two
// progress events only. Every wait below also ends when the run does, so a run that ends early fails a test
// instead of leaving it waiting forever, and each test has a time limit.
const OPTIONS = { task: 'dates', preset: 'bahdanau-gru', embedding: 16, hidden: 32, attentionSize: 16, epochs: 2,
  lr: 0.005, seed: 3, trainSize: 6000, validSize: 100, testSize: 100, probe: 'march 3, 1999', maxTokens: 600 };
const LIMIT = { timeout: 180000 };

const site = useSite({ before, after });

test('a training run streams progress with the probe map, Stop halts the steps, Resume continues them to the end', LIMIT, async () => {
  const { page, context, problems } = await openReady(site.browser, site.url);
  const r = await page.evaluate(async (options) => {
    const client = window.attnlabClient;
    const events = [];
    let wake = null;
    const next = () => new Promise((resolve) => { wake = resolve; });
    const ended = () => events.some((e) => e.event === 'done' || e.event === 'lost');
    const started = await client.train(options, (event, data) => {
      events.push({ event, step: data.status?.step, total: data.status?.totalSteps, loss: data.status?.loss,
        map: data.probe?.attention?.cross ? { shape: data.probe.attention.cross.shape, data: Array.from(data.probe.attention.cross.data) } : null,
        report: data.report, message: data.message });
      wake?.();
    });
    while (events.filter((e) => e.event === 'progress' && e.step > 0).length < 3 && !ended()) await next();
    if (ended()) return { endedEarly: events.map((e) => `${e.event} ${e.step}`) };
    const stopped = await client.stopTraining();
    const exported = await client.exportTraining();  // handled after the stop: no step in between
    const exportedSteps = JSON.parse(exported.config).training.steps;
    const resumed = await client.resumeTraining();
    while (!ended()) await next();
    return { started, events, stopped, exportedSteps, resumed };
  }, OPTIONS);
  assert.equal(r.endedEarly, undefined, `the run ended before three progress events: ${r.endedEarly}`);
  assert.ok(r.started.parameters > 1000, `parameters: ${r.started.parameters}`);
  assert.equal(r.started.probe, 'march 3, 1999');
  const progress = r.events.filter((e) => e.event === 'progress');
  const first = progress[0], moving = progress.filter((e) => e.step > 0);
  assert.equal(first.step, 0);
  assert.ok(moving.length >= 3);
  for (let i = 1; i < moving.length; i++) assert.ok(moving[i].step > moving[i - 1].step, 'steps grow event by event');
  // The map is a distribution over the probe's source characters, and it changes as the model learns.
  const [rows, cols] = first.map.shape;
  assert.equal(cols, 'march 3, 1999'.length + 1);
  const matrix = (m) => Array.from({ length: m.shape[0] }, (_, i) => m.data.slice(i * m.shape[1], (i + 1) * m.shape[1]));
  assertRowsSumToOne(matrix(moving.at(-1).map), 'probe map');
  assert.ok(rows > 0);
  assert.notDeepEqual(moving.at(-1).map, first.map);
  // Stop: the export that follows it holds exactly the stopped step count; Resume goes on from there.
  assert.equal(r.exportedSteps, r.stopped.step);
  assert.equal(r.resumed.step, r.stopped.step);
  assert.ok(r.events.some((e) => e.event === 'stopped' && e.step === r.stopped.step));
  const done = r.events.find((e) => e.event === 'done');
  assert.ok(done, `the run ended: ${JSON.stringify(r.events.at(-1)).slice(0, 200)}`);
  assert.equal(done.step, done.total);
  assert.ok(done.loss < moving[0].loss, `the loss fell: ${moving[0].loss} -> ${done.loss}`);
  assert.equal(done.report.count, 100);
  assert.ok(done.report.buckets.length >= 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exported browser-trained bundle translates in the page exactly as `attnlab translate` does on the same files', LIMIT, async () => {
  const { page, context, problems } = await openReady(site.browser, site.url);
  const sentences = ['march 3, 1999', '12/25/2001', 'july 4 1976'];
  const r = await page.evaluate(async ({ options, sentences }) => {
    const client = window.attnlabClient;
    let wake = null, events = 0, ended = false;
    await client.train(options, (event) => { events++; ended ||= event === 'done' || event === 'lost'; wake?.(); });
    while (events < 3 && !ended) await new Promise((resolve) => { wake = resolve; });
    if (ended) return { endedEarly: events };
    await client.stopTraining();
    const files = await client.exportTraining();
    const model = await client.loadBundleFiles('trained-here', files);
    const out = [];
    for (const s of sentences) {
      const t = await client.translate(model.id, s);
      out.push({ translation: t.translation, cross: { shape: t.attention.cross.shape, data: Array.from(t.attention.cross.data) } });
    }
    await client.cancelTraining();
    return { files: { config: files.config, vocab: files.vocab, safetensors: Array.from(files.safetensors) }, out };
  }, { options: OPTIONS, sentences });
  assert.equal(r.endedEarly, undefined, `the run ended after ${r.endedEarly} events, before it could be stopped`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-trained-'));
  fs.writeFileSync(path.join(dir, 'config.json'), r.files.config);
  fs.writeFileSync(path.join(dir, 'vocab.json'), r.files.vocab);
  fs.writeFileSync(path.join(dir, 'model.safetensors'), Buffer.from(r.files.safetensors));
  sentences.forEach((s, i) => {
    const native = JSON.parse(execFileSync(CLI, ['translate', '--model', dir, '--json', s], { encoding: 'utf8' }));
    assert.equal(r.out[i].translation, native.translation, s);
    const flat = native.attention.cross.data;
    assert.deepEqual(r.out[i].cross.shape, native.attention.cross.shape);
    assert.equal(r.out[i].cross.data.length, flat.length);
    r.out[i].cross.data.forEach((v, k) => assert.ok(Math.abs(v - flat[k]) < 1e-4, `${s} cross[${k}]: ${v} vs ${flat[k]}`));
  });
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a crash of the module during training is reported as "training lost" and the page translates again', LIMIT, async () => {
  const { page, context, problems } = await openReady(site.browser, site.url);
  const m = site.models.find((x) => x.task === 'dates' && x.attention !== 'none') || site.models[0];
  const r = await page.evaluate(async ({ options, name, sentence }) => {
    const client = window.attnlabClient;
    const events = [];
    let wake = null;
    await client.train(options, (event, data) => { events.push({ event, message: data.message }); wake?.(); });
    while (events.length < 2 && !events.some((e) => e.event === 'done' || e.event === 'lost')) {
      await new Promise((resolve) => { wake = resolve; });
    }
    if (events.some((e) => e.event === 'done')) return { endedEarly: events.map((e) => e.event) };
    client._crashForTest();
    const stop = await client.stopTraining().then(() => 'resolved', (e) => e.name);
    // The client reports the loss as it drops the crashed worker, before the stop's rejection arrives.
    const lost = events.find((e) => e.event === 'lost');
    const afterwards = await client.stopTraining().then(() => 'resolved', (e) => e.message);
    const model = await client.loadModel(`models/${name}/`);
    const again = await client.translate(model.id, sentence);
    return { stop, lost: lost?.message, afterwards, again: again.translation };
  }, { options: OPTIONS, name: m.name, sentence: m.examples[0] });
  assert.equal(r.endedEarly, undefined, `the run ended before the crash: ${r.endedEarly}`);
  assert.equal(r.stop, 'AttnlabCrash');
  assert.match(r.lost, /^training lost: the WebAssembly module crashed/);
  assert.equal(r.afterwards, 'no training in progress');
  assert.equal(r.again, nativeTranslate(m.name, m.examples[0]).translation);
  assert.deepEqual(problems, []);
  await context.close();
});
