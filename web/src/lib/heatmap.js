// Attention heatmap as SVG: rows = query tokens, columns = key tokens.
// A map of shape (To, Ts) is drawn as is; (H, To, Ts) gets a head picker and (L, H, To, Ts) a layer and a
// head picker, whose "all heads" choice draws every head of the layer as a small labelled map. Several
// maps (a Transformer's encoder_self, decoder_self, cross) get a Map picker. Each cell is a
// <rect class="cell" data-row data-col data-value>. Hover or the arrow keys show the value in a tooltip
// and highlight the row, the column and the tokens they belong to.
import { interpolateViridis } from 'd3-scale-chromatic';
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, sans-serif';
const FULL = { cell: 26, font: 12 };
const SMALL = { cell: 16, font: 10 }; // one map per head
const GAP = 6; // between a label and the cells
const PAD = 4; // around the drawing
const LEGEND_W = 170;
const LABEL_CHARS = 20; // longer tokens are cut, with an ellipsis

const MAP_ORDER = ['encoder_self', 'decoder_self', 'cross'];

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

// A space token (character-level models) is shown as ␣.
const short = (s) => { const chars = Array.from(s === ' ' ? '␣' : s); return chars.length > LABEL_CHARS ? chars.slice(0, LABEL_CHARS - 1).join('') + '…' : chars.join(''); };

let canvas = null;
/** Sets up the labels' canvas and its fonts by measuring one label: the first measurement of a page costs 2–24 ms
 * (Chromium, cold page), the next ones next to nothing. The page calls it while it waits for its first translation. */
export function prepareLabelFont() {
  measure('x', 12);
}

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
  if (name === 'encoder_self') return { rows: src, cols: src, rowTitle: 'source', colTitle: 'source', masked: false };
  if (name === 'decoder_self') {
    // Row t is the step that output token t; it attends to the decoder's inputs so far: <bos>, then the outputs.
    // Column c > row t is a later token: the causal mask hides it.
    return { rows: out, cols: ['<bos>'].concat(result.outputTokens), rowTitle: 'output', colTitle: 'decoderInput', masked: true };
  }
  return { rows: out, cols: src, rowTitle: 'output', colTitle: 'source', masked: false };
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

/** The mean over the heads of a layer, [To][Ts] (a map without heads is returned as its one slice). */
export function meanOfHeads(map, layer = 0) {
  if (map.shape.length < 3) return slice(map, layer, 0);
  const heads = map.shape[map.shape.length - 3];
  const sum = slice(map, layer, 0);
  for (let h = 1; h < heads; h++) slice(map, layer, h).forEach((row, r) => row.forEach((v, c) => { sum[r][c] += v; }));
  return sum.map((row) => row.map((v) => v / heads));
}

export const colour = (v) => interpolateViridis(Math.max(0, Math.min(1, v)));

/** The view a result opens on: cross-attention if there is one; for a Transformer its last layer, mean of heads. */
export function defaultView(result) {
  const present = Object.keys(result.attention || {});
  const name = present.includes('cross') ? 'cross' : present[0];
  const shape = name ? result.attention[name].shape : [];
  return { name, layer: shape.length === 4 ? shape[0] - 1 : 0, head: shape.length >= 3 ? 'mean' : 0 };
}

/** The view shown for `view` (the reader's choice, maybe of another model): kept where the result has that map. */
export function resolveView(result, view) {
  const state = { ...defaultView(result) };
  if (view && result.attention?.[view.name]) Object.assign(state, { name: view.name, layer: view.layer ?? state.layer, head: view.head ?? state.head });
  const shape = state.name ? result.attention[state.name].shape : [];
  state.layer = shape.length === 4 ? Math.max(0, Math.min(state.layer, shape[0] - 1)) : 0;
  if (shape.length < 3) state.head = 0;
  return state;
}

/**
 * Renders the maps of one translation into `container` (cleared first).
 * result: {sourceTokens, sourceUnknown, outputTokens, attention: {name: {shape, data}}}
 * view: {name, layer, head} to open on (kept where the result has it, else defaultView); onView(view)
 * is called whenever the reader changes it, so a caller can keep it across translations.
 */
export function renderAttention(container, result, { idPrefix = 'hm', lang = 'en', view = null, onView = () => {} } = {}) {
  const m = (key, params) => t(lang, key, params);
  container.replaceChildren();
  const present = Object.keys(result.attention || {});
  if (present.length === 0) {
    container.append(html('p', { class: 'hm-empty' }, m('map.none')));
    return;
  }
  const names = MAP_ORDER.filter((n) => present.includes(n)).concat(present.filter((n) => !MAP_ORDER.includes(n)));
  const state = resolveView(result, view);
  const title = (n) => (names.includes(n) && ['encoder_self', 'decoder_self', 'cross'].includes(n) ? m(`map.${n}`) : n);
  const controls = html('div', { class: 'hm-controls' });
  const caption = html('p', { class: 'hm-caption' });
  const figure = html('div', { class: 'hm-figure' });
  container.append(controls, caption, figure);

  function picker(label, id, options, value, onChange) {
    const wrap = html('label', { for: id }, label + ' ');
    const select = html('select', { id });
    for (const o of options) select.append(html('option', { value: o.value }, o.label));
    select.value = String(value);
    select.addEventListener('change', () => { onChange(select.value); onView({ ...state }); });
    wrap.append(select);
    return wrap;
  }
  const counted = (n, key) => [...Array(n).keys()].map((i) => ({ value: String(i), label: m(key, { n: i + 1 }) }));

  function drawControls() {
    controls.replaceChildren();
    if (names.length > 1) {
      controls.append(picker(m('map.picker'), `${idPrefix}-map`, names.map((n) => ({ value: n, label: title(n) })), state.name,
        (n) => { state.name = n; drawControls(); draw(); }));
    }
    const shape = result.attention[state.name].shape;
    state.layer = shape.length === 4 ? Math.max(0, Math.min(state.layer, shape[0] - 1)) : 0;
    if (shape.length === 4) {
      controls.append(picker(m('layer.picker'), `${idPrefix}-layer`, counted(shape[0], 'layer.n'), state.layer,
        (v) => { state.layer = Number(v); draw(); }));
    }
    if (shape.length >= 3) {
      const heads = shape[shape.length - 3];
      if (typeof state.head === 'number') state.head = Math.min(state.head, heads - 1);
      controls.append(picker(m('head.picker'), `${idPrefix}-head`,
        counted(heads, 'head.n').concat([{ value: 'mean', label: m('head.mean') }, { value: 'all', label: m('head.all') }],
          shape.length === 4 ? [{ value: 'grid', label: m('head.grid') }] : []),
        state.head, (v) => { state.head = ['all', 'mean', 'grid'].includes(v) ? v : Number(v); draw(); }));
    } else {
      state.head = 0;
    }
  }

  function draw() {
    const map = result.attention[state.name];
    const axes = axesFor(state.name, result);
    const where = map.shape.length === 4 ? m('title.layer', { title: title(state.name), n: state.layer + 1 }) : title(state.name);
    caption.textContent = ['encoder_self', 'decoder_self', 'cross'].includes(state.name) ? m(`caption.${state.name}`) : '';
    caption.hidden = names.length === 1; // an RNN's one map: the page's own text explains it
    const opts = { name: state.name, size: FULL, legend: true, m };
    if (state.head === 'mean') {
      const heads = map.shape[map.shape.length - 3];
      figure.replaceChildren(drawMap(meanOfHeads(map, state.layer), axes, result, { ...opts, title: m('title.mean', { title: where, heads }) }));
      return;
    }
    if (state.head === 'grid') { // every layer x head (bertviz's model view); a click opens one large
      const [layers, heads] = map.shape;
      const grid = html('div', { class: 'hm-grid', 'data-map': state.name, role: 'group', 'aria-label': m('head.grid') });
      grid.style.gridTemplateColumns = `auto repeat(${heads}, auto)`;
      grid.append(html('span'));
      for (let h = 0; h < heads; h++) grid.append(html('span', { class: 'hm-grid-label' }, m('head.n', { n: h + 1 })));
      for (let l = 0; l < layers; l++) {
        grid.append(html('span', { class: 'hm-grid-label' }, m('layer.n', { n: l + 1 })));
        for (let h = 0; h < heads; h++) {
          const b = html('button', { type: 'button', class: 'hm-thumb', 'data-layer': l, 'data-head': h,
            'aria-label': m('grid.open', { l: l + 1, h: h + 1 }), title: m('grid.open', { l: l + 1, h: h + 1 }) });
          b.append(drawThumb(slice(map, l, h), axes.masked));
          b.addEventListener('click', () => {
            Object.assign(state, { layer: l, head: h });
            drawControls();
            draw();
            onView({ ...state });
          });
          grid.append(b);
        }
      }
      figure.replaceChildren(grid);
      return;
    }
    if (state.head !== 'all') {
      const full = map.shape.length >= 3 ? m('title.head', { title: where, n: state.head + 1 }) : where;
      figure.replaceChildren(drawMap(slice(map, state.layer, state.head), axes, result, { ...opts, title: full }));
      return;
    }
    const heads = map.shape[map.shape.length - 3];
    const grid = html('div', { class: 'hm-multiples', 'data-map': state.name });
    for (let h = 0; h < heads; h++) {
      const one = html('figure', { class: 'hm-head', 'data-head': h });
      one.append(html('figcaption', {}, m('head.n', { n: h + 1 })), drawMap(slice(map, state.layer, h), axes, result,
        { ...opts, title: m('title.head', { title: where, n: h + 1 }), size: SMALL, legend: false, head: h }));
      grid.append(one);
    }
    const legend = el('svg', { class: 'hm-legend-only', width: LEGEND_W + 2 * PAD, height: 40, 'aria-hidden': 'true' });
    drawLegend(legend, PAD, PAD, m);
    figure.replaceChildren(grid, legend);
  }

  drawControls();
  draw();
}

/** The sequential scale from 0 to 1 (every row of attention weights sums to 1), at (x, y) in `svg`. */
function drawLegend(svg, x, y, m) {
  const gradId = `grad-${Math.random().toString(36).slice(2)}`;
  const defs = el('defs');
  const grad = el('linearGradient', { id: gradId });
  for (let i = 0; i <= 10; i++) grad.append(el('stop', { offset: `${i * 10}%`, 'stop-color': colour(i / 10) }));
  defs.append(grad);
  svg.append(defs,
    el('rect', { class: 'hm-legend', x, y, width: LEGEND_W, height: 10, fill: `url(#${gradId})` }),
    el('text', { class: 'hm-legend-label', x, y: y + 24, 'text-anchor': 'start', translate: 'no' }, '0'),
    el('text', { class: 'hm-legend-label', x: x + LEGEND_W / 2, y: y + 24, 'text-anchor': 'middle' }, m('legend.weight')),
    el('text', { class: 'hm-legend-label', x: x + LEGEND_W, y: y + 24, 'text-anchor': 'end', translate: 'no' }, '1'));
}

/** A small map without labels (the grid of every layer x head): THUMB px per cell. */
const THUMB = 6;
function drawThumb(values, masked) {
  const nr = values.length, nc = nr ? values[0].length : 0;
  const svg = el('svg', { class: 'hm-thumb-map', width: nc * THUMB, height: nr * THUMB, 'aria-hidden': 'true' });
  values.forEach((row, r) => row.forEach((v, c) => {
    svg.append(el('rect', { class: masked && c > r ? 'thumb-cell masked' : 'thumb-cell', x: c * THUMB, y: r * THUMB, width: THUMB, height: THUMB,
      fill: masked && c > r ? '#e8e8e8' : colour(v), 'data-value': String(v) }));
  }));
  return svg;
}

/** The values as an HTML table (the map's text alternative), tokens as headers, inside a closed <details>. Its
 * cells are built when the reader first opens it (a click on the summary, by mouse or keyboard, before it opens):
 * a cell per value is a DOM node per value that every map drawn would otherwise build unseen. */
function valueTable(values, rows, cols, masked, m) {
  const details = html('details', { class: 'hm-table' });
  const summary = html('summary', {}, m('map.table'));
  details.append(summary);
  summary.addEventListener('click', () => {
    if (details.querySelector('table')) return;
    const table = html('table', { translate: 'no' });
    const head = html('tr');
    head.append(html('th'));
    cols.forEach((c) => head.append(html('th', { scope: 'col' }, c)));
    table.append(head);
    values.forEach((row, r) => {
      const tr = html('tr');
      tr.append(html('th', { scope: 'row' }, rows[r]));
      row.forEach((v, c) => tr.append(html('td', {}, masked && c > r ? '—' : v.toFixed(3))));
      table.append(tr);
    });
    details.append(table);
  });
  return details;
}

function drawMap(values, axes, result, { name, title, size, legend, head, m }) {
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
    class: 'heatmap', width, height, viewBox: `0 0 ${width} ${height}`, tabindex: '0', role: 'img', translate: 'no',
    'aria-label': m('map.aria', { title, rows: nr, rowTitle: m(`axis.${axes.rowTitle}`), cols: nc, colTitle: m(`axis.${axes.colTitle}`) }),
    'data-map': name, 'data-rows': nr, 'data-cols': nc,
  });
  if (head !== undefined) svg.dataset.head = head;
  svg.style.font = `${font}px/1 ${FONT}`;
  const tooltip = html('div', { class: 'hm-tooltip', role: 'status', translate: 'no', hidden: '' });
  const scrollHint = html('p', { class: 'hm-scroll', hidden: '' }, m('map.scroll'));
  wrap.append(scrollHint, svg, tooltip);
  // Wider than its box (a phone): say that it scrolls.
  requestAnimationFrame(() => { scrollHint.hidden = !(wrap.scrollWidth > wrap.clientWidth + 1); });

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
  const isMasked = (r, c) => axes.masked && c > r;
  const hatch = `hatch-${Math.random().toString(36).slice(2)}`;
  if (axes.masked) {
    const pattern = el('pattern', { id: hatch, width: 5, height: 5, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
    pattern.append(el('rect', { width: 5, height: 5, fill: '#f4f4f4' }), el('line', { x1: 0, y1: 0, x2: 0, y2: 5, stroke: '#9a9a9a', 'stroke-width': 1.5 }));
    const defs = el('defs');
    defs.append(pattern);
    svg.append(defs);
  }
  const cells = [];
  values.forEach((row, r) => {
    cells.push(row.map((v, c) => {
      const masked = isMasked(r, c);
      const rect = el('rect', { class: masked ? 'cell masked' : 'cell', x: left + c * cell, y: top + r * cell, width: cell - 1, height: cell - 1,
        fill: masked ? `url(#${hatch})` : colour(v), 'data-row': r, 'data-col': c, 'data-value': String(v) });
      if (masked) rect.dataset.masked = 'true';
      grid.append(rect);
      return rect;
    }));
  });
  svg.append(grid);
  const rowBand = el('rect', { class: 'hm-band', x: left - 1, width: nc * cell + 1, height: cell + 1, visibility: 'hidden' });
  const colBand = el('rect', { class: 'hm-band', y: top - 1, width: cell + 1, height: nr * cell + 1, visibility: 'hidden' });
  svg.append(rowBand, colBand);
  if (legend) drawLegend(svg, left, top + nr * cell + 14, m);

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
    showTip(m(isMasked(r, c) ? 'tip.masked' : 'tip.cell', { row: rows[r], col: cols[c], value: v.toFixed(3) }), left + c * cell + cell, top + r * cell + cell);
  }

  function focusRow(r) {
    clear();
    showRow(r);
    const c = argmax(values[r]);
    colLabels[c].classList.add('aligned');
    cells[r][c].classList.add('aligned');
    showTip(m('tip.row', { row: rows[r], col: cols[c], value: values[r][c].toFixed(3) }), left, top + r * cell + cell);
  }

  function focusCol(c) {
    clear();
    showCol(c);
    const column = values.map((row) => row[c]);
    const r = argmax(column);
    rowLabels[r].classList.add('aligned');
    cells[r][c].classList.add('aligned');
    showTip(m('tip.col', { row: rows[r], col: cols[c], value: column[r].toFixed(3) }), left + c * cell, top + nr * cell);
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
    const mv = moves[e.key];
    if (!mv) { if (e.key === 'Escape') clear(); return; }
    e.preventDefault();
    focusCell(Math.max(0, Math.min(nr - 1, r + mv[0])), Math.max(0, Math.min(nc - 1, c + mv[1])));
  });
  const out = html('div', { class: 'hm-one' });
  out.append(wrap, valueTable(values, rows, cols, axes.masked, m));
  return out;
}
