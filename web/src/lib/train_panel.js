// The Train panel: train a small model in the page's worker and watch it learn — the loss and accuracy
// curves (train_curves.js), the probe sentence's attention map redrawn in place at every progress event
// (the view the reader chose is kept), and at the end the held-out exact match and the by-length chart.
// The primer's experiments are presets of two runs, one after the other, drawn on one chart.
// Every string comes from messages.js ('train.*'); the static markup is in index.html (#train).
//   const panel = mountTrainPanel({ client, lang, useModel, params })   // useModel(entry, model): into the translator;
//                                                                       // params: the page's URLSearchParams
//   panel.setLanguage(lang)
//   panel.writeParams(urlSearchParams)   // adds the panel's choices (the page's own URL writer calls it)
//   panel.suggest(experimentId)   // a section's experiment, until the reader chooses (or runs) for themselves
// The reader's choices live in the URL like the rest of the page's state, so a link reproduces the preset:
//   train=<choice> (small-dates, single or an experiment's id), train_task, train_arch, train_layers (single),
//   train_size, train_pairs (all but small-dates), train_seed. The default (small-dates, seed 1) writes none.
import { t } from './i18n.js';
import { renderAttention } from './heatmap.js';
import { renderExactMatchChart } from './chart.js';
import { modelLabel, taskLabel } from './models.js';
import { renderCurves } from './train_curves.js';
import { attentionEntropy } from './attention_entropy.js';
import { TASKS, ARCHITECTURES, SIZES, EXAMPLES, EXPERIMENTS, SMALL_DATES, presetEntry, runOptions, smallDatesOptions } from './train_presets.js';

const ACCURACY_EXAMPLES = 64; // held-out token accuracy during training: on the first 64 test examples
const ACCURACY_EVERY_MS = 1000;

const $ = (id) => document.getElementById(id);

export function mountTrainPanel({ client, lang: initialLang, useModel, params = new URLSearchParams() }) {
  const ui = {
    experiment: $('train-experiment'), lookFor: $('train-lookfor'), single: $('train-single'), task: $('train-task'),
    arch: $('train-arch'), sizeRow: $('train-size-row'), sizeLabel: $('train-size-label'), size: $('train-size'), layersRow: $('train-layers-row'),
    layers: $('train-layers'), examplesRow: $('train-examples-row'), examples: $('train-examples'), seed: $('train-seed'), start: $('train-start'), stop: $('train-stop'), resume: $('train-resume'),
    export: $('train-export'), use: $('train-use'), bar: $('train-bar'), progress: $('train-progress-text'), error: $('train-error'),
    curvesTitle: $('train-curves-title'), curves: $('train-curves'), mapTitle: $('train-map-title'), probe: $('train-probe'), map: $('train-heatmap'), result: $('train-result'), byLength: $('train-bylength'),
  };
  // The panel's one state: the reader's choices, the runs of the experiment in progress, the map view.
  const state = { lang: initialLang, phase: 'idle', runs: [], current: -1, view: null, seq: 0, probe: null, right: 'accuracy',
    lastAccuracyAt: 0, accuracyPending: false, trained: 0, error: null };
  const m = (k, p) => t(state.lang, k, p);

  function option(select, value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    select.append(o);
  }

  /** Sets a select to `value` if it is one of its options, else to `fallback`. */
  function pick(select, value, fallback) {
    select.value = value !== null && value !== undefined && [...select.options].some((o) => o.value === value) ? value : fallback;
  }

  /** Fills the pickers in the reader's language, keeping their values (or taking `wanted`'s: the URL's). */
  function fillChoices(wanted = {}) {
    const keep = { experiment: ui.experiment.value, task: ui.task.value, arch: ui.arch.value, size: ui.size.value, examples: ui.examples.value };
    for (const [k, v] of Object.entries(wanted)) if (v !== null) keep[k] = v;
    ui.experiment.replaceChildren();
    option(ui.experiment, SMALL_DATES, m('train.exp.small-dates'));
    option(ui.experiment, 'single', m('train.exp.single'));
    for (const id of Object.keys(EXPERIMENTS)) option(ui.experiment, id, m(`train.exp.${id}`));
    ui.task.replaceChildren();
    for (const task of Object.keys(TASKS)) option(ui.task, task, taskLabel(task, state.lang));
    ui.arch.replaceChildren();
    for (const a of ARCHITECTURES) option(ui.arch, a, m(`train.arch.${a}`)); // short: the picker fits a phone
    pick(ui.experiment, keep.experiment, SMALL_DATES);
    pick(ui.task, keep.task, 'dates');
    pick(ui.arch, keep.arch, 'bahdanau-gru');
    fillSizes(keep.size, keep.examples);
  }

  /** The size picker: hidden size for the RNNs, d_model for the Transformer; an experiment's own range;
   * the number of training pairs (the task's default unless the reader chose one). The small dates preset
   * fixes all of these (only the seed is the reader's). */
  function fillSizes(keep, keepExamples) {
    const small = ui.experiment.value === SMALL_DATES;
    const exp = EXPERIMENTS[ui.experiment.value];
    const transformer = !exp && ui.arch.value === 'transformer';
    ui.sizeLabel.textContent = m(transformer ? 'train.size.dModel' : 'train.size.hidden');
    ui.size.replaceChildren();
    for (const s of exp ? exp.sizes : SIZES) option(ui.size, String(s), String(s));
    const wanted = keep && [...ui.size.options].some((o) => o.value === keep) ? keep : String(exp ? exp.size : 64);
    ui.size.value = wanted;
    ui.examples.replaceChildren();
    for (const n of EXAMPLES) option(ui.examples, String(n), m('train.examples.n', { n }));
    pick(ui.examples, keepExamples, String(TASKS[exp ? exp.task : ui.task.value].trainSize));
    ui.single.hidden = Boolean(exp) || small;
    ui.layersRow.hidden = Boolean(exp) || small;
    ui.sizeRow.hidden = small;
    ui.examplesRow.hidden = small;
    const shortOnly = !exp && !small && TASKS[ui.task.value].maxTrainWords; // the task trains on its short sentences only
    ui.lookFor.textContent = exp || small ? m(`train.look.${ui.experiment.value}`)
      : m('train.look.single') + (shortOnly ? ` ${m('train.look.shortOnly', { n: shortOnly })}` : '');
  }

  /** The runs the reader asked for: one, or an experiment's two. */
  function plannedRuns() {
    const seed = Math.max(0, Math.floor(Number(ui.seed.value) || 0));
    const size = Number(ui.size.value);
    const examples = Number(ui.examples.value);
    const exp = EXPERIMENTS[ui.experiment.value];
    if (ui.experiment.value === SMALL_DATES) return [{ small: true, seed }]; // start() asks the module for the rest
    if (!exp) {
      return [{ task: ui.task.value, preset: ui.arch.value, size, layers: Number(ui.layers.value), seed, examples }];
    }
    return exp.runs.map((r) => ({ task: exp.task, size, layers: 1, seed, examples, ...r }));
  }

  function runLabel(run) {
    if (run.small) return m('train.run.small', { label: modelLabel(presetEntry(run.preset), state.lang) });
    if (run.teacherForcing !== undefined) return m('train.run.teacherForcing', { ratio: run.teacherForcing.toFixed(1) });
    return modelLabel(presetEntry(run.preset), state.lang);
  }

  function setPhase(phase) {
    state.phase = phase;
    const has = state.current >= 0 && phase !== 'lost' && phase !== 'idle';
    ui.stop.disabled = phase !== 'running';
    ui.resume.disabled = phase !== 'stopped';
    ui.export.disabled = !has;
    ui.use.disabled = !has;
    document.getElementById('train').dataset.phase = phase;
  }

  /** An error of the panel in the reader's language (key null: none); redrawn when the language changes. */
  function showError(key, detail = '') {
    state.error = key && { key, detail };
    ui.error.textContent = key ? m(key, { detail }) : '';
    ui.error.hidden = !key;
    ui.error.dataset.detail = detail;
  }

  // --- drawing --------------------------------------------------------------------------------------

  function drawProgress() {
    const run = state.runs[state.current];
    const s = run?.status;
    if (!s) {
      ui.bar.value = 0;
      ui.progress.textContent = state.phase === 'lost' ? '' : m('train.idle');
      return;
    }
    ui.bar.max = s.totalSteps || 1;
    ui.bar.value = s.step;
    const acc = run.points.findLast((p) => p.accuracy !== undefined)?.accuracy;
    const parts = [];
    if (state.runs.length > 1) parts.push(m('train.progress.run', { n: state.current + 1, of: state.runs.length, label: run.label }));
    parts.push(m('train.progress.step', { step: s.step, total: s.totalSteps }));
    if (s.step > 0) parts.push(m('train.progress.loss', { loss: s.loss.toFixed(3) }));
    if (acc !== undefined) parts.push(m('train.progress.accuracy', { accuracy: (100 * acc).toFixed(1) }));
    if (state.phase === 'running' && s.step > 0 && !s.done) parts.push(m('train.progress.eta', { seconds: Math.ceil(s.etaSeconds) }));
    parts.push(m(`train.phase.${state.phase}`));
    ui.progress.textContent = parts.join(' · ');
  }

  // The headings of the curves and of the map show only with something under them (not before a run).
  function drawCurves() {
    ui.curvesTitle.hidden = !state.runs.length;
    if (!state.runs.length) { ui.curves.replaceChildren(); return; }
    renderCurves(ui.curves, state.runs.map((r) => ({ label: r.label, points: r.points })), { lang: state.lang, right: state.right });
  }

  /** The probe's map, in the same place, on the view the reader chose (not while the reader is using one
   * of its pickers: it is redrawn when the picker loses focus). */
  function drawMap() {
    if (ui.map.contains(document.activeElement) && document.activeElement.tagName === 'SELECT') { state.mapPending = true; return; }
    state.mapPending = false;
    ui.mapTitle.hidden = !state.probe;
    if (!state.probe) { ui.map.replaceChildren(); ui.probe.replaceChildren(); return; }
    const p = state.probe;
    ui.probe.replaceChildren(m('train.probe') + ' ');
    const out = document.createElement('span');
    out.setAttribute('translate', 'no');
    out.className = 'data';
    out.textContent = `${p.sourceTokens.filter((x) => x !== '<eos>').join(' ')} → ${p.translation || m('output.empty')}`;
    ui.probe.append(out);
    renderAttention(ui.map, p, { idPrefix: 'train-hm', lang: state.lang, view: state.view, onView: (v) => { state.view = v; } });
    ui.map.dataset.updates = String(Number(ui.map.dataset.updates || 0) + 1);
  }

  function drawResults() {
    const finished = state.runs.filter((r) => r.report);
    ui.result.replaceChildren(...finished.map((r) => {
      const p = document.createElement('p');
      p.className = 'train-exact';
      p.dataset.exact = String(r.report.exact_match);
      p.textContent = m('train.result', { label: r.label, exact: (100 * r.report.exact_match).toFixed(1), count: r.report.count,
        tokens: (100 * r.report.token_accuracy).toFixed(1) });
      return p;
    }));
    ui.byLength.hidden = finished.length === 0;
    if (finished.length) {
      renderExactMatchChart(ui.byLength, finished.map((r, i) => ({ name: `run-${i}`, label: r.label, buckets: r.report.buckets || [] })),
        state.lang, { title: m('train.byLength') });
    }
  }

  function drawAll() {
    drawProgress();
    drawCurves();
    drawMap();
    drawResults();
  }

  // --- the runs -----------------------------------------------------------------------------------

  function addPoint(run, status, probe) {
    if (!status) return;
    const last = run.points.at(-1);
    const point = last && last.step === status.step ? last : { step: status.step };
    if (status.step > 0) point.loss = status.loss;
    if (probe) point.entropy = attentionEntropy(probe);
    if (point !== last) run.points.push(point);
  }

  /** Held-out token accuracy on a few test examples, about once a second (the worker answers between chunks). */
  async function measureAccuracy(run, seq) {
    state.accuracyPending = true;
    state.lastAccuracyAt = performance.now();
    try {
      const report = await client.evaluateTraining(ACCURACY_EXAMPLES);
      if (seq !== state.seq || state.runs[state.current] !== run || !run.status || run.report) return;
      const last = run.points.at(-1);
      if (last) last.accuracy = report.token_accuracy;
      drawProgress();
      drawCurves();
    } catch { /* the run ended or was replaced meanwhile */ } finally {
      state.accuracyPending = false;
    }
  }

  /** Trains one run to its end; resolves with its report (null when another Train replaced it). */
  function trainRun(run, seq) {
    return new Promise((resolve, reject) => {
      state.finish = resolve;
      const onEvent = (event, data) => {
        if (seq !== state.seq) return;
        if (event === 'lost') {
          reject(Object.assign(new Error(data.message), { lost: true }));
          return;
        }
        run.status = data.status;
        if (data.probe) state.probe = data.probe;
        addPoint(run, data.status, data.probe);
        if (event === 'done') {
          run.report = data.report;
          const last = run.points.at(-1);
          if (last) last.accuracy = data.report.token_accuracy;
        }
        if (event === 'stopped') setPhase('stopped');
        drawProgress();
        drawCurves();
        drawMap();
        if (event === 'done') { drawResults(); resolve(data.report); }
        else if (event === 'progress' && !state.accuracyPending && run.status.step > 0 &&
          performance.now() - state.lastAccuracyAt >= ACCURACY_EVERY_MS) measureAccuracy(run, seq);
      };
      client.train(run.options, onEvent).catch((e) => reject(e));
    });
  }

  async function start() {
    const seq = ++state.seq;
    state.finish?.(null);
    let planned = plannedRuns();
    if (planned.some((p) => p.small)) { // the small preset's task, architecture and sizes are the module's
      let small;
      try { small = await client.smallDatesPreset(); } catch (e) { showError('train.error', e.message); return; }
      if (seq !== state.seq) return;
      planned = planned.map((p) => (p.small ? { ...p, task: small.task, preset: small.preset, options: smallDatesOptions(small, p.seed) } : p));
    }
    state.right = EXPERIMENTS[ui.experiment.value]?.right || 'accuracy';
    state.runs = planned.map((p) => ({ ...p, label: runLabel(p), options: p.options || runOptions(p), points: [], status: null, report: null }));
    state.current = 0;
    state.probe = null;
    state.lastAccuracyAt = 0;
    showError(null);
    ui.curves._plot?.destroy();
    ui.curves._plot = null;
    setPhase('running');
    drawAll();
    try {
      for (let i = 0; i < state.runs.length; i++) {
        if (seq !== state.seq) return;
        state.current = i;
        state.probe = null;
        if (state.phase !== 'running') setPhase('running');
        const report = await trainRun(state.runs[i], seq);
        if (report === null) return;
      }
      if (seq === state.seq) { setPhase('done'); drawProgress(); }
    } catch (e) {
      if (seq !== state.seq) return;
      setPhase('lost');
      showError(e.lost ? 'train.lost' : 'train.error', e.message);
      drawProgress();
    }
  }

  /** Stop: the button is disabled at once; the worker stops within one chunk and its 'stopped' event (the
   * step it stopped at) sets the phase. */
  async function stop() {
    if (state.phase !== 'running') return;
    ui.stop.disabled = true;
    try { await client.stopTraining(); } catch (e) { if (e.name !== 'AttnlabCrash') showError('train.error', e.message); } // a crash: the 'lost' event says it
  }

  async function resume() {
    if (state.phase !== 'stopped') return;
    setPhase('running');
    drawProgress();
    try { await client.resumeTraining(); } catch (e) { if (e.name !== 'AttnlabCrash') showError('train.error', e.message); } // a crash: the 'lost' event says it
  }

  /** The trained model's three files, as downloads (config.json, model.safetensors, vocab.json). */
  async function exportFiles() {
    try {
      const files = await client.exportTraining();
      const parts = [['config.json', files.config, 'application/json'], ['model.safetensors', files.safetensors, 'application/octet-stream'],
        ['vocab.json', files.vocab, 'application/json']];
      for (const [name, content, type] of parts) {
        const url = URL.createObjectURL(new Blob([content], { type }));
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
      }
    } catch (e) {
      showError('train.error', e.message);
    }
  }

  /** Loads the trained model into the translator above (as it is now: stopped, running or done). */
  async function use() {
    try {
      const run = state.runs[state.current];
      const files = await client.exportTraining();
      const name = `trained-${++state.trained}`;
      const model = await client.loadBundleFiles(name, files);
      const entry = { name, task: run.task, ...presetEntry(run.preset), trained: state.trained, examples: [TASKS[run.task].probe],
        description: model.description, eval: false };
      const c = model.config?.model ?? model.config ?? {};
      if (entry.transformer) {
        entry.transformer = { encoderLayers: c.num_encoder_layers, decoderLayers: c.num_decoder_layers, heads: c.num_heads,
          dModel: c.d_model, ffn: c.dim_feedforward, preLN: Boolean(c.norm_first), aaren: false };
      }
      await useModel(entry, model);
    } catch (e) {
      showError('train.error', e.message);
    }
  }

  /** The panel's choices into `p` (URLSearchParams); nothing for the default choice. */
  function writeParams(p) {
    const choice = ui.experiment.value;
    if (choice === SMALL_DATES && ui.seed.value === '1') return;
    p.set('train', choice);
    if (choice === 'single') {
      p.set('train_task', ui.task.value);
      p.set('train_arch', ui.arch.value);
      p.set('train_layers', ui.layers.value);
    }
    if (choice !== SMALL_DATES) {
      p.set('train_size', ui.size.value);
      p.set('train_pairs', ui.examples.value);
    }
    p.set('train_seed', ui.seed.value);
  }

  /** The URL as it is, with the panel's choices as they are now (replaceState: no history entries). */
  function saveUrl() {
    const p = new URLSearchParams(location.search);
    for (const k of [...p.keys()]) if (k === 'train' || k.startsWith('train_')) p.delete(k);
    writeParams(p);
    history.replaceState(null, '', `?${p}`);
  }

  ui.experiment.addEventListener('change', () => fillSizes());
  ui.task.addEventListener('change', () => fillSizes(ui.size.value));
  ui.arch.addEventListener('change', () => fillSizes(ui.size.value, ui.examples.value));
  ui.stop.addEventListener('click', () => stop());
  ui.resume.addEventListener('click', () => resume());
  ui.export.addEventListener('click', () => exportFiles());
  ui.use.addEventListener('click', () => use());
  ui.map.addEventListener('focusout', () => { if (state.mapPending) setTimeout(drawMap); });
  // Train is the form's submit button: its click and Enter in a field both submit (a click listener as well
  // started every run twice, the first replaced at once)
  $('train-form').addEventListener('submit', (e) => { e.preventDefault(); start(); });
  $('train-form').addEventListener('change', () => saveUrl()); // after the pickers' own listeners (it bubbles)
  // The reader's own choice (a picker they changed, or the URL's) is never replaced by a section's suggestion.
  let chosen = params.has('train');
  $('train-form').addEventListener('change', () => { chosen = true; });
  ui.seed.addEventListener('input', () => saveUrl());

  fillChoices({ experiment: params.get('train'), task: params.get('train_task'), arch: params.get('train_arch'),
    size: params.get('train_size'), examples: params.get('train_pairs') });
  pick(ui.layers, params.get('train_layers'), '1');
  if (/^\d{1,9}$/.test(params.get('train_seed') || '')) ui.seed.value = String(Number(params.get('train_seed')));
  setPhase('idle');
  drawAll();

  return {
    state,
    writeParams,
    /** The section's experiment (the primer's §2, §4, §6 each have one; others: the small dates preset),
     * shown in the panel until the reader picks something themselves or starts a run. */
    suggest(choice) {
      if (chosen || state.phase !== 'idle') return;
      pick(ui.experiment, choice || SMALL_DATES, SMALL_DATES);
      fillSizes();
      drawAll();
    },
    setLanguage(lang) {
      state.lang = lang;
      fillChoices();
      for (const r of state.runs) r.label = runLabel(r);
      ui.curves._plot?.destroy();
      ui.curves._plot = null;
      if (state.error) showError(state.error.key, state.error.detail);
      drawAll();
    },
  };
}
