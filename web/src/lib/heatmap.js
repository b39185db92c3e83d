// Attention heatmap as SVG: rows = query tokens (output), columns = key tokens (source).
// A map of shape (To, Ts) is drawn as is; (H, To, Ts) gets a head picker and (L, H, To, Ts) a layer and a
// head picker. Each cell is a <rect class="cell" data-row data-col data-value>. Hover or the arrow keys
// show the value in a tooltip and highlight the row, the column and the tokens they belong to.
import { interpolateViridis } from 'd3-scale-chromatic';

const SVG = 'http://www.w3.org/2000/svg';
const CELL = 26;
const CHAR = 7.2; // px per character of the 12px label font, for layout only

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

/** Which tokens label the rows and columns of a named map. */
export function axesFor(name, result) {
  const src = result.sourceTokens;
  const out = result.outputTokens.concat(['<eos>']);
  if (name === 'encoder_self') return { rows: src, cols: src, rowTitle: 'source', colTitle: 'source' };
  if (name === 'decoder_self') return { rows: out, cols: out, rowTitle: 'output', colTitle: 'output' };
  return { rows: out, cols: src, rowTitle: 'output', colTitle: 'source' };
}

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

export const colour = (v) => interpolateViridis(Math.max(0, Math.min(1, v)));

/**
 * Renders the maps of one translation into `container` (cleared first).
 * result: {sourceTokens, sourceUnknown, outputTokens, attention: {name: {shape, data}}}
 */
export function renderAttention(container, result, { idPrefix = 'hm' } = {}) {
  container.replaceChildren();
  const names = Object.keys(result.attention || {});
  if (names.length === 0) {
    container.append(html('p', { class: 'hm-empty' }, 'This model has no attention map (it passes one context vector).'));
    return;
  }
  const state = { name: names.includes('cross') ? 'cross' : names[0], layer: 0, head: 0 };
  const controls = html('div', { class: 'hm-controls' });
  const figure = html('div', { class: 'hm-figure' });
  container.append(controls, figure);

  function picker(label, id, options, value, onChange) {
    const wrap = html('label', { for: id }, label + ' ');
    const select = html('select', { id });
    options.forEach((o, i) => select.append(html('option', { value: String(i) }, o)));
    select.value = String(value);
    select.addEventListener('change', () => onChange(Number(select.value)));
    wrap.append(select);
    return wrap;
  }

  function drawControls() {
    controls.replaceChildren();
    if (names.length > 1) {
      controls.append(picker('Map', `${idPrefix}-map`, names, names.indexOf(state.name), (i) => {
        state.name = names[i]; state.layer = 0; state.head = 0; drawControls(); draw();
      }));
    }
    const shape = result.attention[state.name].shape;
    if (shape.length === 4) {
      controls.append(picker('Layer', `${idPrefix}-layer`, [...Array(shape[0]).keys()].map((i) => `layer ${i + 1}`),
        state.layer, (i) => { state.layer = i; draw(); }));
    }
    if (shape.length >= 3) {
      const heads = shape[shape.length - 3];
      controls.append(picker('Head', `${idPrefix}-head`, [...Array(heads).keys()].map((i) => `head ${i + 1}`),
        state.head, (i) => { state.head = i; draw(); }));
    }
  }

  function draw() {
    const map = result.attention[state.name];
    const values = slice(map, state.layer, state.head);
    const axes = axesFor(state.name, result);
    figure.replaceChildren(drawMap(values, axes, result, state.name));
  }

  drawControls();
  draw();
}

function drawMap(values, axes, result, name) {
  const nr = values.length;
  const nc = nr ? values[0].length : 0;
  const rows = axes.rows.slice(0, nr);
  const cols = axes.cols.slice(0, nc);
  while (rows.length < nr) rows.push('?');
  while (cols.length < nc) cols.push('?');
  const unknownCols = axes.colTitle === 'source' ? result.sourceUnknown || [] : [];
  const unknownRows = axes.rowTitle === 'source' ? result.sourceUnknown || [] : [];

  const left = Math.ceil(Math.max(4, ...rows.map((t) => t.length)) * CHAR) + 12;
  const top = Math.ceil(Math.max(4, ...cols.map((t) => t.length)) * CHAR * 0.75) + 16;
  const legendH = 46;
  const legendW = 170;
  const width = Math.max(left + nc * CELL + Math.ceil((top - 16) * 0.75) + 8, // room for the last rotated label
    left + legendW + 8);
  const height = top + nr * CELL + legendH;
  const wrap = html('div', { class: 'hm-wrap' });
  const svg = el('svg', {
    class: 'heatmap', width, height, viewBox: `0 0 ${width} ${height}`, tabindex: '0', role: 'grid',
    'aria-label': `Attention map "${name}": ${nr} ${axes.rowTitle} tokens (rows) by ${nc} ${axes.colTitle} tokens (columns). Use the arrow keys to read the values.`,
    'data-map': name, 'data-rows': nr, 'data-cols': nc,
  });
  const tooltip = html('div', { class: 'hm-tooltip', role: 'status', 'aria-live': 'polite', hidden: '' });
  wrap.append(svg, tooltip);

  const rowLabels = rows.map((t, r) => {
    const label = el('text', { class: 'hm-label hm-row-label' + (unknownRows[r] ? ' unk' : ''), x: left - 6,
      y: top + r * CELL + CELL / 2, 'text-anchor': 'end', 'dominant-baseline': 'central', 'data-row': r }, t);
    svg.append(label);
    return label;
  });
  const colLabels = cols.map((t, c) => {
    const x = left + c * CELL + CELL / 2;
    const label = el('text', { class: 'hm-label hm-col-label' + (unknownCols[c] ? ' unk' : ''), x, y: top - 6,
      transform: `rotate(-45 ${x} ${top - 6})`, 'data-col': c }, t);
    svg.append(label);
    return label;
  });

  const grid = el('g', { class: 'hm-cells' });
  const cells = [];
  values.forEach((row, r) => {
    cells.push(row.map((v, c) => {
      const rect = el('rect', { class: 'cell', x: left + c * CELL, y: top + r * CELL, width: CELL - 1, height: CELL - 1,
        fill: colour(v), 'data-row': r, 'data-col': c, 'data-value': String(v) });
      grid.append(rect);
      return rect;
    }));
  });
  svg.append(grid);
  const rowBand = el('rect', { class: 'hm-band', x: left - 1, width: nc * CELL + 1, height: CELL + 1, visibility: 'hidden' });
  const colBand = el('rect', { class: 'hm-band', y: top - 1, width: CELL + 1, height: nr * CELL + 1, visibility: 'hidden' });
  svg.append(rowBand, colBand);

  // Legend: the sequential scale from 0 to 1 (every row of attention weights sums to 1).
  const gradId = `grad-${Math.random().toString(36).slice(2)}`;
  const defs = el('defs');
  const grad = el('linearGradient', { id: gradId });
  for (let i = 0; i <= 10; i++) grad.append(el('stop', { offset: `${i * 10}%`, 'stop-color': colour(i / 10) }));
  defs.append(grad);
  svg.append(defs);
  const lw = legendW;
  const ly = top + nr * CELL + 14;
  svg.append(
    el('rect', { class: 'hm-legend', x: left, y: ly, width: lw, height: 10, fill: `url(#${gradId})` }),
    el('text', { class: 'hm-legend-label', x: left, y: ly + 24, 'text-anchor': 'start' }, '0'),
    el('text', { class: 'hm-legend-label', x: left + lw / 2, y: ly + 24, 'text-anchor': 'middle' }, 'attention weight'),
    el('text', { class: 'hm-legend-label', x: left + lw, y: ly + 24, 'text-anchor': 'end' }, '1'),
  );

  const argmax = (arr) => arr.reduce((best, v, i) => (v > arr[best] ? i : best), 0);
  let active = null;

  function clear() {
    svg.querySelectorAll('.hl, .aligned').forEach((n) => n.classList.remove('hl', 'aligned'));
    rowBand.setAttribute('visibility', 'hidden');
    colBand.setAttribute('visibility', 'hidden');
    tooltip.hidden = true;
  }

  function showRow(r) {
    rowBand.setAttribute('y', top + r * CELL - 1);
    rowBand.setAttribute('visibility', 'visible');
    rowLabels[r].classList.add('hl');
  }
  function showCol(c) {
    colBand.setAttribute('x', left + c * CELL - 1);
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
    showTip(`${rows[r]} → ${cols[c]}: ${v.toFixed(3)}`, left + c * CELL + CELL, top + r * CELL + CELL);
  }

  function focusRow(r) {
    clear();
    showRow(r);
    const c = argmax(values[r]);
    colLabels[c].classList.add('aligned');
    cells[r][c].classList.add('aligned');
    showTip(`${rows[r]} attends most to ${cols[c]} (${values[r][c].toFixed(3)})`, left, top + r * CELL + CELL);
  }

  function focusCol(c) {
    clear();
    showCol(c);
    const column = values.map((row) => row[c]);
    const r = argmax(column);
    rowLabels[r].classList.add('aligned');
    cells[r][c].classList.add('aligned');
    showTip(`${cols[c]} is attended most by ${rows[r]} (${column[r].toFixed(3)})`, left + c * CELL, top + nr * CELL);
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
