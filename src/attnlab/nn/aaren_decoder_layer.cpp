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
                                               const Tensor& memory_mask, const Run& run, bool self_weights) {
    const TransformerDecoderLayer& b = l.base;
    expect_model_input(x, b.self_attn.embed_dim, "decoder input");
    expect_model_input(memory, b.self_attn.embed_dim, "memory");
    DecoderLayerOutput out;
    const Var y = residual_sublayer(x, b.norm1, b.norm_first, b.dropout, run,
                                    [&](const Var& v) {  // Sub-L1: the learned query over each prefix
                                        AttentionOutput a = multi_head_aaren(b.self_attn, l.query, v, self_weights);
                                        out.self_weights = a.weights;
                                        out.self_scores = a.scores;
                                        return a.output;
                                    });
    decoder_layer_forward_after_self_attention(b, y, memory, memory_mask, run, out);  // Sub-L2, Sub-L3
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
    const Run run{};  // decoding: no dropout
    DecoderLayerOutput out;
    const Var y = residual_sublayer(x, b.norm1, b.norm_first, b.dropout, run, [&](const Var& v) {
        AttentionOutput a = multi_head_aaren_step(b.self_attn, v, cache.self);
        out.self_weights = a.weights;
        out.self_scores = a.scores;
        return a.output;
    });
    decoder_layer_step_after_self_attention(b, y, cache.cross, memory_mask, run, out);  // checks memory_mask
    return out;
}

void add_parameters(NamedVars& out, const std::string& prefix, const AarenDecoderLayer& l) {
    out.emplace_back(join_name(prefix, "self_attn.query"), l.query);
    add_parameters(out, prefix, l.base);
}

}  // namespace attnlab
