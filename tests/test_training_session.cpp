// The TrainingSession the page and `attnlab train` step: the same training as a Trainer composed by
// hand, a bounded end, and an exported bundle that loads and translates like the session's own model.
#include <cmath>

#include <nlohmann/json.hpp>

#include "attnlab/data/task_codecs.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/session/training_session.hpp"
#include "attnlab/train/training_record.hpp"
#include "test_util.hpp"

using namespace attnlab;

namespace {

// A tiny dates run: a few hundred examples, a small Bahdanau GRU, batches of a few sentences.
TrainingOptions tiny_dates() {
    TrainingOptions o;
    o.task = "dates";
    o.preset = "bahdanau-gru";
    o.sizes.embedding = 8;
    o.sizes.hidden = 12;
    o.sizes.attention_size = 8;
    o.epochs = 2;
    o.lr = 5e-3f;
    o.max_tokens = 300;
    o.seed = 7;
    o.data_seed = 3;
    o.data.train = 120;
    o.data.valid = 20;
    o.data.test = 30;
    return o;
}

std::vector<TokenPair> encode(const std::vector<Example>& ex, const TextCodec& s, const TextCodec& t) {
    std::vector<TokenPair> out;
    for (const Example& e : ex) out.push_back({s.encode(e.source).ids, t.encode(e.target).ids});
    return out;
}

// The same run composed by hand from its parts (as `attnlab train` composed it before it ran on a
// TrainingSession): the preset's TrainConfig with epochs, seed, lr and max_tokens from the options, a
// model built from the preset, a Trainer.
struct HandRun {
    TaskSplits splits;
    TaskCodecs codecs;
    TrainConfig config;
    std::unique_ptr<SequenceModel> model;
    std::unique_ptr<Trainer> trainer;

    explicit HandRun(const TrainingOptions& o)
        : splits(make_task(o.task, o.data_seed, o.data)), codecs(task_codecs(o.task, splits.train)) {
        const Preset preset = make_preset(o.preset, o.sizes);
        nlohmann::json mc = preset.model;
        mc["source_vocab_size"] = codecs.source.vocab().size();
        mc["target_vocab_size"] = codecs.target.vocab().size();
        config = preset.train;
        config.epochs = o.epochs;
        config.seed = o.seed;
        config.lr = o.lr;
        config.max_tokens = o.max_tokens;
        model = make_model(mc, o.seed);
        trainer = std::make_unique<Trainer>(*model, encode(splits.train, codecs.source, codecs.target),
                                            encode(splits.valid, codecs.source, codecs.target), config);
    }
};

}  // namespace

TEST_CASE("a TrainingSession gives the same losses step by step as a Trainer composed by hand from the preset") {
    const TrainingOptions o = tiny_dates();
    HandRun hand(o);
    Trainer& direct = *hand.trainer;

    TrainingSession session(o);
    REQUIRE(direct.steps_per_epoch() > 4);
    // In chunks of 3 steps against one step at a time: identical running losses.
    for (int chunk = 0; chunk < 3; ++chunk) {
        for (int i = 0; i < 3; ++i) direct.step();
        const TrainingStatus s = session.step(3);
        CHECK(s.progress.step == direct.progress().step);
        CHECK(s.progress.loss == direct.progress().loss);
    }
    CHECK(session.status().progress.loss > 0.0f);
}

TEST_CASE(
    "an exported bundle records task, data and training as training_record does for the same run composed by hand") {
    const TrainingOptions o = tiny_dates();
    HandRun hand(o);
    while (!hand.trainer->done()) hand.trainer->step();
    TrainingSession session(o);
    REQUIRE(session.step(1000).done);
    nlohmann::json exported = nlohmann::json::parse(session.export_bundle().config_json);
    nlohmann::json written =
        training_record(o.task, o.data_seed, o.data, o.preset, hand.config, hand.trainer->summary());
    // Every field but the wall time is the same; the time is whole seconds in both.
    for (nlohmann::json* j : {&exported, &written}) {
        nlohmann::json& seconds = (*j)["training"]["seconds"];
        REQUIRE(seconds.is_number());
        CHECK(seconds.get<double>() == std::round(seconds.get<double>()));
        seconds = nullptr;
    }
    for (const std::string key : {"task", "description", "data", "training"}) {
        CAPTURE(key);
        CHECK(exported.at(key) == written.at(key));
    }
    // And the values are the run's: the RNN preset's Adam, both final losses of the last epoch.
    const nlohmann::json& t = exported["training"];
    CHECK(t["preset"] == "bahdanau-gru");
    CHECK(t["seed"] == 7);
    CHECK(t["epochs"] == 2);
    CHECK(t["steps"] == session.status().progress.total_steps);
    CHECK(t["adam"] == nlohmann::json{{"beta1", 0.9}, {"beta2", 0.999}, {"eps", 1e-8}, {"weight_decay", 0.0}});
    CHECK(t["final_train_loss"].get<float>() > 0.0f);
    CHECK(t["final_valid_loss"].get<float>() > 0.0f);
    CHECK(t["final_valid_loss"] == hand.trainer->summary().final_valid_loss);
}

TEST_CASE("a TrainingSession trains with the label smoothing, schedule and warm-up it is given, and records them") {
    // The preset's: no smoothing, warmup-linear over 200 steps. The first step's loss is computed before
    // any update, so only the smoothing changes it; the schedule and the warm-up change the learning
    // rate of that first update, and so the second step's loss.
    auto losses = [](const TrainingOptions& o) {
        TrainingSession s(o);
        const float first = s.step(1).progress.loss;
        return std::make_pair(first, s.step(1).progress.loss);
    };
    const auto preset = losses(tiny_dates());
    TrainingOptions smoothed = tiny_dates(), constant = tiny_dates(), short_warmup = tiny_dates();
    smoothed.label_smoothing = 0.1f;
    constant.schedule = "constant";
    short_warmup.warmup = 5;
    CHECK(losses(smoothed).first != preset.first);
    CHECK(losses(constant).first == preset.first);
    CHECK(losses(constant).second != preset.second);
    CHECK(losses(short_warmup).first == preset.first);
    CHECK(losses(short_warmup).second != preset.second);

    TrainingOptions all = smoothed;
    all.schedule = "noam";
    all.warmup = 5;
    const nlohmann::json t = nlohmann::json::parse(TrainingSession(all).export_bundle().config_json)["training"];
    CHECK(t["label_smoothing"].get<float>() == 0.1f);
    CHECK(t["schedule"] == "noam");
    CHECK(t["warmup_steps"] == 5);
    all.warmup = 0;
    CHECK_THROWS_WITH_AS(TrainingSession{all}, "--schedule noam needs --warmup ≥ 1", Error);
}

TEST_CASE("a bundle exported before its first epoch ends records its losses as null, not as a perfect 0") {
    TrainingSession session(tiny_dates());
    REQUIRE_FALSE(session.step(2).done);
    REQUIRE(session.status().progress.epoch == 1);
    const nlohmann::json t = nlohmann::json::parse(session.export_bundle().config_json)["training"];
    CHECK(t["steps"] == 2);
    CHECK(t["final_train_loss"].is_null());
    CHECK(t["final_valid_loss"].is_null());
    // and once the first epoch has ended, both are that epoch's
    while (session.status().progress.epoch == 1 && !session.status().done) session.step(1);
    const nlohmann::json after = nlohmann::json::parse(session.export_bundle().config_json)["training"];
    CHECK(after["final_train_loss"].get<float>() > 0.0f);
    CHECK(after["final_valid_loss"].get<float>() > 0.0f);
}

TEST_CASE("a TrainingSession stops at the end of its last epoch however large the chunk") {
    TrainingSession session(tiny_dates());
    const TrainingStatus first = session.step(1);
    CHECK_FALSE(first.done);
    const long total = first.progress.total_steps;
    REQUIRE(total > 2);
    const TrainingStatus end = session.step(std::size_t(total) * 10);
    CHECK(end.done);
    CHECK(end.progress.step == total);
    CHECK(session.step(5).progress.step == total);
}

TEST_CASE("exported bundle bytes load with load_bundle_from_memory and translate exactly like the session's model") {
    TrainingSession session(tiny_dates());
    session.step(6);
    const BundleFiles files = session.export_bundle();
    const Bundle loaded = load_bundle_from_memory(files.config_json, files.safetensors, files.vocab_json, "exported");
    CHECK(loaded.task() == "dates");
    CHECK(loaded.config["training"]["steps"] == 6);
    const Translation mine = session.probe(), theirs = translate(loaded, session.probe_sentence());
    CHECK(mine.source_tokens == theirs.source_tokens);
    CHECK(mine.output_tokens == theirs.output_tokens);
    REQUIRE(mine.attention.count("cross") == 1);
    CHECK(mine.attention.at("cross") == theirs.attention.at("cross"));
    // The held-out evaluation of the loaded bundle equals the session's.
    const EvalReport a = session.evaluate(), b = evaluate(*loaded.model, loaded.source, loaded.target,
                                                          make_task("dates", 3, tiny_dates().data).test, "dates");
    CHECK(a.count == 30);
    CHECK(a.exact == b.exact);
    CHECK(a.token_matches == b.token_matches);
}

TEST_CASE(
    "a TrainingSession with max_train_words trains on fewer steps, scores the whole test split and records the limit") {
    TrainingOptions o = tiny_dates();
    o.data.max_train_words = 12;  // characters: some of the 120 training dates are longer
    const TrainingSession all(tiny_dates()), short_only(o);
    CHECK(short_only.status().progress.total_steps < all.status().progress.total_steps);
    CHECK(short_only.evaluate().count == 30);
    const nlohmann::json config = nlohmann::json::parse(short_only.export_bundle().config_json);
    CHECK(config["data"]["max_train_words"] == 12);
    CHECK(config["data"]["train_size"] == 120);
    CHECK_FALSE(nlohmann::json::parse(all.export_bundle().config_json)["data"].contains("max_train_words"));
}

TEST_CASE("a TrainingSession's probe attention changes as it trains and its rows are distributions") {
    TrainingOptions o = tiny_dates();
    o.probe = "march 3, 1999";
    TrainingSession session(o);
    const Tensor before = session.probe().attention.at("cross");
    session.step(8);
    const Translation after = session.probe();
    const Tensor& a = after.attention.at("cross");
    REQUIRE(a.dimension() == 2);
    CHECK(a.shape(1) == after.source_tokens.size());
    for (std::size_t r = 0; r < a.shape(0); ++r) {
        float sum = 0;
        for (std::size_t c = 0; c < a.shape(1); ++c) sum += a(r, c);
        CHECK(sum == doctest::Approx(1.0f).epsilon(1e-4));
    }
    CHECK_FALSE((before.shape() == a.shape() && before == a));
}

TEST_CASE("a TrainingSession reports an unknown preset or task as a one-line error") {
    TrainingOptions o = tiny_dates();
    o.preset = "no-such-preset";
    CHECK_THROWS_AS(TrainingSession{o}, Error);
    o = tiny_dates();
    o.task = "no-such-task";
    CHECK_THROWS_AS(TrainingSession{o}, Error);
    o = tiny_dates();
    o.epochs = 0;
    CHECK_THROWS_AS(TrainingSession{o}, Error);
}

TEST_CASE("the small dates preset for the browser has about the TensorFlow.js peer's 78k parameters (70k-90k)") {
    TrainingOptions o = small_dates_training();
    o.data.train = 200;  // the model's size does not depend on the amount of data, only on the vocabulary
    TrainingSession session(o);
    CHECK(session.parameter_count() > 70000);
    CHECK(session.parameter_count() < 90000);
}
