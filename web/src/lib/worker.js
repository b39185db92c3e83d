// The Web Worker that owns the attnlab wasm module (single-threaded). It is copied next to
// attnlab.mjs/attnlab.wasm (public/wasm/) by scripts/prepare.mjs, so the Emscripten glue finds its
// .wasm relative to itself. Protocol: {id, op, args} in, {id, result} or {id, error} out.
// Errors the C++ core reports ({error}) leave the module usable. Anything thrown by the module itself
// (an abort, a trap, running out of memory) leaves it in an unknown state: the reply then carries
// `fatal: true`, the worker answers every later message the same way, and the client (attnlab.js)
// replaces it with a fresh worker.
// Test-only: a message with `crashForTest: true` aborts the module (its Emscripten abort()) instead of
// running the operation; see AttnlabClient._crashForTest().
import createAttnlab from './attnlab.mjs';

let modulePromise = null;
let crashed = null; // the message of the crash that made this module unusable
const byUrl = new Map(); // model folder URL -> Promise<{id, name, task, description, config}>

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

function wasm() {
  if (!modulePromise) modulePromise = createAttnlab().catch((e) => { throw fatal(e); });
  return modulePromise;
}

async function fetchFile(url, kind) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url} (HTTP ${response.status})`);
  return kind === 'bytes' ? new Uint8Array(await response.arrayBuffer()) : response.text();
}

async function loadModel(folderUrl) {
  const base = folderUrl.endsWith('/') ? folderUrl : folderUrl + '/';
  if (!byUrl.has(base)) {
    const promise = (async () => {
      const name = decodeURIComponent(base.replace(/\/$/, '').split('/').pop());
      const [m, config, weights, vocab] = await Promise.all([
        wasm(),
        fetchFile(base + 'config.json', 'text'),
        fetchFile(base + 'model.safetensors', 'bytes'),
        fetchFile(base + 'vocab.json', 'text'),
      ]);
      const r = guarded(() => m.loadModel(config, weights, vocab, name));
      if (r.error) throw new Error(r.error);
      return { id: r.id, name, task: r.task, description: r.description, config: r.config };
    })();
    byUrl.set(base, promise);
    promise.catch(() => byUrl.delete(base)); // a failed load may be retried
  }
  return byUrl.get(base);
}

async function translate(modelId, text, beam, maxLength) {
  const m = await wasm();
  const r = guarded(() => m.translate(modelId, text, beam, maxLength));
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

let lexicon = null; // Promise: the toy English -> French lexicon handed to the module once
async function reference(english) {
  const m = await wasm();
  lexicon ||= fetchFile(new URL('../data/toy_en_fr/lexicon.json', self.location.href).href, 'text')
    .then((text) => { const r = guarded(() => m.setLexicon(text)); if (r.error) throw new Error(r.error); });
  lexicon.catch(() => { lexicon = null; });
  await lexicon;
  const r = guarded(() => m.referenceTranslation(english));
  if (r.error) throw new Error(r.error);
  return r.text;
}

async function crashForTest() {
  const m = await wasm();
  guarded(() => m.abort('crash requested by a test'));
}

const ops = {
  loadModel: ({ url }) => loadModel(url),
  translate: ({ modelId, text, beam = 1, maxLength = 0 }) => translate(modelId, text, beam, maxLength),
  gemmKernel: async () => { const m = await wasm(); return guarded(() => m.gemmKernel()); },
  limits: async () => { const m = await wasm(); return guarded(() => m.limits()); },
  reference: ({ english }) => reference(english),
  greedySteps: ({ modelId, text, topK = 5 }) => greedySteps(modelId, text, topK),
  readDates: ({ input, output }) => readDates(input, output),
  softmaxSaturation: ({ dims, nKeys, trials, seed }) => softmaxSaturation(dims, nKeys, trials, seed),
};

self.onmessage = async (event) => {
  const { id, op, args, crashForTest: crash } = event.data;
  try {
    if (crashed) throw new Fatal(crashed);
    if (crash) await crashForTest();
    if (!ops[op]) throw new Error(`unknown operation ${op}`);
    const result = await ops[op](args || {});
    const transfer = [];
    if (result && result.attention) {
      for (const map of Object.values(result.attention)) transfer.push(map.data.buffer);
    }
    self.postMessage({ id, result }, transfer);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    self.postMessage({ id, error: message || 'unknown error in the attnlab worker', tooLong: e.tooLong, fatal: e instanceof Fatal });
  }
};
