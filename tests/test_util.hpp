// Helpers shared by the tests: seeded random tensors and element-wise closeness checks.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
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

}  // namespace attnlab::testing
