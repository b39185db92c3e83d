// <attnlab-translate model="NAME" sentence="…" [beam="1"] [base="URL"]>: a small translator with its
// attention map, in shadow DOM. It finds the wasm module and the models relative to its own file
// (the folder above it holds wasm/ and models/) unless `base` says otherwise. Every widget of a page
// shares one worker.
import heatmapCss from './lib/heatmap.css?inline';
import { getClient, defaultBase } from './lib/attnlab.js';
import { renderAttention } from './lib/heatmap.js';
import { checkInput, unknownWarning, tokenSpans } from './lib/format.js';

const CSS = `
:host { display: block; margin: 1rem 0; font: 15px/1.5 system-ui, sans-serif; color: #1b1b1b; }
.box { border: 1px solid #c8d3e6; border-radius: 8px; padding: .75rem; background: #f7f9fd; }
.row { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
input { flex: 1 1 12rem; min-width: 0; font: inherit; padding: .35rem .5rem; border: 1px solid #888; border-radius: 4px; }
button { font: inherit; padding: .35rem .9rem; border: 1px solid #1a56b8; border-radius: 4px; background: #1a73e8; color: #fff; cursor: pointer; }
button:disabled { opacity: .6; }
input:focus-visible, button:focus-visible { outline: 3px solid #f9ab00; outline-offset: 1px; }
.output { font-size: 1.1rem; margin: .4rem 0 .2rem; word-break: break-word; }
.tokens { margin: 0 0 .4rem; word-break: break-word; font-size: .9rem; }
.tok { display: inline-block; margin: 0 .15rem .15rem 0; padding: 0 .25rem; border-radius: 3px; background: #e8ecf4; }
.tok.unk { background: #fde8e8; color: #8c1d18; text-decoration: underline wavy #d93025; }
.error { background: #fde8e8; border: 1px solid #d93025; color: #8c1d18; padding: .35rem .6rem; border-radius: 4px; margin: .4rem 0; }
.warning { background: #fff4d6; border: 1px solid #e0a800; color: #5c4400; padding: .35rem .6rem; border-radius: 4px; margin: .4rem 0; }
.meta { color: #555; font-size: .85rem; margin: 0 0 .4rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
${heatmapCss}`;

let counter = 0;

class AttnlabTranslate extends HTMLElement {
  static get observedAttributes() { return ['model', 'sentence', 'beam']; }

  constructor() {
    super();
    this.uid = `attnlab-w${++counter}`;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${CSS}</style>
      <div class="box" part="box">
        <form class="row">
          <label class="visually-hidden" for="in">Sentence to translate</label>
          <input id="in" type="text" autocomplete="off" spellcheck="false">
          <button type="submit">Translate</button>
        </form>
        <div class="error" role="alert" hidden></div>
        <p class="output" aria-live="polite">Loading…</p>
        <p class="tokens"></p>
        <div class="warning" role="status" hidden></div>
        <p class="meta"></p>
        <div class="map"></div>
      </div>`;
    this.ui = {
      form: root.querySelector('form'), input: root.querySelector('input'), button: root.querySelector('button'),
      error: root.querySelector('.error'), output: root.querySelector('.output'), tokens: root.querySelector('.tokens'),
      warning: root.querySelector('.warning'), meta: root.querySelector('.meta'), map: root.querySelector('.map'),
    };
    this.ui.form.addEventListener('submit', (e) => { e.preventDefault(); this.translate(); });
    this.seq = 0;
  }

  connectedCallback() {
    if (!this.ui.input.value) this.ui.input.value = this.getAttribute('sentence') || '';
    this.ui.input.setAttribute('aria-label', `Sentence to translate with ${this.getAttribute('model') || 'the model'}`);
    this.load();
  }

  attributeChangedCallback(name, oldValue, value) {
    if (!this.isConnected || oldValue === value) return;
    if (name === 'sentence') this.ui.input.value = value || '';
    if (name === 'model') this.load();
    else this.translate();
  }

  get client() {
    return getClient(this.getAttribute('base') || defaultBase(import.meta.url));
  }

  async load() {
    const name = this.getAttribute('model');
    this.model = null;
    if (!name) { // the page may set it later; say so only if it never does
      setTimeout(() => { if (!this.getAttribute('model')) this.fail('This widget needs a model="NAME" attribute.'); }, 2000);
      return;
    }
    const seq = ++this.seq;
    try {
      const model = await this.client.loadModel(`models/${encodeURIComponent(name)}/`);
      if (seq !== this.seq) return;
      this.model = model;
      await this.translate();
    } catch (e) {
      if (seq === this.seq) this.fail(`Could not load the model ${name}: ${e.message}`);
    }
  }

  fail(message) {
    this.ui.error.textContent = message;
    this.ui.error.hidden = false;
    this.ui.output.textContent = '';
    this.dispatchEvent(new CustomEvent('attnlab-error', { detail: { message }, bubbles: true, composed: true }));
  }

  async translate() {
    if (!this.model) return;
    const text = this.ui.input.value;
    const problem = checkInput(text);
    if (problem) return this.fail(problem);
    const seq = ++this.seq;
    const beam = Math.max(1, Number(this.getAttribute('beam')) || 1);
    this.ui.button.disabled = true;
    const t0 = performance.now();
    try {
      const result = await this.client.translate(this.model.id, text, { beam });
      if (seq !== this.seq) return;
      const ms = performance.now() - t0;
      this.ui.error.hidden = true;
      this.ui.output.textContent = result.translation || '(empty translation)';
      this.ui.tokens.replaceChildren(...tokenSpans(document, result));
      const warning = unknownWarning(result);
      this.ui.warning.textContent = warning || '';
      this.ui.warning.hidden = !warning;
      this.ui.meta.textContent = `${this.getAttribute('model')} · beam ${beam} · ${ms.toFixed(1)} ms`;
      renderAttention(this.ui.map, result, { idPrefix: this.uid });
      this.result = result;
      this.dispatchEvent(new CustomEvent('attnlab-translated', { detail: { translation: result.translation }, bubbles: true, composed: true }));
    } catch (e) {
      if (seq === this.seq) this.fail(`Could not translate: ${e.message}`);
    } finally {
      if (seq === this.seq) this.ui.button.disabled = false;
    }
  }
}

if (!customElements.get('attnlab-translate')) customElements.define('attnlab-translate', AttnlabTranslate);
export { AttnlabTranslate };
