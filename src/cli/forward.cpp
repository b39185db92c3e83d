// attnlab forward — teacher-forced logits and attention of a bundle (RNN Seq2Seq or Transformer), as
// JSON, so other implementations (the PyTorch reference, scripts/torch_reference.py) can be compared
// number by number.
//   attnlab forward --model DIR --source "SENTENCE" --target "SENTENCE" [--json]
//   attnlab forward --model DIR --pairs FILE [--json]     FILE: [["source", "target"], …], one padded batch
//   … --gradients   also one training step's loss and its gradient for every parameter
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/regular_file.hpp"
#include "attnlab/train/batching.hpp"
#include "attnlab/train/cross_entropy.hpp"
#include "commands.hpp"
#include "tensor_json.hpp"

namespace attnlab {

namespace {

// One padded batch: at most this many pairs, each side as long as translate() allows (an RNN has no
// max_length of its own: 20 000 tokens ran past 90 s).
constexpr std::size_t forward_max_pairs = 1000;
constexpr std::uint64_t forward_max_pairs_file_bytes = 16'000'000;

struct ForwardCommand {
    std::string model, pairs_file;
    std::optional<std::string> source, target;
    bool gradients = false, json = false;  // the output is always JSON
};

// Logits and attention (B, Tt, Ts) or null of an RNN seq2seq model.
nlohmann::json seq2seq_forward(const Seq2Seq& model, const Batch& batch) {
    // Logits (B, Tt, V) the way training computes them.
    const Tensor logits = model.forward(batch, {}).value();
    // Attention (B, Tt, Ts): the same teacher-forced steps through the public encode / decoder_step.
    auto [enc, state] = model.encode(batch.source, batch.source_lengths, {});
    const std::size_t B = batch.target_in.shape(0), Tt = batch.target_in.shape(1), Ts = batch.source.shape(1);
    Tensor attention = xt::zeros<float>({B, Tt, Ts});
    bool has_attention = false;
    for (std::size_t t = 0; t < Tt; ++t) {
        const IntTensor prev = xt::view(batch.target_in, xt::all(), t);
        Seq2Seq::Step step = model.decoder_step(enc, state, prev, {});
        if (step.attention.size()) {
            has_attention = true;
            xt::view(attention, xt::all(), t, xt::all()) = step.attention.value();
        }
        state = step.state;
    }
    return {{"logits", tensor_json(logits)},
            {"attention", has_attention ? tensor_json(attention) : nlohmann::json(nullptr)}};
}

// Logits and every attention map of a Transformer (its decoder self-attention masked or Aaren's): the
// whole target prefix at once (causal), as in training; the maps per layer and head, stacked on axis 1
// like `translate --json` (plus the batch).
nlohmann::json transformer_forward(const Transformer& model, const Batch& batch) {
    const Transformer::Encoded enc = model.encode(batch.source, batch.source_lengths, {});
    const Transformer::Decoded dec = model.decode(enc, batch.target_in, {});
    return {{"logits", tensor_json(dec.logits.value())},
            {"attention",
             {{"encoder_self", tensor_json(stack(enc.self_weights, 1).value())},  // (B, L, h, Ts, Ts)
              {"decoder_self", tensor_json(stack(dec.self_weights, 1).value())},  // (B, L, h, Tt, Tt)
              {"cross", tensor_json(stack(dec.cross_weights, 1).value())}}}};     // (B, L, h, Tt, Ts)
}

// One training step's gradients, for the gradient parity test: the training loss (cross-entropy of
// target_out, mean over the real tokens, no label smoothing, no dropout, teacher forcing) and its
// gradient with respect to every named parameter -> {loss, gradients: {name: {shape, data}}}.
nlohmann::json loss_gradients(const SequenceModel& model, const Batch& batch) {
    const NamedVars params = model.parameters();
    for (const auto& [name, v] : params) {
        Var p = v;
        p.set_requires_grad(true);
        p.zero_grad();
    }
    const CrossEntropy ce = cross_entropy(model.forward(batch, {}), batch.target_out);
    backward(ce.loss);
    nlohmann::json gradients = nlohmann::json::object();
    for (const auto& [name, v] : params)
        gradients[name] = tensor_json(v.has_grad() ? v.grad() : Tensor(xt::zeros<float>(v.value().shape())));
    return {{"loss", ce.loss.value().data()[0]}, {"gradients", gradients}};
}

// One padded batch of sentence pairs through the model's teacher-forced forward (inference mode).
// Prints {"source": (B, Ts) ids, "source_lengths": (B), "target_in": (B, Tt) ids, "target_out": (B, Tt) ids,
//         "logits": {"shape": [B, Tt, V], "data"}, "attention": …}, each tensor as {"shape", "data"}
// (row-major), where "attention" is
//   RNN Seq2Seq:  (B, Tt, Ts), or null without attention;
//   Transformer:  {"encoder_self": (B, L, h, Ts, Ts), "decoder_self": (B, L, h, Tt, Tt),
//                  "cross": (B, L, h, Tt, Ts)}, L the layers and h the heads (the decoder's self-attention
//                  is causal; no mask on target padding, as in training).
// With gradients also "loss" (the training loss: cross-entropy of target_out, mean over the real tokens,
// no label smoothing, no dropout) and "gradients": {parameter name: its gradient, shaped as the parameter}.
void forward_command(const std::string& model_dir, const std::vector<std::pair<std::string, std::string>>& pairs,
                     bool gradients) {
    if (pairs.empty()) throw Error("forward: give --source and --target, or --pairs FILE");
    const Bundle bundle = load_bundle(model_dir);
    std::vector<TokenPair> data;
    std::vector<std::size_t> indices;
    if (pairs.size() > forward_max_pairs)
        throw Error("forward: " + std::to_string(pairs.size()) + " pairs, more than the limit of " +
                    std::to_string(forward_max_pairs) + " in one batch");
    const std::size_t max_source = TranslateOptions{}.max_source_tokens, max_target = translate_max_output_tokens;
    for (const auto& [src, tgt] : pairs) {
        indices.push_back(data.size());
        data.push_back({bundle.source.encode(src).ids, bundle.target.encode(tgt).ids});
        const std::string which = pairs.size() > 1 ? "pair " + std::to_string(data.size()) + ": " : "";
        if (data.back().source.size() > max_source)
            throw Error("forward: " + which + "the source has " + std::to_string(data.back().source.size()) +
                        " tokens, more than the limit of " + std::to_string(max_source));
        if (data.back().target.size() > max_target)
            throw Error("forward: " + which + "the target has " + std::to_string(data.back().target.size()) +
                        " tokens, more than the limit of " + std::to_string(max_target));
    }
    const Batch batch = make_batch(data, indices);

    nlohmann::json out;
    if (gradients) out = loss_gradients(*bundle.model, batch);  // before NoGrad: this one records the graph
    NoGrad no_grad;
    if (const auto* s2s = dynamic_cast<const Seq2Seq*>(bundle.model.get())) {
        out.update(seq2seq_forward(*s2s, batch));
    } else if (const auto* transformer = dynamic_cast<const Transformer*>(bundle.model.get())) {
        out.update(transformer_forward(*transformer, batch));
    } else {
        throw Error("forward: " + model_dir + " is not an RNN seq2seq, Transformer or Aaren bundle");
    }
    out["source"] = tensor_json(batch.source);
    out["source_lengths"] = tensor_json(batch.source_lengths);
    out["target_in"] = tensor_json(batch.target_in);
    out["target_out"] = tensor_json(batch.target_out);
    std::cout << out.dump() << "\n";
}

void run_forward(const ForwardCommand& c) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!c.pairs_file.empty()) {
        const std::string& pairs_file = c.pairs_file;
        if (c.source || c.target) throw Error("give either --pairs or --source/--target, not both");
        const nlohmann::json j =
            parse_json_bounded(read_regular_file(pairs_file, forward_max_pairs_file_bytes), pairs_file);
        if (!j.is_array()) throw Error(pairs_file + ": expected a JSON array of [source, target] pairs");
        for (const auto& p : j) {
            if (!p.is_array() || p.size() != 2 || !p[0].is_string() || !p[1].is_string())
                throw Error(pairs_file + ": every entry must be [\"source\", \"target\"]");
            pairs.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
        }
    } else {
        if (!c.source || !c.target) throw Error("forward needs --source and --target (or --pairs FILE)");
        pairs.emplace_back(*c.source, *c.target);
    }
    forward_command(c.model, pairs, c.gradients);
}

}  // namespace

void register_forward(CLI::App& app) {
    auto c = std::make_shared<ForwardCommand>();
    CLI::App* cmd =
        app.add_subcommand("forward", "teacher-forced logits, attention (and gradients) of a bundle as JSON");
    cmd->add_option("--model", c->model, "a bundle's folder")->required();
    cmd->add_option("--source", c->source, "one source sentence …");
    cmd->add_option("--target", c->target, "… and its target");
    cmd->add_option("--pairs", c->pairs_file, "or a JSON file [[\"source\", \"target\"], …], one padded batch");
    cmd->add_flag("--gradients", c->gradients, "also one training step's loss and every parameter's gradient");
    cmd->add_flag("--json", c->json, "accepted: the output is always JSON");
    cmd->callback([c] { run_forward(*c); });
}

}  // namespace attnlab
