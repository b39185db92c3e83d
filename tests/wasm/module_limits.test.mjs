// The embind module under node, handed the hostile bundles and options of issue 15: each is an
// {error} of one line naming the file, the field and the limit — never a throw or a trap — and the
// same module instance keeps loading and translating exactly as before.
//   node --no-experimental-fetch tests/wasm/module_limits.test.mjs build/wasm/node/attnlab.cjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const createAttnlab = require(resolve(process.argv[2]));
const models = fileURLToPath(new URL('../../models/', import.meta.url));
const files = (name) => ({
  config: readFileSync(`${models}${name}/config.json`, 'utf8'),
  weights: new Uint8Array(readFileSync(`${models}${name}/model.safetensors`)),
  vocab: readFileSync(`${models}${name}/vocab.json`, 'utf8'),
});
const withModel = (f, edit) => {
  const c = JSON.parse(f.config);
  edit(c.model);
  return { ...f, config: JSON.stringify(c) };
};
const load = (m, f, name) => m.loadModel(f.config, f.weights, f.vocab, name);

// The bytes of a safetensors file with its first weight (the start of the data section) set to NaN, in
// the dtype of the tensor stored first (the shipped bundles are F16 or F32).
function firstWeightNaN(bytes) {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(out.subarray(8, 8 + length)));
  const first = Object.entries(header).find(([name, e]) => name !== '__metadata__' && e.data_offsets[0] === 0)[1];
  if (first.dtype === 'F16') view.setUint16(8 + length, 0x7e00, true);
  else view.setFloat32(8 + length, NaN, true);
  return out;
}

function oneLineError(r, ...parts) {
  assert.equal(typeof r.error, 'string', JSON.stringify(r).slice(0, 200));
  assert.ok(!r.error.includes('\n'), r.error);
  assert.ok(r.error.length < 400, r.error);
  for (const p of parts) assert.ok(r.error.includes(p), `${JSON.stringify(r.error)} lacks ${JSON.stringify(p)}`);
}

test('hostile bundles and options are one-line {error}s and the instance keeps translating as before', async () => {
  const m = await createAttnlab();
  const reverse = files('reverse-bahdanau-gru'), dates = files('dates-transformer');
  const a = load(m, reverse, 'reverse'), b = load(m, dates, 'dates');
  assert.equal(a.error, undefined);
  assert.equal(b.error, undefined);
  const before = [m.translate(a.id, '3 1 4 1 5', 1, 0, false).translation, m.translate(b.id, '12 March 1987', 1, 0, false).translation];
  assert.equal(before[0], '5 1 4 1 3');

  // the weights are read from a Uint8Array only (copied in one TypedArray.set)
  oneLineError(m.loadModel(reverse.config, reverse.weights.buffer, reverse.vocab, 'buffer'),
    'buffer/model.safetensors: expected its bytes as a Uint8Array');
  oneLineError(m.loadModel(reverse.config, 'not bytes', reverse.vocab, 'text'), 'text/model.safetensors');
  oneLineError(load(m, withModel(reverse, (c) => { c.hidden_size = 20000; }), 'big'),
    'big/config.json: seq2seq config: hidden_size must be a whole number ≥ 1 and ≤ 4096, got 20000');
  oneLineError(load(m, withModel(reverse, (c) => { c.num_layers = 1e6; }), 'deep'),
    'deep/config.json', 'num_layers', '≤ 64');
  // 2^26 positions × d_model 64 wrapped wasm32's size_t and wrote past the table
  oneLineError(load(m, withModel(dates, (c) => { c.max_length = 2 ** 26; }), 'wrap'),
    'wrap/config.json: transformer config: max_length must be a whole number ≥ 1 and ≤ 4096, got 67108864');
  oneLineError(load(m, withModel(dates, (c) => { c.max_length = 8e6; }), 'long'), 'max_length', '≤ 4096');
  oneLineError(load(m, withModel(reverse, (c) => { c.hidden_size = 1024; }), 'mismatch'),
    'mismatch/model.safetensors does not hold the weights config.json describes');
  oneLineError(load(m, { ...reverse, weights: firstWeightNaN(reverse.weights) }, 'nan'), 'nan/model.safetensors: weight', '[0] = nan is not a finite number');
  oneLineError(load(m, { ...reverse, config: reverse.config.replace(/}\s*$/, `, "x": ${'['.repeat(100000)}${']'.repeat(100000)}}`) }, 'nested'),
    'nested/config.json: nested more than 32 levels deep');
  oneLineError(m.translate(a.id, '3 1 4', 1000000, 0, false), 'beam 1000000 is wider than the limit of 64');
  oneLineError(m.translate(a.id, '3 1 4', 1, 1001, false), 'max-length 1001 is more than the limit of 1000 output tokens');
  // JavaScript numbers beyond an int are refused as the command refuses them, not wrapped and ignored
  oneLineError(m.translate(a.id, '3 1 4', 1, 1e12, false), 'max-length 1000000000000 is more than the limit of 1000 output tokens');
  oneLineError(m.translate(a.id, '3 1 4', 1e12, 0, false), 'beam 1000000000000 is wider than the limit of 64');
  oneLineError(m.translate(a.id, '3 1 4', 1, -1, false), 'max-length must be a whole number ≥ 0, got -1');
  const tooLong = m.translate(a.id, '3 '.repeat(300), 1, 0, false);
  oneLineError(tooLong, 'at most 1000 characters and 200 tokens');
  assert.deepEqual(tooLong.tooLong, { chars: 600, tokens: 300 });

  // the bad sentences of the README's table, on a word and a character model alike
  for (const id of [a.id, b.id]) {
    oneLineError(m.translate(id, ' \t\u3000 ', 1, 0, false), 'nothing to translate: the sentence is empty');
    oneLineError(m.translate(id, '3\u0000 1', 1, 0, false), 'the control character U+0000 at character 2');
    oneLineError(m.translate(id, '\u001b[2J 1', 1, 0, false), 'the control character U+001B at character 1');
    // a lone surrogate never reaches the reader as such: Emscripten's UTF-8 encoder makes it U+10000, an unknown token
    assert.deepEqual(m.translate(id, '1 \ud800', 1, 0, false).unknownWords, ['\u{10000}']);
    assert.deepEqual(m.translate(id, '1 😀 2', 1, 0, false).unknownWords, ['😀']);
  }
  oneLineError(load(m, { ...reverse, vocab: files('toy-en-fr-bahdanau-gru').vocab }, 'vocab'),
    "vocab: the model's vocabulary sizes (14, 14) differ from vocab.json's");

  // training options: sizes over the model limits, split sizes over the task limits, numbers no size_t holds
  const train = (extra) => m.trainStart({ task: 'reverse', preset: 'bahdanau-gru', trainSize: 200, validSize: 20, testSize: 20, ...extra });
  oneLineError(train({ hidden: 20000 }), 'hidden_size must be a whole number ≥ 1 and ≤ 4096, got 20000');
  oneLineError(train({ trainSize: 1e9 }), 'train_size 1000000000 is more than the limit of 200000 examples');
  oneLineError(train({ layers: 2 ** 40 }), 'training option layers must be a whole number in [0, 2^31), got 1099511627776');
  oneLineError(train({ epochs: -1 }), 'training option epochs must be a whole number in [0, 2^31), got -1');
  m.trainDispose();

  const after = [m.translate(a.id, '3 1 4 1 5', 1, 0, false).translation, m.translate(b.id, '12 March 1987', 1, 0, false).translation];
  assert.deepEqual(after, before);
  const again = load(m, reverse, 'reverse-again');
  assert.equal(m.translate(again.id, '3 1 4 1 5', 1, 0, false).translation, before[0]);
});
