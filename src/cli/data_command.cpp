#include "data_command.hpp"

#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/data/task_codecs.hpp"
#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/text_codec.hpp"

namespace attnlab {

namespace {

std::size_t whole_number(const std::string& option, const std::string& v) {
    try {
        std::size_t end = 0;
        const long n = std::stol(v, &end);
        if (end == v.size() && n >= 0) return std::size_t(n);
    } catch (const std::exception&) {
    }
    throw Error(option + " must be a whole number ≥ 0, not \"" + v + "\"");
}

nlohmann::json examples_json(const std::vector<Example>& examples, const TextCodec& src, const TextCodec& tgt) {
    nlohmann::json out = nlohmann::json::array();
    for (const Example& e : examples)
        out.push_back({{"source", e.source}, {"target", e.target}, {"source_ids", src.encode(e.source).ids},
                       {"target_ids", tgt.encode(e.target).ids}});
    return out;
}

}  // namespace

int data_main(int argc, char** argv, int first) {
    std::string task, split = "all";
    std::uint64_t seed = 1;
    TaskSizes sizes;
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--json") continue;  // the output is always JSON
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw Error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--task") task = value();
        else if (a == "--split") split = value();
        else if (a == "--data-seed") seed = whole_number(a, value());
        else if (a == "--train-size") sizes.train = whole_number(a, value());
        else if (a == "--valid-size") sizes.valid = whole_number(a, value());
        else if (a == "--test-size") sizes.test = whole_number(a, value());
        else
            throw Error("unknown argument \"" + a +
                        "\" (data takes --task, --split, --data-seed, --train-size, --valid-size, --test-size, --json)");
    }
    if (task.empty()) throw Error("missing --task (see attnlab tasks)");
    if (split != "all" && split != "train" && split != "valid" && split != "test")
        throw Error("--split must be train, valid, test or all, not \"" + split + "\"");
    const TaskSplits splits = make_task(task, seed, sizes);
    // The vocabularies exactly as `attnlab train` builds them: from the training split.
    const TaskCodecs codecs = task_codecs(task, splits.train);
    const TextCodec &src = codecs.source, &tgt = codecs.target;
    nlohmann::json out_splits = nlohmann::json::object();
    if (split == "all" || split == "train") out_splits["train"] = examples_json(splits.train, src, tgt);
    if (split == "all" || split == "valid") out_splits["valid"] = examples_json(splits.valid, src, tgt);
    if (split == "all" || split == "test") out_splits["test"] = examples_json(splits.test, src, tgt);
    const nlohmann::json out = {
        {"task", task},
        {"description", task_description(task)},
        {"level", task_level(task)},
        {"data", {{"seed", seed}, {"train_size", sizes.train}, {"valid_size", sizes.valid}, {"test_size", sizes.test}}},
        {"vocab", {{"source", src.to_json()}, {"target", tgt.to_json()}}},
        {"splits", out_splits}};
    std::cout << out.dump() << "\n";
    return 0;
}

}  // namespace attnlab
