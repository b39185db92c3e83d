// Primer §3: greedy decoding one step at a time, from the module's greedySteps(): the previous output fed
// back through the embedding, this step's attention row over the source with the raw scores behind it
// (before the softmax), the top-5 next tokens with their probabilities, and the output so far; Back and
// Forward move between steps.
import { t } from './i18n.js';
import { colour } from './heatmap.js';
import { showToken } from './format.js';

const SHOWN_DIMS = 8;

function h(name, attrs = {}, text) {
  const n = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

/** The attention row of a step: the RNN's (Ts), a Transformer's cross row averaged over its last layer's heads. */
export function stepRow(step) {
  const a = step.attention.cross;
  if (!a) return null;
  const ts = a.shape[a.shape.length - 1];
  if (a.shape.length === 1) return Array.from(a.data);
  const [layers, heads] = a.shape;
  const row = new Array(ts).fill(0);
  const base = (layers - 1) * heads * ts;
  for (let hd = 0; hd < heads; hd++) for (let c = 0; c < ts; c++) row[c] += a.data[base + hd * ts + c] / heads;
  return row;
}

/**
 * The raw scores behind this step's cross-attention, one row per softmax: the RNN's one row (Ts); a
 * Transformer's one row per head of its last layer (a mean of heads has no scores of its own).
 * -> [{head: null | h, scores: [...]}] or null.
 */
export function stepScoreRows(step) {
  const e = step.scores?.cross;
  if (!e) return null;
  const ts = e.shape[e.shape.length - 1];
  const value = (v) => (Number.isFinite(v) ? v : -Infinity);
  if (e.shape.length === 1) return [{ head: null, scores: Array.from(e.data, value) }];
  const [layers, heads] = e.shape;
  const base = (layers - 1) * heads * ts;
  return Array.from({ length: heads }, (_, hd) => ({ head: hd, scores: Array.from(e.data.slice(base + hd * ts, base + (hd + 1) * ts), value) }));
}

/** Renders the step-through of `g` ({sourceTokens, steps}) into container, at step index `at`. */
export function renderSteps(container, g, lang, at = 0) {
  const m = (k, p) => t(lang, k, p);
  const n = g.steps.length;
  let i = Math.max(0, Math.min(at, n - 1));
  container.replaceChildren();
  container.append(h('h3', {}, m('steps.title')));
  const bar = h('div', { class: 'row steps-bar' });
  const back = h('button', { type: 'button', id: 'step-back' }, m('steps.back'));
  const fwd = h('button', { type: 'button', id: 'step-forward' }, m('steps.forward'));
  const pos = h('span', { id: 'step-position', 'aria-live': 'polite' });
  bar.append(back, pos, fwd);
  const body = h('div', { class: 'steps-body' });
  container.append(bar, body);

  function draw() {
    const s = g.steps[i];
    container.dataset.step = String(i);
    pos.textContent = m('steps.position', { t: i + 1, n });
    back.disabled = i === 0;
    fwd.disabled = i === n - 1;
    body.replaceChildren();
    // 1. the previous output, fed back through the embedding
    const d = s.inputEmbedding.length;
    const [before, after] = m('steps.input', { token: '\u0000', k: Math.min(SHOWN_DIMS, d), d }).split('\u0000');
    const input = h('p', {}, before);
    input.append(h('code', { class: 'step-input', translate: 'no' }, s.inputToken), document.createTextNode(after));
    const vec = h('p', { class: 'step-embedding', translate: 'no' },
      `[${Array.from(s.inputEmbedding.slice(0, SHOWN_DIMS)).map((v) => v.toFixed(3)).join(', ')}${d > SHOWN_DIMS ? ', …' : ''}]`);
    body.append(input, vec);
    // 2. this step's attention row
    const row = stepRow(s);
    if (row) {
      body.append(h('p', {}, m('steps.attention')));
      const cells = h('div', { class: 'step-row', translate: 'no' });
      row.forEach((v, c) => {
        const cell = h('span', { class: 'step-cell', 'data-col': c, 'data-value': String(v), title: v.toFixed(3) });
        cell.style.background = colour(v);
        cell.style.color = v > 0.5 ? '#000' : '#fff';
        cell.textContent = showToken(g.sourceTokens[c] ?? '?');
        cells.append(cell);
      });
      body.append(cells);
    }
    // 2b. the raw scores behind it, before the softmax
    const scoreRows = stepScoreRows(s);
    if (scoreRows) {
      body.append(h('p', {}, m('steps.scores')));
      const table = h('table', { class: 'step-scores' });
      for (const r of scoreRows) {
        const tr = h('tr', r.head === null ? {} : { 'data-head': r.head });
        tr.append(h('th', { scope: 'row', translate: 'no' }, r.head === null ? 'e' : m('steps.head', { h: r.head + 1 })));
        r.scores.forEach((v, c) => tr.append(h('td', { translate: 'no', 'data-col': c, 'data-score': String(v) }, v === -Infinity ? '−∞' : v.toFixed(3))));
        table.append(tr);
      }
      body.append(table);
    }
    // 3. the top 5 next tokens
    body.append(h('p', {}, m('steps.top')));
    const table = h('table', { class: 'step-top' });
    const head = h('tr');
    head.append(h('th', { scope: 'col' }, m('steps.token')), h('th', { scope: 'col' }, m('steps.probability')));
    table.append(head);
    s.top.forEach((c, k) => {
      const tr = h('tr', { class: k === 0 ? 'chosen' : '' });
      const bar = h('span', { class: 'prob-bar' });
      bar.style.width = `${(100 * c.probability).toFixed(1)}%`;
      const p = h('td', { translate: 'no', 'data-probability': String(c.probability) });
      p.append(bar, h('span', { class: 'prob-value' }, c.probability.toFixed(4)));
      tr.append(h('td', { translate: 'no', class: 'step-token' }, c.token), p);
      table.append(tr);
    });
    body.append(table);
    // 4. the output so far
    const so = h('p', {}, m('steps.output') + ' ');
    so.append(h('span', { id: 'step-output', translate: 'no' }, g.steps.slice(0, i + 1).map((x) => x.outputToken).join(' ')));
    body.append(so);
  }
  back.addEventListener('click', () => { if (i > 0) { i--; draw(); } });
  fwd.addEventListener('click', () => { if (i < n - 1) { i++; draw(); } });
  draw();
  return { get step() { return i; } };
}
