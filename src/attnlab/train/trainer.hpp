// The training loop as a Trainer you step: length-bucketed batches, teacher forcing (with a ratio that
// can decay), padded cross-entropy with label smoothing, gradient clipping, Adam under a warm-up/decay
// schedule, and the validation loss after every epoch. One step() trains on one batch, so a caller
// (a terminal progress bar, a single-threaded Web Worker) decides when to stop; save() and resume()
// carry everything — weights, Adam's moments, the Rng and the counters — so a resumed run is
// bit-identical to an uninterrupted one. Seeded: the same seed and data give bit-identical weights.
#pragma once

#include <limits>

#include <functional>
#include <string>
#include <vector>

#include "attnlab/models/sequence_model.hpp"
#include "attnlab/train/adam.hpp"
#include "attnlab/train/batching.hpp"
#include "attnlab/train/lr_schedule.hpp"

namespace attnlab {

struct TrainConfig {
    std::size_t epochs = 10;
    std::size_t max_tokens = 2000;  // padded source + target tokens per batch
    std::size_t max_sentences = 64;
    float lr = 2e-3f;
    std::string schedule = "warmup-linear";  // see LrSchedule; noam uses lr as its factor
    long warmup_steps = 200;
    long model_dim = 64;  // for noam
    float clip_norm = 1.0f;
    float label_smoothing = 0.0f;
    float teacher_forcing_start = 1.0f;  // ratio in the first epoch …
    float teacher_forcing_end = 1.0f;    // … moving linearly to this one in the last
    AdamConfig adam;                     // β₁, β₂, ε, weight decay (the presets set them per architecture)
    std::uint64_t seed = 1;
};

struct TrainProgress {
    std::size_t epoch = 1, epochs = 0;  // 1-based
    long step = 0, total_steps = 0;
    float loss = 0.0f;  // running mean over the epoch so far
    double tokens_per_second = 0.0;
    double eta_seconds = 0.0;
    bool epoch_end = false;   // this step ended an epoch
    float valid_loss = 0.0f;  // at epoch_end only (NaN otherwise)
};

struct TrainSummary {
    long steps = 0;
    // the losses of the last finished epoch: NaN until the first epoch ends (the valid loss stays NaN
    // without a validation split)
    float final_train_loss = std::numeric_limits<float>::quiet_NaN();
    float final_valid_loss = std::numeric_limits<float>::quiet_NaN();
    double seconds = 0;
};

// Everything a Trainer needs to continue exactly where it was.
struct TrainerState {
    std::vector<Tensor> weights;         // in the order of model.parameters()
    std::vector<Tensor> adam_m, adam_v;  // Adam's first and second moments
    long adam_steps = 0;
    Rng rng, epoch_rng;                // now, and at the start of the epoch (it deals the epoch's batches)
    std::size_t epoch = 1, batch = 0;  // the next step trains batch `batch` of epoch `epoch`
    long steps = 0;
    double epoch_loss = 0.0;  // Σ loss · tokens over the epoch so far
    std::size_t epoch_tokens = 0, tokens_seen = 0;
    double seconds = 0.0;  // time spent in step()
    TrainSummary summary;
};

class Trainer {
public:
    // Trains `model` in place (it must outlive the Trainer). Errors: no training data, epochs 0.
    Trainer(SequenceModel& model, std::vector<TokenPair> train, std::vector<TokenPair> valid, TrainConfig config);

    bool done() const { return state_.epoch > config_.epochs; }
    // One optimiser step on the next batch; at an epoch's last batch also the validation loss.
    const TrainProgress& step();
    const TrainProgress& progress() const { return progress_; }
    // Mean cross-entropy per target token on the held-out pairs, teacher-forced, no dropout.
    float evaluate() const;
    TrainSummary summary() const;
    long steps_per_epoch() const { return per_epoch_; }

    TrainerState save() const;
    // Continues from a state saved by a Trainer of the same model architecture, data and config.
    void resume(const TrainerState& state);

private:
    void start_epoch();
    void update_progress(bool epoch_end, float valid_loss);

    SequenceModel& model_;
    std::vector<TokenPair> train_, valid_;
    TrainConfig config_;
    NamedVars params_;
    Adam adam_;
    long per_epoch_ = 0;
    LrSchedule schedule_;
    std::vector<Batch> batches_;  // this epoch's, in training order
    TrainerState state_;          // weights and moments are filled by save() only
    TrainProgress progress_;
};

// Trains `model` in place: a Trainer stepped to the end. `progress` is called after every step.
TrainSummary train_model(SequenceModel& model, const std::vector<TokenPair>& train, const std::vector<TokenPair>& valid,
                         const TrainConfig& config, const std::function<void(const TrainProgress&)>& progress = {});

// Mean cross-entropy per target token on data, with teacher forcing (no dropout).
float evaluate_loss(const SequenceModel& model, const std::vector<TokenPair>& data, std::size_t max_tokens);

}  // namespace attnlab
