import './style.css';
import './lib/heatmap.css';
import { getClient, defaultBase } from './lib/attnlab.js';
import { renderAttention } from './lib/heatmap.js';
import { checkInput, unknownWarning, tokenSpans } from './lib/format.js';

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('form'), model: $('model'), description: $('model-description'), sentence: $('sentence'),
  button: $('translate'), examples: $('examples'), beam: $('beam'), error: $('error'), status: $('status'),
  output: $('output'), tokens: $('source-tokens'), warning: $('warning'), meta: $('meta'), heatmap: $('heatmap'),
};
const client = getClient(defaultBase(import.meta.url));
window.attnlabClient = client; // for the console and the browser tests (client._crashForTest())
let manifest = [];
let current = null; // {entry, model}
let requestSeq = 0;
let done = 0; // translations and errors shown so far (document.body.dataset.done, for tests)
const markDone = () => { document.body.dataset.done = String(++done); };

function showError(message) {
  ui.error.textContent = message;
  ui.error.hidden = !message;
  if (message) markDone();
}

function setBusy(busy) {
  ui.button.disabled = busy;
  ui.form.setAttribute('aria-busy', String(busy));
}

function describe(entry) {
  const t = entry.transformer;
  if (t) {
    const decoderSelf = t.aaren ? 'decoder self-attention as an RNN (Aaren: one learned query over the prefix)' : 'decoder self-';
    return `${entry.description} — Transformer${t.preLN ? ' (pre-LN)' : ''}, ${t.encoderLayers}+${t.decoderLayers} layers, ` +
      `${t.heads} heads, d=${t.dModel}: encoder self-, ${decoderSelf} and cross-attention.`;
  }
  const kind = entry.attention === 'none' ? 'no attention (one context vector)' : `${entry.attention} attention` +
    (entry.score ? ` (${entry.score} score)` : '');
  return `${entry.description} — ${entry.cell ? entry.cell.toUpperCase() + ', ' : ''}${kind}.`;
}

function showExamples(entry) {
  ui.examples.replaceChildren();
  for (const text of entry.examples) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.setAttribute('aria-label', `Example: ${text}`);
    b.addEventListener('click', () => { ui.sentence.value = text; translate(); });
    ui.examples.append(b);
  }
}

async function selectModel(name) {
  const entry = manifest.find((m) => m.name === name) || manifest[0];
  ui.description.textContent = describe(entry);
  showExamples(entry);
  if (!ui.sentence.value || current) ui.sentence.value = entry.examples[0] || '';
  const seq = ++requestSeq;
  ui.status.textContent = `Loading ${entry.name}…`;
  setBusy(true);
  try {
    const model = await client.loadModel(`models/${entry.name}/`);
    if (seq !== requestSeq) return;
    current = { entry, model };
    const params = new URLSearchParams(location.search);
    params.set('model', entry.name);
    history.replaceState(null, '', `?${params}`);
    setBusy(false);
    await translate();
  } catch (e) {
    if (seq !== requestSeq) return;
    current = null;
    setBusy(false);
    ui.status.textContent = '';
    showError(`Could not load the model ${entry.name}: ${e.message}`);
  }
}

async function translate() {
  if (!current) return;
  const text = ui.sentence.value;
  const problem = checkInput(text);
  if (problem) {
    showError(problem);
    ui.sentence.focus();
    return;
  }
  const seq = ++requestSeq;
  const beam = Number(ui.beam.value);
  setBusy(true);
  ui.status.textContent = 'Translating…';
  const t0 = performance.now();
  try {
    const result = await client.translate(current.model.id, text, { beam });
    if (seq !== requestSeq) return;
    const ms = performance.now() - t0;
    showError('');
    ui.status.textContent = '';
    ui.output.textContent = result.translation || '(empty translation)';
    ui.output.dataset.model = current.entry.name;
    ui.tokens.replaceChildren(...tokenSpans(document, result));
    const warning = unknownWarning(result);
    ui.warning.textContent = warning || '';
    ui.warning.hidden = !warning;
    ui.meta.textContent = `beam ${beam} · log-probability ${result.logProb.toFixed(3)} · ${ms.toFixed(1)} ms`;
    ui.meta.dataset.ms = ms.toFixed(2);
    renderAttention(ui.heatmap, result, { idPrefix: 'page-hm' });
    markDone();
  } catch (e) {
    if (seq !== requestSeq) return;
    ui.status.textContent = '';
    showError(`Could not translate: ${e.message}`);
  } finally {
    if (seq === requestSeq) setBusy(false);
  }
}

ui.form.addEventListener('submit', (e) => { e.preventDefault(); translate(); });
ui.model.addEventListener('change', () => selectModel(ui.model.value));
ui.beam.addEventListener('change', () => translate());

async function start() {
  try {
    manifest = (await client.models()).models;
  } catch (e) {
    ui.status.textContent = '';
    showError(e.message);
    return;
  }
  for (const m of manifest) {
    const o = document.createElement('option');
    o.value = m.name;
    o.textContent = `${m.name} — ${m.task}`;
    ui.model.append(o);
  }
  const wanted = new URLSearchParams(location.search).get('model');
  const first = manifest.some((m) => m.name === wanted) ? wanted : manifest[0].name;
  ui.model.value = first;
  await selectModel(first);
  document.body.dataset.ready = 'true';
}
start();
