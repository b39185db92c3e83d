// Trains a dates model in headless Chromium, in the page's worker, and prints how long it took from the
// train() call to the held-out exact match (measured on the whole dates test split, 1000 dates).
// Run by scripts/bench-train-browser.sh (which builds the page first).
import { launch, siteUrl, stopServer, openReady } from '../tests/browser/helpers.mjs';

const PRESET = 'bahdanau-gru';
const OPTIONS = { task: 'dates', preset: PRESET, embedding: 32, hidden: 64, attentionSize: 32, epochs: 2, lr: 0.005,
  seed: 1, trainSize: 10000 };

const url = await siteUrl();
const browser = await launch();
try {
  const { page, context } = await openReady(browser, url);
  const r = await page.evaluate(async (options) => {
    const client = window.attnlabClient;
    let end = null, wake = null;
    const t0 = performance.now();
    const started = await client.train(options, (event, data) => {
      if (event === 'done' || event === 'lost') end = { event, ...data };
      wake?.();
    });
    while (!end) await new Promise((resolve) => { wake = resolve; });
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, end: { event: end.event, message: end.message, status: end.status, exact: end.report?.exact_match },
      parameters: started.parameters };
  }, OPTIONS);
  if (r.end.event !== 'done') throw new Error(r.end.message);
  const s = r.end.status;
  console.log(`dates ${PRESET} (embedding 32, hidden 64, ${r.parameters} parameters, 10000 pairs, 2 epochs): ` +
    `${s.step} steps, ${(s.step / r.seconds).toFixed(1)} steps/s, final loss ${s.loss.toFixed(4)}, wasm heap ${(s.heapBytes / 2 ** 20).toFixed(0)} MiB`);
  console.log(`browser-train: dates-${PRESET} ${(100 * r.end.exact).toFixed(1)}% exact match in ${r.seconds.toFixed(1)} s (tfjs peer: not measured)`);
  await context.close();
} finally {
  await browser.close();
  stopServer();
}
