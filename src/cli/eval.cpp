// attnlab eval --model DIR [--split test|valid] [--json]: a bundle on its task's held-out split
// (regenerated from config.json's data seed and sizes): exact match, token accuracy, corpus BLEU, by
// source length, and for the dates task by format.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/data/task_data.hpp"
#include "attnlab/eval/evaluate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "commands.hpp"

namespace attnlab {

namespace {

struct EvalCommand {
    std::string model, split = "test";
    bool json = false;
};

void run_eval(const EvalCommand& c) {
    const std::string &dir = c.model, &split = c.split;
    const bool json = c.json;
    const Bundle bundle = load_bundle(dir);
    const nlohmann::json data = bundle.config.value("data", nlohmann::json::object());
    if (!data.is_object()) throw Error(dir + "/config.json: \"data\" must be an object, got " + brief_json(data));
    const TaskSizes sizes = task_sizes_from_json(data, dir + "/config.json");
    if (data.contains("seed") && !data["seed"].is_number_unsigned())
        throw Error(dir + "/config.json: data.seed must be a whole number ≥ 0, got " + brief_json(data["seed"]));
    const TaskSplits splits = make_task(bundle.task(), data.value("seed", std::uint64_t(1)), sizes);
    const auto& examples = split == "test" ? splits.test : splits.valid;
    const EvalReport r = evaluate(*bundle.model, bundle.source, bundle.target, examples, bundle.task());
    if (json) {
        nlohmann::json j = r.to_json();
        j["model"] = dir;
        j["split"] = split;
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::printf("%s on %s/%s (%zu sentences)\n", dir.c_str(), bundle.task().c_str(), split.c_str(), r.count);
    std::printf("  exact match     %6.2f%%\n  token accuracy  %6.2f%%\n  corpus BLEU     %6.2f (on %s)\n",
                100 * r.exact_match(), 100 * r.token_accuracy(), r.bleu, r.bleu_unit.c_str());
    std::printf("  by source length (%s):\n", task_level(bundle.task()) == "char" ? "characters" : "tokens");
    for (const auto& b : r.buckets)
        std::printf("    %3zu-%-3zu  n=%-5zu exact %6.2f%%  BLEU %6.2f\n", b.min_len, b.max_len, b.count,
                    100.0 * double(b.exact) / double(b.count), b.bleu);
    if (!r.by_format.empty()) std::printf("  by format:\n");
    for (const auto& g : r.by_format)
        std::printf("    %-26s n=%-5zu exact %6.2f%%\n", g.name.c_str(), g.count,
                    100.0 * double(g.exact) / double(g.count));
}

}  // namespace

void register_eval(CLI::App& app) {
    auto c = std::make_shared<EvalCommand>();
    CLI::App* cmd = app.add_subcommand("eval", "score a bundle on its task's held-out split");
    cmd->add_option("--model", c->model, "a bundle's folder")->required();
    cmd->add_option("--split", c->split, "the held-out split")
        ->check(CLI::IsMember({"test", "valid"}))
        ->capture_default_str();
    cmd->add_flag("--json", c->json, "the report as JSON (as in models/*/eval.json)");
    cmd->callback([c] { run_eval(*c); });
}

}  // namespace attnlab
