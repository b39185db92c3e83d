// Primer §5–§6: how one row of an attention map is computed. For output step t (a row of the map):
// per key token i the raw score e_{t,i} (the module's scores, before the softmax), exp(e_{t,i} − max),
// and the attention weight α_{t,i} = exp(e_{t,i} − max) / Σ_j exp(e_{t,j} − max); the score formula of
// the model's attention (vᵀtanh(Ws+Uh), sᵀWh, sᵀh, qᵀk/√d_k) typeset by KaTeX; and the weighted sum
// that is the context vector (an RNN) or, inside one head of a Transformer (§10), the head's output.
import { renderFormula } from './formula.js';
import { t } from './i18n.js';
import { slice, axesFor } from './heatmap.js';
import { fixed, showToken } from './format.js';

/** The TeX of a model's score function (manifest entry: score additive|general|dot|scaled_dot|concat, or a Transformer). */
export function scoreTex(entry, name) {
  if (entry.transformer || name !== 'cross') return String.raw`e_{t,i} = \frac{q_t^\top k_i}{\sqrt{d_k}}`;
  return {
    additive: String.raw`e_{t,i} = v^\top \tanh(W s_{t-1} + U h_i)`,
    general: String.raw`e_{t,i} = s_t^\top W h_i`,
    dot: String.raw`e_{t,i} = s_t^\top h_i`,
    scaled_dot: String.raw`e_{t,i} = \frac{s_t^\top h_i}{\sqrt{d}}`,
    concat: String.raw`e_{t,i} = v^\top \tanh(W [s_t ; h_i])`,
  }[entry.score] || String.raw`e_{t,i} = \operatorname{score}(s_t, h_i)`;
}

const fmt = (v) => (v === null || v === -Infinity ? '−∞' : fixed(v));
/** A header row of `table`: one th per message key; those in `formulas` are not translated. */
function headerRow(table, keys, m, formulas = []) {
  const tr = table.insertRow();
  for (const key of keys) {
    const th = document.createElement('th');
    th.textContent = m(key);
    if (formulas.includes(key)) th.setAttribute('translate', 'no');
    tr.append(th);
  }
}

// The weighted sum shows this many of the D numbers of each state h_i (or d_head of each value v_i).
export const SHOWN_STATE_DIMS = 4;

/**
 * What row `row` of map `name` averages, from the module's `translate(…, {states: true})`: for an RNN
 * (§5) the encoder states h_i (Ts, D) and the context vector c_t the decoder used (To, D); for one head
 * of a Transformer (§10) the head's values v_i (L, h, keys, d_head) and its output o_t (L, h, queries,
 * d_head). -> {kind: 'state'|'value', d, vector(i), model} or null when the result carries neither.
 */
function averaged(result, name, layer, head, row) {
  const states = result.states?.[name], context = result.context?.[name];
  if (states && context && states.shape.length === 2) {
    const d = states.shape[1];
    return { kind: 'state', d, vector: (i) => states.data.subarray(i * d, (i + 1) * d), model: context.data.subarray(row * d, (row + 1) * d) };
  }
  const values = result.values?.[name], heads = result.headContext?.[name];
  if (!values || !heads || values.shape.length !== 4 || typeof head !== 'number') return null;
  const [, h, keys, d] = values.shape, queries = heads.shape[2];
  const v0 = (layer * h + head) * keys * d, o0 = ((layer * h + head) * queries + row) * d;
  return { kind: 'value', d, vector: (i) => values.data.subarray(v0 + i * d, v0 + (i + 1) * d), model: heads.data.subarray(o0, o0 + d) };
}

/**
 * The weighted sum of row `row` as the model computed it: c_t = Σ_i α_{t,i} h_i (§5) or, inside one
 * head, o_t = Σ_i α_{t,i} v_i (§10). Per key token: α_i, the first few numbers of h_i (v_i) and of
 * α_i·h_i; then their sum over i beside the model's own c_t (o_t). A masked key (the decoder's future)
 * is shown as masked: weight 0, no part in the sum. Null when the result carries no such vectors.
 */
function weightedSum(result, { name, layer, head, row, weights, masked, cols, m }) {
  const a = averaged(result, name, layer, head, row);
  if (!a) return null;
  const { d } = a, ts = weights.length, value = a.kind === 'value';
  const k = Math.min(SHOWN_STATE_DIMS, d);
  const dims = (v) => Array.from(v.subarray(0, k));
  const box = document.createElement('div');
  box.className = 'weighted-sum';
  box.dataset.kind = a.kind;
  const title = document.createElement('p');
  title.textContent = m(value ? 'row.headSumTitle' : 'row.sumTitle', { k, d, h: head + 1 });
  box.append(title);
  if (value) { // the head's sum and what the layer does with it, beside its numbers
    const formula = document.createElement('div');
    formula.className = 'formula';
    formula.setAttribute('translate', 'no');
    renderFormula(formula, String.raw`\begin{gathered} o_t = \sum_i \alpha_{t,i} v_i, \quad v_i = W^V_{h} x_i + b^V_{h} \\ \mathrm{MultiHead} = [o^{(1)}_t; \dots; o^{(H)}_t]\, W^O \end{gathered}`);
    box.append(formula);
  }
  const table = document.createElement('table');
  table.className = 'sum-table';
  headerRow(table, ['row.key', 'row.weight', value ? 'row.value' : 'row.state', value ? 'row.weightedValue' : 'row.weighted'], m);
  const vec = (v) => `[${v.map((x) => fixed(x)).join(', ')}${d > k ? ', …' : ''}]`;
  const sum = new Array(k).fill(0);
  for (let i = 0; i < ts; i++) {
    const tr = table.insertRow();
    tr.dataset.col = i;
    if (masked[i]) { // the causal mask: this key is a later position, not yet there when row t was computed
      tr.className = 'masked';
      tr.dataset.masked = 'true';
      for (const text of [showToken(cols[i] ?? '?'), '0']) {
        const td = tr.insertCell();
        td.textContent = text;
        td.setAttribute('translate', 'no');
      }
      const cell = tr.insertCell();
      cell.colSpan = 2;
      cell.textContent = m('row.maskedKey');
      continue;
    }
    tr.setAttribute('translate', 'no');
    const h = dims(a.vector(i)), weighted = h.map((x) => weights[i] * x);
    weighted.forEach((x, j) => { sum[j] += x; });
    tr.dataset.vector = JSON.stringify(h);
    tr.dataset.weighted = JSON.stringify(weighted);
    for (const text of [showToken(cols[i] ?? '?'), fixed(weights[i]), vec(h), vec(weighted)]) tr.insertCell().textContent = text;
  }
  const line = (cls, label, values) => {
    const tr = table.insertRow();
    tr.className = cls;
    tr.dataset.values = JSON.stringify(values);
    const th = tr.insertCell();
    th.colSpan = 3;
    th.textContent = label;
    const td = tr.insertCell();
    td.setAttribute('translate', 'no');
    td.textContent = vec(values);
  };
  line('sum-computed', m(value ? 'row.headSumComputed' : 'row.sumComputed'), sum);
  line('sum-model', m(value ? 'row.headModel' : 'row.contextModel'), dims(a.model));
  box.append(table); // an RNN's formula, c_t = Σ α_{t,i} h_i, is the row's formula above
  return box;
}

/**
 * Renders into container the computation of row `row` of map `name` (layer, head) of `result`
 * (which carries `scores` beside `attention`, the same names and shapes). head must be a number for a
 * map with heads: a mean of heads is no softmax of its own.
 */
export function renderRowDetail(container, { result, entry, name, layer = 0, head = 0, row, lang, onPickHead = null }) {
  const m = (k, p) => t(lang, k, p);
  container.replaceChildren();
  const map = result.attention[name], scoreMap = result.scores?.[name];
  if (!map || !scoreMap) return false;
  const h3 = document.createElement('h3');
  const axes = axesFor(name, result);
  if (map.shape.length >= 3 && typeof head !== 'number') {
    // A mean of heads is no softmax of its own, and the layer does not average the heads' sums either (it
    // concatenates them and applies W^O): each head's row is computed on its own, so ask for one.
    const p = document.createElement('p');
    p.textContent = m('row.pickHead');
    container.append(p);
    if (onPickHead) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'pick-head';
      button.textContent = m('row.showHead', { h: 1 });
      button.addEventListener('click', () => onPickHead(0));
      container.append(button);
    }
    return true;
  }
  const weights = slice(map, layer, head)[row];
  const scores = slice(scoreMap, layer, head)[row].map((v) => (v === null || !Number.isFinite(v) ? -Infinity : v));
  const top = Math.max(...scores);
  const exps = scores.map((e) => (e === -Infinity ? 0 : Math.exp(e - top)));
  const sum = exps.reduce((a, b) => a + b, 0);
  const token = axes.rows[row];
  h3.textContent = m('row.title', { t: row + 1 });
  const tok = document.createElement('code');
  tok.setAttribute('translate', 'no');
  tok.textContent = ` ${showToken(token)}`;
  h3.append(tok);
  const formula = document.createElement('div');
  formula.className = 'formula';
  formula.setAttribute('translate', 'no');
  const sumTex = entry.transformer || name !== 'cross' ? String.raw`o_t = \sum_i \alpha_{t,i} v_i` : String.raw`c_t = \sum_i \alpha_{t,i} h_i`;
  renderFormula(formula, String.raw`\begin{gathered} ${scoreTex(entry, name)} \\ \alpha_{t,i} = \frac{\exp(e_{t,i} - \max_j e_{t,j})}{\sum_j \exp(e_{t,j} - \max_j e_{t,j})}, \quad ${sumTex} \end{gathered}`);
  const table = document.createElement('table');
  table.className = 'row-table';
  headerRow(table, ['row.key', 'row.score', 'row.exp', 'row.weight'], m, ['row.exp']); // exp(…): a formula, the same in every language
  const masked = scores.map((e) => e === -Infinity);
  scores.forEach((e, i) => {
    const tr = table.insertRow();
    tr.setAttribute('translate', 'no');
    if (masked[i]) tr.className = 'masked'; // hatched like the map's masked cells: −∞, weight 0
    tr.dataset.col = i;
    tr.dataset.score = String(e);
    tr.dataset.weight = String(weights[i]);
    tr.dataset.computed = String(exps[i] / sum);
    for (const text of [showToken(axes.cols[i] ?? '?'), fmt(e), fixed(exps[i]), fixed(weights[i])]) tr.insertCell().textContent = text;
  });
  const foot = table.insertRow();
  foot.className = 'row-sum';
  foot.insertCell().textContent = m('row.sum');
  foot.insertCell();
  const s1 = foot.insertCell();
  s1.textContent = fixed(sum);
  s1.setAttribute('translate', 'no');
  const s2 = foot.insertCell();
  s2.textContent = fixed(weights.reduce((a, b) => a + b, 0));
  s2.setAttribute('translate', 'no');
  const best = weights.indexOf(Math.max(...weights));
  const note = document.createElement('p');
  const noteKey = entry.transformer || name !== 'cross' ? 'row.headContext' : 'row.context'; // a head sums values v_i
  const [before, after] = m(noteKey, { token: '\u0000', weight: (100 * weights[best]).toFixed(1) }).split('\u0000');
  const bt = document.createElement('code');
  bt.setAttribute('translate', 'no');
  bt.textContent = showToken(axes.cols[best] ?? '?');
  note.append(before, bt, after);
  container.append(h3, formula, table, note);
  const weighted = weightedSum(result, { name, layer, head, row, weights, masked, cols: axes.cols, m });
  if (weighted) container.append(weighted);
  return true;
}
