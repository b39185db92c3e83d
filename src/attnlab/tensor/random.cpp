#include "attnlab/tensor/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace attnlab {

namespace {
std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
}

Rng Rng::zeros() {
    Rng r;
    for (auto& s : r.s_) s = 0;
    r.draws_ = false;
    return r;
}

std::uint64_t Rng::next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9, t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint32_t Rng::below(std::uint32_t n) {
    if (n == 0) throw Error("Rng::below: n must be positive");
    const std::uint32_t limit = std::uint32_t(-n) % n;  // reject the biased low values
    for (;;) {
        const std::uint32_t r = std::uint32_t(next_u64() >> 32);
        if (r >= limit) return r % n;
    }
}

float Rng::uniform(float lo, float hi) { return lo + (hi - lo) * float(next_u64() >> 40) * (1.0f / float(1u << 24)); }

float Rng::normal(float mean, float stddev) {
    const double u1 = (double(next_u64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);  // (0, 1]
    const double u2 = double(next_u64() >> 11) * (1.0 / 9007199254740992.0);
    return mean + stddev * float(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
}

bool Rng::bernoulli(float p) { return uniform() < p; }

void Rng::bernoulli_fill(float* out, std::size_t n, float p, float if_true, float if_false) {
    // The draws of uniform() < p, in order: uniform() is k·2⁻²⁴ exactly for the top 24 bits k of a
    // draw, so it is below p exactly when k < ⌈p·2²⁴⌉ (an integer compare, no float conversion).
    // Selected by bit masks rather than a branch (a branch on a random draw is mispredicted often),
    // and the state kept in locals: stores to `out` could otherwise alias it and force it to memory.
    const double scaled = std::ceil(double(p) * 16777216.0);
    const std::uint64_t threshold = scaled > 0.0 ? std::uint64_t(std::min(scaled, 16777216.0)) : 0;
    std::uint32_t t, f;
    std::memcpy(&t, &if_true, sizeof t);
    std::memcpy(&f, &if_false, sizeof f);
    std::uint64_t s0 = s_[0], s1 = s_[1], s2 = s_[2], s3 = s_[3];
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t draw = rotl(s1 * 5, 7) * 9, shifted = s1 << 17;  // next_u64(), inlined
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= shifted;
        s3 = rotl(s3, 45);
        const std::uint32_t pick = 0u - std::uint32_t((draw >> 40) < threshold);  // all ones when true
        const std::uint32_t bits = (t & pick) | (f & ~pick);
        std::memcpy(out + i, &bits, sizeof bits);
    }
    s_[0] = s0;
    s_[1] = s1;
    s_[2] = s2;
    s_[3] = s3;
}

Tensor uniform_tensor(const Shape& shape, Rng& rng, float lo, float hi) {
    if (!rng.draws()) return xt::zeros<float>(shape);
    Tensor t = Tensor::from_shape(shape);
    for (auto& v : t) v = rng.uniform(lo, hi);
    return t;
}

}  // namespace attnlab
