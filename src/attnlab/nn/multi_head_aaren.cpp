#include "attnlab/nn/multi_head_aaren.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/aaren_prefix_attention.hpp"

namespace attnlab {

namespace {

void expect_input(const MultiHeadAttention& m, const Var& x, bool one_step, const char* what) {
    if (x.dimension() != 3 || x.shape(2) != m.embed_dim || (one_step && x.shape(1) != 1))
        throw Error(std::string(what) + ": x must be " + (one_step ? "one position (B, 1, " : "(B, T, ") +
                    std::to_string(m.embed_dim) + "), got " + shape_str(x.value()));
}

// scores (…, T) of each position -> (…, T, T): row t holds the scores of positions i ≤ t, −inf after
Tensor prefix_scores(const Tensor& scores) {
    Shape shape(scores.shape().begin(), scores.shape().end());
    const std::size_t T = shape.back(), rows = scores.size() / std::max<std::size_t>(T, 1);
    shape.push_back(T);
    Tensor out = Tensor::from_shape(shape);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t i = 0; i < T; ++i)
                out.data()[(r * T + t) * T + i] =
                    i <= t ? scores.data()[r * T + i] : -std::numeric_limits<float>::infinity();
    return out;
}

}  // namespace

AarenScoreMap aaren_score_map(const MultiHeadAttention& m, const Var& query) {
    if (!m.projections) throw Error("multi-head Aaren needs the projections W_Q, W_K, W_V, W_O (not the plain split)");
    const std::size_t d = m.embed_dim, h = m.num_heads, dh = d / h;
    if (query.dimension() != 1 || query.size() != d)
        throw Error("multi-head Aaren: the query token must be (" + std::to_string(d) + "), got " +
                    shape_str(query.value()));
    const float inv_sqrt_dh = 1.0f / std::sqrt(float(dh));
    const Var q = linear(reshape(query, {1, d}), slice(m.in_proj_weight, 0, 0, d), slice(m.in_proj_bias, 0, 0, d));
    const Var q_heads = reshape(q, {h, 1, dh});                             // q_h: (h, 1, d/h)
    const Var W_K = reshape(slice(m.in_proj_weight, 0, d, d), {h, dh, d});  // W_K,h: (h, d/h, d)
    const Var b_K = reshape(slice(m.in_proj_bias, 0, d, d), {h, dh, 1});    // b_K,h: (h, d/h, 1)
    return {scale(reshape(bmm(q_heads, W_K), {h, d}), inv_sqrt_dh),         // q_hᵀ W_K,h: (h, d)
            scale(reshape(bmm(q_heads, b_K), {h}), inv_sqrt_dh)};           // q_h · b_K,h: (h)
}

AttentionOutput multi_head_aaren(const MultiHeadAttention& m, const Var& query, const Var& x, bool with_weights) {
    expect_input(m, x, false, "multi_head_aaren");
    const AarenScoreMap map = aaren_score_map(m, query);
    static const Shape heads_first = {0, 2, 1};
    const Var scores = permute(linear(x, map.weight, map.bias), heads_first);  // (B, T, h) -> (B, h, T)
    const Var V = project_heads(m, x, 2);                                      // (B, h, T, d/h)
    const Var heads = aaren_prefix_attention(scores, V);                       // (B, h, T, d/h)
    if (!with_weights) return {combine_heads(m, heads), Var(), Tensor(), Var(), Var()};
    return {combine_heads(m, heads), constant(aaren_prefix_weights(scores.value())), prefix_scores(scores.value()),
            Var(), Var()};
}

MultiHeadAarenState start_multi_head_aaren(const MultiHeadAttention& m, const Var& query, std::size_t batch,
                                           bool keep_scores) {
    NoGrad no_grad;
    const AarenScoreMap map = aaren_score_map(m, query);
    MultiHeadAarenState s;
    s.num_heads = m.num_heads;
    s.score_weight = map.weight.value();
    s.score_bias = map.bias.value();
    s.heads.assign(batch * m.num_heads, aaren_initial_state(m.embed_dim / m.num_heads));
    s.keep_scores = keep_scores;
    if (keep_scores) s.scores.assign(batch * m.num_heads, {});
    return s;
}

AttentionOutput multi_head_aaren_step(const MultiHeadAttention& m, const Var& x, MultiHeadAarenState& state) {
    expect_input(m, x, true, "multi_head_aaren_step");
    const std::size_t B = x.shape(0), h = state.num_heads, dh = m.embed_dim / h;
    if (h != m.num_heads || B != state.batch())
        throw Error("multi_head_aaren_step: a batch of " + std::to_string(B) + " does not match the state's " +
                    std::to_string(state.batch()));
    const Tensor scores = linear(x, constant(state.score_weight), constant(state.score_bias)).value();  // (B, 1, h)
    const Tensor V = project_heads(m, x, 2).value();  // (B, h, 1, d/h)
    Tensor heads = Tensor::from_shape({B, h, 1, dh}), v = Tensor::from_shape({dh});
    for (std::size_t k = 0; k < B * h; ++k) {  // k = b·h + head: the same order in scores, V and heads
        std::copy_n(V.data() + k * dh, dh, v.data());
        aaren_update(state.heads[k], scores.data()[k], v);
        const Tensor o = aaren_output(state.heads[k]);
        std::copy_n(o.data(), dh, heads.data() + k * dh);
    }
    ++state.length;
    Var weights;
    Tensor raw;  // the scores of the positions so far (B, h, 1, t): what the softmax over the prefix reads
    if (state.keep_scores) {
        const std::size_t t = state.length;
        Tensor w = Tensor::from_shape({B, h, 1, t});
        raw = Tensor::from_shape({B, h, 1, t});
        for (std::size_t k = 0; k < B * h; ++k) {
            std::vector<float>& seen = state.scores[k];
            seen.push_back(scores.data()[k]);
            const AarenState& st = state.heads[k];
            for (std::size_t i = 0; i < t; ++i) w.data()[k * t + i] = std::exp(seen[i] - st.m) / st.u;
            std::copy(seen.begin(), seen.end(), raw.data() + k * t);
        }
        weights = constant(std::move(w));
    }
    return {combine_heads(m, constant(std::move(heads))), weights, raw, Var(), Var()};
}

void reorder_multi_head_aaren(MultiHeadAarenState& state, const std::vector<std::size_t>& parents) {
    const std::size_t h = state.num_heads, B = state.batch();
    std::vector<AarenState> heads;
    std::vector<std::vector<float>> scores;
    for (std::size_t p : parents) {
        if (p >= B) throw Error("multi-head Aaren: parent " + std::to_string(p) + " out of " + std::to_string(B));
        for (std::size_t i = 0; i < h; ++i) {
            heads.push_back(state.heads[p * h + i]);
            if (state.keep_scores) scores.push_back(state.scores[p * h + i]);
        }
    }
    state.heads = std::move(heads);
    state.scores = std::move(scores);
}

std::size_t recurrent_state_bytes(const MultiHeadAarenState& state) {
    std::size_t floats = 0;
    for (const AarenState& s : state.heads) floats += 2 + s.w.size();  // m, u, w
    return floats * sizeof(float);
}

}  // namespace attnlab
