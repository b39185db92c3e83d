// The tutorial's prose in the reader's language (the page's choice: ?lang=, remembered, browser) and,
// for each widget, a model of its task from the models built into this site: an RNN with attention,
// as the prose describes, else any model of the task.
import { t, chooseLang, rememberLang, applyMessages } from './lib/i18n.js';

let lang = chooseLang();
function apply() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t(lang, 'tut.title');
  applyMessages(document, lang);
  document.getElementById('back').href = `./index.html?lang=${lang}`;
  document.getElementById('to-section').href = `./index.html?lang=${lang}&section=attention`;
  for (const b of document.querySelectorAll('.lang-switch button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  for (const w of document.querySelectorAll('attnlab-translate')) w.setAttribute('lang', lang);
}
for (const b of document.querySelectorAll('.lang-switch button')) {
  b.addEventListener('click', () => { lang = b.dataset.lang; rememberLang(lang); apply(); });
}
apply();

const widgets = document.querySelectorAll('attnlab-translate[data-task]');
fetch(new URL('models/index.json', location.href)).then((r) => r.json()).then(({ models }) => {
  for (const w of widgets) {
    const ofTask = models.filter((x) => x.task === w.dataset.task);
    const m = ofTask.find((x) => x.architecture === 'seq2seq' && x.attention !== 'none') || ofTask[0] || models[0];
    if (m.task !== w.dataset.task) w.setAttribute('sentence', m.examples[0] || '');
    w.setAttribute('model', m.name);
  }
});
