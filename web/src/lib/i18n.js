// The reader's language (zh or en) and its messages (messages.js).
//   chooseLang(): ?lang= in the URL, else the remembered choice (localStorage), else the browser's language
//   t(lang, key, params): the message, {name} replaced by params.name; a missing key throws
import { en, zh } from './messages.js';

export const TABLES = { en, zh };
export const LANGS = ['zh', 'en'];
const STORE = 'attnlab-lang';

export function t(lang, key, params = {}) {
  const table = TABLES[lang] || en;
  if (!(key in table)) throw new Error(`no message ${key} in ${lang}`);
  return table[key].replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** zh for a Chinese browser, en otherwise. */
export function browserLang(languages = globalThis.navigator?.languages || []) {
  return /^zh\b/i.test(languages[0] || '') ? 'zh' : 'en';
}

export function chooseLang() {
  const asked = new URLSearchParams(globalThis.location?.search || '').get('lang');
  if (LANGS.includes(asked)) return asked;
  try {
    const kept = globalThis.localStorage?.getItem(STORE);
    if (LANGS.includes(kept)) return kept;
  } catch { /* storage may be blocked */ }
  return browserLang();
}

export function rememberLang(lang) {
  try { globalThis.localStorage?.setItem(STORE, lang); } catch { /* storage may be blocked */ }
}

/** Sets the text of every [data-i18n] element under root (and [data-i18n-aria] labels). */
export function applyMessages(root, lang, params = {}) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(lang, el.dataset.i18n, params);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(lang, el.dataset.i18nAria, params));
}
