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
// train.js (tensorflow/tfjs-examples at 0521725666e4504948eed00fe372b92510cc74f9, Apache-2.0).
// generateDataForTraining is unchanged (but for `tf`, the global of tfjs's browser bundle, and a log
// function). run() replaces the example's node entry point: the same model and the same model.fit
// (batch size 128, shuffle, the validation split at each epoch's end) in the page with tfjs-backend-wasm,
// stopped once greedy decoding reaches a target exact match on the example's own test dates (or at a
// time cap); the time of those checks is kept apart from the training time. The wasm backend lacks one
// kernel the training needs; unsorted_segment_sum.js adds it.

import * as dateFormat from './date_format.js';
import {createModel, runSeq2SeqInference} from './model.js';
import {registerUnsortedSegmentSum} from './unsorted_segment_sum.js';

const tf = globalThis.tf;

/**
 * Generate sets of data for training.
 *
 * @param {number} trainSplit Trainining split. Must be >0 and <1.
 * @param {number} valSplit Validatoin split. Must be >0 and <1.
 * @param {function} log Where the counts are written.
 * @return An `Object` consisting of
 *   - trainEncoderInput, as a `tf.Tensor` of shape
 *     `[numTrainExapmles, inputLength]`
 *   - trainDecoderInput, as a `tf.Tensor` of shape
 *     `[numTrainExapmles, outputLength]`. The first element of every
 *     example has been set as START_CODE (the sequence-start symbol).
 *   - trainDecoderOuptut, as a one-hot encoded `tf.Tensor` of shape
 *     `[numTrainExamples, outputLength, outputVocabSize]`.
 *   - valEncoderInput, same as trainEncoderInput, but for the validation set.
 *   - valDecoderInput, same as trainDecoderInput, but for the validation set.
 *   - valDecoderOutput, same as trainDecoderOuptut, but for the validation
 *     set.
 *   - testDateTuples, date tuples ([year, month, day]) for the test set.
 */
export function generateDataForTraining(trainSplit = 0.25, valSplit = 0.15, log = console.log) {
  tf.util.assert(
      trainSplit > 0 && valSplit > 0 && trainSplit + valSplit <= 1,
      `Invalid trainSplit (${trainSplit}) and valSplit (${valSplit})`);

  const dateTuples = [];
  const MIN_YEAR = 1950;
  const MAX_YEAR = 2050;
  for (let date = new Date(MIN_YEAR,0,1);
       date.getFullYear() < MAX_YEAR;
       date.setDate(date.getDate() + 1)) {
    dateTuples.push([date.getFullYear(), date.getMonth() + 1, date.getDate()]);
  }
  tf.util.shuffle(dateTuples);

  const numTrain = Math.floor(dateTuples.length * trainSplit);
  const numVal = Math.floor(dateTuples.length * valSplit);
  log(`Number of dates used for training: ${numTrain}`);
  log(`Number of dates used for validation: ${numVal}`);
  log(
      `Number of dates used for testing: ` +
      `${dateTuples.length - numTrain - numVal}`);

  function dateTuplesToTensor(dateTuples) {
    return tf.tidy(() => {
      const inputs =
          dateFormat.INPUT_FNS.map(fn => dateTuples.map(tuple => fn(tuple)));
      const inputStrings = [];
      inputs.forEach(inputs => inputStrings.push(...inputs));
      const encoderInput =
          dateFormat.encodeInputDateStrings(inputStrings);
      const trainTargetStrings = dateTuples.map(
          tuple => dateFormat.dateTupleToYYYYDashMMDashDD(tuple));
      let decoderInput =
          dateFormat.encodeOutputDateStrings(trainTargetStrings)
          .asType('float32');
      // One-step time shift: The decoder input is shifted to the left by
      // one time step with respect to the encoder input. This accounts for
      // the step-by-step decoding that happens during inference time.
      decoderInput = tf.concat([
        tf.ones([decoderInput.shape[0], 1]).mul(dateFormat.START_CODE),
        decoderInput.slice(
            [0, 0], [decoderInput.shape[0], decoderInput.shape[1] - 1])
      ], 1).tile([dateFormat.INPUT_FNS.length, 1]);
      const decoderOutput = tf.oneHot(
          dateFormat.encodeOutputDateStrings(trainTargetStrings),
          dateFormat.OUTPUT_VOCAB.length).tile(
              [dateFormat.INPUT_FNS.length, 1, 1]);
      return {encoderInput, decoderInput, decoderOutput};
    });
  }

  const {
    encoderInput: trainEncoderInput,
    decoderInput: trainDecoderInput,
    decoderOutput: trainDecoderOutput
  } = dateTuplesToTensor(dateTuples.slice(0, numTrain));
  const {
    encoderInput: valEncoderInput,
    decoderInput: valDecoderInput,
    decoderOutput: valDecoderOutput
  } = dateTuplesToTensor(dateTuples.slice(numTrain, numTrain + numVal));
  const testDateTuples =
      dateTuples.slice(numTrain + numVal, dateTuples.length);
  return {
    trainEncoderInput,
    trainDecoderInput,
    trainDecoderOutput,
    valEncoderInput,
    valDecoderInput,
    valDecoderOutput,
    testDateTuples
  };
}

/**
 * Exact match of greedy decoding on `count` test dates, date k written in the example's format k mod 20
 * (so every format is tested on count / 20 dates).
 */
export function exactMatch(model, testDateTuples, count) {
  const tuples = testDateTuples.slice(0, count);
  const inputs = tuples.map((t, k) => dateFormat.INPUT_FNS[k % dateFormat.INPUT_FNS.length](t));
  const outputs = runSeq2SeqInference(model, inputs);
  let right = 0;
  outputs.forEach((out, k) => { if (out === dateFormat.dateTupleToYYYYDashMMDashDD(tuples[k])) ++right; });
  return right / tuples.length;
}

/**
 * Trains the example's model with model.fit until the exact match on `testCount` test dates reaches
 * `target` (checked every `checkEvery` batches), or the training time passes `capSeconds`, or `maxEpochs`.
 * Returns {reached, exact, trainSeconds, checkSeconds, batches, epochs, loss, parameters, backend, simd, threads}.
 */
export async function run({target, capSeconds = 2400, checkEvery = 100, testCount = 1000, maxEpochs = 20,
                           log = console.log}) {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);  // one thread, as attnlab's worker
  await tf.setBackend('wasm');
  await tf.ready();
  registerUnsortedSegmentSum();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');

  const t0 = performance.now();
  let checkMs = 0;
  const trainSeconds = () => (performance.now() - t0 - checkMs) / 1000;
  const model = createModel(
      dateFormat.INPUT_VOCAB.length, dateFormat.OUTPUT_VOCAB.length,
      dateFormat.INPUT_LENGTH, dateFormat.OUTPUT_LENGTH);
  const data = generateDataForTraining(0.25, 0.15, log);

  let batches = 0, epochs = 0, exact = 0, loss = NaN, reached = false, checkedAt = -1;
  const check = () => {
    const c0 = performance.now();
    checkedAt = batches;
    exact = exactMatch(model, data.testDateTuples, testCount);
    checkMs += performance.now() - c0;
    log(`batch ${batches}: loss ${loss.toFixed(4)}, exact match ${(100 * exact).toFixed(1)}% ` +
        `after ${trainSeconds().toFixed(1)} s of training`);
    if (exact >= target) reached = true;
    if (reached || trainSeconds() >= capSeconds) model.stopTraining = true;
  };
  await model.fit(
      [data.trainEncoderInput, data.trainDecoderInput], data.trainDecoderOutput, {
        epochs: maxEpochs,
        batchSize: 128,
        shuffle: true,
        validationData: [[data.valEncoderInput, data.valDecoderInput], data.valDecoderOutput],
        callbacks: {
          onBatchEnd: async (batch, logs) => {
            ++batches;
            loss = logs.loss;
            if (batches % checkEvery === 0 || trainSeconds() >= capSeconds) check();
          },
          onEpochEnd: async (epoch, logs) => {
            if (logs.val_loss !== undefined) epochs = epoch + 1;  // an epoch cut by stopTraining has no validation
            log(`epoch ${epoch + 1}: loss ${logs.loss?.toFixed(4)}, val_loss ${logs.val_loss?.toFixed(4) ?? 'not computed (stopped)'}`);
          },
        },
      });
  if (checkedAt !== batches) check();  // fit ended by maxEpochs between two checks
  return {reached, exact, trainSeconds: trainSeconds(), checkSeconds: checkMs / 1000, batches, epochs, loss,
          parameters: model.countParams(), backend: tf.getBackend(), simd, threads, testCount};
}
