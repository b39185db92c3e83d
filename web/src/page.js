// The page: the primer's sections in its order (sections.js), each with its formula and its live model;
// the model, the sentence, the section, the map view and the language live in the URL, so a link
// reproduces the page. Every visible string comes from messages.js through t(). Loaded by main.js (the
// page's first script) once the worker, the model list and the opening model's files are on their way.
import { client, params, firstSection, openingModel, early } from './main.js';
import { renderFormula, typesetFormulas } from './lib/formula.js';
import { renderAttention, resolveView, prepareLabelFont } from './lib/heatmap.js';
import { renderRowDetail } from './lib/row_detail.js';
import { checkInput, translateError, unknownWarning, tokenSpans } from './lib/format.js';
import { t, chooseLang, rememberLang, applyMessages, LANGS } from './lib/i18n.js';
import { SECTIONS } from './lib/sections.js';
import { openingSentence } from './lib/opening.js';
import { modelLabel, taskLabel, describe, byTask, marksAgainst } from './lib/models.js';
import { renderExactMatchChart } from './lib/chart.js';
import { renderSteps } from './lib/steps.js';
import { renderSaturation, SATURATION } from './lib/saturation.js';
import { formatList, randomDateButton, problemKey } from './lib/date_formats.js';

performance.mark('attnlab:page');
/** A mark of the first time something happened (the first model loaded, the first translation in). */
const markFirst = (name) => { if (!performance.getEntriesByName(name).length) performance.mark(name); };

// Primer §6's live demo: d_k from 1 to 1024, 10 keys, 200 draws each, seed 1.

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('form'), model: $('model'), description: $('model-description'), sentence: $('sentence'), hint: $('sentence-hint'),
  button: $('translate'), examples: $('examples'), beam: $('beam'), error: $('error'), status: $('status'),
  output: $('output'), marks: $('marks'), tokens: $('source-tokens'), warning: $('warning'), meta: $('meta'), heatmap: $('heatmap'),
  nav: $('sections'), lessonTitle: $('lesson-title'), formula: $('formula'), lessonText: $('lesson-text'),
  pair: $('pair'), pairTitle: $('pair-title'), pairOutput: $('pair-output'), pairMarks: $('pair-marks'), pairHeatmap: $('pair-heatmap'),
  reference: $('reference'), chart: $('chart'), extra: $('extra'), datesNote: $('dates-note'),
  rowHint: $('row-hint'), rowDetail: $('row-detail'),
};
let lang = chooseLang();
let manifest = [];
let limits = null;
let section = firstSection;
let view = readView(params) || (section.view ? { ...section.view } : null); // kept across translations and models
let current = null; // {entry, model}
let last = null;    // what is on screen: {result, pair, reference} (redrawn when the language changes)
let requestSeq = 0;
let done = 0; // translations and errors shown so far (document.body.dataset.done, for tests)
const markDone = () => { document.body.dataset.done = String(++done); };
const m = (key, p) => t(lang, key, p);

function readView(p) {
  if (!p.has('map')) return null;
  const head = p.get('head');
  return { name: p.get('map'), layer: p.has('layer') ? Number(p.get('layer')) : undefined,
    head: head === null ? undefined : ['mean', 'all', 'grid'].includes(head) ? head : Number(head) };
}

/** Writes model, sentence, section, view, language and the Train panel's choices into the URL (replaceState: no history entries). */
function saveUrl() {
  const p = new URLSearchParams();
  p.set('lang', lang);
  p.set('section', section.id);
  if (current) p.set('model', current.entry.name);
  p.set('s', ui.sentence.value);
  if (view) {
    p.set('map', view.name);
    if (view.layer !== undefined) p.set('layer', String(view.layer));
    if (view.head !== undefined) p.set('head', String(view.head));
  }
  if (trainPanel) trainPanel.writeParams(p);
  else for (const [key, value] of params) if (key === 'train' || key.startsWith('train_')) p.set(key, value); // not mounted yet
  history.replaceState(null, '', `?${p}`);
}

function setBusy(busy) {
  ui.button.disabled = busy;
  ui.form.setAttribute('aria-busy', String(busy));
}

/** Clears every result on screen (an error must never leave an old translation or map behind). */
function clearResult() {
  last = null;
  ui.extra.replaceChildren();
  for (const n of [ui.output, ui.marks, ui.tokens, ui.meta, ui.heatmap, ui.pairOutput, ui.pairMarks, ui.pairHeatmap, ui.reference]) n.replaceChildren();
  ui.warning.hidden = true;
  ui.reference.hidden = true;
  ui.datesNote.hidden = true;
  ui.datesNote.replaceChildren();
  ui.rowHint.hidden = true;
  ui.rowDetail.replaceChildren();
}

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = !message;
  if (message) {
    clearResult();
    ui.status.textContent = '';
    markDone();
  }
}

// --- language -----------------------------------------------------------------------------------

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = m('page.title');
  applyMessages(document, lang, limits || {});
  for (const b of document.querySelectorAll('.lang-switch button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  ui.hint.textContent = limits ? m('sentence.hint', limits) : '';
  $('tutorial-link').href = `./tutorial.html?lang=${lang}`;
  fillModels();
  drawNav();
  drawLesson();
  if (current) {
    ui.description.textContent = describe(current.entry, lang);
    showExamples(current.entry);
  }
  if (last) showResult(last);
  if (section.chart && manifest.length) drawChart();
  trainPanel?.setLanguage(lang);
}

function setLanguage(next) {
  if (!LANGS.includes(next) || next === lang) return;
  lang = next;
  rememberLang(lang);
  ui.error.hidden = true;
  applyLanguage();
  saveUrl();
}

// --- sections -----------------------------------------------------------------------------------

function drawNav() {
  ui.nav.replaceChildren();
  const list = document.createElement('ol');
  for (const s of SECTIONS) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `?lang=${lang}&section=${s.id}`;
    a.dataset.section = s.id;
    a.textContent = m(`sec.${s.id}.title`);
    if (s === section) a.setAttribute('aria-current', 'true');
    a.addEventListener('click', (e) => { e.preventDefault(); openSection(s); });
    li.append(a);
    list.append(li);
  }
  ui.nav.append(list);
}

function drawLesson() {
  ui.lessonTitle.textContent = m(`sec.${section.id}.title`);
  ui.lessonText.textContent = m(`sec.${section.id}.text`);
  renderFormula(ui.formula, section.tex);
  ui.formula.dataset.section = section.id;
}

const entryOf = (name) => manifest.find((x) => x.name === name);

/** Opens a section on its model, sentence and map (a model the site lacks: the first of the same task). */
async function openSection(s) {
  section = s;
  view = s.view ? { ...s.view } : null;
  ui.sentence.value = s.sentence;
  drawNav();
  drawLesson();
  trainPanel?.suggest(s.experiment);
  ui.pair.hidden = !s.pair || !entryOf(s.pair);
  ui.chart.hidden = !s.chart;
  if (s.chart) drawChart();
  await selectModel(entryOf(s.model) ? s.model : manifest[0].name, { keepSentence: true });
}

/** The exact match by source length of every model of the section's task (lengths are words or
 * characters by task, so one chart holds one task). */
async function drawChart() {
  const task = (entryOf(section.model) ?? manifest[0]).task;
  const series = [];
  for (const e of manifest.filter((x) => x.eval && x.task === task)) {
    const r = await fetch(`models/${e.name}/eval.json`);
    if (!r.ok) continue;
    const ev = await r.json();
    series.push({ name: e.name, label: `${modelLabel(e, lang)} · ${taskLabel(e.task, lang)}`, buckets: ev.buckets || [] });
  }
  renderExactMatchChart(ui.chart, series, lang);
  ui.chart.dataset.ready = 'true';
}

// --- models -------------------------------------------------------------------------------------

function fillModels() {
  const value = ui.model.value;
  ui.model.replaceChildren();
  for (const [task, entries] of byTask(manifest)) {
    const group = document.createElement('optgroup');
    group.label = taskLabel(task, lang);
    for (const e of entries) {
      const o = document.createElement('option');
      o.value = e.name;
      o.textContent = modelLabel(e, lang);
      group.append(o);
    }
    ui.model.append(group);
  }
  if (value) ui.model.value = value;
}

function showExamples(entry) {
  ui.examples.replaceChildren();
  for (const text of entry.examples) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('translate', 'no');
    b.setAttribute('aria-label', m('examples.item', { text }));
    b.addEventListener('click', () => { ui.sentence.value = text; translate(); });
    ui.examples.append(b);
  }
  if (entry.task === 'dates') {
    ui.examples.append(randomDateButton({ client, label: m('dates.random'),
      onDate: (d) => { ui.sentence.value = d.text; translate(); } }));
  }
}

async function selectModel(name, { keepSentence = false } = {}) {
  const entry = entryOf(name) || manifest[0];
  ui.model.value = entry.name;
  ui.description.textContent = describe(entry, lang);
  showExamples(entry);
  if (!keepSentence && (!ui.sentence.value || current)) ui.sentence.value = entry.examples[0] || '';
  const seq = ++requestSeq;
  ui.status.textContent = m('status.loadingModel', { name: modelLabel(entry, lang) });
  setBusy(true);
  try {
    const model = entry.loaded || await client.loadModel(`models/${entry.name}/`);
    markFirst('attnlab:model-loaded');
    if (seq !== requestSeq) return;
    current = { entry, model };
    setBusy(false);
    await translate();
  } catch (e) {
    if (seq !== requestSeq) return;
    current = null;
    setBusy(false);
    showError(m('error.load', { name: entry.name, detail: e.message }));
  }
}

// --- translating --------------------------------------------------------------------------------

function markedTokens(container, marks) {
  container.replaceChildren(...marks.map(({ token, right }) => {
    const span = document.createElement('span');
    span.className = `tok ${right ? 'right' : 'wrong'}`;
    span.dataset.right = String(right);
    span.textContent = token;
    span.title = m(right ? 'cmp.right' : 'cmp.wrong');
    return span;
  }));
}

/** A dates model's input and output as the task reads them: the formats, not a date, the right answer, not a real date. */
function showDates(dates, result) {
  ui.datesNote.hidden = !dates;
  ui.datesNote.replaceChildren();
  if (!dates) return;
  const line = (key, data, cls) => {
    const p = document.createElement('p');
    if (cls) p.className = cls;
    p.append(m(key));
    if (data !== undefined) {
      const span = document.createElement('span');
      span.setAttribute('translate', 'no');
      span.className = 'data';
      span.textContent = ` ${data}`;
      p.append(span);
    }
    ui.datesNote.append(p);
    return p;
  };
  line('dates.formats', undefined, 'dates-formats');
  ui.datesNote.append(formatList(dates.formats));
  line('dates.convention', undefined, 'dates-convention');
  if (!dates.input) line('dates.notDate', undefined, 'dates-not-date');
  else {
    const p = line('dates.reference', dates.input.iso, 'dates-reference');
    const ok = dates.input.iso === result.translation;
    const mark = document.createElement('span');
    mark.className = `verdict ${ok ? 'right' : 'wrong'}`;
    mark.dataset.right = String(ok);
    mark.textContent = ` — ${m(ok ? 'dates.right' : 'dates.wrong')}`;
    p.append(mark);
  }
  if (!dates.outputIsDate) line('dates.impossible', undefined, 'dates-impossible');
  const key = problemKey(dates);
  if (key) line(key, dates.warning, 'dates-warning'); // the library's one check, in its own words
}

/** Primer §5–§6: the computation of the chosen row (r.row) of the map on screen, from the module's raw scores. */
function showRow(r) {
  ui.rowDetail.replaceChildren();
  for (const l of ui.heatmap.querySelectorAll('.hm-row-label')) l.classList.toggle('selected', Number(l.dataset.row) === r.row);
  if (r.row === undefined || !r.result.scores) return;
  const v = resolveView(r.result, view);
  const rows = r.result.attention[v.name]?.shape.at(-2) ?? 0;
  if (r.row >= rows) return;
  // On the mean of heads the row detail offers head 1: the head picker changes the view as the reader would.
  const onPickHead = (h) => {
    const picker = document.getElementById('page-hm-head');
    picker.value = String(h);
    picker.dispatchEvent(new Event('change'));
  };
  renderRowDetail(ui.rowDetail, { result: r.result, entry: current.entry, name: v.name, layer: v.layer, head: v.head, row: r.row, lang, onPickHead });
}

ui.heatmap.addEventListener('click', (e) => {
  const target = e.target.closest?.('.cell, .hm-row-label');
  if (!target || !last) return;
  last.row = Number(target.dataset.row);
  showRow(last);
});

/** Draws a translation (and the pair model's, and the reference) in the reader's language. */
function showResult(r) {
  last = r;
  const { result, ms, beam, pair, reference } = r;
  ui.output.textContent = result.translation || m('output.empty');
  ui.output.dataset.model = current.entry.name;
  ui.tokens.replaceChildren(...tokenSpans(document, result, lang));
  const warning = unknownWarning(result, lang);
  ui.warning.textContent = warning || '';
  ui.warning.hidden = !warning;
  ui.meta.textContent = m('meta.page', { beam, logProb: result.logProb.toFixed(3), ms: ms.toFixed(1) });
  ui.meta.dataset.ms = ms.toFixed(2);
  const onView = (v) => { view = v; saveUrl(); showRow(r); };
  renderAttention(ui.heatmap, result, { idPrefix: 'page-hm', lang, view, onView });
  ui.rowHint.hidden = !result.scores || !Object.keys(result.attention).length;
  showRow(r);
  ui.reference.hidden = !reference;
  ui.marks.replaceChildren();
  ui.pairMarks.replaceChildren();
  if (reference) {
    ui.reference.replaceChildren();
    if (reference.text !== undefined) {
      const label = document.createElement('span');
      label.textContent = m('cmp.reference') + ' ';
      const text = document.createElement('span');
      text.id = 'reference-text';
      text.setAttribute('translate', 'no');
      text.textContent = reference.text;
      ui.reference.append(label, text);
      markedTokens(ui.marks, marksAgainst(result.outputTokens, reference.text));
      if (pair) markedTokens(ui.pairMarks, marksAgainst(pair.result.outputTokens, reference.text));
    } else {
      ui.reference.textContent = m('cmp.noReference', { detail: reference.error });
    }
  }
  showDates(r.dates, result);
  ui.extra.hidden = !r.steps && !r.saturation;
  if (r.steps) renderSteps(ui.extra, r.steps, lang, r.stepAt?.() ?? 0);
  if (r.saturation) renderSaturation(ui.extra, r.saturation, lang, SATURATION.nKeys);
  if (pair) {
    ui.pairTitle.textContent = modelLabel(pair.entry, lang);
    ui.pairOutput.textContent = pair.result.translation || m('output.empty');
    ui.pairOutput.dataset.model = pair.entry.name;
    renderAttention(ui.pairHeatmap, pair.result, { idPrefix: 'pair-hm', lang });
  }
  $('result-title').textContent = pair ? modelLabel(current.entry, lang) : m('result.title');
}

async function translate() {
  if (!current) return;
  const text = ui.sentence.value;
  const problem = checkInput(text, lang);
  if (problem) {
    showError(problem);
    ui.sentence.focus();
    saveUrl();
    return;
  }
  const seq = ++requestSeq;
  const beam = Number(ui.beam.value);
  setBusy(true);
  ui.status.textContent = m('status.translating');
  saveUrl();
  const pairEntry = section.pair && entryOf(section.pair);
  const t0 = performance.now();
  try {
    // states: the encoder states h_i and context vectors c_t for the row detail's weighted sum (§5)
    const result = await client.translate(current.model.id, text, { beam, states: true });
    markFirst('attnlab:translated');
    const ms = performance.now() - t0;
    let pair = null;
    if (pairEntry && !ui.pair.hidden) {
      const pm = await client.loadModel(`models/${pairEntry.name}/`);
      pair = { entry: pairEntry, result: await client.translate(pm.id, text, { beam }) };
    }
    let reference = null;
    if (section.reference && current.entry.task === 'toy-en-fr') {
      const english = result.sourceTokens.filter((tok) => tok !== '<eos>').join(' ');
      reference = await client.reference(english).then((r) => ({ text: r }), (e) => ({ error: e.message }));
    }
    const dates = current.entry.task === 'dates' ? await client.readDates(text, result.translation) : null;
    const steps = section.id === 'embedding' ? await client.greedySteps(current.model.id, text) : null;
    const saturation = section.id === 'scores'
      ? await client.softmaxSaturation(SATURATION.dims, SATURATION) : null;
    if (seq !== requestSeq) return;
    ui.error.hidden = true;
    ui.status.textContent = '';
    delete ui.extra.dataset.step; // a new sentence starts at its first step
    showResult({ result, ms, beam, pair, reference, steps, saturation, dates,
      stepAt: () => Number(ui.extra.dataset.step || 0) });
    markDone();
  } catch (e) {
    if (seq !== requestSeq) return;
    showError(translateError(e, lang, limits));
  } finally {
    if (seq === requestSeq) setBusy(false);
  }
}

ui.form.addEventListener('submit', (e) => { e.preventDefault(); translate(); });
ui.model.addEventListener('change', () => selectModel(ui.model.value));
ui.beam.addEventListener('change', () => translate());
for (const b of document.querySelectorAll('.lang-switch button')) b.addEventListener('click', () => setLanguage(b.dataset.lang));

/** The Train panel's "Use this model": the trained model joins the model list and translates its probe sentence. */
async function useTrainedModel(entry, model) {
  manifest.push({ ...entry, loaded: model });
  fillModels();
  ui.sentence.value = entry.examples[0];
  await selectModel(entry.name, { keepSentence: true });
  ui.form.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

let trainPanel = null;
/** The Train panel (its code, uPlot with it, a chunk of its own) is mounted once the first translation is on screen:
 * evaluating and building it kept the main thread from the worker's answers. Until then saveUrl keeps the URL's train_*. */
async function mountTrain() {
  const { mountTrainPanel } = await import('./lib/train_panel.js').catch((e) => {
    showError(e.message); // its chunk could not be fetched: the rest of the page works
    return {};
  });
  if (!mountTrainPanel) return;
  trainPanel = mountTrainPanel({ client, lang, useModel: useTrainedModel, params });
  trainPanel.suggest(section.experiment);
}

async function start() {
  // The worker is loading the opening model already (index.html named it, main.js asked for it); KaTeX
  // (drawLesson's formula) is asked for once the first translation is on screen (typesetFormulas).
  // The page's text is drawn once, with the model list; the limits (from the module) only fill in the hint.
  const failed = async (e) => {
    showError(e.message);
    await mountTrain();
    typesetFormulas();
  };
  try {
    manifest = await early.manifest;
  } catch (e) {
    applyLanguage();
    return failed(e);
  }
  applyLanguage();
  (window.requestIdleCallback || setTimeout)(prepareLabelFont); // now, not while the first map is drawn
  try {
    limits = await early.limits;
  } catch (e) {
    return failed(e);
  }
  ui.hint.textContent = m('sentence.hint', limits);
  ui.pair.hidden = !section.pair || !entryOf(section.pair);
  ui.chart.hidden = !section.chart;
  if (section.chart) drawChart();
  ui.sentence.value = openingSentence(params, SECTIONS); // index.html named it to the worker (lib/opening.js)
  await selectModel(openingModel(manifest), { keepSentence: true });
  performance.mark('attnlab:first-translation'); // read by scripts/bench-page-load.mjs
  await Promise.all([mountTrain(), typesetFormulas()]); // KaTeX arrives in its own chunk too, asked for now
  performance.mark('attnlab:formulas');
  document.body.dataset.ready = 'true';
}
start();
