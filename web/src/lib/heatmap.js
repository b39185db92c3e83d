// Attention heatmap as SVG: rows = query tokens, columns = key tokens.
// A map of shape (To, Ts) is drawn as is; (H, To, Ts) gets a head picker and (L, H, To, Ts) a layer and a
// head picker, whose "all heads" choice draws every head of the layer as a small labelled map. Several
// maps (a Transformer's encoder_self, decoder_self, cross) get a Map picker. Each cell is a
// <rect class="cell" data-row data-col data-value>. Hover or the arrow keys show the value in a tooltip
// and highlight the row, the column and the tokens they belong to.
import { interpolateViridis } from 'd3-scale-chromatic';

const SVG = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, sans-serif';
const FULL = { cell: 26, font: 12 };
const SMALL = { cell: 16, font: 10 }; // one map per head
const GAP = 6; // between a label and the cells
const PAD = 4; // around the drawing
const LEGEND_W = 170;
const LABEL_CHARS = 20; // longer tokens are cut, with an ellipsis

const MAP_ORDER = ['encoder_self', 'decoder_self', 'cross'];
const MAP_TITLES = { encoder_self: 'encoder self-attention', decoder_self: 'decoder self-attention', cross: 'cross-attention' };

function el(name, attrs = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function html(name, attrs = {}, text) {
  const node = document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const short = (t) => { const chars = Array.from(t); return chars.length > LABEL_CHARS ? chars.slice(0, LABEL_CHARS - 1).join('') + '…' : t; };

let canvas = null;
/** A label's width and font box as drawn at its widest (bold or bold italic: highlighted or unknown). */
function measure(text, px) {
  canvas ||= document.createElement('canvas').getContext('2d');
  let w = 0, ascent = px, descent = px * 0.3;
  for (const style of ['normal', 'italic']) {
    canvas.font = `${style} 700 ${px}px ${FONT}`;
    const m = canvas.measureText(text);
    w = Math.max(w, m.width);
    ascent = Math.max(ascent, m.fontBoundingBoxAscent || 0);
    descent = Math.max(descent, m.fontBoundingBoxDescent || 0);
  }
  return { w, ascent, descent };
}

/** Which tokens label the rows and columns of a named map. */
export function axesFor(name, result) {
  const src = result.sourceTokens;
  const out = result.outputTokens.concat(['<eos>']);
  if (name === 'encoder_self') return { rows: src, cols: src, rowTitle: 'source', colTitle: 'source' };
  if (name === 'decoder_self') {
    // Row t is the step that output token t; it attends to the decoder's inputs so far: <bos>, then the outputs.
    return { rows: out, cols: ['<bos>'].concat(result.outputTokens), rowTitle: 'output', colTitle: 'decoder input' };
  }
  return { rows: out, cols: src, rowTitle: 'output', colTitle: 'source' };
}

const CAPTIONS = {
  encoder_self: 'Rows and columns: source tokens (each source token attends to every source token).',
  decoder_self: 'Rows: output tokens; columns: what the decoder has read so far (<bos>, then its earlier outputs).',
  cross: 'Rows: output tokens; columns: source tokens.',
};

/** The 2-D slice [To][Ts] of a map for a layer and head (ignored when the map has no such axes). */
export function slice(map, layer = 0, head = 0) {
  const shape = map.shape;
  const [rows, cols] = shape.slice(-2);
  let offset = 0;
  if (shape.length === 3) offset = head * rows * cols;
  if (shape.length === 4) offset = (layer * shape[1] + head) * rows * cols;
  const out = [];
  for (let r = 0; r < rows; r++) out.push(Array.from(map.data.subarray(offset + r * cols, offset + (r + 1) * cols)));
  return out;
}

/** The mean over the heads of a layer, [To][Ts] (a map without heads is returned as its one slice). */
export function meanOfHeads(map, layer = 0) {
  if (map.shape.length < 3) return slice(map, layer, 0);
  const heads = map.shape[map.shape.length - 3];
  const sum = slice(map, layer, 0);
  for (let h = 1; h < heads; h++) slice(map, layer, h).forEach((row, r) => row.forEach((v, c) => { sum[r][c] += v; }));
  return sum.map((row) => row.map((v) => v / heads));
}

export const colour = (v) => interpolateViridis(Math.max(0, Math.min(1, v)));

/**
 * Renders the maps of one translation into `container` (cleared first).
 * result: {sourceTokens, sourceUnknown, outputTokens, attention: {name: {shape, data}}}
 */
export function renderAttention(container, result, { idPrefix = 'hm' } = {}) {
  container.replaceChildren();
  const present = Object.keys(result.attention || {});
  if (present.length === 0) {
    container.append(html('p', { class: 'hm-empty' }, 'This model has no attention map (it passes one context vector).'));
    return;
  }
  const names = MAP_ORDER.filter((n) => present.includes(n)).concat(present.filter((n) => !MAP_ORDER.includes(n)));
  const state = { name: names.includes('cross') ? 'cross' : names[0], layer: 0, head: 0 };
  const controls = html('div', { class: 'hm-controls' });
  const caption = html('p', { class: 'hm-caption' });
  const figure = html('div', { class: 'hm-figure' });
  container.append(controls, caption, figure);

  function picker(label, id, options, value, onChange) {
    const wrap = html('label', { for: id }, label + ' ');
    const select = html('select', { id });
    for (const o of options) select.append(html('option', { value: o.value }, o.label));
    select.value = String(value);
    select.addEventListener('change', () => onChange(select.value));
    wrap.append(select);
    return wrap;
  }
  const counted = (n, word) => [...Array(n).keys()].map((i) => ({ value: String(i), label: `${word} ${i + 1}` }));

  function drawControls() {
    controls.replaceChildren();
    if (names.length > 1) {
      controls.append(picker('Map', `${idPrefix}-map`, names.map((n) => ({ value: n, label: MAP_TITLES[n] || n })), state.name,
        (n) => { state.name = n; drawControls(); draw(); }));
    }
    const shape = result.attention[state.name].shape;
    state.layer = shape.length === 4 ? Math.min(state.layer, shape[0] - 1) : 0;
    if (shape.length === 4) {
      controls.append(picker('Layer', `${idPrefix}-layer`, counted(shape[0], 'layer'), state.layer,
        (v) => { state.layer = Number(v); draw(); }));
    }
    if (shape.length >= 3) {
      const heads = shape[shape.length - 3];
      if (typeof state.head === 'number') state.head = Math.min(state.head, heads - 1);
      controls.append(picker('Head', `${idPrefix}-head`,
        counted(heads, 'head').concat([{ value: 'mean', label: 'mean of heads' }, { value: 'all', label: 'all heads' }]),
        state.head, (v) => { state.head = v === 'all' || v === 'mean' ? v : Number(v); draw(); }));
    } else {
      state.head = 0;
    }
  }

  function draw() {
    const map = result.attention[state.name];
    const axes = axesFor(state.name, result);
    const title = MAP_TITLES[state.name] || state.name;
    const where = map.shape.length === 4 ? `, layer ${state.layer + 1}` : '';
    caption.textContent = CAPTIONS[state.name] || '';
    caption.hidden = names.length === 1; // an RNN's one map: the page's own text explains it
    if (state.head === 'mean') {
      const heads = map.shape[map.shape.length - 3];
      figure.replaceChildren(drawMap(meanOfHeads(map, state.layer), axes, result,
        { name: state.name, title: `${title}${where}, mean of ${heads} heads`, size: FULL, legend: true }));
      return;
    }
    if (state.head !== 'all') {
      const head = map.shape.length >= 3 ? `, head ${state.head + 1}` : '';
      figure.replaceChildren(drawMap(slice(map, state.layer, state.head), axes, result,
        { name: state.name, title: `${title}${where}${head}`, size: FULL, legend: true }));
      return;
    }
    const heads = map.shape[map.shape.length - 3];
    const grid = html('div', { class: 'hm-multiples', 'data-map': state.name });
    for (let h = 0; h < heads; h++) {
      const one = html('figure', { class: 'hm-head', 'data-head': h });
      one.append(html('figcaption', {}, `head ${h + 1}`), drawMap(slice(map, state.layer, h), axes, result,
        { name: state.name, title: `${title}${where}, head ${h + 1}`, size: SMALL, legend: false, head: h }));
      grid.append(one);
    }
    const legend = el('svg', { class: 'hm-legend-only', width: LEGEND_W + 2 * PAD, height: 40, 'aria-hidden': 'true' });
    drawLegend(legend, PAD, PAD);
    figure.replaceChildren(grid, legend);
  }

  drawControls();
  draw();
}

/** The sequential scale from 0 to 1 (every row of attention weights sums to 1), at (x, y) in `svg`. */
function drawLegend(svg, x, y) {
  const gradId = `grad-${Math.random().toString(36).slice(2)}`;
  const defs = el('defs');
  const grad = el('linearGradient', { id: gradId });
  for (let i = 0; i <= 10; i++) grad.append(el('stop', { offset: `${i * 10}%`, 'stop-color': colour(i / 10) }));
  defs.append(grad);
  svg.append(defs,
    el('rect', { class: 'hm-legend', x, y, width: LEGEND_W, height: 10, fill: `url(#${gradId})` }),
    el('text', { class: 'hm-legend-label', x, y: y + 24, 'text-anchor': 'start' }, '0'),
    el('text', { class: 'hm-legend-label', x: x + LEGEND_W / 2, y: y + 24, 'text-anchor': 'middle' }, 'attention weight'),
    el('text', { class: 'hm-legend-label', x: x + LEGEND_W, y: y + 24, 'text-anchor': 'end' }, '1'));
}

function drawMap(values, axes, result, { name, title, size, legend, head }) {
  const { cell, font } = size;
  const nr = values.length;
  const nc = nr ? values[0].length : 0;
  const rows = axes.rows.slice(0, nr).map(short);
  const cols = axes.cols.slice(0, nc).map(short);
  while (rows.length < nr) rows.push('?');
  while (cols.length < nc) cols.push('?');
  const unknownCols = axes.colTitle === 'source' ? result.sourceUnknown || [] : [];
  const unknownRows = axes.rowTitle === 'source' ? result.sourceUnknown || [] : [];

  // Layout from the measured labels: row labels end GAP before the cells; column labels are rotated by
  // -45° around their start, so each reaches (width + ascent)/√2 up and (width + descent)/√2 right.
  const rowSizes = rows.map((t) => measure(t, font));
  const colSizes = cols.map((t) => measure(t, font));
  const ascent = Math.max(font, ...colSizes.map((m) => m.ascent));
  const descent = Math.max(0, ...colSizes.map((m) => m.descent));
  const left = PAD + Math.ceil(Math.max(0, ...rowSizes.map((m) => m.w))) + GAP;
  const top = PAD + Math.ceil(Math.max(0, ...colSizes.map((m) => (m.w + ascent) * Math.SQRT1_2))) + GAP;
  const right = Math.max(left + nc * cell, ...colSizes.map((m, c) => left + c * cell + cell / 2 + (m.w + descent) * Math.SQRT1_2));
  const legendH = legend ? 46 : 0;
  const width = Math.ceil(Math.max(right, legend ? left + LEGEND_W : 0)) + PAD;
  const height = top + nr * cell + Math.max(PAD, legendH);

  const wrap = html('div', { class: 'hm-wrap' });
  const svg = el('svg', {
    class: 'heatmap', width, height, viewBox: `0 0 ${width} ${height}`, tabindex: '0', role: 'grid',
    'aria-label': `Attention map, ${title}: ${nr} ${axes.rowTitle} tokens (rows) by ${nc} ${axes.colTitle} tokens (columns). Use the arrow keys to read the values.`,
    'data-map': name, 'data-rows': nr, 'data-cols': nc,
  });
  if (head !== undefined) svg.dataset.head = head;
  svg.style.font = `${font}px/1 ${FONT}`;
  const tooltip = html('div', { class: 'hm-tooltip', role: 'status', 'aria-live': 'polite', hidden: '' });
  wrap.append(svg, tooltip);

  const rowLabels = rows.map((t, r) => {
    const label = el('text', { class: 'hm-label hm-row-label' + (unknownRows[r] ? ' unk' : ''), x: left - GAP,
      y: top + r * cell + cell / 2, 'text-anchor': 'end', 'dominant-baseline': 'central', 'data-row': r }, t);
    svg.append(label);
    return label;
  });
  const colLabels = cols.map((t, c) => {
    const x = left + c * cell + cell / 2;
    const label = el('text', { class: 'hm-label hm-col-label' + (unknownCols[c] ? ' unk' : ''), x, y: top - GAP,
      transform: `rotate(-45 ${x} ${top - GAP})`, 'data-col': c }, t);
    svg.append(label);
    return label;
  });

  const grid = el('g', { class: 'hm-cells' });
  const cells = [];
  values.forEach((row, r) => {
    cells.push(row.map((v, c) => {
      const rect = el('rect', { class: 'cell', x: left + c * cell, y: top + r * cell, width: cell - 1, height: cell - 1,
        fill: colour(v), 'data-row': r, 'data-col': c, 'data-value': String(v) });
      grid.append(rect);
      return rect;
    }));
  });
  svg.append(grid);
  const rowBand = el('rect', { class: 'hm-band', x: left - 1, width: nc * cell + 1, height: cell + 1, visibility: 'hidden' });
  const colBand = el('rect', { class: 'hm-band', y: top - 1, width: cell + 1, height: nr * cell + 1, visibility: 'hidden' });
  svg.append(rowBand, colBand);
  if (legend) drawLegend(svg, left, top + nr * cell + 14);

  const argmax = (arr) => arr.reduce((best, v, i) => (v > arr[best] ? i : best), 0);
  let active = null;

  function clear() {
    svg.querySelectorAll('.hl, .aligned').forEach((n) => n.classList.remove('hl', 'aligned'));
    rowBand.setAttribute('visibility', 'hidden');
    colBand.setAttribute('visibility', 'hidden');
    tooltip.hidden = true;
  }

  function showRow(r) {
    rowBand.setAttribute('y', top + r * cell - 1);
    rowBand.setAttribute('visibility', 'visible');
    rowLabels[r].classList.add('hl');
  }
  function showCol(c) {
    colBand.setAttribute('x', left + c * cell - 1);
    colBand.setAttribute('visibility', 'visible');
    colLabels[c].classList.add('hl');
  }

  function showTip(text, x, y) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    const maxX = Math.max(0, wrap.clientWidth - tooltip.offsetWidth - 4);
    tooltip.style.left = `${Math.min(x, maxX + wrap.scrollLeft)}px`;
    tooltip.style.top = `${y}px`;
  }

  function focusCell(r, c) {
    clear();
    active = [r, c];
    showRow(r);
    showCol(c);
    cells[r][c].classList.add('hl');
    const v = values[r][c];
    showTip(`${rows[r]} → ${cols[c]}: ${v.toFixed(3)}`, left + c * cell + cell, top + r * cell + cell);
  }

  function focusRow(r) {
    clear();
    showRow(r);
    const c = argmax(values[r]);
    colLabels[c].classList.add('aligned');
    cells[r][c].classList.add('aligned');
    showTip(`${rows[r]} attends most to ${cols[c]} (${values[r][c].toFixed(3)})`, left, top + r * cell + cell);
  }

  function focusCol(c) {
    clear();
    showCol(c);
    const column = values.map((row) => row[c]);
    const r = argmax(column);
    rowLabels[r].classList.add('aligned');
    cells[r][c].classList.add('aligned');
    showTip(`${cols[c]} is attended most by ${rows[r]} (${column[r].toFixed(3)})`, left + c * cell, top + nr * cell);
  }

  svg.addEventListener('pointerover', (e) => {
    const t = e.target;
    if (t.classList.contains('cell')) focusCell(Number(t.dataset.row), Number(t.dataset.col));
    else if (t.classList.contains('hm-row-label')) focusRow(Number(t.dataset.row));
    else if (t.classList.contains('hm-col-label')) focusCol(Number(t.dataset.col));
  });
  svg.addEventListener('pointerleave', () => { clear(); active = null; });
  svg.addEventListener('focus', () => { if (nr && nc) focusCell(...(active || [0, 0])); });
  svg.addEventListener('blur', () => clear());
  svg.addEventListener('keydown', (e) => {
    if (!nr || !nc) return;
    const [r, c] = active || [0, 0];
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -c], End: [0, nc - 1 - c] };
    const m = moves[e.key];
    if (!m) { if (e.key === 'Escape') clear(); return; }
    e.preventDefault();
    focusCell(Math.max(0, Math.min(nr - 1, r + m[0])), Math.max(0, Math.min(nc - 1, c + m[1])));
  });
  return wrap;
}
