// The one random number generator of attnlab: seeded, and bit-identical on every platform (native
// and wasm), unlike std:: distributions whose output is implementation-defined.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 0);
    // No generator: the initialisers (uniform_tensor below, make_embedding, the Aaren query) given it
    // fill their tensors with zeros and draw nothing. For a model whose weights a loader overwrites at once:
    // drawing them first was most of the time a bundle took to load. Its own draws are not random
    // (its state is all zero, xoshiro's fixed point).
    static Rng zeros();
    bool draws() const { return draws_; }
    std::uint64_t next_u64();                              // xoshiro256** step
    std::uint32_t below(std::uint32_t n);                  // uniform integer in [0, n), n > 0, unbiased
    float uniform(float lo = 0.0f, float hi = 1.0f);       // uniform float in [lo, hi)
    float normal(float mean = 0.0f, float stddev = 1.0f);  // Box-Muller
    bool bernoulli(float p);                               // true with probability p
    // out[i] = bernoulli(p) ? if_true : if_false for i < n: the same draws as n bernoulli calls, in bulk
    void bernoulli_fill(float* out, std::size_t n, float p, float if_true, float if_false);

    template <class T>
    void shuffle(std::vector<T>& v) {  // Fisher-Yates
        for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(std::uint32_t(i))]);
    }
    template <class T>
    const T& pick(const std::vector<T>& v) {
        if (v.empty()) throw Error("Rng::pick: empty list");
        return v[below(std::uint32_t(v.size()))];
    }

private:
    std::uint64_t s_[4];
    bool draws_ = true;
};

// A tensor of the given shape filled uniformly in [lo, hi) — PyTorch's default init for RNN and
// Linear weights is uniform(-1/√fan, 1/√fan). Zeros, drawing nothing, from Rng::zeros().
Tensor uniform_tensor(const Shape& shape, Rng& rng, float lo, float hi);

}  // namespace attnlab
