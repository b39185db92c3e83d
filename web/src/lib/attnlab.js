// Promise API over the one shared attnlab worker, used by the page and by the widget.
//   const client = getClient(baseUrl)      // baseUrl: the folder that holds wasm/ and models/
//   const model = await client.loadModel(new URL('models/NAME/', baseUrl))  // {id, name, task, ...}
//   const result = await client.translate(model.id, 'text', {beam: 4, maxLength: 0})
//   await client.limits()                  // {maxChars, maxTokens}
//   await client.reference('the cat sleeps .')  // 'le chat dort .' (the toy en-fr task's own translator)
// Errors reported by the C++ core ({error: "message"}) become rejected promises with that message.
//
// If the wasm module crashes (an abort, a trap, out of memory) or the worker dies, every call in flight
// is rejected with an AttnlabCrash, the worker is dropped, and the next call starts a fresh one that
// loads again, from the same URLs, every model loaded so far. Model ids stay valid across restarts.
//
// Training (one run at a time, in the same worker; the worker steps it in short chunks and yields):
//   await client.train({task: 'dates', preset: 'bahdanau-gru', hidden: 64, ...}, (event, data) => ...)
//     events: 'progress' {status, probe} at a steady rate, 'stopped' {status, probe}, 'done' {status, probe,
//     report}, 'lost' {message} (the module crashed or failed: the run is gone, the page stays usable)
//   await client.stopTraining() / resumeTraining() / cancelTraining()
//   const files = await client.exportTraining()   // {config, safetensors: Uint8Array, vocab}
//   const model = await client.loadBundleFiles('my-model', files)   // then translate(model.id, ...)
// Test-only: client._crashForTest() makes the next message the worker receives abort the module.

const clients = new Map();

/** The wasm module crashed or its worker died; the next call starts it again. */
export class AttnlabCrash extends Error {
  constructor(detail) {
    super(`the WebAssembly module crashed (${detail}). It has been stopped and restarts with its models on the next request: try again.`);
    this.name = 'AttnlabCrash';
  }
}

const folder = (url) => (url.endsWith('/') ? url : url + '/');

// The worker and the wasm compile the page's index.html starts before any module has loaded
// (window.attnlabEarly = {url, worker, failed, compiled, manifest}): taken over by the client of the same base, once.
// A worker that failed to start meanwhile is not taken (the client starts its own).
function takeEarlyWorker(url) {
  const early = globalThis.attnlabEarly;
  if (!early?.worker || early.url !== url) return null;
  const { worker, failed } = early;
  early.worker = null;
  if (failed) { worker.terminate(); return null; }
  worker.onerror = null;
  return worker;
}
function earlyCompiled(url) {
  const early = globalThis.attnlabEarly;
  return early?.url === url ? early.compiled : null;
}
/** index.html's fetch of the model list (a promise of the list, or of the failed Response), taken once by the
 * client of the same base. */
function earlyManifest(url) {
  const early = globalThis.attnlabEarly;
  if (early?.url !== url || !early.manifest) return null;
  const { manifest } = early;
  early.manifest = null;
  return manifest;
}

class AttnlabClient {
  constructor(baseUrl) {
    this.baseUrl = new URL(baseUrl, globalThis.location?.href);
    this.live = null;          // {worker, models: Map<model id, Promise<the worker's own id>>, dead}
    this.pending = new Map();  // message id -> {resolve, reject}
    this.nextId = 1;
    this.urls = new Map();     // model id (ours, stable across restarts) -> bundle folder URL
    this.loads = new Map();    // bundle folder URL -> Promise<model info>
    this.crashes = 0;
    this.crashNext = false;
    this.training = null;      // {session, onEvent}: the run in progress
  }

  /** The live worker session, started (again) if there is none; a restart reloads every known model. */
  session() {
    if (this.live) return this.live;
    const url = new URL('wasm/worker.js', this.baseUrl).href;
    const early = takeEarlyWorker(url);
    const worker = early || new Worker(url, { type: 'module', name: 'attnlab' });
    const s = { worker, models: new Map(), dead: null };
    this.live = s;
    // index.html hands its early worker the compiled module itself
    if (!early) this.compiled().then((module) => { if (!s.dead) worker.postMessage({ compiled: module }); });
    worker.onmessage = (event) => {
      const { id, result, error, tooLong, fatal, stream } = event.data;
      if (fatal) return this.crashed(s, error);
      if (stream === 'train') {
        if (this.training?.session === s) this.training.onEvent(event.data.event, event.data.data);
        return;
      }
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (error !== undefined) p.reject(Object.assign(new Error(error), tooLong ? { tooLong } : {}));
      else p.resolve(result);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.crashed(s, `the worker failed: ${event.message || 'it could not start'}`);
    };
    worker.onmessageerror = () => this.crashed(s, 'a reply of the worker could not be read');
    for (const [id, url] of this.urls) this.reload(s, id, url);
    return s;
  }

  /** The wasm module, fetched and compiled once by the page while the worker starts (a worker would first
   * fetch its own script; index.html starts this compile before any module loads), then handed to every
   * worker, a restarted one too; null when the page cannot compile it (the worker then fetches the .wasm itself). */
  compiled() {
    if (this.compiledPromise === undefined) {
      this.compiledPromise = earlyCompiled(new URL('wasm/worker.js', this.baseUrl).href) || (typeof WebAssembly.compileStreaming === 'function'
        ? WebAssembly.compileStreaming(fetch(new URL('wasm/attnlab.wasm', this.baseUrl))).catch(() => null)
        : Promise.resolve(null));
    }
    return this.compiledPromise;
  }

  /** Stops a crashed session's worker and rejects every call in flight. */
  crashed(s, detail) {
    if (s.dead) return;
    s.dead = new AttnlabCrash(detail);
    s.worker.terminate();
    if (this.live === s) this.live = null;
    this.crashes++;
    for (const p of this.pending.values()) p.reject(s.dead);
    this.pending.clear();
    if (this.training?.session === s) {
      const { onEvent } = this.training;
      this.training = null;
      onEvent('lost', { message: `training lost: ${s.dead.message}` });
    }
  }

  post(s, op, args) {
    if (s.dead) return Promise.reject(s.dead);
    const id = this.nextId++;
    const message = { id, op, args };
    if (this.crashNext) { message.crashForTest = true; this.crashNext = false; }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      s.worker.postMessage(message);
    });
  }

  call(op, args) {
    return this.post(this.session(), op, args);
  }

  /** Loads model `id` (ours) into session `s` again; resolves to the worker's id for it. */
  reload(s, id, url) {
    const p = (typeof url === 'string' ? this.post(s, 'loadModelFolder', { url }) : this.post(s, 'loadBundleFiles', url))
      .then((info) => info.id);
    p.catch(() => { if (s.models.get(id) === p) s.models.delete(id); }); // retried by the next call
    s.models.set(id, p);
    return p;
  }

  /** url: a model bundle folder (config.json, model.safetensors, vocab.json); resolved against baseUrl. The worker
   * fetches the files itself (while its module may still be compiling): the page only sends the folder's URL. */
  loadModel(url) {
    const href = folder(new URL(url, this.baseUrl).href);
    if (!this.loads.has(href)) {
      const s = this.session();
      const p = this.post(s, 'loadModelFolder', { url: href }).then((info) => {
        const id = this.urls.size + 1;
        this.urls.set(id, href);
        if (!s.dead) s.models.set(id, Promise.resolve(info.id));
        return { ...info, id };
      });
      this.loads.set(href, p);
      p.catch(() => this.loads.delete(href)); // a failed load may be retried
    }
    return this.loads.get(href);
  }

  /** A bundle from its three files ({config, safetensors: Uint8Array, vocab}, as exportTraining gives); kept, so a
   * restarted worker loads it again. Resolves to model info with our id, as loadModel. */
  async loadBundleFiles(name, files) {
    const source = { name, config: files.config, safetensors: files.safetensors.slice(), vocab: files.vocab };
    const s = this.session();
    const info = await this.post(s, 'loadBundleFiles', source);
    const id = this.urls.size + 1;
    this.urls.set(id, source);
    if (!s.dead) s.models.set(id, Promise.resolve(info.id));
    return { ...info, id };
  }

  /** Starts a training run (replacing any other); onEvent(event, data) receives its stream. Resolves to
   * {parameters, probe, status}. evalLimit: test examples evaluated at the end (0: all). */
  train(options, onEvent, { evalLimit = 0 } = {}) {
    const s = this.session();
    this.training = { session: s, onEvent };
    return this.post(s, 'trainStart', { options, evalLimit }).catch((e) => {
      if (this.training?.session === s && !(e instanceof AttnlabCrash)) this.training = null;
      throw e;
    });
  }

  /** The run's worker, or a rejection when there is none (it was lost with a crashed worker). */
  trainingCall(op, args) {
    if (!this.training) return Promise.reject(new Error('no training in progress'));
    return this.post(this.training.session, op, args);
  }

  stopTraining() { return this.trainingCall('trainStop'); }
  resumeTraining() { return this.trainingCall('trainResume'); }
  exportTraining() { return this.trainingCall('trainExport'); }
  evaluateTraining(limit = 0) { return this.trainingCall('trainEvaluate', { limit }); }
  cancelTraining() {
    const p = this.trainingCall('trainCancel');
    this.training = null;
    return p;
  }

  /** Posts op with the worker's id of model `modelId` (ours), reloading it into a fresh worker if needed. */
  async withModel(op, modelId, args) {
    const url = this.urls.get(modelId);
    if (!url) throw new Error(`no model loaded with id ${modelId}`);
    const s = this.session();
    const workerId = await (s.models.get(modelId) || this.reload(s, modelId, url));
    return this.post(s, op, { modelId: workerId, ...args });
  }

  /**
   * {sourceTokens, outputTokens, translation, logProb, attention, scores}; with states: true also the
   * primer's §5 weighted sum as the model computed it: states {cross: (Ts, D·H)} the encoder states h_i
   * and context {cross: (To, D·H)} the context vectors c_t = Σ_i α_{t,i} h_i (RNN models with attention);
   * for a Transformer the §10 weighted sum of each head: values {encoder_self, decoder_self, cross:
   * (L, h, keys, d/h)} the head's value vectors v_i and headContext {…: (L, h, queries, d/h)} its output
   * o_t = Σ_i α_{t,i} v_i (Aaren: encoder_self and cross).
   */
  translate(modelId, text, { beam = 1, maxLength = 0, states = false } = {}) {
    return this.withModel('translate', modelId, { text, beam, maxLength, states });
  }

  /** Greedy decoding step by step: {sourceTokens, steps: [{inputToken, inputEmbedding, attention, scores, top, outputToken}]}. */
  greedySteps(modelId, text, { topK = 5 } = {}) {
    return this.withModel('greedySteps', modelId, { text, topK });
  }

  /**
   * The library's check of a dates translation: {input: {iso, format, pattern} | null, inputProblem,
   * outputIsDate, outputProblem, warning, formats: [{pattern, example}]}; a problem is
   * 'none' | 'not_a_date' | 'impossible_date' | 'year_out_of_range'.
   */
  readDates(input, output) {
    return this.call('readDates', { input, output });
  }

  /** A random date of the dates task in a random format, from an integer seed: {text, iso, pattern}. */
  randomDate(seed) {
    return this.call('randomDate', { seed });
  }

  /** The small, fast dates preset for training in the browser, as train()'s options: {task, preset, embedding, hidden, attentionSize, epochs}. */
  smallDatesPreset() {
    return this.call('smallDatesPreset', {});
  }

  /** Primer §6: [{dK, entropyUnscaled, entropyScaled, maxWeightUnscaled, maxWeightScaled}] for random q, k. */
  softmaxSaturation(dims, { nKeys = 10, trials = 200, seed = 1 } = {}) {
    return this.call('softmaxSaturation', { dims, nKeys, trials, seed });
  }

  /** {maxChars, maxTokens}: the length limits the module applies (a longer sentence is rejected with e.tooLong = {chars, tokens}). */
  limits() {
    this.limitsPromise ||= this.call('limits').catch((e) => { this.limitsPromise = null; throw e; });
    return this.limitsPromise;
  }

  /** The toy English -> French task's own French for an English sentence of its grammar (tokens separated by spaces). */
  reference(english) {
    return this.call('reference', { english });
  }

  /** Test-only: the next message the worker receives aborts the wasm module (Emscripten's abort()). */
  _crashForTest() {
    this.crashNext = true;
  }

  /** The models/index.json manifest written at build time (the first call takes index.html's fetch of it, if any). */
  async models() {
    const early = earlyManifest(new URL('wasm/worker.js', this.baseUrl).href);
    const response = await (early || fetch(new URL('models/index.json', this.baseUrl)));
    if (!(response instanceof Response)) return response; // index.html's, already read
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
