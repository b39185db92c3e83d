// attnlab data — a toy task's splits and vocabularies as JSON, so other programs (the PyTorch example,
// scripts/torch_train_example.py) train on exactly the data `attnlab train` and `attnlab eval` use.
//   attnlab data --task TASK [--split train|valid|test|all] [--data-seed N] [--train-size N]
//                [--valid-size N] [--test-size N] [--max-train-words N] [--json]
// Prints {"task", "description", "level": "word"|"char",
//         "data": {"seed", "train_size", "valid_size", "test_size"[, "max_train_words"]}
//                 (config.json's "data" for these splits),
//         "vocab": {"source": codec, "target": codec}   (vocab.json as `attnlab train` builds it from train),
//         "splits": {"train"|"valid"|"test": [{"source", "target", "source_ids", "target_ids"}, …]}}
// ids without <bos>/<eos>; --split picks one split (default all).
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/data/task_codecs.hpp"
#include "attnlab/data/task_data.hpp"
#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/text_codec.hpp"
#include "commands.hpp"
#include "options.hpp"

namespace attnlab {

namespace {

struct DataCommand {
    std::string task, split = "all";
    std::uint64_t seed = 1;
    TaskSizes sizes;
    bool json = false;  // the output is always JSON
};

nlohmann::json examples_json(const std::vector<Example>& examples, const TextCodec& src, const TextCodec& tgt) {
    nlohmann::json out = nlohmann::json::array();
    for (const Example& e : examples)
        out.push_back({{"source", e.source},
                       {"target", e.target},
                       {"source_ids", src.encode(e.source).ids},
                       {"target_ids", tgt.encode(e.target).ids}});
    return out;
}

void run_data(const DataCommand& c) {
    const std::string &task = c.task, &split = c.split;
    const std::uint64_t seed = c.seed;
    const TaskSizes& sizes = c.sizes;
    const TaskSplits splits = make_task(task, seed, sizes);
    // The vocabularies exactly as `attnlab train` builds them: from the training split.
    const TaskCodecs codecs = task_codecs(task, splits.train);
    const TextCodec &src = codecs.source, &tgt = codecs.target;
    nlohmann::json out_splits = nlohmann::json::object();
    if (split == "all" || split == "train") out_splits["train"] = examples_json(splits.train, src, tgt);
    if (split == "all" || split == "valid") out_splits["valid"] = examples_json(splits.valid, src, tgt);
    if (split == "all" || split == "test") out_splits["test"] = examples_json(splits.test, src, tgt);
    const nlohmann::json out = {{"task", task},
                                {"description", task_description(task)},
                                {"level", task_level(task)},
                                {"data", task_data_json(seed, sizes)},
                                {"vocab", {{"source", src.to_json()}, {"target", tgt.to_json()}}},
                                {"splits", out_splits}};
    std::cout << out.dump() << "\n";
}

}  // namespace

void register_data(CLI::App& app) {
    auto c = std::make_shared<DataCommand>();
    CLI::App* cmd = app.add_subcommand("data", "a toy task's splits and vocabularies as JSON");
    cmd->add_option("--task", c->task, "the task (attnlab tasks)")->required();
    cmd->add_option("--split", c->split, "one split or all")
        ->check(CLI::IsMember({"train", "valid", "test", "all"}))
        ->capture_default_str();
    cmd->add_option("--data-seed", c->seed, "the splits' seed")->transform(whole_number)->capture_default_str();
    cmd->add_option("--train-size", c->sizes.train, "examples per split")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--valid-size", c->sizes.valid)->transform(whole_number)->capture_default_str();
    cmd->add_option("--test-size", c->sizes.test)->transform(whole_number)->capture_default_str();
    cmd->add_option("--max-train-words", c->sizes.max_train_words, "> 0: only training pairs this short")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_flag("--json", c->json, "accepted: the output is always JSON");
    cmd->callback([c] { run_data(*c); });
}

}  // namespace attnlab
