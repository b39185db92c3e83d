#include "attnlab/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include "attnlab/train/adam.hpp"
#include "attnlab/train/cross_entropy.hpp"

namespace attnlab {

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

float evaluate_loss(const SequenceModel& model, const std::vector<TokenPair>& data, std::size_t max_tokens) {
    if (data.empty()) return std::numeric_limits<float>::quiet_NaN();
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

TrainSummary train_model(SequenceModel& model, const std::vector<TokenPair>& train,
                         const std::vector<TokenPair>& valid, const TrainConfig& c,
                         const std::function<void(const TrainProgress&)>& progress) {
    if (train.empty()) throw Error("train: no training data");
    if (c.epochs == 0) throw Error("train: epochs must be at least 1");
    Rng rng(c.seed);
    NamedVars params = model.parameters();
    Adam opt(params, {0.9f, c.schedule == "noam" ? 0.98f : 0.999f, c.schedule == "noam" ? 1e-9f : 1e-8f, c.weight_decay});
    // The number of batches per epoch does not depend on the shuffle: count it once.
    Rng counting(0);
    const long per_epoch = long(make_batches(train, c.max_tokens, c.max_sentences, counting, false).size());
    LrSchedule schedule{c.schedule, c.lr, c.warmup_steps, per_epoch * long(c.epochs), 0.05f, c.model_dim};
    TrainSummary summary;
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t tokens_seen = 0;
    for (std::size_t epoch = 1; epoch <= c.epochs; ++epoch) {
        const float progress_ratio = c.epochs > 1 ? float(epoch - 1) / float(c.epochs - 1) : 0.0f;
        const float tf = c.teacher_forcing_start + (c.teacher_forcing_end - c.teacher_forcing_start) * progress_ratio;
        double epoch_loss = 0.0;
        std::size_t epoch_tokens = 0;
        for (const Batch& batch : make_batches(train, c.max_tokens, c.max_sentences, rng, true)) {
            ForwardOptions o{true, tf, &rng};
            CrossEntropy ce = cross_entropy(model.forward(batch, o), batch.target_out, 0, c.label_smoothing);
            opt.zero_grad();
            backward(ce.loss);
            if (c.clip_norm > 0.0f) clip_grad_norm(params, c.clip_norm);
            ++summary.steps;
            opt.step(schedule.at(summary.steps));
            epoch_loss += double(ce.loss.value()()) * double(ce.tokens);
            epoch_tokens += ce.tokens;
            tokens_seen += ce.tokens;
            if (progress) {
                const double elapsed = seconds_since(t0);
                const long total = per_epoch * long(c.epochs);
                progress({epoch, c.epochs, summary.steps, total, float(epoch_loss / double(epoch_tokens)),
                          double(tokens_seen) / std::max(elapsed, 1e-9),
                          elapsed / double(summary.steps) * double(total - summary.steps), false,
                          std::numeric_limits<float>::quiet_NaN()});
            }
        }
        summary.final_train_loss = float(epoch_loss / double(std::max<std::size_t>(1, epoch_tokens)));
        summary.final_valid_loss = evaluate_loss(model, valid, c.max_tokens);
        if (progress) {
            const double elapsed = seconds_since(t0);
            const long total = per_epoch * long(c.epochs);
            progress({epoch, c.epochs, summary.steps, total, summary.final_train_loss,
                      double(tokens_seen) / std::max(elapsed, 1e-9),
                      elapsed / double(summary.steps) * double(total - summary.steps), true, summary.final_valid_loss});
        }
    }
    summary.seconds = seconds_since(t0);
    return summary;
}

}  // namespace attnlab
