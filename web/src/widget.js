// <attnlab-translate model="NAME" sentence="…" [lang="zh|en"] [section="seq2seq"] [view="cross:all"] [beam="1"] [base="URL"]>:
// a small translator with its attention map, in shadow DOM, in the reader's language (lang, else the page's
// choice). section opens a section of the page (sections.js) on its model, sentence and view, with what
// the page shows there beside the map: section="embedding" the step-through of greedy decoding (§3),
// section="scores" the softmax saturation demo (§6); view picks the map (map[:layer][:head]). It finds the wasm module and the models relative to its own file (the folder
// above it holds wasm/ and models/) unless `base` says otherwise. Every widget of a page shares one worker.
import heatmapCss from './lib/heatmap.css?inline';
import demosCss from './lib/demos.css?inline';
import { getClient, defaultBase } from './lib/attnlab.js';
import { renderAttention } from './lib/heatmap.js';
import { checkInput, translateError, unknownWarning, tokenSpans } from './lib/format.js';
import { t, chooseLang, LANGS } from './lib/i18n.js';
import { SECTIONS } from './lib/sections.js';
import { renderSteps } from './lib/steps.js';
import { renderSaturation, SATURATION } from './lib/saturation.js';

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
.extra { margin-top: .5rem; border-top: 1px solid #c8d3e6; overflow-x: auto; }
.extra h3 { margin: .4rem 0; font-size: 1rem; }
.extra button { padding: .2rem .6rem; }
${heatmapCss}
${demosCss}`;

let counter = 0;

class AttnlabTranslate extends HTMLElement {
  static get observedAttributes() { return ['model', 'sentence', 'beam', 'lang', 'section', 'view']; }

  /** The reader's language: the lang attribute (zh or en), else the page's choice. */
  get readerLang() {
    const asked = (this.getAttribute('lang') || '').slice(0, 2).toLowerCase();
    return LANGS.includes(asked) ? asked : chooseLang();
  }

  m(key, params) { return t(this.readerLang, key, params); }

  /** The section named by the section attribute (sections.js): its model, sentence and view are the defaults. */
  get section() { return SECTIONS.find((s) => s.id === this.getAttribute('section')) || null; }

  get modelName() { return this.getAttribute('model') || this.section?.model || null; }

  /** view="cross", "decoder_self", "cross:all", "encoder_self:1:mean" (map[:layer][:head], layer counted from 0). */
  get view() {
    const v = this.getAttribute('view');
    if (!v) return this.section?.view || null;
    const [name, a, b] = v.split(':');
    const head = (x) => (['mean', 'all', 'grid'].includes(x) ? x : Number(x));
    if (b !== undefined) return { name, layer: Number(a), head: head(b) };
    if (a !== undefined) return /^\d+$/.test(a) ? { name, layer: Number(a) } : { name, head: head(a) };
    return { name };
  }

  constructor() {
    super();
    this.uid = `attnlab-w${++counter}`;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${CSS}</style>
      <div class="box" part="box">
        <form class="row">
          <label class="visually-hidden" for="in"></label>
          <input id="in" type="text" autocomplete="off" spellcheck="false">
          <button type="submit"></button>
        </form>
        <div class="error" role="alert" hidden></div>
        <p class="output" aria-live="polite" translate="no"></p>
        <p class="tokens"></p>
        <div class="warning" role="status" hidden></div>
        <p class="meta"></p>
        <div class="map"></div>
        <div class="extra" hidden></div>
      </div>`;
    this.ui = {
      form: root.querySelector('form'), input: root.querySelector('input'), button: root.querySelector('button'),
      error: root.querySelector('.error'), output: root.querySelector('.output'), tokens: root.querySelector('.tokens'),
      warning: root.querySelector('.warning'), meta: root.querySelector('.meta'), map: root.querySelector('.map'),
      label: root.querySelector('label'), extra: root.querySelector('.extra'),
    };
    this.ui.form.addEventListener('submit', (e) => { e.preventDefault(); this.translate(); });
    this.seq = 0;
  }

  connectedCallback() {
    if (!this.ui.input.value) this.ui.input.value = this.getAttribute('sentence') || this.section?.sentence || '';
    this.applyLanguage();
    this.ui.output.textContent = this.m('status.loading');
    this.load();
  }

  applyLanguage() {
    this.ui.label.textContent = this.m('sentence.label');
    this.ui.button.textContent = this.m('translate');
    this.ui.input.setAttribute('aria-label', this.m('widget.label', { model: this.modelName || '' }));
  }

  attributeChangedCallback(name, oldValue, value) {
    if (!this.isConnected || oldValue === value) return;
    if (name === 'lang') {
      this.applyLanguage();
      if (this.result) this.show(this.result);
      return;
    }
    if (name === 'sentence') this.ui.input.value = value || '';
    if (name === 'model' || name === 'section') {
      this.applyLanguage(); // the input's label names the model
      this.load();
    } else this.translate();
  }

  get client() {
    return getClient(this.getAttribute('base') || defaultBase(import.meta.url));
  }

  async load() {
    const name = this.modelName;
    this.model = null;
    if (!name) { // the page may set it later; say so only if it never does
      setTimeout(() => { if (!this.modelName) this.fail(this.m('error.needsModel')); }, 2000);
      return;
    }
    const seq = ++this.seq;
    try {
      const model = await this.client.loadModel(`models/${encodeURIComponent(name)}/`);
      if (seq !== this.seq) return;
      this.model = model;
      await this.translate();
    } catch (e) {
      if (seq === this.seq) this.fail(this.m('error.load', { name, detail: e.message }));
    }
  }

  fail(message) {
    this.ui.error.textContent = message;
    this.ui.error.hidden = false;
    this.result = null;
    for (const n of [this.ui.output, this.ui.tokens, this.ui.meta, this.ui.map, this.ui.extra]) n.replaceChildren();
    this.ui.warning.hidden = true;
    this.ui.extra.hidden = true;
    this.dispatchEvent(new CustomEvent('attnlab-error', { detail: { message }, bubbles: true, composed: true }));
  }

  async translate() {
    if (!this.model) return;
    const text = this.ui.input.value;
    const problem = checkInput(text, this.readerLang);
    if (problem) return this.fail(problem);
    const seq = ++this.seq;
    const beam = Math.max(1, Number(this.getAttribute('beam')) || 1);
    this.ui.button.disabled = true;
    const t0 = performance.now();
    try {
      const [result, limits] = await Promise.all([this.client.translate(this.model.id, text, { beam }), this.client.limits()]);
      const ms = performance.now() - t0;
      // what the page shows beside the map in this section: §3's step-through, §6's saturation demo
      const id = this.section?.id;
      const steps = id === 'embedding' ? await this.client.greedySteps(this.model.id, text) : null;
      const saturation = id === 'scores' ? await this.client.softmaxSaturation(SATURATION.dims, SATURATION) : null;
      if (seq !== this.seq) return;
      this.limits = limits;
      this.ui.error.hidden = true;
      this.show({ result, beam, ms, steps, saturation });
      this.dispatchEvent(new CustomEvent('attnlab-translated', { detail: { translation: result.translation }, bubbles: true, composed: true }));
    } catch (e) {
      if (seq === this.seq) this.fail(translateError(e, this.readerLang, this.limits || await this.client.limits().catch(() => null)));
    } finally {
      if (seq === this.seq) this.ui.button.disabled = false;
    }
  }
}


// The widget's result drawing, in its language (redrawn when the lang attribute changes).
AttnlabTranslate.prototype.show = function show(r) {
  const { result, beam, ms } = r;
  const stepAt = this.result === r && this.steps ? this.steps.step : 0; // a language switch keeps the step
  this.result = r;
  this.ui.output.textContent = result.translation || this.m('output.empty');
  this.ui.tokens.replaceChildren(...tokenSpans(document, result, this.readerLang));
  const warning = unknownWarning(result, this.readerLang);
  this.ui.warning.textContent = warning || '';
  this.ui.warning.hidden = !warning;
  const name = document.createElement('span');
  name.setAttribute('translate', 'no');
  name.textContent = this.modelName;
  this.ui.meta.replaceChildren(name, document.createTextNode(` · ${this.m('meta.widget', { beam, ms: ms.toFixed(1) })}`));
  renderAttention(this.ui.map, result, { idPrefix: this.uid, lang: this.readerLang, view: this.viewState || this.view,
    onView: (v) => { this.viewState = v; } });
  this.ui.extra.hidden = !r.steps && !r.saturation;
  this.ui.extra.replaceChildren();
  this.steps = r.steps ? renderSteps(this.ui.extra, r.steps, this.readerLang, stepAt) : null;
  if (r.saturation) renderSaturation(this.ui.extra, r.saturation, this.readerLang, SATURATION.nKeys);
};

if (!customElements.get('attnlab-translate')) customElements.define('attnlab-translate', AttnlabTranslate);
export { AttnlabTranslate };
