// Models as the reader sees them: a readable name and one line on what the model does, in the
// reader's language, grouped by task; and the right/wrong marks of an output against a reference.
import { t } from './i18n.js';
import { TABLES } from './i18n.js';

/** The message key of a model's kind: context, bahdanau-additive, luong-general, transformer, aaren. */
export function kindKey(entry) {
  if (entry.transformer) return entry.transformer.aaren ? 'kind.aaren' : 'kind.transformer';
  if (entry.attention === 'none') return 'kind.context';
  return `kind.${entry.attention}-${entry.score}`;
}

const has = (key) => key in TABLES.en;

/** "Bahdanau attention (additive), GRU" — or the bundle's folder name for a kind the tables do not know;
 * a model trained in the page (entry.trained = its number) says so. */
export function modelLabel(entry, lang) {
  const key = kindKey(entry);
  if (!has(key)) return entry.name;
  const label = t(lang, key) + (entry.cell ? `, ${entry.cell.toUpperCase()}` : '');
  return entry.trained ? t(lang, 'model.trained', { label, n: entry.trained }) : label;
}

export function taskLabel(task, lang) {
  return has(`task.${task}`) ? t(lang, `task.${task}`) : task;
}

export function describe(entry, lang) {
  const tr = entry.transformer;
  if (tr) {
    return t(lang, 'describe.transformer', { preLN: tr.preLN ? t(lang, 'describe.preLN') : '', enc: tr.encoderLayers,
      dec: tr.decoderLayers, heads: tr.heads, d: tr.dModel, decoderSelf: t(lang, tr.aaren ? 'describe.aarenSelf' : 'describe.decoderSelf') });
  }
  const kind = entry.attention === 'none' ? t(lang, 'describe.context') : t(lang, 'describe.attention', { kind: modelLabel({ ...entry, cell: null }, lang) });
  return t(lang, 'describe.rnn', { cell: (entry.cell || 'rnn').toUpperCase(), kind });
}

/** The models grouped by task, in the manifest's order: [[task, [entry…]]…]. */
export function byTask(models) {
  const groups = new Map();
  for (const m of models) {
    if (!groups.has(m.task)) groups.set(m.task, []);
    groups.get(m.task).push(m);
  }
  return [...groups];
}

/** Per output token (its <eos> excluded): whether it is the reference's token at the same position. */
export function marksAgainst(outputTokens, referenceText) {
  const ref = referenceText.split(' ').filter(Boolean);
  const out = outputTokens.filter((tok) => tok !== '<eos>');
  return out.map((tok, i) => ({ token: tok, right: ref[i] === tok }));
}
