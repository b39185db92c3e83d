// How long the page takes from navigation to its first translation on screen, in headless Chromium on a
// local server (vite preview of web/dist): each round a new browser context (empty cache), then one reload
// in the same context (warm cache). Prints the median and spread over the rounds, the load average, and
// for the last cold round when each request started and ended (the waterfall: what waits for what).
// Wall time (a latency, not a throughput): read it with the load average printed beside it.
// Run by scripts/bench-page-load.sh (which builds the page first). BENCH_ROUNDS (default 7).
import os from 'node:os';
import { launch, siteUrl, stopServer } from '../tests/browser/helpers.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);

/** Navigates (or reloads) and returns {ms: the first-translation mark, requests: [{name, start, end}]}. */
async function firstTranslation(page, go) {
  await go();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
  return page.evaluate(() => {
    const mark = performance.getEntriesByName('attnlab:first-translation')[0];
    const requests = performance.getEntriesByType('resource').map((r) => ({ name: r.name, start: r.startTime, end: r.responseEnd }));
    return { ms: mark.startTime, requests };
  });
}

/** Worker requests are not in the page's resource timing: they are read from the worker's own. */
async function workerRequests(page) {
  const out = [];
  for (const w of page.workers()) out.push(...await w.evaluate(() => performance.getEntriesByType('resource').map((r) => ({
    name: r.name, start: performance.timeOrigin + r.startTime, end: performance.timeOrigin + r.responseEnd }))));
  return out;
}

const stats = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  const median = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return { median, spread: (v.at(-1) - v[0]) / median };
};
const fmt = (s) => `${s.median.toFixed(0)} ms (spread ${(100 * s.spread).toFixed(0)}%)`;

const url = await siteUrl();
const browser = await launch();
const cold = [], warm = [];
let waterfall = null;
const load0 = os.loadavg()[0];
try {
  for (let r = 0; r < ROUNDS; r++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const first = await firstTranslation(page, () => page.goto(url));
    cold.push(first.ms);
    if (r === ROUNDS - 1) {
      const origin = await page.evaluate(() => performance.timeOrigin);
      const fromWorker = (await workerRequests(page)).map((q) => ({ ...q, start: q.start - origin, end: q.end - origin }));
      waterfall = { ms: first.ms, requests: [...first.requests, ...fromWorker].sort((a, b) => a.start - b.start) };
    }
    warm.push((await firstTranslation(page, () => page.reload())).ms);
    await context.close();
  }
} finally {
  await browser.close();
  stopServer();
}
console.log(`page load, ${ROUNDS} rounds, load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} (${os.cpus().length} cores)`);
console.log('the last cold round, each request (ms after navigation start):');
for (const q of waterfall.requests) console.log(`  ${q.start.toFixed(0).padStart(5)} -> ${q.end.toFixed(0).padStart(5)}  ${q.name.replace(url, '/')}`);
console.log(`  ${waterfall.ms.toFixed(0).padStart(5)}           first translation on screen`);
console.log(`page-load: first translation ${fmt(stats(cold))} cold cache, ${fmt(stats(warm))} warm cache (target <= 350 ms)`);
