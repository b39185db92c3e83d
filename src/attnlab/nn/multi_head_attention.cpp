#include "attnlab/nn/multi_head_attention.hpp"

#include <algorithm>
#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/attention_mask.hpp"

namespace attnlab {

namespace {

void expect_model_input(const MultiHeadAttention& m, const Var& x, const char* what) {
    if (x.dimension() != 3 || x.shape(2) != m.embed_dim)
        throw Error(std::string("multi_head_attention: ") + what + " must be (B, T, " + std::to_string(m.embed_dim) +
                    "), got " + shape_str(x.value()));
}

}  // namespace

MultiHeadAttention make_multi_head_attention(std::size_t embed_dim, std::size_t num_heads, Rng& rng, bool projections) {
    if (embed_dim == 0 || num_heads == 0 || embed_dim % num_heads != 0)
        throw Error("multi_head_attention: " + std::to_string(num_heads) + " heads do not divide embed_dim " +
                    std::to_string(embed_dim));
    MultiHeadAttention m;
    m.embed_dim = embed_dim;
    m.num_heads = num_heads;
    m.projections = projections;
    if (!projections) return m;
    const std::size_t d = embed_dim;
    const float xavier = std::sqrt(6.0f / float(d + 3 * d));
    const float k = 1.0f / std::sqrt(float(d));
    m.in_proj_weight = parameter(uniform_tensor({3 * d, d}, rng, -xavier, xavier));
    m.in_proj_bias = parameter(xt::zeros<float>({3 * d}));
    m.out_proj_weight = parameter(uniform_tensor({d, d}, rng, -k, k));
    m.out_proj_bias = parameter(xt::zeros<float>({d}));
    return m;
}

namespace {
// Copies between the two layouts of h heads: (B, T, h·dh) and (B, h, T, dh), dh floats at a time;
// to_heads: from the first into the second, else back.
void copy_heads(const float* src, float* dst, std::size_t B, std::size_t T, std::size_t h, std::size_t dh,
                bool to_heads) {
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t i = 0; i < h; ++i) {
                const std::size_t flat = ((b * T + t) * h + i) * dh, heads = ((b * h + i) * T + t) * dh;
                if (to_heads)
                    std::copy_n(src + flat, dh, dst + heads);
                else
                    std::copy_n(src + heads, dh, dst + flat);
            }
}
}  // namespace

// One copy each way, forward and backward (a reshape to (B, T, h, d/h) and a permute copied twice).
Var split_heads(const Var& x, std::size_t num_heads) {
    expect_dim(x.value(), 3, "split_heads: x (B, T, d)");
    const std::size_t B = x.shape(0), T = x.shape(1), d = x.shape(2);
    if (num_heads == 0 || d % num_heads != 0)
        throw Error("split_heads: " + std::to_string(num_heads) + " heads do not divide " + std::to_string(d));
    const std::size_t h = num_heads, dh = d / h;
    Tensor y = Tensor::from_shape({B, h, T, dh});
    copy_heads(x.value().data(), y.data(), B, T, h, dh, true);
    return make_result(std::move(y), {x}, [B, T, h, dh](Node& n) {
        Tensor g = Tensor::from_shape({B, T, h * dh});
        copy_heads(n.grad.data(), g.data(), B, T, h, dh, false);
        accumulate_grad(*n.parents[0], std::move(g));
    });
}

Var merge_heads(const Var& x) {
    expect_dim(x.value(), 4, "merge_heads: x (B, h, T, d/h)");
    const std::size_t B = x.shape(0), h = x.shape(1), T = x.shape(2), dh = x.shape(3);
    Tensor y = Tensor::from_shape({B, T, h * dh});
    copy_heads(x.value().data(), y.data(), B, T, h, dh, false);
    return make_result(std::move(y), {x}, [B, T, h, dh](Node& n) {
        Tensor g = Tensor::from_shape({B, h, T, dh});
        copy_heads(n.grad.data(), g.data(), B, T, h, dh, true);
        accumulate_grad(*n.parents[0], std::move(g));
    });
}

Var project_heads(const MultiHeadAttention& m, const Var& x, std::size_t role) {
    if (role > 2) throw Error("project_heads: role must be 0 (query), 1 (key) or 2 (value)");
    if (!m.projections) return split_heads(x, m.num_heads);
    const std::size_t d = m.embed_dim;
    // W_Q, W_K or W_V: rows [role·d, role·d + d) of the packed weight, read in place
    return split_heads(linear_rows(x, m.in_proj_weight, m.in_proj_bias, role * d, d), m.num_heads);
}

Var combine_heads(const MultiHeadAttention& m, const Var& heads) {
    const Var merged = merge_heads(heads);  // [head_1; …; head_h]: (B, T, d)
    return m.projections ? linear(merged, m.out_proj_weight, m.out_proj_bias) : merged;
}

AttentionOutput multi_head_attention(const MultiHeadAttention& m, const Var& query, const Var& key, const Var& value,
                                     const Tensor& key_padding_mask, const Tensor& attn_mask) {
    expect_model_input(m, query, "query");
    expect_model_input(m, key, "key");
    expect_model_input(m, value, "value");
    const std::size_t B = query.shape(0), Tk = key.shape(1);
    if (key.shape(0) != B || value.shape(0) != B || value.shape(1) != Tk)
        throw Error("multi_head_attention: query " + shape_str(query.value()) + ", key " + shape_str(key.value()) +
                    " and value " + shape_str(value.value()) + " differ in batch or key length");

    // One additive mask broadcastable to the scores (B, h, Tq, Tk).
    Tensor mask;
    if (has_mask(key_padding_mask)) {
        if (key_padding_mask.dimension() != 2 || key_padding_mask.shape(0) != B || key_padding_mask.shape(1) != Tk)
            throw Error("multi_head_attention: key_padding_mask must be (" + std::to_string(B) + ", " +
                        std::to_string(Tk) + "), got " + shape_str(key_padding_mask));
        mask = key_padding_mask;
        mask.reshape({B, 1, 1, Tk});
    }
    if (has_mask(attn_mask)) {
        if (attn_mask.dimension() > 4 || attn_mask.shape(attn_mask.dimension() - 1) != Tk)
            throw Error("multi_head_attention: attn_mask " + shape_str(attn_mask) +
                        " does not broadcast to (B, h, Tq, " + std::to_string(Tk) + ")");
        try {
            mask = has_mask(mask) ? Tensor(mask + attn_mask) : attn_mask;
        } catch (const std::exception&) {
            throw Error("multi_head_attention: attn_mask " + shape_str(attn_mask) +
                        " does not broadcast with key_padding_mask " + shape_str(key_padding_mask));
        }
    }

    const Var Q = project_heads(m, query, 0), K = project_heads(m, key, 1), V = project_heads(m, value, 2);
    AttentionOutput heads = scaled_dot_product_attention(Q, K, V, mask);  // (B, h, Tq, d/h)
    return {combine_heads(m, heads.output), heads.weights, heads.scores, V, heads.output};
}

void add_parameters(NamedVars& out, const std::string& prefix, const MultiHeadAttention& m) {
    if (!m.projections) return;
    out.emplace_back(join_name(prefix, "in_proj_weight"), m.in_proj_weight);
    out.emplace_back(join_name(prefix, "in_proj_bias"), m.in_proj_bias);
    out.emplace_back(join_name(prefix, "out_proj.weight"), m.out_proj_weight);
    out.emplace_back(join_name(prefix, "out_proj.bias"), m.out_proj_bias);
}

}  // namespace attnlab
