// attnlab convert --dtype f16|f32 --model DIR --out DIR: a bundle with its weights rewritten in another
// dtype; config.json and vocab.json are copied as they are. F16 halves model.safetensors (float32
// weights barely compress); every reader widens F16 back to float32 when it loads the bundle. Both the
// bundle read and the bundle written are loaded in full as a check before anything is written (a weight
// beyond float16's range is a one-line error); prints the sizes and the largest change of a weight.
// --check: also greedy-decodes the task's test split with both and writes nothing, a one-line error,
// unless every output is the same.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "attnlab/eval/evaluate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/text/regular_file.hpp"
#include "bundle_splits.hpp"
#include "commands.hpp"

namespace attnlab {

namespace {

struct ConvertCommand {
    std::string model, out, dtype;
    bool check = false;
};

// The number of test examples whose greedy output differs between the two bundles; "" when none, else
// one line saying how many and the first.
std::string changed_outputs(const Bundle& before, const Bundle& after, const std::string& dir) {
    const auto examples = bundle_splits(before, dir).test;
    const EvalReport a = evaluate(*before.model, before.source, before.target, examples, before.task());
    const EvalReport b = evaluate(*after.model, after.source, after.target, examples, after.task());
    std::size_t changed = 0, first = 0;
    for (std::size_t i = 0; i < a.outputs.size(); ++i)
        if (a.outputs[i] != b.outputs[i] && changed++ == 0) first = i;
    if (!changed) return "";
    return std::to_string(changed) + " of the " + std::to_string(a.outputs.size()) +
           " test examples get another greedy output (the first, example " + std::to_string(first) + ": \"" +
           a.outputs[first] + "\" becomes \"" + b.outputs[first] + "\")";
}

void run_convert(const ConvertCommand& c) {
    const std::filesystem::path in(c.model);
    if (!std::filesystem::is_directory(in)) throw Error("model " + c.model + ": not a folder");
    const BundleFiles source{read_regular_file((in / "config.json").string(), bundle_max_config_bytes),
                             read_regular_file((in / "model.safetensors").string(), bundle_max_weights_bytes),
                             read_regular_file((in / "vocab.json").string(), bundle_max_vocab_bytes)};
    const Bundle before = load_bundle_from_memory(source.config_json, source.safetensors, source.vocab_json, c.model);
    const SafeTensors weights = read_safetensors(source.safetensors);
    BundleFiles converted = source;
    try {
        converted.safetensors = write_safetensors(weights, c.dtype == "f16" ? WriteDType::f16 : WriteDType::f32);
    } catch (const Error& e) {
        throw Error(c.model + "/model.safetensors: " + e.what());
    }
    const Bundle after =
        load_bundle_from_memory(converted.config_json, converted.safetensors, converted.vocab_json, c.out);
    const std::string changed = c.check ? changed_outputs(before, after, c.model) : "";
    if (!changed.empty()) throw Error(c.model + " as " + c.dtype + ": " + changed + "; nothing written");
    const SafeTensors back = read_safetensors(converted.safetensors);
    double largest_change = 0;
    std::size_t count = 0;
    for (const auto& [name, t] : weights.tensors) {
        const Tensor& u = back.tensors.at(name);
        for (std::size_t i = 0; i < t.size(); ++i)
            largest_change = std::max(largest_change, std::fabs(double(t.data()[i]) - double(u.data()[i])));
        count += t.size();
    }
    write_bundle_files(c.out, converted);
    std::printf(
        "%s -> %s: %zu weights in %zu tensors as %s, model.safetensors %zu -> %zu bytes, largest change of a "
        "weight %.3g%s\n",
        c.model.c_str(), c.out.c_str(), count, weights.tensors.size(), c.dtype == "f16" ? "F16" : "F32",
        source.safetensors.size(), converted.safetensors.size(), largest_change,
        c.check ? ", the same greedy output on every test example" : "");
}

}  // namespace

void register_convert(CLI::App& app) {
    auto c = std::make_shared<ConvertCommand>();
    CLI::App* cmd = app.add_subcommand("convert", "write a bundle's weights in another dtype (f16: half the bytes)");
    cmd->add_option("--dtype", c->dtype, "the weights' dtype in the written bundle")
        ->required()
        ->check(CLI::IsMember({"f16", "f32"}));
    cmd->add_option("--model", c->model, "the bundle's folder")->required();
    cmd->add_option("--out", c->out, "the folder to write the converted bundle into (created if missing)")->required();
    cmd->add_flag("--check", c->check,
                  "write only if the converted bundle gives the same greedy output on every example of the test split");
    cmd->callback([c] { run_convert(*c); });
}

}  // namespace attnlab
