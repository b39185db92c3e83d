#include "attnlab/models/aaren_transformer.hpp"

#include <nlohmann/json.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab {

namespace {

// The Transformer's config checks, reported under this architecture's name.
template <class F>
auto as_aaren(F f) {
    try {
        return f();
    } catch (const Error& e) {
        const std::string what = e.what(), prefix = "transformer config";
        throw Error(what.rfind(prefix, 0) == 0 ? "aaren config" + what.substr(prefix.size()) : what);
    }
}

}  // namespace

nlohmann::json aaren_config_to_json(const TransformerConfig& c) {
    nlohmann::json j = transformer_config_to_json(c);
    j["architecture"] = "aaren";
    return j;
}

TransformerConfig aaren_config_from_json(const nlohmann::json& j) {
    if (j.is_object() && j.contains("architecture") && j["architecture"] != "aaren")
        throw Error("aaren config: architecture must be \"aaren\", got " + j["architecture"].dump());
    return as_aaren([&] { return transformer_config_from_json(j); });
}

AarenTransformer::AarenTransformer(const TransformerConfig& config, std::uint64_t seed)
    : base(as_aaren([&] { return Transformer(config, seed); })) {
    Rng rng(seed ^ 0xAA4E4ull);  // the queries' own stream: the rest stays Transformer(config, seed)
    for (TransformerDecoderLayer& l : base.decoder_layers)
        decoder_layers.push_back(make_aaren_decoder_layer(std::move(l), rng));
    base.decoder_layers.clear();
}

NamedVars AarenTransformer::parameters() const {
    NamedVars p;
    bool decoder_done = false;
    for (auto& [name, v] : base.parameters()) {
        // the decoder layers go where the Transformer lists its own: before decoder.norm / generator
        if (!decoder_done && (name.rfind("decoder.norm", 0) == 0 || name.rfind("generator", 0) == 0)) {
            for (std::size_t i = 0; i < decoder_layers.size(); ++i)
                add_parameters(p, "decoder.layers." + std::to_string(i), decoder_layers[i]);
            decoder_done = true;
        }
        p.emplace_back(name, v);
    }
    return p;
}

nlohmann::json AarenTransformer::config() const { return aaren_config_to_json(base.cfg); }

Transformer::Decoded AarenTransformer::decode(const Transformer::Encoded& enc, const IntTensor& target_in,
                                              const Run& run, bool self_weights) const {
    if (target_in.dimension() != 2 || target_in.shape(0) != enc.memory.shape(0))
        throw Error("aaren: target_in must be (B, T) with the source's B = " + std::to_string(enc.memory.shape(0)) +
                    ", got " + shape_str(target_in));
    Transformer::Decoded out;
    Var y = base.embed(base.tgt_embedding, target_in, 0, run);
    for (const AarenDecoderLayer& l : decoder_layers) {
        DecoderLayerOutput o = aaren_decoder_layer_forward(l, y, enc.memory, enc.mask, run, self_weights);
        y = o.output;
        out.self_weights.push_back(o.self_weights);
        out.cross_weights.push_back(o.cross_weights);
        out.self_scores.push_back(o.self_scores);
        out.cross_scores.push_back(o.cross_scores);
    }
    if (base.cfg.norm_first) y = layer_norm_forward(base.decoder_norm, y);
    out.logits = base.generate(y);
    return out;
}

Var AarenTransformer::forward(const Batch& batch, const ForwardOptions& o) const {
    if (o.teacher_forcing < 1.0f)
        throw Error(
            "aaren: teacher_forcing below 1 is not supported (the decoder reads the whole gold prefix at "
            "once); use 1");
    return decode(base.encode(batch.source, batch.source_lengths, o.run), batch.target_in, o.run, false).logits;
}

namespace {

class AarenSession final : public DecoderSession {
public:
    AarenSession(const AarenTransformer& m, const IntTensor& source, const IntTensor& lengths, bool maps)
        : model_(m), maps_(maps) {
        NoGrad no_grad;
        const Transformer::Encoded enc = model_.base.encode(source, lengths, {});
        mask_ = enc.mask;
        for (const AarenDecoderLayer& l : model_.decoder_layers)
            caches_.push_back(start_aaren_decoder_layer_cache(l, enc.memory, maps));
        if (maps) {
            encoder_self_ = stack(enc.self_weights, 1).value();  // (B, L, h, Ts, Ts)
            encoder_self_scores_ = stack_layers(enc.self_scores);
            source_sums_ = {enc.self_values, enc.self_head_context, {}};  // handles only: stacked if asked for
            for (const AarenDecoderLayerCache& c : caches_) source_sums_.cross_values.push_back(c.cross.cross_values);
        }
    }

    Tensor step(const std::vector<std::int32_t>& last_tokens) override {
        NoGrad no_grad;
        const std::size_t K = mask_.shape(0);
        if (last_tokens.size() != K)
            throw Error("aaren session: expected " + std::to_string(K) + " tokens, got " +
                        std::to_string(last_tokens.size()));
        IntTensor ids = IntTensor::from_shape({K, 1});
        std::copy(last_tokens.begin(), last_tokens.end(), ids.begin());
        Var y = model_.base.embed(model_.base.tgt_embedding, ids, length_, {});  // (K, 1, d) at position t
        std::vector<Tensor> self_w, cross_w, self_s, cross_s, cross_o;
        for (std::size_t i = 0; i < caches_.size(); ++i) {
            DecoderLayerOutput o = aaren_decoder_layer_step(model_.decoder_layers[i], y, caches_[i], mask_);
            y = o.output;
            if (!maps_) continue;
            self_w.push_back(o.self_weights.value());
            cross_w.push_back(o.cross_weights.value());
            self_s.push_back(o.self_scores);
            cross_s.push_back(o.cross_scores);
            if (head_sums_) cross_o.push_back(o.cross_head_context.value());
        }
        if (model_.base.cfg.norm_first) y = layer_norm_forward(model_.base.decoder_norm, y);
        ++length_;
        if (maps_) {
            attention_ = {{"decoder_self", stack_layer_steps(self_w)},  // (K, L, h, t): the query over the prefix
                          {"cross", stack_layer_steps(cross_w)}};       // (K, L, h, Ts)
            scores_ = {{"decoder_self", stack_layer_steps(self_s)}, {"cross", stack_layer_steps(cross_s)}};
            // the Aaren self-attention folds its values into an O(1) state: only the cross heads' sums
            if (head_sums_) head_context_ = {{"cross", stack_layer_steps(cross_o)}};  // (K, L, h, d/h)
        }
        return attnlab::log_softmax(Tensor(select(model_.base.generate(y), 1, 0).value()));  // (K, V)
    }

    void reorder(const std::vector<std::size_t>& parents) override {
        const std::size_t K = mask_.shape(0);
        for (std::size_t p : parents)
            if (p >= K) throw Error("aaren session: parent " + std::to_string(p) + " out of " + std::to_string(K));
        for (AarenDecoderLayerCache& c : caches_) {
            reorder_multi_head_aaren(c.self, parents);
            c.cross.cross_keys = constant(take(c.cross.cross_keys.value(), parents, 0));
            c.cross.cross_values = constant(take(c.cross.cross_values.value(), parents, 0));
        }
        mask_ = take(mask_, parents, 0);
        for (auto& [name, a] : attention_) a = take(a, parents, 0);
        for (auto& [name, a] : scores_) a = take(a, parents, 0);
        for (auto& [name, a] : head_context_) a = take(a, parents, 0);
    }

    const StepAttention& last_attention() const override { return attention_; }
    const StepAttention& last_scores() const override { return scores_; }
    // "encoder_self" (B, L, h, Ts, Ts) of the sources as given to start() (not reordered)
    StepAttention source_attention() const override {
        if (!maps_) return {};
        return {{"encoder_self", encoder_self_}};
    }
    StepAttention source_scores() const override {
        if (!maps_) return {};
        return {{"encoder_self", encoder_self_scores_}};
    }
    // The Transformer's per-head sums where the layers are the Transformer's: encoder_self and cross.
    void keep_head_sums() override { head_sums_ = maps_; }
    const StepAttention& last_head_context() const override { return head_context_; }
    StepAttention source_head_values() const override { return head_sums_ ? source_sums_.values() : StepAttention{}; }
    StepAttention source_head_context() const override {
        return head_sums_ ? source_sums_.head_context() : StepAttention{};
    }

private:
    const AarenTransformer& model_;
    bool maps_;
    Tensor mask_;                                 // (K, Ts)
    std::vector<AarenDecoderLayerCache> caches_;  // one per decoder layer
    std::size_t length_ = 0;                      // positions decoded so far
    Tensor encoder_self_, encoder_self_scores_;
    StepAttention attention_, scores_;
    bool head_sums_ = false;
    SourceHeadSums source_sums_;
    StepAttention head_context_;
};

}  // namespace

std::unique_ptr<DecoderSession> AarenTransformer::start(const IntTensor& source, const IntTensor& lengths) const {
    return start_session(source, lengths, true);
}

std::unique_ptr<DecoderSession> AarenTransformer::start_session(const IntTensor& source, const IntTensor& lengths,
                                                                bool attention_maps) const {
    return std::make_unique<AarenSession>(*this, source, lengths, attention_maps);
}

}  // namespace attnlab
