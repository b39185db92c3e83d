#include "attnlab/nn/aaren_prefix_attention.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace attnlab {

namespace {

const float neg_inf = -std::numeric_limits<float>::infinity();

bool hidden(float s) { return std::isinf(s) && s < 0; }

// The rows of scores (…, T): N rows of T.
struct Rows {
    std::size_t N, T;
};

Rows score_rows(const Tensor& scores, const char* what) {
    if (scores.dimension() < 1) throw Error(std::string(what) + ": scores must be (…, T), got a 0-d tensor");
    return {row_count(scores), last_dim(scores)};
}

// The running max M_t and sum U_t = Σ_{i≤t} exp(s_i − M_t) of one row of T scores (the (m, u) of
// aaren_update): M_t = −inf and U_t = 0 while every score so far is hidden.
void running_max_and_sum(const float* s, std::size_t T, float* M, float* U) {
    float m = neg_inf, u = 0.0f;
    for (std::size_t t = 0; t < T; ++t) {
        if (!hidden(s[t])) {
            const float m_new = std::max(m, s[t]);
            u = (u == 0.0f ? 0.0f : u * std::exp(m - m_new)) + std::exp(s[t] - m_new);
            m = m_new;
        }
        M[t] = m;
        U[t] = u;
    }
}

}  // namespace

Var aaren_prefix_attention(const Var& scores, const Var& V) {
    const Tensor &S = scores.value(), &Vv = V.value();
    const Rows r = score_rows(S, "aaren_prefix_attention");
    bool fits = Vv.dimension() == S.dimension() + 1 && Vv.shape(S.dimension() - 1) == r.T;
    for (std::size_t i = 0; fits && i + 1 < S.dimension(); ++i) fits = Vv.shape(i) == S.shape(i);
    if (!fits)
        throw Error("aaren_prefix_attention: values " + shape_str(Vv) + " do not fit scores " + shape_str(S) +
                    " (want (…, T, dv) for scores (…, T))");
    const std::size_t N = r.N, T = r.T, dv = last_dim(Vv);

    // (M, U) per row and position: the forward's and the backward's shared bookkeeping.
    auto MU = std::make_shared<std::vector<float>>(2 * N * T);
    Tensor out = Tensor::from_shape(Vv.shape());
    std::vector<float> w(dv);
    for (std::size_t n = 0; n < N; ++n) {
        const float* s = S.data() + n * T;
        float *M = MU->data() + n * T, *U = M + N * T;
        running_max_and_sum(s, T, M, U);
        std::fill(w.begin(), w.end(), 0.0f);  // Σ_{i≤t} exp(s_i − M_t) v_i
        for (std::size_t t = 0; t < T; ++t) {
            const float* v = Vv.data() + (n * T + t) * dv;
            float* o = out.data() + (n * T + t) * dv;
            if (!hidden(s[t])) {
                const float keep = t == 0 || hidden(M[t - 1]) ? 0.0f : std::exp(M[t - 1] - M[t]);
                const float add = std::exp(s[t] - M[t]);
                for (std::size_t j = 0; j < dv; ++j) w[j] = w[j] * keep + add * v[j];
            }
            const float inv = U[t] > 0.0f ? 1.0f / U[t] : 0.0f;
            for (std::size_t j = 0; j < dv; ++j) o[j] = w[j] * inv;
        }
    }

    return make_result(std::move(out), {scores, V}, [MU, N, T, dv](Node& node) {
        Node &ps = *node.parents[0], &pv = *node.parents[1];
        const Tensor &S = ps.value, &Vv = pv.value;
        Tensor dS = ps.requires_grad ? Tensor(xt::zeros<float>(S.shape())) : Tensor();
        Tensor dV = pv.requires_grad ? Tensor(xt::zeros<float>(Vv.shape())) : Tensor();
        std::vector<float> Z(dv);
        for (std::size_t n = 0; n < N; ++n) {
            const float* s = S.data() + n * T;
            const float *M = MU->data() + n * T, *U = M + N * T;
            std::fill(Z.begin(), Z.end(), 0.0f);
            float zeta = 0.0f;
            for (std::size_t t = T; t-- > 0;) {
                const std::size_t row = (n * T + t) * dv;
                const float *g = node.grad.data() + row, *o = node.value.data() + row, *v = Vv.data() + row;
                // Z_t = g_t / U_t + exp(M_t − M_{t+1}) Z_{t+1}; nothing reaches an all-hidden prefix
                const float carry = t + 1 == T || hidden(M[t]) ? 0.0f : std::exp(M[t] - M[t + 1]);
                zeta *= carry;
                for (std::size_t j = 0; j < dv; ++j) Z[j] *= carry;
                if (U[t] > 0.0f) {
                    const float inv = 1.0f / U[t];
                    float go = 0.0f;
                    for (std::size_t j = 0; j < dv; ++j) {
                        Z[j] += g[j] * inv;
                        go += g[j] * o[j];
                    }
                    zeta += go * inv;
                }
                if (hidden(s[t])) continue;
                const float a = std::exp(s[t] - M[t]);  // a_{τ,t} · U_τ · exp(M_τ − M_t), ≤ 1
                if (pv.requires_grad)
                    for (std::size_t j = 0; j < dv; ++j) dV.data()[row + j] += a * Z[j];
                if (ps.requires_grad) {
                    float vz = 0.0f;
                    for (std::size_t j = 0; j < dv; ++j) vz += v[j] * Z[j];
                    dS.data()[n * T + t] += a * (vz - zeta);
                }
            }
        }
        if (ps.requires_grad) accumulate_grad(ps, dS);
        if (pv.requires_grad) accumulate_grad(pv, dV);
    });
}

Tensor aaren_prefix_weights(const Tensor& scores) {
    const Rows r = score_rows(scores, "aaren_prefix_weights");
    Shape shape(scores.shape().begin(), scores.shape().end());
    shape.push_back(r.T);
    Tensor a = xt::zeros<float>(shape);
    std::vector<float> M(r.T), U(r.T);
    for (std::size_t n = 0; n < r.N; ++n) {
        const float* s = scores.data() + n * r.T;
        running_max_and_sum(s, r.T, M.data(), U.data());
        for (std::size_t t = 0; t < r.T; ++t) {
            if (U[t] == 0.0f) continue;
            float* row = a.data() + (n * r.T + t) * r.T;
            for (std::size_t i = 0; i <= t; ++i)
                if (!hidden(s[i])) row[i] = std::exp(s[i] - M[t]) / U[t];
        }
    }
    return a;
}

}  // namespace attnlab
