// A crash of the wasm module in its worker, caused for real through the test-only client._crashForTest()
// (the next message the worker gets calls the Emscripten module's abort()): the calls in flight are
// rejected with a readable message, the page says so, and the next call starts a fresh worker that
// reloads the models from their URLs, so the page keeps translating as the native CLI does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, siteUrl, stopServer, manifest, nativeTranslate, screenshot, readCells, pickModel, openReady,
  translateOnPage, assertRowsSumToOne } from './helpers.mjs';

const CRASH = /the WebAssembly module crashed \(RuntimeError: Aborted\(crash requested by a test\)\)\. .*try again/;
let browser, url, models;
before(async () => {
  url = await siteUrl();
  models = await manifest();
  browser = await launch();
});
after(async () => { await browser?.close(); stopServer(); });

test('a crash of the wasm module rejects every call in flight with a clear message, and the next call restarts it with its models', async () => {
  const { page, context, problems } = await openReady(browser, url);
  const m = models.find((x) => x.task === 'toy-en-fr' && x.attention !== 'none') || models[0];
  await pickModel(page, m.name);
  const [first] = page.workers();
  const firstClosed = new Promise((resolve) => first.on('close', () => resolve(true)));

  const outcomes = await page.evaluate(async ({ name, sentences }) => {
    const client = window.attnlabClient;
    const model = await client.loadModel(`models/${name}/`);
    client._crashForTest();
    const settled = await Promise.allSettled(sentences.map((s) => client.translate(model.id, s)));
    const again = await client.translate(model.id, sentences[0]);
    return { settled: settled.map((r) => ({ status: r.status, name: r.reason?.name, message: r.reason?.message })),
      again: again.translation, crashes: client.crashes };
  }, { name: m.name, sentences: m.examples.slice(0, 2) });
  for (const o of outcomes.settled) {
    assert.equal(o.status, 'rejected');
    assert.equal(o.name, 'AttnlabCrash');
    assert.match(o.message, CRASH);
  }
  assert.equal(outcomes.again, nativeTranslate(m.name, m.examples[0]).translation);
  assert.equal(outcomes.crashes, 1);
  assert.ok(await Promise.race([firstClosed, new Promise((r) => setTimeout(() => r(false), 5000))]), 'the crashed worker is stopped');
  assert.equal(page.workers().length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('after a crash the page shows a clear message for the failed translation, then translates as the CLI does again', async () => {
  const { page, context, problems } = await openReady(browser, url);
  const m = models.find((x) => x.task === 'toy-en-fr' && x.attention !== 'none') || models[0];
  const other = models.find((x) => x.name !== m.name && x.attention !== 'none');
  await pickModel(page, m.name);
  const sentence = m.examples[0];

  await page.evaluate(() => window.attnlabClient._crashForTest());
  await translateOnPage(page, sentence);
  const error = page.locator('#error');
  assert.ok(await error.isVisible());
  assert.match(await error.textContent(), /^Could not translate: /);
  assert.match(await error.textContent(), CRASH);
  assert.equal(await page.isEnabled('#translate'), true);
  await screenshot(page, 'page-crash-message');

  // The next translation: a fresh worker reloads the model from its URL; same output and map as the CLI.
  await translateOnPage(page, sentence);
  const expected = nativeTranslate(m.name, sentence);
  assert.ok(await error.isHidden());
  assert.equal(await page.textContent('#output'), expected.translation);
  const cells = await readCells(page.locator('#heatmap'));
  assert.deepEqual([cells.length, cells[0].length], expected.attention.cross.shape.slice(-2));
  assertRowsSumToOne(cells, `${m.name} after the restart`);
  await screenshot(page, 'page-crash-recovered');

  // Other models load into the new worker too.
  if (other) {
    await pickModel(page, other.name);
    assert.equal(await page.textContent('#output'), nativeTranslate(other.name, other.examples[0]).translation);
  }
  assert.equal(page.workers().length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});
