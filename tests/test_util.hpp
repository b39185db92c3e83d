// Helpers shared by the tests: seeded random tensors and element-wise closeness checks.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab::testing {

// A tiny deterministic generator (splitmix64), so tests give the same numbers everywhere.
struct TestRng {
    std::uint64_t state;
    explicit TestRng(std::uint64_t seed) : state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    float uniform(float lo = -1.0f, float hi = 1.0f) {
        return lo + (hi - lo) * float(next() >> 40) / float(1ull << 24);
    }
};

inline Tensor random_tensor(const Shape& shape, TestRng& rng, float lo = -1.0f, float hi = 1.0f) {
    Tensor t = Tensor::from_shape(shape);
    for (auto& v : t) v = rng.uniform(lo, hi);
    return t;
}

// The same with a fresh generator: a tensor that depends only on the seed.
inline Tensor random_tensor(const Shape& shape, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    TestRng rng(seed);
    return random_tensor(shape, rng, lo, hi);
}

// Largest |a - b| / (atol + rtol·|b|) over all elements; ≤ 1 means close.
inline double closeness(const Tensor& a, const Tensor& b, double rtol, double atol) {
    REQUIRE(a.shape() == b.shape());
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double x = a.data()[i], y = b.data()[i];
        if (std::isnan(x) || std::isnan(y)) return INFINITY;
        worst = std::max(worst, std::abs(x - y) / (atol + rtol * std::abs(y)));
    }
    return worst;
}

#define CHECK_CLOSE(a, b, rtol, atol) CHECK(::attnlab::testing::closeness((a), (b), (rtol), (atol)) <= 1.0)

// The message of the attnlab::Error that f throws, "(no error)" if it throws none (any other exception
// fails the test case).
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// expr throws an attnlab::Error whose message contains text (the message is shown when it does not).
#define CHECK_ERROR_CONTAINS(expr, text)                                              \
    do {                                                                              \
        const std::string msg_ = ::attnlab::testing::error_of([&] { (void)(expr); }); \
        CAPTURE(msg_);                                                                \
        CHECK(msg_.find(text) != std::string::npos);                                  \
    } while (0)

}  // namespace attnlab::testing

// ---- gradient checking -----------------------------------------------------------------------
#include <functional>
#include <vector>

#include "attnlab/autograd/ops.hpp"

namespace attnlab::testing {

// Checks the gradients that backward() computes for L = Σ f(inputs) ⊙ R (R a fixed random tensor, so
// every output element matters with its own weight) against central finite differences
// (L(x + ε) − L(x − ε)) / 2ε, L summed in double. Up to `max_checks` elements of each input are
// checked, spread evenly. f must be deterministic.
using VarFn = std::function<Var(const std::vector<Var>&)>;

inline double weighted_sum(const Tensor& out, const Tensor& r) {
    double s = 0.0;
    for (std::size_t i = 0; i < out.size(); ++i) s += double(out.data()[i]) * double(r.data()[i]);
    return s;
}

inline void check_gradients(const VarFn& f, const std::vector<Tensor>& inputs, double eps = 1e-2, double rtol = 2e-2,
                            double atol = 2e-3, std::size_t max_checks = 40) {
    std::vector<Var> vars;
    for (const Tensor& t : inputs) vars.emplace_back(t, true);
    Var out = f(vars);
    TestRng rng(1234);
    const Tensor r = random_tensor(Shape(out.shape().begin(), out.shape().end()), rng);
    backward(sum(mul(out, constant(r))));
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Tensor& analytic = vars[i].grad();
        REQUIRE_MESSAGE(analytic.shape() == inputs[i].shape(), "input " << i << " got no gradient");
        const std::size_t n = inputs[i].size(), step = std::max<std::size_t>(1, n / max_checks);
        for (std::size_t j = 0; j < n; j += step) {
            auto loss_at = [&](float delta) {
                NoGrad no_grad;
                std::vector<Var> shifted;
                for (std::size_t k = 0; k < inputs.size(); ++k) {
                    Tensor t = inputs[k];
                    if (k == i) t.data()[j] += delta;
                    shifted.emplace_back(t, false);
                }
                return weighted_sum(f(shifted).value(), r);
            };
            const double numeric = (loss_at(float(eps)) - loss_at(float(-eps))) / (2 * eps);
            const double a = analytic.data()[j];
            INFO("input " << i << " element " << j << ": analytic " << a << " numeric " << numeric);
            CHECK(std::abs(a - numeric) <= atol + rtol * std::max(std::abs(a), std::abs(numeric)));
        }
    }
}

}  // namespace attnlab::testing
