// The training loop: length-bucketed batches, teacher forcing (with a ratio that can decay), padded
// cross-entropy with label smoothing, gradient clipping, Adam under a warm-up/decay schedule, and the
// validation loss after every epoch. Seeded: the same seed and data give bit-identical weights.
#pragma once

#include <functional>
#include <string>

#include "attnlab/models/sequence_model.hpp"
#include "attnlab/train/lr_schedule.hpp"

namespace attnlab {

struct TrainConfig {
    std::size_t epochs = 10;
    std::size_t max_tokens = 2000;     // padded source + target tokens per batch
    std::size_t max_sentences = 64;
    float lr = 2e-3f;
    std::string schedule = "warmup-linear";  // see LrSchedule; noam uses lr as its factor
    long warmup_steps = 200;
    long model_dim = 64;               // for noam
    float clip_norm = 1.0f;
    float label_smoothing = 0.0f;
    float teacher_forcing_start = 1.0f;  // ratio in the first epoch …
    float teacher_forcing_end = 1.0f;    // … moving linearly to this one in the last
    float weight_decay = 0.0f;
    std::uint64_t seed = 1;
};

struct TrainProgress {
    std::size_t epoch, epochs;         // 1-based
    long step, total_steps;
    float loss;                        // running mean over the epoch so far
    double tokens_per_second;
    double eta_seconds;
    bool epoch_end;
    float valid_loss;                  // at epoch_end only (NaN otherwise)
};

struct TrainSummary {
    long steps = 0;
    float final_train_loss = 0, final_valid_loss = 0;
    double seconds = 0;
};

// Trains `model` in place. `progress` is called after every step (cheap) and at each epoch's end.
TrainSummary train_model(SequenceModel& model, const std::vector<TokenPair>& train,
                         const std::vector<TokenPair>& valid, const TrainConfig& config,
                         const std::function<void(const TrainProgress&)>& progress = {});

// Mean cross-entropy per target token on data, with teacher forcing (no dropout).
float evaluate_loss(const SequenceModel& model, const std::vector<TokenPair>& data, std::size_t max_tokens);

}  // namespace attnlab
