// bench_train: training throughput of a shipped model's config, target tokens per CPU second, one thread.
// The model is built fresh (seed 1) from models/NAME/config.json's "model" sizes and trained as
// `attnlab train` would (the preset's Adam settings, the config's lr, schedule, warm-up, label
// smoothing, max_tokens, gradient clipping at 1) on the training pairs of the bundle's own task (its
// data seed, the first --train-size of them), encoded with the bundle's vocabulary. The batches are the Trainer's own:
// those of its first epoch, dealt by make_batches from Rng(seed) exactly as Trainer::start_epoch does;
// --write-batches writes them as JSON so scripts/bench.sh can hand PyTorch the very same batches, and
// "checksum" (over the ids of the timed batches, in order) lets it check they are the same.
// One run = --warmup untimed steps, then --steps timed Trainer::step() calls (forward, loss, backward,
// clipping, Adam). Prints one JSON line. The same source is the wasm build (NODERAWFS, under node).
// Usage: bench_train --model models/toy-en-fr-transformer [--steps 20] [--warmup 3] [--train-size 3000]
//                    [--write-batches FILE]
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/tensor/random.hpp"
#include "attnlab/train/batching.hpp"
#include "attnlab/train/presets.hpp"
#include "attnlab/train/trainer.hpp"
#include "bench_common.hpp"

using namespace attnlab;

namespace {

nlohmann::json batch_json(const Batch& b) {
    auto rows = [](const IntTensor& t) {
        nlohmann::json out = nlohmann::json::array();
        for (std::size_t i = 0; i < t.shape()[0]; ++i) {
            nlohmann::json row = nlohmann::json::array();
            for (std::size_t j = 0; j < t.shape()[1]; ++j) row.push_back(t(i, j));
            out.push_back(row);
        }
        return out;
    };
    nlohmann::json lengths = nlohmann::json::array();
    for (std::size_t i = 0; i < b.source_lengths.size(); ++i) lengths.push_back(b.source_lengths(i));
    return {{"source", rows(b.source)},
            {"source_lengths", lengths},
            {"target_in", rows(b.target_in)},
            {"target_out", rows(b.target_out)}};
}

// Σ id · (running position + 1) mod 1e9+7 over source, target_in, target_out of each batch in order.
std::uint64_t checksum(const std::vector<Batch>& batches) {
    std::uint64_t sum = 0, pos = 0;
    for (const Batch& b : batches)
        for (const IntTensor* t : {&b.source, &b.target_in, &b.target_out})
            for (std::int32_t id : *t) sum = (sum + std::uint64_t(id) * (++pos)) % 1000000007ull;
    return sum;
}

int run(int argc, char** argv) {
    std::string dir, batches_path;
    long steps = 20, warmup = 3;
    std::size_t train_size = 3000;
    CLI::App app("bench_train: training throughput of a shipped model's config, one thread", "bench_train");
    app.add_option("--model", dir, "the bundle whose config is trained")->required();
    app.add_option("--steps", steps, "timed Trainer steps")->check(CLI::Range(1L, 1L << 30))->capture_default_str();
    app.add_option("--warmup", warmup, "untimed steps first")->check(CLI::Range(0L, 1L << 30))->capture_default_str();
    app.add_option("--train-size", train_size, "training pairs drawn from the bundle's task")->capture_default_str();
    app.add_option("--write-batches", batches_path, "write the warm-up and timed batches here as JSON");
    CLI11_PARSE(app, argc, argv);

    const Bundle bundle = load_bundle(dir);
    const nlohmann::json& training = bundle.config.at("training");
    TrainConfig tc = make_preset(training.at("preset").get<std::string>()).train;
    tc.epochs = 1;
    tc.seed = training.value("seed", std::uint64_t(1));
    tc.lr = training.at("lr").get<float>();
    tc.max_tokens = training.at("max_tokens").get<std::size_t>();
    tc.label_smoothing = training.value("label_smoothing", 0.0f);
    tc.schedule = training.value("schedule", tc.schedule);
    tc.warmup_steps = training.value("warmup_steps", tc.warmup_steps);

    TaskSizes sizes;
    sizes.train = train_size;
    const TaskSplits splits = make_task(bundle.task(), bundle.config.at("data").value("seed", std::uint64_t(1)), sizes);
    std::vector<TokenPair> train;
    for (const Example& e : splits.train)
        train.push_back({bundle.source.encode(e.source).ids, bundle.target.encode(e.target).ids});
    const std::vector<TokenPair> valid(train.begin(), train.begin() + 1);  // never evaluated: no epoch ends

    Rng dealer(tc.seed);  // Trainer::start_epoch deals its first epoch from Rng(seed) like this
    std::vector<Batch> batches = make_batches(train, tc.max_tokens, tc.max_sentences, dealer, true);
    if (std::size_t(warmup + steps) >= batches.size())
        throw Error("bench_train: " + std::to_string(warmup + steps) + " steps need more than the epoch's " +
                    std::to_string(batches.size()) + " batches; raise --train-size");
    batches.resize(std::size_t(warmup + steps));
    if (!batches_path.empty()) {
        nlohmann::json out = nlohmann::json::array();
        for (const Batch& b : batches) out.push_back(batch_json(b));
        std::ofstream(batches_path) << out.dump();
    }
    const std::vector<Batch> timed(batches.begin() + warmup, batches.end());
    std::size_t tokens = 0;
    for (const Batch& b : timed) tokens += b.target_tokens();

    const std::unique_ptr<SequenceModel> model = make_model(bundle.config.at("model"), tc.seed);
    Trainer trainer(*model, train, valid, tc);
    for (long s = 0; s < warmup; ++s) trainer.step();
    const double t0 = cpu_seconds();
    float loss = 0.0f;
    for (long s = 0; s < steps; ++s) loss = trainer.step().loss;
    const double cpu = cpu_seconds() - t0;
    std::printf("%s\n", nlohmann::json{{"build", build_name()},
                                       {"clock", cpu_clock_name()},
                                       {"model", dir},
                                       {"steps", steps},
                                       {"tokens", tokens},
                                       {"cpu_seconds", cpu},
                                       {"tokens_per_second", double(tokens) / cpu},
                                       {"checksum", checksum(timed)},
                                       {"running_loss", loss},
                                       {"label_smoothing", tc.label_smoothing},
                                       {"clip_norm", tc.clip_norm},
                                       {"lr", tc.lr},
                                       {"schedule", tc.schedule},
                                       {"warmup_steps", tc.warmup_steps},
                                       {"model_dim", tc.model_dim},
                                       {"adam", {tc.adam.beta1, tc.adam.beta2, tc.adam.eps, tc.adam.weight_decay}}}
                            .dump()
                            .c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return main_with_errors("bench_train", run, argc, argv); }
