#include "attnlab/nn/transformer_layer.hpp"

#include <utility>
#include <variant>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/causal_mask.hpp"
#include "attnlab/nn/scaled_dot_product_attention.hpp"

namespace attnlab {

namespace {

FeedForward make_feed_forward(std::size_t d, std::size_t d_ff, Rng& rng) {
    FeedForward ff;
    ff.linear1_weight = uniform_parameter({d_ff, d}, d, rng);
    ff.linear1_bias = uniform_parameter({d_ff}, d, rng);
    ff.linear2_weight = uniform_parameter({d, d_ff}, d_ff, rng);
    ff.linear2_bias = uniform_parameter({d}, d_ff, rng);
    return ff;
}

void expect_model_input(const Var& x, std::size_t d, const char* what) {
    if (x.dimension() != 3 || x.shape(2) != d)
        throw Error(std::string("transformer layer: ") + what + " must be (B, T, " + std::to_string(d) + "), got " +
                    shape_str(x.value()));
}

// mask (B, Ts) -> (B, 1, 1, Ts), broadcasting over heads and queries
Tensor per_head_mask(const Tensor& mask, std::size_t B, std::size_t Ts) {
    if (mask.size() == 0) return Tensor();
    if (mask.dimension() != 2 || mask.shape(0) != B || mask.shape(1) != Ts)
        throw Error("transformer layer: memory mask must be (" + std::to_string(B) + ", " + std::to_string(Ts) +
                    "), got " + shape_str(mask));
    Tensor m = mask;
    m.reshape({B, 1, 1, Ts});
    return m;
}

// What a layer keeps of one attention block besides its output: the map, the raw scores, and §10's
// per-head values and head outputs (handles, no copies; the scores are moved).
void keep_attention(AttentionOutput& a, Var& weights, Tensor& scores, Var& values, Var& head_context) {
    weights = a.weights;
    scores = std::move(a.scores);
    values = a.values;
    head_context = a.head_context;
}

}  // namespace

void use_aaren_self_attention(TransformerDecoderLayer& l, Rng& rng) {
    Tensor q = xt::zeros<float>({l.self_attn.embed_dim});
    if (rng.draws())
        for (float& v : q) v = rng.normal();
    l.self_attention = DecoderSelfAttention::aaren;
    l.aaren_query = parameter(std::move(q));
}

LayerNormParams make_layer_norm(std::size_t d) {
    return {parameter(xt::ones<float>({d})), parameter(xt::zeros<float>({d}))};
}

TransformerEncoderLayer make_transformer_encoder_layer(std::size_t d_model, std::size_t num_heads,
                                                       std::size_t dim_feedforward, float dropout, bool norm_first,
                                                       Rng& rng) {
    TransformerEncoderLayer l;
    l.self_attn = make_multi_head_attention(d_model, num_heads, rng);
    l.ff = make_feed_forward(d_model, dim_feedforward, rng);
    l.norm1 = make_layer_norm(d_model);
    l.norm2 = make_layer_norm(d_model);
    l.norm_first = norm_first;
    l.dropout = dropout;
    return l;
}

TransformerDecoderLayer make_transformer_decoder_layer(std::size_t d_model, std::size_t num_heads,
                                                       std::size_t dim_feedforward, float dropout, bool norm_first,
                                                       Rng& rng) {
    TransformerDecoderLayer l;
    l.self_attn = make_multi_head_attention(d_model, num_heads, rng);
    l.multihead_attn = make_multi_head_attention(d_model, num_heads, rng);
    l.ff = make_feed_forward(d_model, dim_feedforward, rng);
    l.norm1 = make_layer_norm(d_model);
    l.norm2 = make_layer_norm(d_model);
    l.norm3 = make_layer_norm(d_model);
    l.norm_first = norm_first;
    l.dropout = dropout;
    return l;
}

Var layer_norm_forward(const LayerNormParams& n, const Var& x) { return layer_norm(x, n.weight, n.bias); }

Var feed_forward(const FeedForward& ff, const Var& x, float p, const Run& run) {
    const Var hidden = dropout(relu(linear(x, ff.linear1_weight, ff.linear1_bias)), p, run);
    return linear(hidden, ff.linear2_weight, ff.linear2_bias);
}

EncoderLayerOutput encoder_layer_forward(const TransformerEncoderLayer& l, const Var& x, const Tensor& key_padding_mask,
                                         const Run& run) {
    expect_model_input(x, l.self_attn.embed_dim, "encoder input");
    EncoderLayerOutput out;
    Var y = residual_sublayer(x, l.norm1, l.norm_first, l.dropout, run, [&](const Var& v) {
        AttentionOutput a = multi_head_attention(l.self_attn, v, v, v, key_padding_mask, Tensor());
        keep_attention(a, out.self_weights, out.self_scores, out.self_values, out.self_head_context);
        return a.output;
    });
    out.output = residual_sublayer(y, l.norm2, l.norm_first, l.dropout, run,
                                   [&](const Var& v) { return feed_forward(l.ff, v, l.dropout, run); });
    return out;
}

DecoderLayerOutput decoder_layer_forward(const TransformerDecoderLayer& l, const Var& x, const Var& memory,
                                         const Tensor& memory_mask, const Run& run, bool self_weights) {
    const std::size_t d = l.self_attn.embed_dim;
    expect_model_input(x, d, "decoder input");
    expect_model_input(memory, d, "memory");
    DecoderLayerOutput out;
    const Var y = residual_sublayer(x, l.norm1, l.norm_first, l.dropout, run, [&](const Var& v) {  // Sub-L1
        if (l.self_attention == DecoderSelfAttention::aaren) {  // the learned query over each prefix
            AttentionOutput a = multi_head_aaren(l.self_attn, l.aaren_query, v, self_weights);
            out.self_weights = a.weights;
            out.self_scores = std::move(a.scores);
            return a.output;
        }
        AttentionOutput a = multi_head_attention(l.self_attn, v, v, v, Tensor(), causal_mask(v.shape(1)));
        keep_attention(a, out.self_weights, out.self_scores, out.self_values, out.self_head_context);
        return a.output;
    });
    const Var z = residual_sublayer(
        y, l.norm2, l.norm_first, l.dropout, run, [&](const Var& v) {  // Sub-L2: attend over the source
            AttentionOutput a = multi_head_attention(l.multihead_attn, v, memory, memory, memory_mask, Tensor());
            keep_attention(a, out.cross_weights, out.cross_scores, out.cross_values, out.cross_head_context);
            return a.output;
        });
    out.output = residual_sublayer(z, l.norm3, l.norm_first, l.dropout, run,  // Sub-L3: FFN
                                   [&](const Var& v) { return feed_forward(l.ff, v, l.dropout, run); });
    return out;
}

DecoderLayerCache start_decoder_layer_cache(const TransformerDecoderLayer& l, const Var& memory, bool keep_scores) {
    expect_model_input(memory, l.multihead_attn.embed_dim, "memory");
    DecoderLayerCache c;
    if (l.self_attention == DecoderSelfAttention::aaren)
        c.self = start_multi_head_aaren(l.self_attn, l.aaren_query, memory.shape(0), keep_scores);
    c.cross_keys = project_heads(l.multihead_attn, memory, 1);
    c.cross_values = project_heads(l.multihead_attn, memory, 2);
    return c;
}

DecoderLayerOutput decoder_layer_step(const TransformerDecoderLayer& l, const Var& x, DecoderLayerCache& cache,
                                      const Tensor& memory_mask, const Run& run) {
    const std::size_t d = l.self_attn.embed_dim;
    if (x.dimension() != 3 || x.shape(1) != 1 || x.shape(2) != d)
        throw Error("decoder_layer_step: x must be one position (B, 1, " + std::to_string(d) + "), got " +
                    shape_str(x.value()));
    if (cache.cross_keys.dimension() != 4 || cache.cross_keys.shape(0) != x.shape(0))
        throw Error("decoder_layer_step: the cache does not hold cross-attention keys for a batch of " +
                    std::to_string(x.shape(0)));
    if ((l.self_attention == DecoderSelfAttention::aaren) != std::holds_alternative<MultiHeadAarenState>(cache.self))
        throw Error("decoder_layer_step: the cache was started for the other kind of self-attention");
    DecoderLayerOutput out;
    const Var y = residual_sublayer(x, l.norm1, l.norm_first, l.dropout, run, [&](const Var& v) {  // Sub-L1
        if (auto* state = std::get_if<MultiHeadAarenState>(&cache.self)) {  // the query reads one more token
            AttentionOutput a = multi_head_aaren_step(l.self_attn, v, *state);
            out.self_weights = a.weights;
            out.self_scores = std::move(a.scores);
            return a.output;
        }
        // only the positions so far are in the cache: nothing of the future to mask
        AttentionOutput a = multi_head_attention_step(l.self_attn, v, v, v, std::get<KeyValueCache>(cache.self));
        keep_attention(a, out.self_weights, out.self_scores, out.self_values, out.self_head_context);
        return a.output;
    });
    const Var z = residual_sublayer(y, l.norm2, l.norm_first, l.dropout, run, [&](const Var& v) {  // Sub-L2
        const Var q = project_heads(l.multihead_attn, v, 0);                                       // (B, h, 1, d/h)
        const Tensor mask = per_head_mask(memory_mask, y.shape(0), cache.cross_keys.shape(2));
        AttentionOutput a = scaled_dot_product_attention(q, cache.cross_keys, cache.cross_values, mask);
        keep_attention(a, out.cross_weights, out.cross_scores, out.cross_values, out.cross_head_context);
        return combine_heads(l.multihead_attn, a.output);
    });
    out.output = residual_sublayer(z, l.norm3, l.norm_first, l.dropout, run,  // Sub-L3: FFN
                                   [&](const Var& v) { return feed_forward(l.ff, v, l.dropout, run); });
    return out;
}

void reorder_decoder_layer_cache(DecoderLayerCache& cache, const std::vector<std::size_t>& parents) {
    if (auto* state = std::get_if<MultiHeadAarenState>(&cache.self))
        reorder_multi_head_aaren(*state, parents);
    else
        std::get<KeyValueCache>(cache.self).take_rows(parents);
    cache.cross_keys = constant(take(cache.cross_keys.value(), parents, 0));
    cache.cross_values = constant(take(cache.cross_values.value(), parents, 0));
}

void add_parameters(NamedVars& out, const std::string& prefix, const LayerNormParams& n) {
    out.emplace_back(join_name(prefix, "weight"), n.weight);
    out.emplace_back(join_name(prefix, "bias"), n.bias);
}

void add_parameters(NamedVars& out, const std::string& prefix, const FeedForward& ff) {
    out.emplace_back(join_name(prefix, "linear1.weight"), ff.linear1_weight);
    out.emplace_back(join_name(prefix, "linear1.bias"), ff.linear1_bias);
    out.emplace_back(join_name(prefix, "linear2.weight"), ff.linear2_weight);
    out.emplace_back(join_name(prefix, "linear2.bias"), ff.linear2_bias);
}

void add_parameters(NamedVars& out, const std::string& prefix, const TransformerEncoderLayer& l) {
    add_parameters(out, join_name(prefix, "self_attn"), l.self_attn);
    add_parameters(out, prefix, l.ff);
    add_parameters(out, join_name(prefix, "norm1"), l.norm1);
    add_parameters(out, join_name(prefix, "norm2"), l.norm2);
}

void add_parameters(NamedVars& out, const std::string& prefix, const TransformerDecoderLayer& l) {
    if (l.self_attention == DecoderSelfAttention::aaren)
        out.emplace_back(join_name(prefix, "self_attn.query"), l.aaren_query);
    add_parameters(out, join_name(prefix, "self_attn"), l.self_attn);
    add_parameters(out, join_name(prefix, "multihead_attn"), l.multihead_attn);
    add_parameters(out, prefix, l.ff);
    add_parameters(out, join_name(prefix, "norm1"), l.norm1);
    add_parameters(out, join_name(prefix, "norm2"), l.norm2);
    add_parameters(out, join_name(prefix, "norm3"), l.norm3);
}

}  // namespace attnlab
