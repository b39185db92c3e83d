// The exact match of every model by source length, one line per model, from each bundle's eval.json
// ({buckets: [{min_len, max_len, exact_match, count}…]}). d3-scale and d3-axis draw it; each point is a
// <circle class="pt" data-model data-min data-max data-value> and the figures are also a table.
import { scaleLinear, scaleOrdinal } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';
import { select } from 'd3-selection';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { t } from './i18n.js';

const W = 560, H = 260, M = { top: 12, right: 12, bottom: 40, left: 48 };

/** A chart's legend: [[colour, label]…] as a list of swatches. */
export function chartLegend(items) {
  const legend = document.createElement('ul');
  legend.className = 'chart-legend';
  for (const [colour, label] of items) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = colour;
    li.append(sw, document.createTextNode(label));
    legend.append(li);
  }
  return legend;
}

/** series: [{name, label, buckets}]. Renders into container (cleared); title: the heading (chart.title by default). */
export function renderExactMatchChart(container, series, lang, { title } = {}) {
  const m = (k, p) => t(lang, k, p);
  container.replaceChildren();
  const h = document.createElement('h3');
  h.textContent = title ?? m('chart.title');
  container.append(h);
  const points = series.flatMap((s) => s.buckets.map((b) => ({ ...b, name: s.name, x: (b.min_len + b.max_len) / 2 })));
  const x = scaleLinear().domain([0, Math.max(...points.map((p) => p.max_len))]).nice().range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const colour = scaleOrdinal(schemeTableau10).domain(series.map((s) => s.name));
  const wrap = document.createElement('div');
  wrap.className = 'chart-wrap';
  container.append(wrap);
  const svg = select(wrap).append('svg').attr('class', 'chart').attr('viewBox', `0 0 ${W} ${H}`).attr('role', 'img')
    .attr('aria-label', m('chart.aria'));
  svg.append('g').attr('transform', `translate(0,${H - M.bottom})`).attr('translate', 'no').call(axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${M.left},0)`).attr('translate', 'no').call(axisLeft(y).ticks(5, '%'));
  svg.append('text').attr('x', (M.left + W - M.right) / 2).attr('y', H - 6).attr('text-anchor', 'middle').attr('class', 'chart-label').text(m('chart.x'));
  svg.append('text').attr('transform', `translate(12,${(H - M.bottom + M.top) / 2}) rotate(-90)`).attr('text-anchor', 'middle')
    .attr('class', 'chart-label').text(m('chart.y'));
  for (const s of series) {
    const pts = points.filter((p) => p.name === s.name);
    svg.append('polyline').attr('fill', 'none').attr('stroke', colour(s.name)).attr('stroke-width', 2)
      .attr('points', pts.map((p) => `${x(p.x)},${y(p.exact_match)}`).join(' '));
    svg.append('g').selectAll('circle').data(pts).join('circle').attr('class', 'pt').attr('r', 3.5)
      .attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p.exact_match)).attr('fill', colour(s.name))
      .attr('data-model', (p) => p.name).attr('data-min', (p) => p.min_len).attr('data-max', (p) => p.max_len)
      .attr('data-value', (p) => p.exact_match)
      .append('title').text((p) => `${s.label}: ${m('chart.bucket', { min: p.min_len, max: p.max_len })}, ${(100 * p.exact_match).toFixed(1)}%`);
  }
  container.append(chartLegend(series.map((s) => [colour(s.name), s.label])));
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = m('chart.table');
  const table = document.createElement('table');
  table.setAttribute('translate', 'no');
  for (const s of series) {
    for (const b of s.buckets) {
      const tr = table.insertRow();
      tr.insertCell().textContent = s.label;
      tr.insertCell().textContent = `${b.min_len}–${b.max_len}`;
      tr.insertCell().textContent = `${(100 * b.exact_match).toFixed(1)}%`;
    }
  }
  details.append(summary, table);
  container.append(details);
}
