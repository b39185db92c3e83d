// Small helpers shared by the page and the widget; every message comes from messages.js.
import { t } from './i18n.js';

/** A clear message for input that should not reach the model, or null (the length limits are checked by the module). */
export function checkInput(text, lang = 'en') {
  if (text.trim() === '') return t(lang, 'error.empty');
  return null;
}

/** The message for an error of a translation: the module's length limit in the reader's language, else its own text. */
export function translateError(e, lang, limits) {
  if (e.tooLong && limits) {
    const tokens = e.tooLong.chars <= limits.maxChars ? t(lang, 'error.tooLongTokens', { tokens: e.tooLong.tokens }) : '';
    return t(lang, 'error.tooLong', { chars: e.tooLong.chars, tokens, ...limits });
  }
  return t(lang, 'error.translate', { detail: e.message });
}

/** A warning about unknown words, or null. */
export function unknownWarning(result, lang = 'en') {
  const unknown = result.unknownWords || [];
  if (unknown.length === 0) return null;
  const shown = unknown.slice(0, 8).map((w) => (w.length > 24 ? `“${w.slice(0, 24)}…”` : `“${w}”`)).join(', ');
  const more = unknown.length > 8 ? t(lang, 'warn.more', { n: unknown.length - 8 }) : '';
  const known = (result.sourceUnknown || []).some((u, i) => !u && result.sourceTokens[i] !== '<eos>');
  return t(lang, known ? 'warn.unknown' : 'warn.noneKnown', { words: shown + more });
}

/** v with `digits` decimals, never "-0.0000" (a tiny negative number rounds to 0, shown unsigned). */
export function fixed(v, digits = 4) {
  const s = v.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A token as shown: a space (character-level models) as ␣, long tokens cut. */
export const showToken = (tok) => (tok === ' ' ? '␣' : tok.length > 40 ? tok.slice(0, 40) + '…' : tok);

/** Source tokens as inline spans, unknown ones marked. */
export function tokenSpans(doc, result, lang = 'en') {
  return result.sourceTokens.map((tok, i) => {
    const span = doc.createElement('span');
    const unk = result.sourceUnknown && result.sourceUnknown[i];
    span.className = 'tok' + (unk ? ' unk' : '');
    span.setAttribute('translate', 'no');
    span.textContent = showToken(tok);
    if (unk) span.title = t(lang, 'tok.unknown');
    return span;
  });
}
