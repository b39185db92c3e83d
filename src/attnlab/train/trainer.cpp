#include "attnlab/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "attnlab/train/cross_entropy.hpp"
#include "attnlab/train/step_memory.hpp"

namespace attnlab {

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
}  // namespace

float evaluate_loss(const SequenceModel& model, const std::vector<TokenPair>& data, std::size_t max_tokens) {
    if (data.empty()) return kNaN;
    NoGrad no_grad;
    Rng unused(0);
    double total = 0.0;
    std::size_t tokens = 0;
    for (const Batch& b : make_batches(data, max_tokens, 256, unused, false)) {
        CrossEntropy ce = cross_entropy(model.forward(b, {}), b.target_out);
        total += double(ce.loss.value()()) * double(ce.tokens);
        tokens += ce.tokens;
    }
    return float(total / double(std::max<std::size_t>(1, tokens)));
}

Trainer::Trainer(SequenceModel& model, std::vector<TokenPair> train, std::vector<TokenPair> valid, TrainConfig c)
    : model_(model),
      train_(std::move(train)),
      valid_(std::move(valid)),
      config_(std::move(c)),
      params_(model.parameters()),
      adam_(params_, config_.adam) {
    if (train_.empty()) throw Error("train: no training data");
    if (config_.epochs == 0) throw Error("train: epochs must be at least 1");
    keep_step_memory();
    // The number of batches per epoch does not depend on the shuffle: count it once.
    Rng counting(0);
    per_epoch_ = long(make_batches(train_, config_.max_tokens, config_.max_sentences, counting, false).size());
    schedule_ = {config_.schedule, config_.lr, config_.warmup_steps, per_epoch_ * long(config_.epochs), 0.05f,
                 config_.model_dim};
    state_.rng = Rng(config_.seed);
    progress_.epochs = config_.epochs;
    progress_.total_steps = per_epoch_ * long(config_.epochs);
    start_epoch();
}

void Trainer::start_epoch() {
    state_.epoch_rng = state_.rng;
    batches_ = make_batches(train_, config_.max_tokens, config_.max_sentences, state_.rng, true);
}

const TrainProgress& Trainer::step() {
    if (done()) throw Error("train: all " + std::to_string(config_.epochs) + " epochs are trained");
    const auto t0 = std::chrono::steady_clock::now();
    const TrainConfig& c = config_;
    const float progress_ratio = c.epochs > 1 ? float(state_.epoch - 1) / float(c.epochs - 1) : 0.0f;
    const float tf = c.teacher_forcing_start + (c.teacher_forcing_end - c.teacher_forcing_start) * progress_ratio;
    const Batch& batch = batches_[state_.batch];
    CrossEntropy ce = cross_entropy(model_.forward(batch, ForwardOptions{{true, &state_.rng}, tf}), batch.target_out, 0,
                                    c.label_smoothing);
    adam_.zero_grad();
    backward(ce.loss);
    if (c.clip_norm > 0.0f) clip_grad_norm(params_, c.clip_norm);
    ++state_.steps;
    adam_.step(schedule_.at(state_.steps));
    state_.epoch_loss += double(ce.loss.value()()) * double(ce.tokens);
    state_.epoch_tokens += ce.tokens;
    state_.tokens_seen += ce.tokens;
    const bool epoch_end = ++state_.batch == batches_.size();
    float valid_loss = kNaN;
    if (epoch_end) {
        state_.summary.final_train_loss =
            float(state_.epoch_loss / double(std::max<std::size_t>(1, state_.epoch_tokens)));
        state_.summary.final_valid_loss = valid_loss = evaluate();
    }
    state_.summary.steps = state_.steps;
    state_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    update_progress(epoch_end, valid_loss);
    if (epoch_end) {
        ++state_.epoch;
        state_.batch = 0;
        state_.epoch_loss = 0.0;
        state_.epoch_tokens = 0;
        if (!done()) start_epoch();
    }
    return progress_;
}

void Trainer::update_progress(bool epoch_end, float valid_loss) {
    const double elapsed = state_.seconds;
    progress_.epoch = state_.epoch;
    progress_.step = state_.steps;
    progress_.loss = float(state_.epoch_loss / double(std::max<std::size_t>(1, state_.epoch_tokens)));
    progress_.tokens_per_second = double(state_.tokens_seen) / std::max(elapsed, 1e-9);
    progress_.eta_seconds =
        state_.steps ? elapsed / double(state_.steps) * double(progress_.total_steps - state_.steps) : 0.0;
    progress_.epoch_end = epoch_end;
    progress_.valid_loss = valid_loss;
}

float Trainer::evaluate() const { return evaluate_loss(model_, valid_, config_.max_tokens); }

TrainSummary Trainer::summary() const {
    TrainSummary s = state_.summary;
    s.seconds = state_.seconds;
    return s;
}

TrainerState Trainer::save() const {
    TrainerState s = state_;
    for (const auto& [name, v] : params_) s.weights.push_back(v.value());
    s.adam_m = adam_.m;
    s.adam_v = adam_.v;
    s.adam_steps = adam_.step_count;
    return s;
}

void Trainer::resume(const TrainerState& s) {
    if (s.weights.size() != params_.size() || s.adam_m.size() != params_.size() || s.adam_v.size() != params_.size())
        throw Error("train: the saved state has " + std::to_string(s.weights.size()) + " tensors for a model of " +
                    std::to_string(params_.size()) + " parameters");
    for (std::size_t i = 0; i < params_.size(); ++i)
        if (s.weights[i].shape() != params_[i].second.value().shape() || s.adam_m[i].shape() != s.weights[i].shape() ||
            s.adam_v[i].shape() != s.weights[i].shape())
            throw Error("train: the saved state's " + params_[i].first + " is " + shape_str(s.weights[i]) +
                        ", the model's " + shape_str(params_[i].second.value()));
    if (s.epoch < 1 || s.epoch > config_.epochs + 1) throw Error("train: the saved state's epoch is out of range");
    for (std::size_t i = 0; i < params_.size(); ++i) params_[i].second.value() = s.weights[i];
    adam_.m = s.adam_m;
    adam_.v = s.adam_v;
    adam_.step_count = s.adam_steps;
    state_ = s;
    state_.weights.clear();
    state_.adam_m.clear();
    state_.adam_v.clear();
    if (!done()) {  // re-deal this epoch's batches from the Rng as it was at the epoch's start
        Rng at_start = s.epoch_rng;
        batches_ = make_batches(train_, config_.max_tokens, config_.max_sentences, at_start, true);
        if (s.batch >= batches_.size()) throw Error("train: the saved state's batch is out of range");
        state_.rng = s.rng;
    }
    update_progress(false, kNaN);
}

TrainSummary train_model(SequenceModel& model, const std::vector<TokenPair>& train, const std::vector<TokenPair>& valid,
                         const TrainConfig& config, const std::function<void(const TrainProgress&)>& progress) {
    Trainer trainer(model, train, valid, config);
    while (!trainer.done()) {
        const TrainProgress& p = trainer.step();
        if (progress) progress(p);
    }
    return trainer.summary();
}

}  // namespace attnlab
