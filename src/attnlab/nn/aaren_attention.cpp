#include "attnlab/nn/aaren_attention.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "attnlab/tensor/gemm.hpp"

namespace attnlab {

namespace {

const float neg_inf = -std::numeric_limits<float>::infinity();

bool is_empty(const AarenState& s) { return std::isinf(s.m) && s.m < 0; }

void expect_sequence(const Tensor& scores, const Tensor& V, const char* what) {
    expect_dim(scores, 1, (std::string(what) + ": scores (T)").c_str());
    expect_dim(V, 2, (std::string(what) + ": values V (T, dv)").c_str());
    if (V.shape(0) != scores.size())
        throw Error(std::string(what) + ": " + std::to_string(scores.size()) + " scores for " +
                    std::to_string(V.shape(0)) + " values");
    for (float s : scores)
        if (std::isnan(s) || (std::isinf(s) && s > 0))
            throw Error(std::string(what) + ": scores must be finite or -inf, got " + std::to_string(s));
}

Tensor row(const Tensor& V, std::size_t i) { return xt::view(V, i, xt::all()); }

}  // namespace

AarenState aaren_initial_state(std::size_t value_size) {
    return AarenState{neg_inf, 0.0f, xt::zeros<float>({value_size})};
}

AarenState aaren_leaf(float score, const Tensor& v) {
    expect_dim(v, 1, "aaren_leaf: value v (dv)");
    if (std::isinf(score) && score < 0) return aaren_initial_state(v.size());  // a hidden token
    return AarenState{score, 1.0f, v};
}

void aaren_update(AarenState& state, float score, const Tensor& v) {
    if (v.dimension() != 1 || v.size() != state.w.size())
        throw Error("aaren_update: value " + shape_str(v) + " does not match the state's " + shape_str(state.w));
    if (std::isinf(score) && score < 0) return;  // exp(−inf) = 0: nothing to add
    const float m = std::max(state.m, score);
    const float keep = is_empty(state) ? 0.0f : std::exp(state.m - m);  // rescales the old sums to m
    const float add = std::exp(score - m);
    state.u = state.u * keep + add;
    state.w = state.w * keep + v * add;
    state.m = m;
}

AarenState aaren_combine(const AarenState& a, const AarenState& b) {
    if (a.w.size() != b.w.size())
        throw Error("aaren_combine: states of value sizes " + std::to_string(a.w.size()) + " and " +
                    std::to_string(b.w.size()));
    if (is_empty(a)) return b;
    if (is_empty(b)) return a;
    const float M = std::max(a.m, b.m);
    const float ea = std::exp(a.m - M), eb = std::exp(b.m - M);
    return AarenState{M, a.u * ea + b.u * eb, Tensor(a.w * ea + b.w * eb)};
}

Tensor aaren_output(const AarenState& state) {
    if (is_empty(state) || state.u == 0.0f) return xt::zeros<float>({state.w.size()});
    return state.w / state.u;
}

Tensor aaren_scores(const Tensor& q, const Tensor& K) {
    expect_dim(q, 1, "aaren_scores: query q (d)");
    expect_dim(K, 2, "aaren_scores: keys K (T, d)");
    if (K.shape(1) != q.size()) throw Error("aaren_scores: keys " + shape_str(K) + " do not fit query " + shape_str(q));
    Tensor q_col = q;
    q_col.reshape({q.size(), 1});
    Tensor s = matmul(K, q_col);  // (T, 1)
    s.reshape({K.shape(0)});
    return s;
}

Tensor aaren_recurrent(const Tensor& scores, const Tensor& V) {
    expect_sequence(scores, V, "aaren_recurrent");
    const std::size_t T = V.shape(0), dv = V.shape(1);
    Tensor out = Tensor::from_shape({T, dv});
    AarenState state = aaren_initial_state(dv);
    for (std::size_t k = 0; k < T; ++k) {
        aaren_update(state, scores(k), row(V, k));
        xt::view(out, k, xt::all()) = aaren_output(state);
    }
    return out;
}

Tensor aaren_scan(const Tensor& scores, const Tensor& V) {
    expect_sequence(scores, V, "aaren_scan");
    const std::size_t T = V.shape(0), dv = V.shape(1);
    std::vector<AarenState> prefix;
    for (std::size_t i = 0; i < T; ++i) prefix.push_back(aaren_leaf(scores(i), row(V, i)));
    // Hillis-Steele: after the round with offset o, prefix[i] covers tokens (i − 2o, i].
    for (std::size_t offset = 1; offset < T; offset *= 2) {
        std::vector<AarenState> next = prefix;
        for (std::size_t i = offset; i < T; ++i) next[i] = aaren_combine(prefix[i - offset], prefix[i]);
        prefix = std::move(next);
    }
    Tensor out = Tensor::from_shape({T, dv});
    for (std::size_t k = 0; k < T; ++k) xt::view(out, k, xt::all()) = aaren_output(prefix[k]);
    return out;
}

}  // namespace attnlab
