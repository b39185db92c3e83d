// Primer §5–§6: how one row of an attention map is computed. For output step t (a row of the map):
// per key token i the raw score e_{t,i} (the module's scores, before the softmax), exp(e_{t,i} − max),
// and the attention weight α_{t,i} = exp(e_{t,i} − max) / Σ_j exp(e_{t,j} − max); the score formula of
// the model's attention (vᵀtanh(Ws+Uh), sᵀWh, sᵀh, qᵀk/√d_k) typeset by KaTeX; and the weighted sum
// that is the context vector.
import katex from 'katex';
import { t } from './i18n.js';
import { slice, axesFor } from './heatmap.js';
import { showToken } from './format.js';

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

const fmt = (v) => (v === null || v === -Infinity ? '−∞' : v.toFixed(4));
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

// The weighted sum shows this many of the D numbers of each state h_i.
export const SHOWN_STATE_DIMS = 4;

/**
 * Primer §5: c_t = Σ_i α_{t,i} h_i for row `row`, from the module's states h_i (Ts, D) and its context
 * vectors (To, D) — the one the decoder used. Per source token: α_i, the first few numbers of h_i and of
 * α_i·h_i; then their sum over i beside the model's c_t. Null when the result carries no states.
 */
function weightedSum(result, name, row, weights, cols, m) {
  const states = result.states?.[name], context = result.context?.[name];
  if (!states || !context || states.shape.length !== 2) return null;
  const [ts, d] = states.shape;
  const k = Math.min(SHOWN_STATE_DIMS, d);
  const dims = (flat, r) => Array.from(flat.slice(r * d, r * d + k));
  const box = document.createElement('div');
  box.className = 'weighted-sum';
  const title = document.createElement('p');
  title.textContent = m('row.sumTitle', { k, d });
  const table = document.createElement('table');
  table.className = 'sum-table';
  headerRow(table, ['row.key', 'row.weight', 'row.state', 'row.weighted'], m);
  const vec = (v) => `[${v.map((x) => x.toFixed(4)).join(', ')}${d > k ? ', …' : ''}]`;
  const sum = new Array(k).fill(0);
  for (let i = 0; i < ts; i++) {
    const h = dims(states.data, i), weighted = h.map((x) => weights[i] * x);
    weighted.forEach((x, j) => { sum[j] += x; });
    const tr = table.insertRow();
    tr.setAttribute('translate', 'no');
    tr.dataset.col = i;
    tr.dataset.state = JSON.stringify(h);
    tr.dataset.weighted = JSON.stringify(weighted);
    for (const text of [showToken(cols[i] ?? '?'), weights[i].toFixed(4), vec(h), vec(weighted)]) tr.insertCell().textContent = text;
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
  line('sum-computed', m('row.sumComputed'), sum);
  line('sum-model', m('row.contextModel'), dims(context.data, row));
  box.append(title, table); // its formula, c_t = Σ α_{t,i} h_i, is the row's formula above
  return box;
}

/**
 * Renders into container the computation of row `row` of map `name` (layer, head) of `result`
 * (which carries `scores` beside `attention`, the same names and shapes). head must be a number for a
 * map with heads: a mean of heads is no softmax of its own.
 */
export function renderRowDetail(container, { result, entry, name, layer = 0, head = 0, row, lang }) {
  const m = (k, p) => t(lang, k, p);
  container.replaceChildren();
  const map = result.attention[name], scoreMap = result.scores?.[name];
  if (!map || !scoreMap) return false;
  const h3 = document.createElement('h3');
  const axes = axesFor(name, result);
  if (map.shape.length >= 3 && typeof head !== 'number') {
    const p = document.createElement('p');
    p.textContent = m('row.pickHead');
    container.append(p);
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
  katex.render(String.raw`\begin{gathered} ${scoreTex(entry, name)} \\ \alpha_{t,i} = \frac{\exp(e_{t,i} - \max_j e_{t,j})}{\sum_j \exp(e_{t,j} - \max_j e_{t,j})}, \quad c_t = \sum_i \alpha_{t,i} h_i \end{gathered}`,
    formula, { displayMode: true, throwOnError: true });
  const table = document.createElement('table');
  table.className = 'row-table';
  headerRow(table, ['row.key', 'row.score', 'row.exp', 'row.weight'], m, ['row.exp']); // exp(…): a formula, the same in every language
  scores.forEach((e, i) => {
    const tr = table.insertRow();
    tr.setAttribute('translate', 'no');
    tr.dataset.col = i;
    tr.dataset.score = String(e);
    tr.dataset.weight = String(weights[i]);
    tr.dataset.computed = String(exps[i] / sum);
    for (const text of [showToken(axes.cols[i] ?? '?'), fmt(e), exps[i].toFixed(4), weights[i].toFixed(4)]) tr.insertCell().textContent = text;
  });
  const foot = table.insertRow();
  foot.className = 'row-sum';
  foot.insertCell().textContent = m('row.sum');
  foot.insertCell();
  const s1 = foot.insertCell();
  s1.textContent = sum.toFixed(4);
  s1.setAttribute('translate', 'no');
  const s2 = foot.insertCell();
  s2.textContent = weights.reduce((a, b) => a + b, 0).toFixed(4);
  s2.setAttribute('translate', 'no');
  const best = weights.indexOf(Math.max(...weights));
  const note = document.createElement('p');
  const [before, after] = m('row.context', { token: '\u0000', weight: (100 * weights[best]).toFixed(1) }).split('\u0000');
  const bt = document.createElement('code');
  bt.setAttribute('translate', 'no');
  bt.textContent = showToken(axes.cols[best] ?? '?');
  note.append(before, bt, after);
  container.append(h3, formula, table, note);
  const weighted = weightedSum(result, name, row, weights, axes.cols, m);
  if (weighted) container.append(weighted);
  return true;
}
