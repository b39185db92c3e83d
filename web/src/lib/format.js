// Small helpers shared by the page and the widget.
export const MAX_CHARS = 1000;

/** A clear message for input that should not reach the model, or null. */
export function checkInput(text) {
  if (text.trim() === '') return 'Type a sentence first: the input is empty.';
  if (text.length > MAX_CHARS) {
    return `The sentence is too long (${text.length} characters; at most ${MAX_CHARS}). These models were trained on short sentences.`;
  }
  return null;
}

/** A warning about unknown words, or null. */
export function unknownWarning(result) {
  const unknown = result.unknownWords || [];
  if (unknown.length === 0) return null;
  const shown = unknown.slice(0, 8).map((w) => (w.length > 24 ? `“${w.slice(0, 24)}…”` : `“${w}”`)).join(', ');
  const more = unknown.length > 8 ? ` and ${unknown.length - 8} more` : '';
  const known = (result.sourceUnknown || []).some((u, i) => !u && result.sourceTokens[i] !== '<eos>');
  if (!known) {
    return `None of the words is in this model's vocabulary (${shown}${more}), so the model only sees <unk>: the translation below is meaningless.`;
  }
  return `Unknown to this model, read as <unk>: ${shown}${more}.`;
}

/** Source tokens as inline spans, unknown ones marked. */
export function tokenSpans(doc, result) {
  return result.sourceTokens.map((t, i) => {
    const span = doc.createElement('span');
    const unk = result.sourceUnknown && result.sourceUnknown[i];
    span.className = 'tok' + (unk ? ' unk' : '');
    span.textContent = t.length > 40 ? t.slice(0, 40) + '…' : t;
    if (unk) span.title = 'unknown word (read as <unk>)';
    return span;
  });
}
