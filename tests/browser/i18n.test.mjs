// Chinese and English: the two message tables have the same keys; in each language every visible
// string of the page (every section), the widget and the tutorial comes from that language's table —
// a string left in the other language fails; the switch is visible and remembered; ?lang= wins.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useSite, visibleTexts, whileTranslating, foreign } from './helpers.mjs';
import { en, zh } from '../../web/src/lib/messages.js';
import { SECTIONS } from '../../web/src/lib/sections.js';

const site = useSite({ before, after });

async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
}

test('the zh and en message tables have the same keys and no empty message', () => {
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const [k, v] of [...Object.entries(en), ...Object.entries(zh)]) assert.ok(v.trim(), k);
  // the primer's terms
  for (const term of ['上下文向量', '注意力权重', '加法注意力', '乘法注意力', '掩码', '多头注意力', '自注意力']) {
    assert.ok(Object.values(zh).some((v) => v.includes(term)), term);
  }
});

for (const lang of ['zh', 'en']) {
  test(`${lang}: every visible string of every section of the page is in ${lang}`, async () => {
    const { page, context, problems } = await openPage(site.browser, `${site.url}?lang=${lang}`, { width: 1280, height: 900 });
    await ready(page);
    for (const s of SECTIONS) {
      await page.evaluate(() => { document.body.dataset.done = '0'; });
      await page.click(`nav#sections a[data-section="${s.id}"]`);
      await page.waitForFunction(() => Number(document.body.dataset.done) > 0, null, { timeout: 60000 });
      if (s.chart) await page.waitForSelector('#chart[data-ready="true"]');
      // the computation of one row (§5–§6), where the section shows a map
      const label = page.locator('#heatmap .hm-row-label').first();
      if (await label.count()) await label.click();
      const texts = await visibleTexts(page);
      assert.deepEqual(foreign(texts, lang), [], `${lang} §${s.n} ${s.id}`);
      assert.ok(texts.includes(lang === 'zh' ? zh[`sec.${s.id}.title`] : en[`sec.${s.id}.title`]));
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'zh' ? 'zh-CN' : 'en');
    assert.equal(foreign([await page.title()], lang).length, 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test(`${lang}: the tutorial and its widgets show every string in ${lang}`, async () => {
    const { page, context, problems } = await openPage(site.browser, `${site.url}tutorial.html?lang=${lang}`, { width: 1280, height: 900 });
    const widgets = page.locator('attnlab-translate');
    for (let i = 0; i < await widgets.count(); i++) await widgets.nth(i).locator('svg.heatmap').waitFor({ timeout: 60000 });
    const texts = await visibleTexts(page);
    // a widget opened by its section names its model's folder in the input's label: a name, not a word
    const unnamed = texts.map((x) => site.models.reduce((y, m) => y.replaceAll(m.name, ''), x));
    assert.deepEqual(foreign(unnamed, lang), []);
    assert.ok(texts.includes(lang === 'zh' ? zh['tut.h1'] : en['tut.h1']));
    assert.ok(texts.includes(lang === 'zh' ? zh.translate : en.translate), 'the widget button');
    // a widget's own error, in the same language
    const w = widgets.nth(1);
    await w.locator('input').fill('');
    await w.locator('input').press('Enter');
    await w.locator('.error').waitFor({ state: 'visible' });
    assert.equal(await w.locator('.error').textContent(), lang === 'zh' ? zh['error.empty'] : en['error.empty']);
    await screenshot(page, `tutorial-${lang}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('zh and en: a dates model\'s notes (formats, not a date, impossible output), errors and warnings are in the reader\'s language', async (t) => {
  const m = site.models.find((x) => x.task === 'dates');
  if (!m) return t.skip('no dates model');
  for (const lang of ['zh', 'en']) {
    const { page, context, problems } = await openPage(site.browser, `${site.url}?lang=${lang}&model=${m.name}`);
    await ready(page);
    for (const input of ['31 feb 2026', '24 nov 2026', 'qwxz 😀', '']) {
      await whileTranslating(page, async () => { await page.fill('#sentence', input); await page.press('#sentence', 'Enter'); });
      assert.deepEqual(foreign(await visibleTexts(page), lang), [], `${lang} "${input}"`);
    }
    await screenshot(page, `dates-notes-${lang}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the language switch changes every string at once, is remembered, and ?lang= overrides it', async () => {
  const { page, context, problems } = await openPage(site.browser, `${site.url}?lang=en`);
  await ready(page);
  assert.equal(await page.textContent('#translate'), en.translate);
  await page.click('.lang-switch button[data-lang="zh"]');
  assert.equal(await page.textContent('#translate'), zh.translate);
  assert.equal(await page.textContent('h1'), zh['page.h1']);
  assert.deepEqual(foreign(await visibleTexts(page), 'zh'), []);
  // remembered: the same context (localStorage) without ?lang= opens in Chinese
  await page.goto(site.url);
  await ready(page);
  assert.equal(await page.textContent('#translate'), zh.translate);
  await page.goto(`${site.url}?lang=en`);
  await ready(page);
  assert.equal(await page.textContent('#translate'), en.translate);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Chinese browser opens the page in Chinese', async () => {
  const context = await site.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(site.url);
  await ready(page);
  assert.equal(await page.textContent('#translate'), zh.translate);
  await context.close();
});
