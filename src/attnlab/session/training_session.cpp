#include "attnlab/session/training_session.hpp"

#include "attnlab/data/lexicon.hpp"
#include "attnlab/data/task_codecs.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/train/training_record.hpp"

namespace attnlab {

TrainingOptions small_dates_training() {
    TrainingOptions o;
    o.task = "dates";
    o.preset = "bahdanau-gru";
    o.sizes.embedding = 16;
    o.sizes.hidden = 56;
    o.sizes.attention_size = 56;
    o.epochs = 3;
    return o;
}

namespace {

std::vector<TokenPair> encode_examples(const std::vector<Example>& examples, const TextCodec& src,
                                       const TextCodec& tgt) {
    std::vector<TokenPair> out;
    out.reserve(examples.size());
    for (const Example& e : examples) out.push_back({src.encode(e.source).ids, tgt.encode(e.target).ids});
    return out;
}

}  // namespace

TrainingSession::TrainingSession(const TrainingOptions& options, const Lexicon* lexicon) : options_(options) {
    if (options.epochs == 0) throw Error("training needs at least one epoch");
    const Preset preset = make_preset(options.preset, options.sizes);
    config_ = preset.train;
    config_.epochs = options.epochs;
    config_.seed = options.seed;
    config_.lr = options.lr;
    config_.max_tokens = options.max_tokens;
    config_.label_smoothing = options.label_smoothing;
    if (!options.schedule.empty()) config_.schedule = options.schedule;
    if (options.warmup) config_.warmup_steps = *options.warmup;
    if (config_.schedule == "noam" && config_.warmup_steps < 1) throw Error("--schedule noam needs --warmup ≥ 1");
    splits_ = lexicon ? make_task(options.task, options.data_seed, options.data, *lexicon)
                      : make_task(options.task, options.data_seed, options.data);
    if (splits_.train.empty()) throw Error("training needs at least one training example");
    TaskCodecs codecs = task_codecs(options.task, splits_.train);
    nlohmann::json mc = preset.model;
    mc["source_vocab_size"] = codecs.source.vocab().size();
    mc["target_vocab_size"] = codecs.target.vocab().size();
    auto model = make_model(mc, options.seed);
    nlohmann::json config = {{"format", "attnlab-bundle"},
                             {"version", 1},
                             {"task", options.task},
                             {"description", task_description(options.task)},
                             {"model", model->config()}};
    bundle_ = std::make_unique<Bundle>(
        Bundle{{std::move(model), std::move(codecs.source), std::move(codecs.target)}, config});
    trainer_ =
        std::make_unique<Trainer>(*bundle_->model, encode_examples(splits_.train, bundle_->source, bundle_->target),
                                  encode_examples(splits_.valid, bundle_->source, bundle_->target), config_);
    probe_ = !options.probe.empty()  ? options.probe
             : !splits_.test.empty() ? splits_.test.front().source
                                     : splits_.train.front().source;
}

TrainingStatus TrainingSession::step(std::size_t n) {
    for (std::size_t i = 0; i < n && !trainer_->done(); ++i) trainer_->step();
    return status();
}

TrainingStatus TrainingSession::status() const { return {trainer_->progress(), trainer_->done()}; }

TrainSummary TrainingSession::summary() const { return trainer_->summary(); }

std::size_t TrainingSession::parameter_count() const {
    std::size_t n = 0;
    for (const auto& [name, v] : bundle_->model->parameters()) n += v.size();
    return n;
}

Translation TrainingSession::probe() const { return translate(*bundle_, probe_); }

EvalReport TrainingSession::evaluate(std::size_t limit) const {
    std::vector<Example> test = splits_.test;
    if (limit && limit < test.size()) test.resize(limit);
    return attnlab::evaluate(*bundle_->model, bundle_->source, bundle_->target, test, options_.task);
}

BundleFiles TrainingSession::export_bundle() const {
    const nlohmann::json info = training_record(options_.task, options_.data_seed, options_.data, options_.preset,
                                                config_, trainer_->summary());
    return bundle_files(*bundle_->model, bundle_->source, bundle_->target, info);
}

}  // namespace attnlab
