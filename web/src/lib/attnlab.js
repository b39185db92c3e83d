// Promise API over the one shared attnlab worker, used by the page and by the widget.
//   const client = getClient(baseUrl)      // baseUrl: the folder that holds wasm/ and models/
//   const model = await client.loadModel(new URL('models/NAME/', baseUrl))  // {id, name, task, ...}
//   const result = await client.translate(model.id, 'text', {beam: 4, maxLength: 0})
// Errors reported by the C++ core ({error: "message"}) become rejected promises with that message.

const clients = new Map();

class AttnlabClient {
  constructor(baseUrl) {
    this.baseUrl = new URL(baseUrl, globalThis.location?.href);
    this.worker = new Worker(new URL('wasm/worker.js', this.baseUrl), { type: 'module', name: 'attnlab' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = (event) => {
      const { id, result, error } = event.data;
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (error !== undefined) p.reject(new Error(error));
      else p.resolve(result);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new Error(`the attnlab worker failed: ${event.message || 'could not start'}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
  }

  call(op, args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args });
    });
  }

  /** url: a model bundle folder (config.json, model.safetensors, vocab.json); resolved against baseUrl. */
  loadModel(url) {
    return this.call('loadModel', { url: new URL(url, this.baseUrl).href });
  }

  translate(modelId, text, { beam = 1, maxLength = 0 } = {}) {
    return this.call('translate', { modelId, text, beam, maxLength });
  }

  gemmKernel() {
    return this.call('gemmKernel');
  }

  /** The models/index.json manifest written at build time. */
  async models() {
    const response = await fetch(new URL('models/index.json', this.baseUrl));
    if (!response.ok) throw new Error(`could not fetch the model list (HTTP ${response.status})`);
    return response.json();
  }
}

/** One client (one worker) per base URL, shared by every caller in the page. */
export function getClient(baseUrl) {
  const key = new URL(baseUrl, globalThis.location?.href).href;
  if (!clients.has(key)) clients.set(key, new AttnlabClient(key));
  return clients.get(key);
}

/** The folder that holds wasm/ and models/: the parent of the folder of the calling module's file. */
export function defaultBase(moduleUrl) {
  const up = '..';
  return new URL(up + '/', moduleUrl).href;
}
