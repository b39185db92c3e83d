// Primer §6: softmax saturation, computed by the module (softmaxSaturation: seeded random q, k of growing
// d_k): the entropy of the weights and the largest weight, with and without ÷√d_k, as a small chart
// (d3-scale, d3-axis) and a table. Each point is a <circle class="sat-pt" data-dk data-series data-value>.
import { scaleLog, scaleLinear } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';
import { select } from 'd3-selection';
import { t } from './i18n.js';
import { chartLegend } from './chart.js';

// The demo's draws: d_k from 1 to 1024, 10 keys, 200 seeded trials each (the page and the widget alike).
export const SATURATION = { dims: [1, 4, 16, 64, 256, 1024], nKeys: 10, trials: 200, seed: 1 };

const W = 420, H = 220, M = { top: 10, right: 12, bottom: 38, left: 44 };
const SERIES = [
  { key: 'entropyUnscaled', label: 'sat.unscaled', colour: '#d93025' },
  { key: 'entropyScaled', label: 'sat.scaled', colour: '#1a73e8' },
];

export function renderSaturation(container, points, lang, nKeys) {
  const m = (k, p) => t(lang, k, p);
  container.replaceChildren();
  const h3 = document.createElement('h3');
  h3.textContent = m('sat.title');
  const p = document.createElement('p');
  p.textContent = m('sat.text');
  container.append(h3, p);
  const x = scaleLog().base(2).domain([points[0].dK, points[points.length - 1].dK]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, Math.log(nKeys)]).nice().range([H - M.bottom, M.top]);
  const wrap = document.createElement('div');
  wrap.className = 'chart-wrap';
  container.append(wrap);
  const svg = select(wrap).append('svg').attr('class', 'chart sat-chart').attr('viewBox', `0 0 ${W} ${H}`).attr('role', 'img').attr('aria-label', m('sat.aria'));
  svg.append('g').attr('transform', `translate(0,${H - M.bottom})`).attr('translate', 'no')
    .call(axisBottom(x).tickValues(points.map((q) => q.dK)).tickFormat((v) => String(v)));
  svg.append('g').attr('transform', `translate(${M.left},0)`).attr('translate', 'no').call(axisLeft(y).ticks(4));
  svg.append('text').attr('x', (M.left + W - M.right) / 2).attr('y', H - 4).attr('text-anchor', 'middle').attr('class', 'chart-label').attr('translate', 'no').text('d_k');
  svg.append('text').attr('transform', `translate(11,${(H - M.bottom + M.top) / 2}) rotate(-90)`).attr('text-anchor', 'middle').attr('class', 'chart-label').text(m('sat.entropy'));
  for (const s of SERIES) {
    svg.append('polyline').attr('fill', 'none').attr('stroke', s.colour).attr('stroke-width', 2).attr('points', points.map((q) => `${x(q.dK)},${y(q[s.key])}`).join(' '));
    svg.append('g').selectAll('circle').data(points).join('circle').attr('class', 'sat-pt').attr('r', 3.5).attr('fill', s.colour)
      .attr('cx', (q) => x(q.dK)).attr('cy', (q) => y(q[s.key])).attr('data-dk', (q) => q.dK).attr('data-series', s.key).attr('data-value', (q) => q[s.key]);
  }
  container.append(chartLegend(SERIES.map((s) => [s.colour, m(s.label)])));
  const table = document.createElement('table');
  table.className = 'sat-table';
  const head = table.insertRow();
  for (const k of ['sat.dk', 'sat.unscaled', 'sat.scaled']) {
    const th = document.createElement('th');
    th.textContent = k === 'sat.dk' ? 'd_k' : `${m('sat.max')}, ${m(k)}`;
    if (k === 'sat.dk') th.setAttribute('translate', 'no');
    head.append(th);
  }
  for (const q of points) {
    const tr = table.insertRow();
    tr.setAttribute('translate', 'no');
    tr.dataset.dk = q.dK;
    tr.insertCell().textContent = String(q.dK);
    tr.insertCell().textContent = q.maxWeightUnscaled.toFixed(3);
    tr.insertCell().textContent = q.maxWeightScaled.toFixed(3);
  }
  container.append(table);
}
