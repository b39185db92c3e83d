// A training run driven one chunk at a time: by the page (the wasm module in a Web Worker) and by
// `attnlab train`, which steps it one batch at a time to print its progress. A model built from a
// preset and sizes for a task, trained by the library's Trainer, stepped n batches at a time; between chunks the probe
// sentence's attention, the exact match on the held-out test split and the bundle's three files as bytes. Everything it
// holds is the model, Adam's moments and the task's splits, so memory is bounded by the sizes chosen (a batch's
// activations are bounded by max_tokens).
// Layering: above io (it exports bundles) and decode (it translates the probe); below cli/wasm-bindings.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "attnlab/decode/translate.hpp"
#include "attnlab/eval/evaluate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/train/presets.hpp"
#include "attnlab/train/trainer.hpp"

namespace attnlab {

struct Lexicon;

struct TrainingOptions {
    std::string task = "dates", preset = "bahdanau-gru";
    PresetOptions sizes;  // embedding, hidden, d_model, … and teacher forcing; unset: the preset's
    std::size_t epochs = 1;
    float lr = 2e-3f;
    std::size_t max_tokens = 2000;  // padded tokens per batch, as `attnlab train --max-tokens`
    float label_smoothing = 0.0f;   // ε spread over the vocabulary
    std::string schedule;           // the learning-rate schedule; empty: the preset's
    std::optional<long> warmup;     // warm-up steps; unset: the preset's
    std::uint64_t seed = 1, data_seed = 1;
    TaskSizes data;     // train / valid / test sizes
    std::string probe;  // the sentence whose attention the page redraws; empty: the first test source
};

// The small, fast dates preset for training in the browser: a Bahdanau GRU near the TensorFlow.js
// date-conversion-attention peer's ≈ 78k parameters (83k here), 3 epochs of the 30 000 train dates.
// Measured natively, one thread, on a busy 2-core machine: 187.8 s wall, 99.7 % exact match on the
// test split (every format 100 % except MMDDYY, 11/14), the same as
//   attnlab train --task dates --model bahdanau-gru --embedding 16 --hidden 56 --attention-size 56 --epochs 3
TrainingOptions small_dates_training();

struct TrainingStatus {
    TrainProgress progress;  // the Trainer's: step, total_steps, epoch, running loss, tokens/s, ETA
    bool done = false;
};

class TrainingSession {
public:
    // Errors (one line): unknown task or preset, an option of the other family, empty training split.
    // toy-en-fr needs the lexicon (nullptr: the data folder's, as natively).
    explicit TrainingSession(const TrainingOptions& options, const Lexicon* lexicon = nullptr);
    TrainingSession(const TrainingSession&) = delete;
    TrainingSession& operator=(const TrainingSession&) = delete;

    // Up to n more optimiser steps (fewer at the end of the last epoch).
    TrainingStatus step(std::size_t n);
    TrainingStatus status() const;
    std::size_t parameter_count() const;
    const std::string& probe_sentence() const { return probe_; }
    const TaskSplits& splits() const { return splits_; }
    const Bundle& bundle() const { return *bundle_; }  // the model being trained and its codecs
    TrainSummary summary() const;                      // steps, seconds and the last epoch's losses so far

    // Greedy translation of the probe sentence with the weights as they are now (maps included).
    Translation probe() const;
    // Exact match, token accuracy, BLEU and by source length on the first `limit` test examples (0: all).
    EvalReport evaluate(std::size_t limit = 0) const;
    // config.json, model.safetensors and vocab.json, as `attnlab train --out` would write them.
    BundleFiles export_bundle() const;

private:
    TrainingOptions options_;
    TaskSplits splits_;
    std::unique_ptr<Bundle> bundle_;  // the model being trained, with its codecs (so translate() works on it as is)
    std::unique_ptr<Trainer> trainer_;
    TrainConfig config_;
    std::string probe_;
};

}  // namespace attnlab
