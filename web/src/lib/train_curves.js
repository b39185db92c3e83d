// The Train panel's live curves (uPlot): for each run, the training loss (left axis) and one more
// measure on the right axis (held-out token accuracy, or the attention entropy of the probe map), over
// optimiser steps. Two runs of an experiment share one chart. The points are also data-* attributes of
// the chart's element (data-points = every point of every run), so a test can read what is drawn.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { t } from './i18n.js';

const COLOURS = schemeTableau10; // the by-length chart's colours (chart.js), run by run

/**
 * Draws (or redraws) the curves of `runs` in `container`.
 * runs: [{label, points: [{step, loss, accuracy?, entropy?}]}]; right: 'accuracy' | 'entropy'.
 * Keeps one uPlot per container and updates its data in place while the series stay the same.
 */
export function renderCurves(container, runs, { lang, right = 'accuracy' }) {
  const m = (k, p) => t(lang, k, p);
  const key = `${lang}|${right}|${runs.map((r) => r.label).join('|')}`;
  const xs = [...new Set(runs.flatMap((r) => r.points.map((p) => p.step)))].sort((a, b) => a - b);
  const column = (run, field) => {
    const at = new Map(run.points.filter((p) => p[field] !== undefined && p[field] !== null).map((p) => [p.step, p[field]]));
    return xs.map((x) => (at.has(x) ? at.get(x) : null));
  };
  const data = [xs];
  for (const run of runs) data.push(column(run, 'loss'), column(run, right));
  container.dataset.points = String(runs.reduce((n, r) => n + r.points.length, 0));
  container.dataset.series = String(runs.length);
  if (container._plot && container._plotKey === key) {
    container._plot.setData(data);
    return;
  }
  container._plot?.destroy();
  container.replaceChildren();
  const series = [{ label: m('train.curve.step') }];
  runs.forEach((run, i) => {
    series.push({ label: m('train.curve.loss', { run: run.label }), stroke: COLOURS[i % COLOURS.length], width: 2, scale: 'loss', spanGaps: true },
      { label: m(`train.curve.${right}`, { run: run.label }), stroke: COLOURS[i % COLOURS.length], width: 2, dash: [6, 4], scale: right,
        spanGaps: true, value: (u, v) => (v === null ? '–' : right === 'accuracy' ? `${(100 * v).toFixed(1)}%` : v.toFixed(3)) });
  });
  const width = Math.max(280, Math.min(720, container.clientWidth || 640));
  container._plot = new uPlot({
    width, height: 240, series,
    scales: { x: { time: false }, loss: { auto: true, range: (u, lo, hi) => [0, Math.max(hi, 1e-3)] },
      [right]: right === 'accuracy' ? { range: [0, 1] } : { auto: true, range: (u, lo, hi) => [0, Math.max(hi, 1e-3)] } },
    axes: [
      { label: m('train.curve.step'), stroke: '#444' },
      { label: m('train.curve.lossAxis'), scale: 'loss', stroke: '#444' },
      { label: m(`train.curve.${right}Axis`), scale: right, side: 1, stroke: '#444', grid: { show: false },
        values: right === 'accuracy' ? (u, ticks) => ticks.map((v) => `${Math.round(100 * v)}%`) : undefined },
    ],
    legend: { live: false },
  }, data, container);
  container._plotKey = key;
}
