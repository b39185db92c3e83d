// Attention (primer §5–§10): score functions against hand-computed values, the context vector and
// masks, scaled dot-product attention and its saturation claim, multi-head attention against a naive
// per-head loop (and its key/value cache against the full causal call), gradients, and Aaren.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/aaren_attention.hpp"
#include "attnlab/nn/attention_cache.hpp"
#include "attnlab/nn/attention_mask.hpp"
#include "attnlab/nn/attention_score.hpp"
#include "attnlab/nn/causal_mask.hpp"
#include "attnlab/nn/context_vector.hpp"
#include "attnlab/nn/dot_score.hpp"
#include "attnlab/nn/multi_head_attention.hpp"
#include "attnlab/nn/padding_mask.hpp"
#include "attnlab/nn/scaled_dot_product_attention.hpp"
#include "attnlab/nn/scaled_dot_score.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

namespace {

const float inf = std::numeric_limits<float>::infinity();

Tensor rnd(const Shape& s, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    return random_tensor(s, seed, lo, hi);
}

bool all_finite(const Tensor& t) {
    return std::all_of(t.begin(), t.end(), [](float v) { return std::isfinite(v); });
}

// Softmax of scores[0, n) in double, the obviously-correct way (shifted by the max).
std::vector<double> naive_softmax(const std::vector<double>& scores) {
    double m = -INFINITY;
    for (double s : scores) m = std::max(m, s);
    std::vector<double> p(scores.size(), 0.0);
    if (std::isinf(m)) return p;
    double z = 0.0;
    for (std::size_t j = 0; j < scores.size(); ++j) z += (p[j] = std::exp(scores[j] - m));
    for (double& v : p) v /= z;
    return p;
}

// A naive multi-head attention, one (batch, head, query) at a time, reading the projections straight
// out of the packed in_proj layout. kpm/attn_mask: additive (B, Tk) / (Tq, Tk) or Tensor().
struct NaiveMha {
    Tensor output;   // (B, Tq, d)
    Tensor weights;  // (B, h, Tq, Tk)
};
NaiveMha naive_mha(const Tensor& query, const Tensor& key, const Tensor& value, std::size_t h, bool projections,
                   const Tensor& in_w, const Tensor& in_b, const Tensor& out_w, const Tensor& out_b, const Tensor& kpm,
                   const Tensor& attn_mask) {
    const std::size_t B = query.shape(0), Tq = query.shape(1), Tk = key.shape(1), d = query.shape(2), dh = d / h;
    // role 0/1/2 = Q/K/V; row r of that role's projection of x[b, t]
    auto project = [&](const Tensor& x, std::size_t role, std::size_t b, std::size_t t, std::size_t r) {
        if (!projections) return double(x(b, t, r));
        double acc = in_b(role * d + r);
        for (std::size_t c = 0; c < d; ++c) acc += double(in_w(role * d + r, c)) * x(b, t, c);
        return acc;
    };
    NaiveMha out{xt::zeros<float>({B, Tq, d}), xt::zeros<float>({B, h, Tq, Tk})};
    Tensor concat = xt::zeros<float>({B, Tq, d});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t head = 0; head < h; ++head)
            for (std::size_t t = 0; t < Tq; ++t) {
                std::vector<double> scores(Tk);
                for (std::size_t j = 0; j < Tk; ++j) {
                    double dot = 0.0;
                    for (std::size_t r = head * dh; r < (head + 1) * dh; ++r)
                        dot += project(query, 0, b, t, r) * project(key, 1, b, j, r);
                    scores[j] = dot / std::sqrt(double(dh));
                    if (has_mask(kpm)) scores[j] += kpm(b, j);
                    if (has_mask(attn_mask)) scores[j] += attn_mask(t, j);
                }
                const std::vector<double> p = naive_softmax(scores);
                for (std::size_t j = 0; j < Tk; ++j) out.weights(b, head, t, j) = float(p[j]);
                for (std::size_t r = head * dh; r < (head + 1) * dh; ++r) {
                    double acc = 0.0;
                    for (std::size_t j = 0; j < Tk; ++j) acc += p[j] * project(value, 2, b, j, r);
                    concat(b, t, r) = float(acc);
                }
            }
    if (!projections) {
        out.output = concat;
        return out;
    }
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 0; t < Tq; ++t)
            for (std::size_t r = 0; r < d; ++r) {
                double acc = out_b(r);
                for (std::size_t c = 0; c < d; ++c) acc += double(out_w(r, c)) * concat(b, t, c);
                out.output(b, t, r) = float(acc);
            }
    return out;
}

// A multi-head attention module with the given (random, non-zero-bias) parameters.
MultiHeadAttention mha_with(std::size_t d, std::size_t h, const Var& in_w, const Var& in_b, const Var& out_w,
                            const Var& out_b) {
    MultiHeadAttention m;
    m.embed_dim = d;
    m.num_heads = h;
    m.in_proj_weight = in_w;
    m.in_proj_bias = in_b;
    m.out_proj_weight = out_w;
    m.out_proj_bias = out_b;
    return m;
}

// Σ_i −p_i ln p_i of each row, averaged over rows; and the mean largest weight of a row.
double mean_entropy(const Tensor& w) {
    const std::size_t n = last_dim(w), rows = row_count(w);
    double total = 0.0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) {
            const double p = w.data()[r * n + j];
            if (p > 0) total -= p * std::log(p);
        }
    return total / double(rows);
}
double mean_max_weight(const Tensor& w) {
    const std::size_t n = last_dim(w), rows = row_count(w);
    double total = 0.0;
    for (std::size_t r = 0; r < rows; ++r) total += *std::max_element(w.data() + r * n, w.data() + (r + 1) * n);
    return total / double(rows);
}

}  // namespace

// ---- score functions ---------------------------------------------------------------------------

TEST_CASE("additive score vᵀ tanh(W s + U h_j + b) matches a hand-computed value") {
    AdditiveScore a;
    a.W_weight = Var(Tensor{{1, 0}, {0, 1}});
    a.U_weight = Var(Tensor{{1, 1}, {0, -1}});
    a.U_bias = Var(Tensor{0, 0.5f});
    a.v_weight = Var(Tensor{{2, -1}});
    Var s(Tensor{{0.5f, -0.5f}});
    Var h(Tensor{{{1, 0}, {0, 2}}});
    // h_0: W s + U h_0 + b = (0.5 + 1, −0.5 + 0.5) = (1.5, 0)  -> 2 tanh(1.5)
    // h_1: (0.5 + 2, −0.5 − 2 + 0.5) = (2.5, −2)                -> 2 tanh(2.5) − tanh(−2)
    Var keys = additive_keys(a, h);
    CHECK(keys.value() == Tensor{{{1, 0.5f}, {2, -1.5f}}});
    Tensor scores = additive_score(a, s, keys).value();
    REQUIRE(scores.shape() == Shape{1, 2});
    CHECK(scores(0, 0) == doctest::Approx(1.8102965072897328).epsilon(1e-6));
    CHECK(scores(0, 1) == doctest::Approx(2.9372561763786775).epsilon(1e-6));
}

TEST_CASE("dot score sᵀ h_j and scaled dot score sᵀ h_j / √d match hand-computed values") {
    Var s(Tensor{{1, 2}});
    Var h(Tensor{{{3, 4}, {-1, 0.5f}}});
    CHECK(dot_score(s, h).value() == Tensor{{11, 0}});
    Tensor scaled = scaled_dot_score(s, h).value();
    CHECK(scaled(0, 0) == doctest::Approx(7.7781745930520225).epsilon(1e-6));  // 11 / √2
    CHECK(scaled(0, 1) == 0.0f);
}

TEST_CASE("general score sᵀ W h_j matches a hand-computed value") {
    GeneralScore g{Var(Tensor{{1, 0, 2}, {0, 1, -1}})};  // W: (Hd = 2, He = 3)
    Var s(Tensor{{1, 2}});
    Var h(Tensor{{{1, 1, 1}, {0, 2, 1}}});
    // W h_0 = (3, 0) -> s· = 3;  W h_1 = (2, 1) -> s· = 2 + 2 = 4
    CHECK(general_score(g, s, general_keys(g, h)).value() == Tensor{{3, 4}});
}

TEST_CASE("concat score v_aᵀ tanh(W_a [s; h_j]) matches a hand-computed value") {
    ConcatScore c{Var(Tensor{{1, 2}, {-1, 1}}), Var(Tensor{{1, 1}})};  // W_a: (A = 2, Hd + He = 1 + 1)
    Tensor s_value = {0.5f}, h_value = {0.25f, -1.0f};                 // s: (1, 1), h: (1, 2, 1)
    s_value.reshape({1, 1});
    h_value.reshape({1, 2, 1});
    Var s(s_value), h(h_value);
    // [s; h_0] = (0.5, 0.25): W_a· = (1, −0.25) -> tanh(1) + tanh(−0.25)
    // [s; h_1] = (0.5, −1):   W_a· = (−1.5, −1.5) -> 2 tanh(−1.5)
    Tensor scores = concat_score(c, s, concat_keys(c, h)).value();
    CHECK(scores(0, 0) == doctest::Approx(0.5166754935520557).epsilon(1e-6));
    CHECK(scores(0, 1) == doctest::Approx(-1.8102965072897328).epsilon(1e-6));
}

TEST_CASE("AttentionScore picked by kind computes the same scores as the named function") {
    Rng rng(7);
    const Tensor s = rnd({2, 4}, 1), h = rnd({2, 5, 4}, 2);
    for (ScoreKind kind :
         {ScoreKind::additive, ScoreKind::dot, ScoreKind::general, ScoreKind::concat, ScoreKind::scaled_dot}) {
        CAPTURE(int(kind));
        AttentionScore score = make_attention_score(kind, 4, 4, 3, rng);
        CHECK(score.kind == kind);
        Tensor expected;
        switch (score.kind) {
            case ScoreKind::additive:
                expected = additive_score(score.additive, Var(s), additive_keys(score.additive, Var(h))).value();
                break;
            case ScoreKind::dot:
                expected = dot_score(Var(s), Var(h)).value();
                break;
            case ScoreKind::general:
                expected = general_score(score.general, Var(s), general_keys(score.general, Var(h))).value();
                break;
            case ScoreKind::concat:
                expected = concat_score(score.concat, Var(s), concat_keys(score.concat, Var(h))).value();
                break;
            case ScoreKind::scaled_dot:
                expected = scaled_dot_score(Var(s), Var(h)).value();
                break;
        }
        const Tensor got = attention_scores(score, Var(s), attention_keys(score, Var(h))).value();
        CHECK(got == expected);
        CHECK(got.shape() == Shape{2, 5});
    }
    CHECK_THROWS_AS(make_attention_score(ScoreKind::dot, 4, 6, 3, rng), Error);  // dot needs Hd = He
}

TEST_CASE("score parameters are listed under their PyTorch nn.Linear names and shapes") {
    Rng rng(3);
    NamedVars params;
    add_parameters(params, "attention", make_attention_score(ScoreKind::additive, 4, 6, 5, rng));
    add_parameters(params, "luong", make_attention_score(ScoreKind::general, 4, 6, 5, rng));
    add_parameters(params, "luong_concat", make_attention_score(ScoreKind::concat, 4, 6, 5, rng));
    add_parameters(params, "none", make_attention_score(ScoreKind::dot, 4, 4, 5, rng));
    const std::vector<std::pair<std::string, Shape>> expected = {
        {"attention.W.weight", {5, 4}},     {"attention.U.weight", {5, 6}}, {"attention.U.bias", {5}},
        {"attention.v.weight", {1, 5}},     {"luong.W.weight", {4, 6}},     {"luong_concat.W_a.weight", {5, 10}},
        {"luong_concat.v_a.weight", {1, 5}}};
    REQUIRE(params.size() == expected.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        CHECK(params[i].first == expected[i].first);
        CHECK(Shape(params[i].second.shape().begin(), params[i].second.shape().end()) == expected[i].second);
        CHECK(params[i].second.requires_grad());
    }
    const float k = 1.0f / std::sqrt(6.0f);  // U: nn.Linear(6, 5) init bound
    CHECK(xt::amax(xt::abs(params[1].second.value()))() <= k);
}

// ---- context vector and masks ------------------------------------------------------------------

TEST_CASE("padding and causal masks are 0 where visible and -inf where hidden") {
    Tensor pad = padding_mask(IntTensor{3, 1, 0}, 3);
    CHECK(pad == Tensor{{0, 0, 0}, {0, -inf, -inf}, {-inf, -inf, -inf}});
    CHECK(causal_mask(3) == Tensor{{0, -inf, -inf}, {0, 0, -inf}, {0, 0, 0}});
    CHECK_THROWS_WITH_AS(padding_mask(IntTensor{4}, 3), "padding_mask: length 4 outside [0, 3]", Error);
    CHECK_THROWS_AS(padding_mask(IntTensor{-1}, 3), Error);
}

TEST_CASE("attention weights sum to one, are exactly zero on padding, and the context is their weighted average") {
    const std::size_t B = 3, Ts = 5, He = 4;
    const Tensor scores = rnd({B, Ts}, 3, -3, 3), h = rnd({B, Ts, He}, 4);
    const IntTensor lengths = {5, 3, 1};
    ContextVector cv = context_vector(Var(scores), Var(h), lengths);
    REQUIRE(cv.weights.value().shape() == Shape{B, Ts});
    REQUIRE(cv.context.value().shape() == Shape{B, He});
    for (std::size_t b = 0; b < B; ++b) {
        const std::size_t len = std::size_t(lengths(b));
        std::vector<double> valid(scores.data() + b * Ts, scores.data() + b * Ts + len);
        const std::vector<double> p = naive_softmax(valid);
        double total = 0.0;
        for (std::size_t j = 0; j < Ts; ++j) {
            const float a = cv.weights.value()(b, j);
            total += a;
            if (j >= len)
                CHECK(a == 0.0f);  // exactly zero, not merely small
            else
                CHECK(a == doctest::Approx(p[j]).epsilon(1e-6));
        }
        CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
        for (std::size_t k = 0; k < He; ++k) {  // c = Σ_j α_j h_j, as a loop
            double c = 0.0;
            for (std::size_t j = 0; j < len; ++j) c += p[j] * h(b, j, k);
            CHECK(cv.context.value()(b, k) == doctest::Approx(c).epsilon(1e-5));
        }
    }
    // The additive-mask form is the same computation.
    ContextVector masked = context_vector(Var(scores), Var(h), padding_mask(lengths, Ts));
    CHECK(masked.weights.value() == cv.weights.value());
    CHECK(masked.context.value() == cv.context.value());
    // No mask: every position is used.
    ContextVector full = context_vector(Var(scores), Var(h), Tensor());
    CHECK(full.weights.value()(2, 4) > 0.0f);
}

// ---- scaled dot product ------------------------------------------------------------------------

TEST_CASE("scaled dot score equals the dot score divided by sqrt(d)") {
    const Tensor s = rnd({3, 16}, 5), h = rnd({3, 7, 16}, 6);
    CHECK_CLOSE(scaled_dot_score(Var(s), Var(h)).value(), Tensor(dot_score(Var(s), Var(h)).value() / 4.0f), 1e-6, 1e-7);
}

TEST_CASE("for large d_k unscaled dot-product weights saturate to near one-hot while scaled ones do not") {
    // The primer's claim (§6): without 1/√d_k, q·k has variance d_k and the softmax lands in its
    // saturated region. Unit-variance components: uniform(−√3, √3).
    const std::size_t B = 32, Ts = 16, d = 512;
    const float a = std::sqrt(3.0f);
    const Tensor s = rnd({B, d}, 7, -a, a), h = rnd({B, Ts, d}, 8, -a, a);
    const Tensor unscaled = softmax(dot_score(Var(s), Var(h))).value();
    const Tensor scaled = softmax(scaled_dot_score(Var(s), Var(h))).value();
    MESSAGE("mean max weight: unscaled " << mean_max_weight(unscaled) << ", scaled " << mean_max_weight(scaled));
    MESSAGE("mean entropy (nats, uniform = " << std::log(double(Ts)) << "): unscaled " << mean_entropy(unscaled)
                                             << ", scaled " << mean_entropy(scaled));
    CHECK(mean_max_weight(unscaled) > 0.9);
    CHECK(mean_max_weight(scaled) < 0.5);
    CHECK(mean_entropy(unscaled) < 0.3);
    CHECK(mean_entropy(scaled) > 1.5);
    // Saturation means small gradients: the softmax Jacobian's diagonal Σ_j α_j (1 − α_j).
    auto jacobian_trace = [](const Tensor& w) {
        double t = 0.0;
        for (float p : w) t += double(p) * (1.0 - p);
        return t / double(row_count(w));
    };
    CHECK(jacobian_trace(unscaled) < 0.1 * jacobian_trace(scaled));
}

TEST_CASE("scaled dot-product attention matches a per-query loop, with masks broadcast over batch and heads") {
    const std::size_t B = 2, H = 3, Tq = 4, Tk = 5, dk = 6, dv = 3;
    const Tensor Q = rnd({B, H, Tq, dk}, 9), K = rnd({B, H, Tk, dk}, 10), V = rnd({B, H, Tk, dv}, 11);
    Tensor mask = padding_mask(IntTensor{5, 2}, Tk);  // (B, Tk) -> (B, 1, 1, Tk)
    mask.reshape({B, 1, 1, Tk});
    AttentionOutput out = scaled_dot_product_attention(Var(Q), Var(K), Var(V), mask);
    REQUIRE(out.output.value().shape() == Shape{B, H, Tq, dv});
    REQUIRE(out.weights.value().shape() == Shape{B, H, Tq, Tk});
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t hd = 0; hd < H; ++hd)
            for (std::size_t t = 0; t < Tq; ++t) {
                std::vector<double> sc(Tk);
                for (std::size_t j = 0; j < Tk; ++j) {
                    double dot = 0.0;
                    for (std::size_t c = 0; c < dk; ++c) dot += double(Q(b, hd, t, c)) * K(b, hd, j, c);
                    sc[j] = dot / std::sqrt(double(dk)) + mask(b, 0, 0, j);
                }
                const std::vector<double> p = naive_softmax(sc);
                for (std::size_t j = 0; j < Tk; ++j)
                    CHECK(out.weights.value()(b, hd, t, j) == doctest::Approx(p[j]).epsilon(1e-5));
                for (std::size_t c = 0; c < dv; ++c) {
                    double o = 0.0;
                    for (std::size_t j = 0; j < Tk; ++j) o += p[j] * V(b, hd, j, c);
                    CHECK(out.output.value()(b, hd, t, c) == doctest::Approx(o).epsilon(1e-5));
                }
            }
    // 3-d inputs (B, T, d) work the same, and a (Tq, Tk) mask broadcasts over the batch.
    AttentionOutput three = scaled_dot_product_attention(Var(rnd({B, Tq, dk}, 12)), Var(rnd({B, Tk, dk}, 13)),
                                                         Var(rnd({B, Tk, dv}, 14)), xt::zeros<float>({Tq, Tk}));
    CHECK(three.output.value().shape() == Shape{B, Tq, dv});
    CHECK_THROWS_AS(scaled_dot_product_attention(Var(Q), Var(K), Var(V), xt::zeros<float>({7})), Error);
    CHECK_THROWS_AS(scaled_dot_product_attention(Var(Q), Var(rnd({B, H, Tk, dk + 1}, 15)), Var(V), Tensor()), Error);
}

TEST_CASE("with a causal mask the output at position t does not change when later positions change") {
    const std::size_t B = 2, T = 6, d = 4;
    const Tensor x = rnd({B, T, d}, 16);
    Tensor x2 = x;
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t t = 4; t < T; ++t)
            for (std::size_t c = 0; c < d; ++c) x2(b, t, c) = 10.0f * x(b, t, c) + 1.0f;  // change t ≥ 4
    const AttentionOutput a = scaled_dot_product_attention(Var(x), Var(x), Var(x), causal_mask(T));
    const AttentionOutput b = scaled_dot_product_attention(Var(x2), Var(x2), Var(x2), causal_mask(T));
    for (std::size_t bb = 0; bb < B; ++bb)
        for (std::size_t t = 0; t < T; ++t) {
            for (std::size_t j = t + 1; j < T; ++j) CHECK(a.weights.value()(bb, t, j) == 0.0f);  // no peeking
            for (std::size_t c = 0; c < d; ++c) {
                if (t < 4)
                    CHECK(a.output.value()(bb, t, c) == doctest::Approx(b.output.value()(bb, t, c)).epsilon(1e-6));
            }
        }
    CHECK(a.output.value()(0, 5, 0) != doctest::Approx(b.output.value()(0, 5, 0)));  // the change is visible at t ≥ 4
    // The same through multi-head attention with projections.
    Rng rng(1);
    MultiHeadAttention m = make_multi_head_attention(d, 2, rng);
    const Tensor ya = multi_head_attention(m, Var(x), Var(x), Var(x), Tensor(), causal_mask(T)).output.value();
    const Tensor yb = multi_head_attention(m, Var(x2), Var(x2), Var(x2), Tensor(), causal_mask(T)).output.value();
    CHECK_CLOSE(Tensor(xt::view(ya, xt::all(), xt::range(0, 4), xt::all())),
                Tensor(xt::view(yb, xt::all(), xt::range(0, 4), xt::all())), 1e-5, 1e-6);
}

TEST_CASE("fully masked rows give zero weights and zero output, never NaN, also in the gradient") {
    const float ninf = -inf;
    Tensor mask = {{0, 0, ninf}, {ninf, ninf, ninf}};  // query 1 sees nothing
    const Tensor Q = rnd({1, 2, 4}, 17), K = rnd({1, 3, 4}, 18), V = rnd({1, 3, 2}, 19);
    AttentionOutput out = scaled_dot_product_attention(Var(Q), Var(K), Var(V), mask);
    CHECK(all_finite(out.output.value()));
    CHECK(out.weights.value()(0, 1, 0) == 0.0f);
    CHECK(out.weights.value()(0, 1, 2) == 0.0f);
    CHECK(out.output.value()(0, 1, 0) == 0.0f);
    CHECK(out.output.value()(0, 1, 1) == 0.0f);
    CHECK(out.output.value()(0, 0, 0) != 0.0f);

    ContextVector cv = context_vector(Var(rnd({2, 3}, 20)), Var(rnd({2, 3, 2}, 21)), IntTensor{2, 0});
    CHECK(cv.context.value()(1, 0) == 0.0f);
    CHECK(cv.context.value()(1, 1) == 0.0f);
    CHECK(all_finite(cv.weights.value()));

    // Multi-head attention: a batch row with every key padded outputs out_proj.bias (zero attention).
    Rng rng(2);
    MultiHeadAttention m = make_multi_head_attention(4, 2, rng);
    m.out_proj_bias.value() = Tensor{0.1f, 0.2f, 0.3f, 0.4f};
    Var q(rnd({2, 3, 4}, 22), true);
    AttentionOutput mo = multi_head_attention(m, q, q, q, padding_mask(IntTensor{3, 0}, 3), Tensor());
    CHECK(all_finite(mo.output.value()));
    CHECK(all_finite(mo.weights.value()));
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t c = 0; c < 4; ++c) CHECK(mo.output.value()(1, t, c) == doctest::Approx(0.1 * (c + 1)));
    backward(sum(mo.output));
    CHECK(all_finite(q.grad()));
    CHECK(all_finite(m.in_proj_weight.grad()));
}

// ---- multi-head attention ----------------------------------------------------------------------

TEST_CASE("multi-head attention matches a naive per-head loop over the packed in_proj layout, with key padding") {
    const std::size_t B = 2, Tq = 3, Tk = 4, d = 6, h = 3;
    const Tensor in_w = rnd({3 * d, d}, 23), in_b = rnd({3 * d}, 24), out_w = rnd({d, d}, 25), out_b = rnd({d}, 26);
    const MultiHeadAttention m = mha_with(d, h, Var(in_w), Var(in_b), Var(out_w), Var(out_b));
    const Tensor query = rnd({B, Tq, d}, 27), key = rnd({B, Tk, d}, 28), value = rnd({B, Tk, d}, 29);
    const Tensor kpm = padding_mask(IntTensor{4, 2}, Tk);
    AttentionOutput got = multi_head_attention(m, Var(query), Var(key), Var(value), kpm, Tensor());
    NaiveMha want = naive_mha(query, key, value, h, true, in_w, in_b, out_w, out_b, kpm, Tensor());
    REQUIRE(got.output.value().shape() == Shape{B, Tq, d});
    REQUIRE(got.weights.value().shape() == Shape{B, h, Tq, Tk});  // per head, not averaged
    CHECK_CLOSE(got.output.value(), want.output, 1e-4, 1e-5);
    CHECK_CLOSE(got.weights.value(), want.weights, 1e-4, 1e-6);
    for (std::size_t b = 0; b < B; ++b)
        for (std::size_t hd = 0; hd < h; ++hd)
            for (std::size_t t = 0; t < Tq; ++t) {
                double total = 0.0;
                for (std::size_t j = 0; j < Tk; ++j) total += got.weights.value()(b, hd, t, j);
                CHECK(total == doctest::Approx(1.0).epsilon(1e-6));
            }
    CHECK(got.weights.value()(1, 2, 0, 2) == 0.0f);  // batch row 1 has 2 real keys
    CHECK(got.weights.value()(1, 0, 1, 3) == 0.0f);
    // The heads differ (else per-head weights would be pointless to return).
    CHECK(got.weights.value()(0, 0, 0, 0) != doctest::Approx(got.weights.value()(0, 1, 0, 0)));

    // Self-attention with both a causal attn_mask and key padding.
    const Tensor x = rnd({B, Tk, d}, 30);
    AttentionOutput self = multi_head_attention(m, Var(x), Var(x), Var(x), kpm, causal_mask(Tk));
    NaiveMha want_self = naive_mha(x, x, x, h, true, in_w, in_b, out_w, out_b, kpm, causal_mask(Tk));
    CHECK_CLOSE(self.output.value(), want_self.output, 1e-4, 1e-5);
    CHECK_CLOSE(self.weights.value(), want_self.weights, 1e-4, 1e-6);
}

TEST_CASE("the plain multi-head variant splits Q, K, V into h slices without projections") {
    const std::size_t B = 2, Tq = 3, Tk = 5, d = 8, h = 4;
    Rng rng(4);
    const MultiHeadAttention m = make_multi_head_attention(d, h, rng, /*projections=*/false);
    NamedVars none;
    add_parameters(none, "attn", m);
    CHECK(none.empty());
    const Tensor query = rnd({B, Tq, d}, 31), key = rnd({B, Tk, d}, 32), value = rnd({B, Tk, d}, 33);
    const Tensor kpm = padding_mask(IntTensor{3, 5}, Tk);
    AttentionOutput got = multi_head_attention(m, Var(query), Var(key), Var(value), kpm, Tensor());
    NaiveMha want = naive_mha(query, key, value, h, false, Tensor(), Tensor(), Tensor(), Tensor(), kpm, Tensor());
    CHECK_CLOSE(got.output.value(), want.output, 1e-4, 1e-5);
    CHECK_CLOSE(got.weights.value(), want.weights, 1e-4, 1e-6);
}

TEST_CASE("multi-head attention parameters have PyTorch's names, shapes and init") {
    Rng rng(5);
    const std::size_t d = 16;
    MultiHeadAttention m = make_multi_head_attention(d, 4, rng);
    NamedVars params;
    add_parameters(params, "decoder.layers.0.self_attn", m);
    REQUIRE(params.size() == 4);
    CHECK(params[0].first == "decoder.layers.0.self_attn.in_proj_weight");
    CHECK(params[1].first == "decoder.layers.0.self_attn.in_proj_bias");
    CHECK(params[2].first == "decoder.layers.0.self_attn.out_proj.weight");
    CHECK(params[3].first == "decoder.layers.0.self_attn.out_proj.bias");
    CHECK(m.in_proj_weight.value().shape() == Shape{3 * d, d});
    CHECK(m.out_proj_weight.value().shape() == Shape{d, d});
    CHECK(xt::amax(xt::abs(m.in_proj_weight.value()))() <= std::sqrt(6.0f / (4 * d)));  // xavier_uniform
    CHECK(xt::amax(xt::abs(m.out_proj_weight.value()))() <= 1.0f / std::sqrt(float(d)));
    CHECK(m.in_proj_bias.value() == xt::zeros<float>({3 * d}));
    CHECK(m.out_proj_bias.value() == xt::zeros<float>({d}));
    CHECK_THROWS_WITH_AS(make_multi_head_attention(10, 4, rng),
                         "multi_head_attention: 4 heads do not divide embed_dim 10", Error);
    CHECK_THROWS_AS(multi_head_attention(m, Var(rnd({2, 3, 15}, 1)), Var(rnd({2, 3, 16}, 2)), Var(rnd({2, 3, 16}, 3)),
                                         Tensor(), Tensor()),
                    Error);
    CHECK_THROWS_AS(multi_head_attention(m, Var(rnd({2, 3, 16}, 1)), Var(rnd({2, 3, 16}, 2)), Var(rnd({2, 3, 16}, 3)),
                                         xt::zeros<float>({2, 4}), Tensor()),
                    Error);  // key padding mask for 4 keys, but 3 keys
}

TEST_CASE("the key/value cache gives the same outputs step by step as the full causal computation") {
    const std::size_t B = 2, T = 5, d = 8, h = 2;
    const MultiHeadAttention m =
        mha_with(d, h, Var(rnd({3 * d, d}, 34)), Var(rnd({3 * d}, 35)), Var(rnd({d, d}, 36)), Var(rnd({d}, 37)));
    const Tensor x = rnd({B, T, d}, 38);
    const AttentionOutput full = multi_head_attention(m, Var(x), Var(x), Var(x), Tensor(), causal_mask(T));
    KeyValueCache cache;
    for (std::size_t t = 0; t < T; ++t) {
        CAPTURE(t);
        const Var xt_step(Tensor(xt::view(x, xt::all(), xt::range(t, t + 1), xt::all())));
        AttentionOutput step = multi_head_attention_step(m, xt_step, xt_step, xt_step, cache);
        CHECK(cache.length == t + 1);
        REQUIRE(step.output.value().shape() == Shape{B, 1, d});
        REQUIRE(step.weights.value().shape() == Shape{B, h, 1, t + 1});
        CHECK_CLOSE(Tensor(xt::view(step.output.value(), xt::all(), 0, xt::all())),
                    Tensor(xt::view(full.output.value(), xt::all(), t, xt::all())), 1e-5, 1e-6);
        CHECK_CLOSE(Tensor(xt::view(step.weights.value(), xt::all(), xt::all(), 0, xt::all())),
                    Tensor(xt::view(full.weights.value(), xt::all(), xt::all(), t, xt::range(0, t + 1))), 1e-5, 1e-7);
    }
    CHECK_THROWS_AS(
        multi_head_attention_step(m, Var(rnd({3, 1, d}, 39)), Var(rnd({3, 1, d}, 39)), Var(rnd({3, 1, d}, 39)), cache),
        Error);  // batch 3 against a cache of batch 2
}

// ---- gradients ---------------------------------------------------------------------------------

TEST_CASE("gradients flow through additive, general and concat scores and the context vector") {
    const IntTensor lengths = {4, 2};
    const Tensor s = rnd({2, 3}, 40), h = rnd({2, 4, 5}, 41);
    check_gradients(
        [&](const std::vector<Var>& v) {
            AdditiveScore a{v[2], v[3], v[4], v[5]};
            return context_vector(additive_score(a, v[0], additive_keys(a, v[1])), v[1], lengths).context;
        },
        {s, h, rnd({6, 3}, 42), rnd({6, 5}, 43), rnd({6}, 44), rnd({1, 6}, 45)});
    check_gradients(
        [&](const std::vector<Var>& v) {
            GeneralScore g{v[2]};
            return context_vector(general_score(g, v[0], general_keys(g, v[1])), v[1], lengths).context;
        },
        {s, h, rnd({3, 5}, 46)});
    check_gradients(
        [&](const std::vector<Var>& v) {
            ConcatScore c{v[2], v[3]};
            return context_vector(concat_score(c, v[0], concat_keys(c, v[1])), v[1], lengths).weights;
        },
        {s, h, rnd({6, 8}, 47), rnd({1, 6}, 48)});
}

TEST_CASE("gradients flow through multi-head attention to the query, key, value and every parameter") {
    const std::size_t d = 4, h = 2;
    const Tensor kpm = padding_mask(IntTensor{3, 2}, 3);
    check_gradients(
        [&](const std::vector<Var>& v) {
            const MultiHeadAttention m = mha_with(d, h, v[3], v[4], v[5], v[6]);
            return multi_head_attention(m, v[0], v[1], v[2], kpm, Tensor()).output;
        },
        {rnd({2, 2, d}, 49), rnd({2, 3, d}, 50), rnd({2, 3, d}, 51), rnd({3 * d, d}, 52), rnd({3 * d}, 53),
         rnd({d, d}, 54), rnd({d}, 55)});
    check_gradients(  // self-attention, causal, through the per-head weights
        [&](const std::vector<Var>& v) {
            const MultiHeadAttention m =
                mha_with(d, h, v[1], Var(rnd({3 * d}, 56)), Var(rnd({d, d}, 57)), Var(rnd({d}, 58)));
            return multi_head_attention(m, v[0], v[0], v[0], Tensor(), causal_mask(3)).weights;
        },
        {rnd({2, 3, d}, 59), rnd({3 * d, d}, 60)});
}

// ---- Aaren -------------------------------------------------------------------------------------

namespace {
// Direct causal softmax attention of every prefix, in double.
Tensor direct_prefix_attention(const Tensor& scores, const Tensor& V) {
    const std::size_t T = V.shape(0), dv = V.shape(1);
    Tensor out = Tensor::from_shape({T, dv});
    for (std::size_t k = 0; k < T; ++k) {
        std::vector<double> s(scores.data(), scores.data() + k + 1);
        const std::vector<double> p = naive_softmax(s);
        for (std::size_t c = 0; c < dv; ++c) {
            double o = 0.0;
            for (std::size_t i = 0; i <= k; ++i) o += p[i] * V(i, c);
            out(k, c) = float(o);
        }
    }
    return out;
}
}  // namespace

TEST_CASE("Aaren's recurrent and prefix-scan forms both equal direct causal softmax attention") {
    const std::size_t d = 8, dv = 3;
    for (std::size_t T : {1, 2, 5, 16, 37}) {
        CAPTURE(T);
        const Tensor q = rnd({d}, 61 + T), K = rnd({T, d}, 62 + T), V = rnd({T, dv}, 63 + T);
        const Tensor scores = aaren_scores(q, K);
        for (std::size_t i = 0; i < T; ++i) {  // s_i = q · k_i
            double dot = 0.0;
            for (std::size_t c = 0; c < d; ++c) dot += double(q(c)) * K(i, c);
            CHECK(scores(i) == doctest::Approx(dot).epsilon(1e-5));
        }
        const Tensor want = direct_prefix_attention(scores, V);
        CHECK_CLOSE(aaren_recurrent(scores, V), want, 0.0, 1e-5);
        CHECK_CLOSE(aaren_scan(scores, V), want, 0.0, 1e-5);
    }
}

TEST_CASE("Aaren stays exact for scores around 1000, where a naive exp overflows") {
    const std::size_t T = 24, dv = 4;
    Tensor scores = rnd({T}, 70, -1000, 1000);
    for (std::size_t i = 0; i < T; i += 3) scores(i) = 1000.0f + float(i);  // rising maxima: rescaling each time
    scores(T - 1) = 999.5f;
    const Tensor V = rnd({T, dv}, 71);
    CHECK(std::isinf(std::exp(scores(0))));  // the naive way would overflow
    const Tensor want = direct_prefix_attention(scores, V);
    const Tensor rec = aaren_recurrent(scores, V), scan = aaren_scan(scores, V);
    CHECK(all_finite(rec));
    CHECK(all_finite(scan));
    CHECK_CLOSE(rec, want, 0.0, 1e-5);
    CHECK_CLOSE(scan, want, 0.0, 1e-5);
    // A −inf score hides its token: same outputs as without it (from the next prefix on).
    Tensor hidden = scores;
    hidden(5) = -inf;
    const Tensor with_hidden = aaren_recurrent(hidden, V);
    CHECK_CLOSE(aaren_scan(hidden, V), with_hidden, 0.0, 1e-5);
    CHECK_CLOSE(with_hidden, direct_prefix_attention(hidden, V), 0.0, 1e-5);
    CHECK_THROWS_AS(aaren_recurrent(Tensor{1.0f, NAN}, rnd({2, 1}, 72)), Error);
    CHECK_THROWS_AS(aaren_scan(Tensor{1.0f, 2.0f}, rnd({3, 1}, 73)), Error);
}

TEST_CASE("Aaren's combine is associative, has the empty prefix as identity, and matches the step") {
    TestRng rng(74);
    auto random_state = [&](float spread) {
        AarenState s;
        s.m = rng.uniform(-spread, spread);
        s.u = rng.uniform(0.5f, 4.0f);
        s.w = random_tensor({3}, rng);
        return s;
    };
    auto close = [](const AarenState& a, const AarenState& b) {
        // Compare the represented quantities: m and (u, w) at the same reference.
        CHECK(a.m == doctest::Approx(b.m));
        CHECK(a.u == doctest::Approx(b.u).epsilon(1e-5));
        CHECK_CLOSE(a.w, b.w, 1e-5, 1e-6);
    };
    for (int trial = 0; trial < 50; ++trial) {
        const float spread = trial < 25 ? 3.0f : 500.0f;
        const AarenState a = random_state(spread), b = random_state(spread), c = random_state(spread);
        close(aaren_combine(aaren_combine(a, b), c), aaren_combine(a, aaren_combine(b, c)));
        close(aaren_combine(a, aaren_initial_state(3)), a);
        close(aaren_combine(aaren_initial_state(3), a), a);
    }
    // The recurrent step is the combine with a one-token state.
    AarenState s = random_state(2.0f);
    const Tensor v = {0.5f, -1.0f, 2.0f};
    const AarenState combined = aaren_combine(s, aaren_leaf(1.25f, v));
    aaren_update(s, 1.25f, v);
    close(s, combined);
    CHECK(aaren_output(aaren_initial_state(3)) == xt::zeros<float>({3}));
}
