// The Web Worker that owns the attnlab wasm module (single-threaded). It is copied next to
// attnlab.mjs/attnlab.wasm (public/wasm/) by scripts/prepare.mjs, so the Emscripten glue finds its
// .wasm relative to itself. Protocol: {id, op, args} in, {id, result} or {id, error} out.
import createAttnlab from './attnlab.mjs';

let modulePromise = null;
const byUrl = new Map(); // model folder URL -> Promise<{id, name, task, description, config}>

function wasm() {
  if (!modulePromise) modulePromise = createAttnlab();
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
      const r = m.loadModel(config, weights, vocab, name);
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
  const r = m.translate(modelId, text, beam, maxLength);
  if (r.error) throw new Error(r.error);
  return r;
}

const ops = {
  loadModel: ({ url }) => loadModel(url),
  translate: ({ modelId, text, beam = 1, maxLength = 0 }) => translate(modelId, text, beam, maxLength),
  gemmKernel: async () => (await wasm()).gemmKernel(),
};

self.onmessage = async (event) => {
  const { id, op, args } = event.data;
  try {
    if (!ops[op]) throw new Error(`unknown operation ${op}`);
    const result = await ops[op](args || {});
    const transfer = [];
    if (result && result.attention) {
      for (const map of Object.values(result.attention)) transfer.push(map.data.buffer);
    }
    self.postMessage({ id, result }, transfer);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    self.postMessage({ id, error: message || 'unknown error in the attnlab worker' });
  }
};
