#include "attnlab/models/transformer.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/models/config_fields.hpp"
#include "attnlab/models/model_limits.hpp"
#include "attnlab/nn/padding_mask.hpp"
#include "attnlab/nn/positional_encoding.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab {

namespace {

// "transformer config" or "aaren config": what the errors about c are under
std::string config_name(const TransformerConfig& c) {
    return std::string(name_of(transformer_architecture_names, c.self_attention)) + " config";
}

void validate(const TransformerConfig& c) {
    const std::string what = config_name(c);
    if (c.source_vocab_size == 0 || c.target_vocab_size == 0)
        throw Error(what + ": source_vocab_size and target_vocab_size must be ≥ 1");
    if (c.d_model == 0 || c.num_heads == 0 || c.d_model % c.num_heads != 0)
        throw Error(what + ": num_heads (" + std::to_string(c.num_heads) + ") must divide d_model (" +
                    std::to_string(c.d_model) + ")");
    if (c.num_encoder_layers == 0 || c.num_decoder_layers == 0)
        throw Error(what + ": num_encoder_layers and num_decoder_layers must be ≥ 1");
    if (c.dim_feedforward == 0) throw Error(what + ": dim_feedforward must be ≥ 1");
    if (!(c.dropout >= 0.0f && c.dropout < 1.0f))
        throw Error(what + ": dropout must be in [0, 1), got " + std::to_string(c.dropout));
    if (c.max_length == 0) throw Error(what + ": max_length must be ≥ 1");
}

}  // namespace

nlohmann::json transformer_config_to_json(const TransformerConfig& c) {
    return {{"architecture", name_of(transformer_architecture_names, c.self_attention)},
            {"source_vocab_size", c.source_vocab_size},
            {"target_vocab_size", c.target_vocab_size},
            {"d_model", c.d_model},
            {"num_heads", c.num_heads},
            {"num_encoder_layers", c.num_encoder_layers},
            {"num_decoder_layers", c.num_decoder_layers},
            {"dim_feedforward", c.dim_feedforward},
            {"dropout", std::round(double(c.dropout) * 1e6) / 1e6},
            {"norm_first", c.norm_first},
            {"tie_embeddings", c.tie_embeddings},
            {"max_length", c.max_length}};
}

TransformerConfig transformer_config_from_json(const nlohmann::json& j) {
    TransformerConfig c;
    if (j.is_object() && j.contains("architecture"))  // absent: "transformer"
        c.self_attention = ConfigFields(j, "transformer config").choice("architecture", transformer_architecture_names);
    ConfigFields f(j, config_name(c));
    c.source_vocab_size = f.count("source_vocab_size", 5, model_max_vocab_size);
    c.target_vocab_size = f.count("target_vocab_size", 5, model_max_vocab_size);
    c.d_model = f.count("d_model", 1, model_max_width);
    c.num_heads = f.count("num_heads", 1, model_max_heads);
    c.num_encoder_layers = f.count("num_encoder_layers", 1, model_max_layers);
    c.num_decoder_layers = f.count("num_decoder_layers", 1, model_max_layers);
    c.dim_feedforward = f.count("dim_feedforward", 1, model_max_feedforward);
    c.dropout = float(f.number("dropout", 0.0, 0.99));
    c.norm_first = f.flag("norm_first");
    c.tie_embeddings = f.flag("tie_embeddings");
    c.max_length = f.count("max_length", 1, model_max_positions);
    f.allow_only({"architecture", "source_vocab_size", "target_vocab_size", "d_model", "num_heads",
                  "num_encoder_layers", "num_decoder_layers", "dim_feedforward", "dropout", "norm_first",
                  "tie_embeddings", "max_length"});
    validate(c);
    return c;
}

ParameterShapes transformer_parameter_shapes(const TransformerConfig& c) {
    validate(c);
    const std::size_t d = c.d_model, F = c.dim_feedforward;
    ParameterShapes p;
    auto attention = [&](const std::string& prefix) {  // nn.MultiheadAttention(d, h)
        p.push_back({prefix + ".in_proj_weight", {3 * d, d}});
        p.push_back({prefix + ".in_proj_bias", {3 * d}});
        p.push_back({prefix + ".out_proj.weight", {d, d}});
        p.push_back({prefix + ".out_proj.bias", {d}});
    };
    auto feed_forward = [&](const std::string& prefix) {
        p.push_back({prefix + ".linear1.weight", {F, d}});
        p.push_back({prefix + ".linear1.bias", {F}});
        p.push_back({prefix + ".linear2.weight", {d, F}});
        p.push_back({prefix + ".linear2.bias", {d}});
    };
    auto norm = [&](const std::string& prefix) {
        p.push_back({prefix + ".weight", {d}});
        p.push_back({prefix + ".bias", {d}});
    };
    p.push_back({"src_embedding.weight", {c.source_vocab_size, d}});
    p.push_back({"tgt_embedding.weight", {c.target_vocab_size, d}});
    for (std::size_t i = 0; i < c.num_encoder_layers; ++i) {
        const std::string l = "encoder.layers." + std::to_string(i);
        attention(l + ".self_attn");
        feed_forward(l);
        norm(l + ".norm1");
        norm(l + ".norm2");
    }
    if (c.norm_first) norm("encoder.norm");
    for (std::size_t i = 0; i < c.num_decoder_layers; ++i) {
        const std::string l = "decoder.layers." + std::to_string(i);
        if (c.self_attention == DecoderSelfAttention::aaren) p.push_back({l + ".self_attn.query", {d}});
        attention(l + ".self_attn");
        attention(l + ".multihead_attn");
        feed_forward(l);
        norm(l + ".norm1");
        norm(l + ".norm2");
        norm(l + ".norm3");
    }
    if (c.norm_first) norm("decoder.norm");
    if (!c.tie_embeddings) p.push_back({"generator.weight", {c.target_vocab_size, d}});
    p.push_back({"generator.bias", {c.target_vocab_size}});
    return p;
}

Transformer::Transformer(const TransformerConfig& config, std::optional<std::uint64_t> seed) : cfg(config) {
    validate(cfg);
    Rng rng = seed ? Rng(*seed) : Rng::zeros();
    const std::size_t d = cfg.d_model;
    const float inv_sqrt_d = 1.0f / std::sqrt(float(d));
    src_embedding = make_embedding(cfg.source_vocab_size, d, rng);
    src_embedding.weight.value() *= inv_sqrt_d;  // N(0, 1/d)
    tgt_embedding = make_embedding(cfg.target_vocab_size, d, rng);
    tgt_embedding.weight.value() *= inv_sqrt_d;
    for (std::size_t i = 0; i < cfg.num_encoder_layers; ++i)
        encoder_layers.push_back(
            make_transformer_encoder_layer(d, cfg.num_heads, cfg.dim_feedforward, cfg.dropout, cfg.norm_first, rng));
    for (std::size_t i = 0; i < cfg.num_decoder_layers; ++i)
        decoder_layers.push_back(
            make_transformer_decoder_layer(d, cfg.num_heads, cfg.dim_feedforward, cfg.dropout, cfg.norm_first, rng));
    if (cfg.norm_first) {
        encoder_norm = make_layer_norm(d);
        decoder_norm = make_layer_norm(d);
    }
    if (!cfg.tie_embeddings) generator_weight = uniform_parameter({cfg.target_vocab_size, d}, d, rng);
    generator_bias = uniform_parameter({cfg.target_vocab_size}, d, rng);
    positions = sinusoidal_positions(cfg.max_length, d);
    if (cfg.self_attention == DecoderSelfAttention::aaren) {
        Rng queries =
            seed ? Rng(*seed ^ 0xAA4E4ull) : Rng::zeros();  // their own stream: the rest stays the Transformer's
        for (TransformerDecoderLayer& l : decoder_layers) use_aaren_self_attention(l, queries);
    }
}

NamedVars Transformer::parameters() const {
    NamedVars p;
    add_parameters(p, "src_embedding", src_embedding);
    add_parameters(p, "tgt_embedding", tgt_embedding);
    for (std::size_t i = 0; i < encoder_layers.size(); ++i)
        add_parameters(p, "encoder.layers." + std::to_string(i), encoder_layers[i]);
    if (cfg.norm_first) add_parameters(p, "encoder.norm", encoder_norm);
    for (std::size_t i = 0; i < decoder_layers.size(); ++i)
        add_parameters(p, "decoder.layers." + std::to_string(i), decoder_layers[i]);
    if (cfg.norm_first) add_parameters(p, "decoder.norm", decoder_norm);
    if (!cfg.tie_embeddings) p.emplace_back("generator.weight", generator_weight);
    p.emplace_back("generator.bias", generator_bias);
    return p;
}

nlohmann::json Transformer::config() const { return transformer_config_to_json(cfg); }

Var Transformer::embed(const Embedding& e, const IntTensor& ids, std::size_t start, const Run& run) const {
    if (ids.dimension() != 2)
        throw Error(std::string(architecture()) + ": token ids must be (B, T), got " + shape_str(ids));
    if (start + ids.shape(1) > cfg.max_length)
        throw Error(std::string(architecture()) + ": position " + std::to_string(start + ids.shape(1) - 1) +
                    " is beyond max_length " + std::to_string(cfg.max_length));
    const Var x = add_positions(scale(embedding_forward(e, ids), std::sqrt(float(cfg.d_model))), positions, start);
    return dropout(x, cfg.dropout, run);
}

Var Transformer::generate(const Var& y) const {
    return linear(y, cfg.tie_embeddings ? tgt_embedding.weight : generator_weight, generator_bias);
}

Transformer::Encoded Transformer::encode(const IntTensor& source, const IntTensor& lengths, const Run& run) const {
    if (source.dimension() != 2 || lengths.dimension() != 1 || lengths.shape(0) != source.shape(0))
        throw Error(std::string(architecture()) + ": source must be (B, T) with lengths (B), got " + shape_str(source) +
                    " and " + shape_str(lengths));
    Encoded enc;
    enc.mask = padding_mask(lengths, source.shape(1));
    Var x = embed(src_embedding, source, 0, run);
    for (const TransformerEncoderLayer& l : encoder_layers) {
        EncoderLayerOutput o = encoder_layer_forward(l, x, enc.mask, run);
        x = o.output;
        enc.self_weights.push_back(o.self_weights);
        enc.self_scores.push_back(o.self_scores);
        enc.self_values.push_back(o.self_values);
        enc.self_head_context.push_back(o.self_head_context);
    }
    enc.memory = cfg.norm_first ? layer_norm_forward(encoder_norm, x) : x;
    return enc;
}

Transformer::Decoded Transformer::decode(const Encoded& enc, const IntTensor& target_in, const Run& run,
                                         bool self_weights) const {
    if (target_in.dimension() != 2 || target_in.shape(0) != enc.memory.shape(0))
        throw Error(std::string(architecture()) + ": target_in must be (B, T) with the source's B = " +
                    std::to_string(enc.memory.shape(0)) + ", got " + shape_str(target_in));
    Decoded out;
    Var y = embed(tgt_embedding, target_in, 0, run);
    for (const TransformerDecoderLayer& l : decoder_layers) {
        DecoderLayerOutput o = decoder_layer_forward(l, y, enc.memory, enc.mask, run, self_weights);
        y = o.output;
        out.self_weights.push_back(o.self_weights);
        out.cross_weights.push_back(o.cross_weights);
        out.self_scores.push_back(o.self_scores);
        out.cross_scores.push_back(o.cross_scores);
    }
    if (cfg.norm_first) y = layer_norm_forward(decoder_norm, y);
    out.logits = generate(y);
    return out;
}

Var Transformer::forward(const Batch& batch, const ForwardOptions& o) const {
    if (o.teacher_forcing < 1.0f)
        throw Error(
            std::string(architecture()) +
            ": teacher_forcing below 1 is not supported (the decoder reads the whole gold prefix at once); use 1");
    // no decoder self-attention map: Aaren's would cost (B, h, Tt, Tt) for nothing
    return decode(encode(batch.source, batch.source_lengths, o.run), batch.target_in, o.run, false).logits;
}

Tensor stack_layer_steps(const std::vector<Tensor>& per_layer) {
    if (per_layer.empty()) throw Error("stack_layer_steps: no layers");
    const Tensor& first = per_layer[0];
    if (first.dimension() != 4 || first.shape(2) != 1)
        throw Error("stack_layer_steps: a layer's step map must be (K, h, 1, t), got " + shape_str(first));
    const std::size_t K = first.shape(0), L = per_layer.size(), row = first.size() / K;  // row: h·t
    Tensor out = Tensor::from_shape({K, L, first.shape(1), first.shape(3)});
    for (std::size_t l = 0; l < L; ++l) {
        if (per_layer[l].shape() != first.shape())
            throw Error("stack_layer_steps: layer shapes differ: " + shape_str(per_layer[l]) + " vs " +
                        shape_str(first));
        for (std::size_t k = 0; k < K; ++k)  // out[k, l] = per_layer[l][k, :, 0, :]
            std::copy_n(per_layer[l].data() + k * row, row, out.data() + (k * L + l) * row);
    }
    return out;
}

Tensor stack_layers(const std::vector<Tensor>& per_layer) {
    std::vector<Var> maps;
    for (const Tensor& m : per_layer) maps.push_back(constant(m));
    return stack(maps, 1).value();
}

StepAttention SourceHeadSums::values() const {
    return {{"encoder_self", stack(encoder_values, 1).value()}, {"cross", stack(cross_values, 1).value()}};
}

StepAttention SourceHeadSums::head_context() const {
    return {{"encoder_self", stack(encoder_head_context, 1).value()}};
}

Tensor stack_newest_positions(const std::vector<Var>& per_layer) {
    std::vector<Tensor> newest;
    for (const Var& v : per_layer) newest.push_back(slice(v, 2, v.shape(2) - 1, 1).value());  // (K, h, 1, d/h)
    return stack_layer_steps(newest);
}

namespace {

// One session for both decoder self-attentions: each layer's cache holds its key/value cache or its
// Aaren state (nn/transformer_layer.hpp), the rest is the same.
class TransformerSession final : public DecoderSession {
public:
    TransformerSession(const Transformer& m, const IntTensor& source, const IntTensor& lengths, bool maps)
        : model_(m), maps_(maps) {
        NoGrad no_grad;
        const Transformer::Encoded enc = model_.encode(source, lengths, {});
        mask_ = enc.mask;
        for (const TransformerDecoderLayer& l : model_.decoder_layers)
            caches_.push_back(start_decoder_layer_cache(l, enc.memory, maps));
        if (!maps) return;
        encoder_self_ = stack(enc.self_weights, 1).value();  // (B, L, h, Ts, Ts)
        encoder_self_scores_ = stack_layers(enc.self_scores);
        source_sums_ = {enc.self_values, enc.self_head_context, {}};  // handles only: stacked if asked for
        for (const DecoderLayerCache& c : caches_) source_sums_.cross_values.push_back(c.cross_values);
    }

    Tensor step(const std::vector<std::int32_t>& last_tokens) override {
        NoGrad no_grad;
        const std::size_t K = mask_.shape(0);
        if (last_tokens.size() != K)
            throw Error(std::string(model_.architecture()) + " session: expected " + std::to_string(K) +
                        " tokens, got " + std::to_string(last_tokens.size()));
        if (ids_.size() != K) ids_ = IntTensor::from_shape({K, 1});
        std::copy(last_tokens.begin(), last_tokens.end(), ids_.begin());
        Var y = model_.embed(model_.tgt_embedding, ids_, length_, {});  // (K, 1, d) at position t
        LayerMaps& m = layer_maps_;
        m.clear();
        for (std::size_t i = 0; i < caches_.size(); ++i) {
            DecoderLayerOutput o = decoder_layer_step(model_.decoder_layers[i], y, caches_[i], mask_, {});
            y = o.output;
            if (!maps_) continue;
            m.self_weights.push_back(std::move(o.self_weights.value()));  // o's last use: moved, not copied
            m.cross_weights.push_back(std::move(o.cross_weights.value()));
            m.self_scores.push_back(std::move(o.self_scores));
            m.cross_scores.push_back(std::move(o.cross_scores));
            if (!head_sums_) continue;
            m.cross_head_context.push_back(o.cross_head_context.value());
            if (o.self_values.size() == 0) continue;  // Aaren folds its values into its state
            m.self_values.push_back(o.self_values);
            m.self_head_context.push_back(o.self_head_context.value());
        }
        if (model_.cfg.norm_first) y = layer_norm_forward(model_.decoder_norm, y);
        ++length_;
        // The maps' names as strings made once: "decoder_self" is longer than a short string's room in
        // wasm's standard library, and a key built from the literal each step would be a heap block.
        static const std::string decoder_self = "decoder_self", cross = "cross";
        if (maps_) {
            attention_[decoder_self] = stack_layer_steps(m.self_weights);  // (K, L, h, t)
            attention_[cross] = stack_layer_steps(m.cross_weights);        // (K, L, h, Ts)
            scores_[decoder_self] = stack_layer_steps(m.self_scores);
            scores_[cross] = stack_layer_steps(m.cross_scores);
        }
        if (head_sums_) {
            head_context_[cross] = stack_layer_steps(m.cross_head_context);  // (K, L, h, d/h)
            if (!m.self_values.empty()) {
                head_values_[decoder_self] = stack_newest_positions(m.self_values);  // (K, L, h, d/h)
                head_context_[decoder_self] = stack_layer_steps(m.self_head_context);
            }
        }
        return attnlab::log_softmax(Tensor(select(model_.generate(y), 1, 0).value()));  // (K, V)
    }

    void reorder(const std::vector<std::size_t>& parents) override {
        const std::size_t K = mask_.shape(0);
        for (std::size_t p : parents)
            if (p >= K)
                throw Error(std::string(model_.architecture()) + " session: parent " + std::to_string(p) + " out of " +
                            std::to_string(K));
        for (DecoderLayerCache& c : caches_) reorder_decoder_layer_cache(c, parents);
        mask_ = take(mask_, parents, 0);
        for (auto& [name, a] : attention_) a = take(a, parents, 0);
        for (auto& [name, a] : scores_) a = take(a, parents, 0);
        for (auto& [name, a] : head_values_) a = take(a, parents, 0);
        for (auto& [name, a] : head_context_) a = take(a, parents, 0);
    }

    const StepAttention& last_attention() const override { return attention_; }
    const StepAttention& last_scores() const override { return scores_; }
    // The encoder's self-attention of the sources as given to start() (not reordered):
    // "encoder_self" (B, L, h, Ts, Ts)
    StepAttention source_attention() const override {
        return maps_ ? StepAttention{{"encoder_self", encoder_self_}} : StepAttention{};
    }
    StepAttention source_scores() const override {
        return maps_ ? StepAttention{{"encoder_self", encoder_self_scores_}} : StepAttention{};
    }
    // §10's sums of the multi-head attention layers: encoder_self, cross, and the masked decoder_self.
    void keep_head_sums() override { head_sums_ = maps_; }
    const StepAttention& last_head_values() const override { return head_values_; }
    const StepAttention& last_head_context() const override { return head_context_; }
    StepAttention source_head_values() const override { return head_sums_ ? source_sums_.values() : StepAttention{}; }
    StepAttention source_head_context() const override {
        return head_sums_ ? source_sums_.head_context() : StepAttention{};
    }

private:
    const Transformer& model_;
    bool maps_;
    Tensor mask_;                            // (K, Ts)
    std::vector<DecoderLayerCache> caches_;  // one per decoder layer
    std::size_t length_ = 0;                 // positions decoded so far
    Tensor encoder_self_, encoder_self_scores_;
    StepAttention attention_, scores_;
    bool head_sums_ = false;
    SourceHeadSums source_sums_;
    StepAttention head_values_, head_context_;
    IntTensor ids_ = IntTensor::from_shape({0, 1});  // the last tokens, (K, 1)
    // One entry per decoder layer of the step being decoded; kept (cleared each step) so that a step
    // allocates no lists for them.
    struct LayerMaps {
        std::vector<Tensor> self_weights, cross_weights, self_scores, cross_scores, self_head_context,
            cross_head_context;
        std::vector<Var> self_values;
        void clear() {
            for (auto* v :
                 {&self_weights, &cross_weights, &self_scores, &cross_scores, &self_head_context, &cross_head_context})
                v->clear();
            self_values.clear();
        }
    } layer_maps_;
};

}  // namespace

std::unique_ptr<DecoderSession> Transformer::start(const IntTensor& source, const IntTensor& lengths) const {
    return start_session(source, lengths, true);
}

std::unique_ptr<DecoderSession> Transformer::start_session(const IntTensor& source, const IntTensor& lengths,
                                                           bool attention_maps) const {
    return std::make_unique<TransformerSession>(*this, source, lengths, attention_maps);
}

}  // namespace attnlab
