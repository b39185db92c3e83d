// The Web Worker that owns the attnlab wasm module (single-threaded). scripts/prepare.mjs writes it
// next to attnlab.wasm (public/wasm/) with the Emscripten glue (attnlab.mjs) inlined in place of its
// import, so the worker starts with one request and the glue finds its .wasm relative to itself.
// Protocol: first {compiled} (the wasm module, see wasm()), maybe {prefetch: url, byPage, opening} (a model folder to
// fetch now, see loadModelFolder; byPage: index.html is fetching it and hands the files over in {prefetched: url,
// files} or {prefetched: url, failed}; opening: the page's first sentence, translated once that folder is loaded,
// see translateOpening), then {id, op, args} in, {id, result} or {id, error} out.
// Errors the C++ core reports ({error}) leave the module usable. Anything thrown by the module itself
// (an abort, a trap, running out of memory) leaves it in an unknown state: the reply then carries
// `fatal: true`, the worker answers every later message the same way, and the client (attnlab.js)
// replaces it with a fresh worker.
// Training streams: trainStart answers at once, then the worker steps the TrainingSession in chunks of
// about CHUNK_MS, yielding to the event loop between chunks (a MessageChannel message), so a trainStop,
// trainCancel or translate message is handled within one chunk. Events {stream: 'train', event, data}
// are pushed at most every PROGRESS_MS ('progress': status + the probe's translation and maps) and at
// the end ('done': status, probe and the held-out evaluation; 'stopped' after a stop).
// Test-only: a message with `crashForTest: true` aborts the module (its Emscripten abort()) instead of
// running the operation; see AttnlabClient._crashForTest().
import createAttnlab from './attnlab.mjs';

// Marks on the worker's own timeline (read by scripts/bench-page-load.mjs): the worker's script and
// the glue evaluated, the page's compiled module received, the module instantiated, the opening model's
// folder named by index.html (prefetch) and a folder's files first in hand (files), each operation first
// asked for (OP:asked) and first answered (OP).
performance.mark('attnlab:worker:glue');
const asked = new Set();
const answered = new Set();

let modulePromise = null;
let wasmModule = null; // the same module, once instantiated
let crashed = null; // the message of the crash that made this module unusable

class Fatal extends Error {}

function fatal(e) {
  if (e instanceof Fatal) return e;
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  crashed = detail.replace(/\. Build with -s ASSERTIONS=1 for more info\.?$/, '');
  return new Fatal(crashed);
}

/** Runs a call into the wasm module; whatever it throws is fatal. */
function guarded(call) {
  try {
    return call();
  } catch (e) {
    throw fatal(e);
  }
}

// The page sends the wasm module it compiled as this worker's first message ({compiled}: a
// WebAssembly.Module, or null when it could not: then the glue fetches and compiles the .wasm here).
let receiveCompiled;
const compiledByPage = new Promise((resolve) => { receiveCompiled = resolve; });

function instantiate(compiled) {
  if (!compiled) return createAttnlab();
  return new Promise((resolve, reject) => {
    createAttnlab({
      instantiateWasm: (imports, done) => {
        WebAssembly.instantiate(compiled, imports).then((instance) => done(instance), reject);
        return {};
      },
    }).then(resolve, reject);
  });
}

function wasm() {
  if (!modulePromise) {
    modulePromise = compiledByPage.then(instantiate).then((m) => { performance.mark('attnlab:worker:instantiated'); wasmModule = m; return m; })
      .catch((e) => { throw fatal(e); });
  }
  return modulePromise;
}

async function fetchFile(url, kind) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url} (HTTP ${response.status})`);
  return kind === 'bytes' ? new Uint8Array(await response.arrayBuffer()) : response.text();
}

// The page's opening translation, made by the worker as soon as the opening model is loaded (index.html names the
// sentence with the folder: {prefetch, opening}), while the page's main thread is still busy, and taken by the
// page's first translate request with the same arguments (the page asks for greedy decoding with the states, as
// translateOpening does).
let openingAsked = null; // {url, text}: the folder whose load makes it, and the sentence
let openingMade = null;  // {args, result}: made, not yet taken
const sameArgs = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

function translateOpening(modelId) {
  const args = [modelId, openingAsked.text, 1, 0, true];
  openingAsked = null;
  try {
    const m = wasmModule;
    const r = guarded(() => m.translate(...args));
    if (!r.error) openingMade = { args, result: r };
    performance.mark('attnlab:worker:opening');
  } catch { /* a crash: the worker is marked crashed, and the page's request reports it */ }
}

async function translate(modelId, text, beam, maxLength, states) {
  const m = await wasm();
  if (openingMade) {
    const made = openingMade;
    openingMade = null;
    if (sameArgs(made.args, [modelId, text, beam, maxLength, states])) {
      performance.mark('attnlab:worker:opening:taken');
      return made.result;
    }
  }
  const r = guarded(() => m.translate(modelId, text, beam, maxLength, states));
  if (r.error) throw Object.assign(new Error(r.error), { tooLong: r.tooLong });
  return r;
}

async function greedySteps(modelId, text, topK) {
  const m = await wasm();
  const r = guarded(() => m.greedySteps(modelId, text, topK));
  if (r.error) throw new Error(r.error);
  return r;
}

async function softmaxSaturation(dims, nKeys, trials, seed) {
  const m = await wasm();
  const r = guarded(() => m.softmaxSaturation(dims, nKeys, trials, seed));
  if (r.error) throw new Error(r.error);
  return r;
}

async function readDates(input, output) {
  const m = await wasm();
  const r = guarded(() => m.readDates(input, output));
  if (r.error) throw new Error(r.error);
  return r;
}

async function randomDate(seed) {
  const m = await wasm();
  const r = guarded(() => m.randomDate(seed));
  if (r.error) throw new Error(r.error);
  return r;
}

let lexicon = null; // Promise: the toy English -> French lexicon handed to the module once
async function ensureLexicon() {
  const m = await wasm();
  lexicon ||= fetchFile(new URL('../data/toy_en_fr/lexicon.json', self.location.href).href, 'text')
    .then((text) => { const r = guarded(() => m.setLexicon(text)); if (r.error) throw new Error(r.error); });
  lexicon.catch(() => { lexicon = null; });
  await lexicon;
}

async function reference(english) {
  const m = await wasm();
  await ensureLexicon();
  const r = guarded(() => m.referenceTranslation(english));
  if (r.error) throw new Error(r.error);
  return r.text;
}

// ---- training ----
const CHUNK_MS = 40;     // one chunk of steps takes about this long, then the worker yields
const PROGRESS_MS = 250; // a progress event at most this often
const training = { running: false, loop: 0, stepsPerChunk: 1, lastPush: 0, evalLimit: 0 };
const yieldChannel = new MessageChannel();
const yieldQueue = [];
yieldChannel.port1.onmessage = () => yieldQueue.shift()?.();
const yieldToEvents = () => new Promise((resolve) => { yieldQueue.push(resolve); yieldChannel.port2.postMessage(0); });

function push(event, data) {
  const transfer = [];
  for (const map of Object.values(data.probe?.attention || {})) transfer.push(map.data.buffer);
  for (const map of Object.values(data.probe?.scores || {})) transfer.push(map.data.buffer);
  self.postMessage({ stream: 'train', event, data }, transfer);
}

function checked(r) {
  if (r && r.error) throw new Error(r.error);
  return r;
}

// One loop at a time: a stop followed at once by a resume must not leave two loops stepping.
async function trainLoop(m) {
  const loop = ++training.loop;
  while (training.running && training.loop === loop && !crashed) {
    const started = performance.now();
    let status;
    try {
      status = checked(guarded(() => m.trainStep(training.stepsPerChunk)));
    } catch (e) {
      training.running = false;
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof Fatal) self.postMessage({ fatal: true, error: message });
      else push('lost', { message });
      return;
    }
    const ms = performance.now() - started;
    // Aim each chunk at CHUNK_MS: more steps when they are quick, one at a time when they are slow.
    const perStep = ms / Math.max(1, training.stepsPerChunk);
    training.stepsPerChunk = Math.max(1, Math.min(64, Math.floor(CHUNK_MS / Math.max(0.01, perStep))));
    training.status = status;
    const now = performance.now();
    if (status.done) {
      training.running = false;
      try {
        const probe = guarded(() => m.trainProbe());
        const report = checked(guarded(() => m.trainEvaluate(training.evalLimit)));
        push('done', { status, probe, report });
      } catch (e) {
        if (e instanceof Fatal) self.postMessage({ fatal: true, error: e.message });
        else push('lost', { message: e.message });
      }
      return;
    }
    if (now - training.lastPush >= PROGRESS_MS) {
      training.lastPush = now;
      const probe = guarded(() => m.trainProbe());
      push('progress', { status, probe: probe.error ? null : probe });
    }
    await yieldToEvents();
  }
}

async function trainStart(options, evalLimit) {
  const m = await wasm();
  training.running = false;
  const r = checked(guarded(() => m.trainStart(options)));
  Object.assign(training, { running: true, stepsPerChunk: 1, lastPush: 0, evalLimit, status: r.status });
  push('progress', { status: r.status, probe: guarded(() => m.trainProbe()) });
  trainLoop(m);
  return r;
}

async function trainStop() {
  training.running = false;
  const m = await wasm();
  const status = checked(guarded(() => m.trainStep(0)));
  push('stopped', { status, probe: guarded(() => m.trainProbe()) });
  return status;
}

async function trainResume() {
  const m = await wasm();
  if (training.running) return training.status;
  const status = checked(guarded(() => m.trainStep(0)));
  if (status.done) return status;
  training.running = true;
  trainLoop(m);
  return status;
}

async function trainCancel() {
  training.running = false;
  const m = await wasm();
  return guarded(() => m.trainDispose());
}

async function trainExport() {
  const m = await wasm();
  return checked(guarded(() => m.trainExport()));
}

async function trainEvaluate(limit) {
  const m = await wasm();
  return checked(guarded(() => m.trainEvaluate(limit)));
}

// A bundle from its three files' contents (an exported training, or a folder's files fetched below).
async function loadBundleFiles(name, config, safetensors, vocab) {
  const m = await wasm();
  const r = checked(guarded(() => m.loadModel(config, safetensors, vocab, name)));
  return { id: r.id, name, task: r.task, description: r.description, config: r.config };
}

// A bundle folder (URL ending in '/'): its three files are fetched here, while the module may still be
// compiling or instantiating, and go straight to it, never through the page's busy main thread. The opening
// model's folder is named by index.html ({prefetch: url, byPage: true}) before the page's scripts have arrived:
// index.html fetches its files itself and hands them over ({prefetched}), and the first loadModelFolder of that
// folder takes them (or fetches them here if index.html could not).
const fetchFolder = (url) => Promise.all([fetchFile(url + 'config.json', 'text'),
  fetchFile(url + 'model.safetensors', 'bytes'), fetchFile(url + 'vocab.json', 'text')]);
const prefetched = new Map(); // folder URL -> Promise<[config, safetensors, vocab]>
const byPage = new Map();     // folder URL -> {resolve, reject}: files index.html is fetching, handed over below
function prefetch(url, fromPage, openingText) {
  if (typeof openingText === 'string') openingAsked = { url, text: openingText };
  performance.mark('attnlab:worker:prefetch', { detail: url });
  const files = fromPage ? new Promise((resolve, reject) => byPage.set(url, { resolve, reject })) : fetchFolder(url);
  files.catch(() => {}); // a failed prefetch is fetched again when the folder is asked for
  prefetched.set(url, files);
}
function handedOver({ prefetched: url, files, failed }) {
  const waiting = byPage.get(url);
  byPage.delete(url);
  if (failed) waiting?.reject(new Error(`index.html could not fetch ${url}`));
  else waiting?.resolve(files);
}

async function loadModelFolder(url) {
  const early = prefetched.get(url);
  prefetched.delete(url);
  const [config, safetensors, vocab] = await (early ? early.catch(() => fetchFolder(url)) : fetchFolder(url));
  if (!performance.getEntriesByName('attnlab:worker:files').length) performance.mark('attnlab:worker:files');
  return loadBundleFiles(decodeURIComponent(url.replace(/\/$/, '').split('/').pop()), config, safetensors, vocab);
}

async function crashForTest() {
  const m = await wasm();
  guarded(() => m.abort('crash requested by a test'));
}

const ops = {
  translate: ({ modelId, text, beam = 1, maxLength = 0, states = false }) => translate(modelId, text, beam, maxLength, states),
  limits: async () => { const m = await wasm(); return guarded(() => m.limits()); },
  reference: ({ english }) => reference(english),
  greedySteps: ({ modelId, text, topK = 5 }) => greedySteps(modelId, text, topK),
  readDates: ({ input, output }) => readDates(input, output),
  randomDate: ({ seed }) => randomDate(seed),
  smallDatesPreset: async () => { const m = await wasm(); return guarded(() => m.smallDatesPreset()); },
  softmaxSaturation: ({ dims, nKeys, trials, seed }) => softmaxSaturation(dims, nKeys, trials, seed),
  trainStart: async ({ options, evalLimit = 0 }) => {
    if (options.task === 'toy-en-fr') await ensureLexicon();
    return trainStart(options, evalLimit);
  },
  trainStop: () => trainStop(),
  trainResume: () => trainResume(),
  trainCancel: () => trainCancel(),
  trainExport: () => trainExport(),
  trainEvaluate: ({ limit = 0 }) => trainEvaluate(limit),
  loadBundleFiles: ({ name, config, safetensors, vocab }) => loadBundleFiles(name, config, safetensors, vocab),
  loadModelFolder: ({ url }) => loadModelFolder(url),
};

self.onmessage = async (event) => {
  if ('prefetch' in event.data) return prefetch(event.data.prefetch, event.data.byPage, event.data.opening);
  if ('prefetched' in event.data) return handedOver(event.data);
  if ('compiled' in event.data) {
    performance.mark('attnlab:worker:compiled');
    receiveCompiled(event.data.compiled);
    return;
  }
  const { id, op, args, crashForTest: crash } = event.data;
  try {
    if (crashed) throw new Fatal(crashed);
    if (crash) await crashForTest();
    if (!ops[op]) throw new Error(`unknown operation ${op}`);
    if (!asked.has(op)) { asked.add(op); performance.mark(`attnlab:worker:${op}:asked`); }
    const result = await ops[op](args || {});
    if (!answered.has(op)) { answered.add(op); performance.mark(`attnlab:worker:${op}`); }
    const transfer = [];
    if (result && result.attention) {
      for (const map of Object.values(result.attention)) transfer.push(map.data.buffer);
    }
    self.postMessage({ id, result }, transfer);
    // the opening model is loaded (and the page told): its opening sentence is translated now, before the next message
    if (op === 'loadModelFolder' && openingAsked?.url === args.url) translateOpening(result.id);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    self.postMessage({ id, error: message || 'unknown error in the attnlab worker', tooLong: e.tooLong, fatal: e instanceof Fatal });
  }
};
