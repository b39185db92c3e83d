#include "attnlab/nn/aaren_decoder_layer.hpp"

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/scaled_dot_product_attention.hpp"

namespace attnlab {

namespace {

void expect_model_input(const Var& x, std::size_t d, const char* what) {
    if (x.dimension() != 3 || x.shape(2) != d)
        throw Error(std::string("aaren layer: ") + what + " must be (B, T, " + std::to_string(d) + "), got " +
                    shape_str(x.value()));
}

}  // namespace

AarenDecoderLayer make_aaren_decoder_layer(TransformerDecoderLayer base, Rng& rng) {
    AarenDecoderLayer l;
    l.base = std::move(base);
    Tensor q = Tensor::from_shape({l.base.self_attn.embed_dim});
    for (float& v : q) v = rng.normal();
    l.query = parameter(std::move(q));
    return l;
}

DecoderLayerOutput aaren_decoder_layer_forward(const AarenDecoderLayer& l, const Var& x, const Var& memory,
                                               const Tensor& memory_mask, const LayerRun& run, bool self_weights) {
    const TransformerDecoderLayer& b = l.base;
    expect_model_input(x, b.self_attn.embed_dim, "decoder input");
    expect_model_input(memory, b.self_attn.embed_dim, "memory");
    DecoderLayerOutput out;
    Var y = residual_sublayer(x, b.norm1, b.norm_first, b.dropout, run, [&](const Var& v) {  // Sub-L1: the learned query over each prefix
        AttentionOutput a = multi_head_aaren(b.self_attn, l.query, v, self_weights);
        out.self_weights = a.weights;
        return a.output;
    });
    y = residual_sublayer(y, b.norm2, b.norm_first, b.dropout, run, [&](const Var& v) {  // Sub-L2: attend over the source
        AttentionOutput a = multi_head_attention(b.multihead_attn, v, memory, memory, memory_mask, Tensor());
        out.cross_weights = a.weights;
        return a.output;
    });
    out.output = residual_sublayer(y, b.norm3, b.norm_first, b.dropout, run,
                                   [&](const Var& v) { return feed_forward(b.ff, v, b.dropout, run); });
    return out;
}

AarenDecoderLayerCache start_aaren_decoder_layer_cache(const AarenDecoderLayer& l, const Var& memory,
                                                       bool keep_scores) {
    AarenDecoderLayerCache c;
    c.cross = start_decoder_layer_cache(l.base, memory);
    c.self = start_multi_head_aaren(l.base.self_attn, l.query, memory.shape(0), keep_scores);
    return c;
}

DecoderLayerOutput aaren_decoder_layer_step(const AarenDecoderLayer& l, const Var& x, AarenDecoderLayerCache& cache,
                                            const Tensor& memory_mask) {
    const TransformerDecoderLayer& b = l.base;
    const std::size_t B = x.shape(0), Ts = cache.cross.cross_keys.shape(2);
    if (memory_mask.size() && (memory_mask.dimension() != 2 || memory_mask.shape(0) != B || memory_mask.shape(1) != Ts))
        throw Error("aaren layer: memory mask must be (" + std::to_string(B) + ", " + std::to_string(Ts) + "), got " +
                    shape_str(memory_mask));
    const LayerRun run{};  // decoding: no dropout
    DecoderLayerOutput out;
    Var y = residual_sublayer(x, b.norm1, b.norm_first, b.dropout, run, [&](const Var& v) {
        AttentionOutput a = multi_head_aaren_step(b.self_attn, v, cache.self);
        out.self_weights = a.weights;
        return a.output;
    });
    y = residual_sublayer(y, b.norm2, b.norm_first, b.dropout, run, [&](const Var& v) {
        Tensor mask = memory_mask;  // (B, Ts) -> (B, 1, 1, Ts): over heads and the one query
        if (mask.size()) mask.reshape({B, 1, 1, Ts});
        AttentionOutput a = scaled_dot_product_attention(project_heads(b.multihead_attn, v, 0), cache.cross.cross_keys,
                                                         cache.cross.cross_values, mask);
        out.cross_weights = a.weights;
        return combine_heads(b.multihead_attn, a.output);
    });
    out.output = residual_sublayer(y, b.norm3, b.norm_first, b.dropout, run,
                                   [&](const Var& v) { return feed_forward(b.ff, v, b.dropout, run); });
    return out;
}

void add_parameters(NamedVars& out, const std::string& prefix, const AarenDecoderLayer& l) {
    out.emplace_back(join_name(prefix, "self_attn.query"), l.query);
    add_parameters(out, prefix, l.base);
}

}  // namespace attnlab
