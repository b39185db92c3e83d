// How long the page takes from navigation to its first translation on screen, in headless Chromium on a
// local server (vite preview of web/dist): each round a new browser context (empty cache), then one reload
// in the same context (warm cache). Prints the median and spread over the rounds, the load average, when
// the page's and the worker's marks (attnlab:*) fell in the cold loads (median), and for the last cold round
// when each request started and ended (the waterfall: what waits for what).
// Wall time (a latency, not a throughput): read it with the load average printed beside it.
// BENCH_COMPARE=<another built dist folder> (e.g. main's web/dist copied aside) serves that one too and
// alternates the two builds in every round (A B, then B A), so both see the same load, and prints the differences
// paired by round (median, range, how many rounds this build was faster); BENCH_COMPARE_CONFIG=<a
// vite config> serves that build with another config's server (e.g. main's, to compare the servers' headers).
// Run by scripts/bench-page-load.sh (which builds the page first). BENCH_ROUNDS (default 7).
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { launch, siteUrl, stopServer, timeline, ROOT } from '../tests/browser/helpers.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 7);

/** Waits for the page's body[data-ready] without polling: a waitForSelector checks the page at every animation frame
 * (a query and a style and layout pass), work on the page's main thread that a reader's browser does not do, while
 * the page is still building the first translation. A MutationObserver in the page wakes only when the attribute changes. */
function untilReady(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const ready = () => document.body.dataset.ready === 'true';
    if (ready()) return resolve();
    const timer = setTimeout(() => reject(new Error('the page was not ready after 60 s')), 60000);
    new MutationObserver((_, observer) => {
      if (!ready()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }).observe(document.body, { attributes: true, attributeFilter: ['data-ready'] });
  }));
}

/** Navigates (or reloads) and returns {ms: the first-translation mark, marks: {name: ms}, requests: [{name, start, end, by}]}. */
async function firstTranslation(page, go) {
  await go();
  await untilReady(page);
  const { marks, requests } = await timeline(page);
  return { ms: marks['attnlab:first-translation'], marks, requests };
}

const median = (xs) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (xs) => {
  const m = median(xs);
  return `${m.toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}, spread ${(100 * (Math.max(...xs) - Math.min(...xs)) / m).toFixed(0)}%)`;
};

/** A second preview server, of another dist folder. */
async function serve(dist) {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const config = process.env.BENCH_COMPARE_CONFIG ? ['--config', path.resolve(process.env.BENCH_COMPARE_CONFIG)] : [];
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', ...config, '--outDir', path.resolve(dist),
    '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: path.join(ROOT, 'web'), stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child };
}

const builds = [{ name: 'this build', url: await siteUrl(), cold: [], warm: [], marks: [], last: null }];
let other = null;
if (process.env.BENCH_COMPARE) {
  other = await serve(process.env.BENCH_COMPARE);
  builds.push({ name: process.env.BENCH_COMPARE, url: other.url, cold: [], warm: [], marks: [], last: null });
}
const browser = await launch();
const load0 = os.loadavg()[0];
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const b of r % 2 ? [...builds].reverse() : builds) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const first = await firstTranslation(page, () => page.goto(b.url));
      b.cold.push(first.ms);
      b.marks.push(first.marks);
      b.last = first;
      b.warm.push((await firstTranslation(page, () => page.reload())).ms);
      await context.close();
    }
  }
} finally {
  await browser.close();
  stopServer();
  other?.child.kill();
}
console.log(`page load, ${ROUNDS} rounds, load average ${load0.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)} (${os.cpus().length} cores)`);
for (const b of builds) {
  console.log(`${b.name}: the cold loads' marks (median ms after navigation start; worker: the worker's own marks):`);
  const names = [...new Set(b.marks.flatMap((m) => Object.keys(m)))];
  const at = names.map((n) => [n, median(b.marks.filter((m) => n in m).map((m) => m[n]))]).sort((x, y) => x[1] - y[1]);
  for (const [n, t] of at) console.log(`  ${t.toFixed(0).padStart(5)}  ${n}`);
  console.log(`${b.name}: the last cold round, each request (ms after navigation start):`);
  for (const q of b.last.requests) console.log(`  ${q.start.toFixed(0).padStart(5)} -> ${q.end.toFixed(0).padStart(5)}  ${q.by.padEnd(6)}  ${q.name.replace(b.url, '/')}`);
  console.log(`  ${b.last.ms.toFixed(0).padStart(5)}           first translation on screen`);
}
if (other) {
  // Paired by round (both builds loaded within seconds of each other): this build's time minus the other's.
  const [a, b] = builds;
  for (const kind of ['cold', 'warm']) {
    const d = a[kind].map((ms, r) => ms - b[kind][r]);
    console.log(`paired, ${kind} cache: this build - ${b.name} = median ${median(d).toFixed(0)} ms (${Math.min(...d).toFixed(0)} to ${Math.max(...d).toFixed(0)}), faster in ${d.filter((x) => x < 0).length} of ${d.length} rounds`);
  }
}
for (const b of builds) {
  console.log(`page-load${builds.length > 1 ? ` (${b.name})` : ''}: first translation ${fmt(b.cold)} cold cache, ${fmt(b.warm)} warm cache (target <= 350 ms)`);
}
