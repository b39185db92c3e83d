/**
 * @license
 * Copyright 2019 Google LLC. All Rights Reserved.
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 * http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 * =============================================================================
 */

// Ported for attnlab's benchmark (bench only) from the TensorFlow.js examples, date-conversion-attention/
// model.js (tensorflow/tfjs-examples at 0521725666e4504948eed00fe372b92510cc74f9, Apache-2.0).
// Changed: `tf` is the global of tfjs's browser bundle; runSeq2SeqInference decodes a batch of strings at
// once (the same greedy loop: the argmax of step i - 1 fed as the decoder input of step i) and returns
// the output strings without the attention matrix. createModel is unchanged.

import * as dateFormat from './date_format.js';

const tf = globalThis.tf;

/**
 * A custom layer used to obtain the last time step of an RNN sequential
 * output.
 */
class GetLastTimestepLayer extends tf.layers.Layer {
  constructor(config) {
    super(config || {});
    this.supportMasking = true;
  }

  computeOutputShape(inputShape) {
    const outputShape = inputShape.slice();
    outputShape.splice(outputShape.length - 2, 1);
    return outputShape;
  }

  call(input) {
    if (Array.isArray(input)) {
      input = input[0];
    }
    const inputRank = input.shape.length;
    tf.util.assert(inputRank === 3, `Invalid input rank: ${inputRank}`);
    return input.gather([input.shape[1] - 1], 1).squeeze([1]);
  }

  static get className() {
    return 'GetLastTimestepLayer';
  }
}
tf.serialization.registerClass(GetLastTimestepLayer);

/**
 * Create an LSTM-based attention model for date conversion.
 *
 * @param {number} inputVocabSize Input vocabulary size. This includes
 *   the padding symbol. In the context of this model, "vocabulary" means
 *   the set of all unique characters that might appear in the input date
 *   string.
 * @param {number} outputVocabSize Output vocabulary size. This includes
 *   the padding and starting symbols. In the context of this model,
 *   "vocabulary" means the set of all unique characters that might appear in
 *   the output date string.
 * @param {number} inputLength Maximum input length (# of characters). Input
 *   sequences shorter than the length must be padded at the end.
 * @param {number} outputLength Output length (# of characters).
 * @return {tf.Model} A compiled model instance.
 */
export function createModel(
    inputVocabSize, outputVocabSize, inputLength, outputLength) {
  const embeddingDims = 64;
  const lstmUnits = 64;

  const encoderInput = tf.input({shape: [inputLength]});
  const decoderInput = tf.input({shape: [outputLength]});

  let encoder = tf.layers.embedding({
    inputDim: inputVocabSize,
    outputDim: embeddingDims,
    inputLength,
    maskZero: true
  }).apply(encoderInput);
  encoder = tf.layers.lstm({
    units: lstmUnits,
    returnSequences: true
  }).apply(encoder);

  const encoderLast = new GetLastTimestepLayer({
    name: 'encoderLast'
  }).apply(encoder);

  let decoder = tf.layers.embedding({
    inputDim: outputVocabSize,
    outputDim: embeddingDims,
    inputLength: outputLength,
    maskZero: true
  }).apply(decoderInput);
  decoder = tf.layers.lstm({
    units: lstmUnits,
    returnSequences: true
  }).apply(decoder, {initialState: [encoderLast, encoderLast]});

  let attention = tf.layers.dot({axes: [2, 2]}).apply([decoder, encoder]);
  attention = tf.layers.activation({
    activation: 'softmax',
    name: 'attention'
  }).apply(attention);

  const context = tf.layers.dot({
    axes: [2, 1],
    name: 'context'
  }).apply([attention, encoder]);
  const decoderCombinedContext =
      tf.layers.concatenate().apply([context, decoder]);
  let output = tf.layers.timeDistributed({
    layer: tf.layers.dense({
      units: lstmUnits,
      activation: 'tanh'
    })
  }).apply(decoderCombinedContext);
  output = tf.layers.timeDistributed({
    layer: tf.layers.dense({
      units: outputVocabSize,
      activation: 'softmax'
    })
  }).apply(output);

  const model = tf.model({
    inputs: [encoderInput, decoderInput],
    outputs: output
  });
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: 'adam'
  });
  return model;
}

/**
 * Perform sequence-to-sequence decoding for date conversion, a batch of input strings at once.
 *
 * @param {tf.Model} model The model to be used for the sequence-to-sequence decoding.
 * @param {string[]} inputStrs Input date strings to be converted.
 * @return {string[]} The output date strings.
 */
export function runSeq2SeqInference(model, inputStrs) {
  return tf.tidy(() => {
    const n = inputStrs.length;
    const encoderInput = dateFormat.encodeInputDateStrings(inputStrs);
    const decoderInput = tf.buffer([n, dateFormat.OUTPUT_LENGTH]);
    for (let k = 0; k < n; ++k) decoderInput.set(dateFormat.START_CODE, k, 0);

    let last = null;
    for (let i = 1; i <= dateFormat.OUTPUT_LENGTH; ++i) {
      const predictOut = model.predict([encoderInput, decoderInput.toTensor()], {batchSize: n});
      const output = predictOut.argMax(2).dataSync();  // [n, OUTPUT_LENGTH]
      predictOut.dispose();
      if (i < dateFormat.OUTPUT_LENGTH) {
        for (let k = 0; k < n; ++k) decoderInput.set(output[k * dateFormat.OUTPUT_LENGTH + i - 1], k, i);
      } else {
        last = output;
      }
    }

    const outputStrs = [];
    for (let k = 0; k < n; ++k) {
      let s = '';
      for (let i = 1; i < dateFormat.OUTPUT_LENGTH; ++i) s += dateFormat.OUTPUT_VOCAB[decoderInput.get(k, i)];
      s += dateFormat.OUTPUT_VOCAB[last[k * dateFormat.OUTPUT_LENGTH + dateFormat.OUTPUT_LENGTH - 1]];
      outputStrs.push(s);
    }
    return outputStrs;
  });
}
