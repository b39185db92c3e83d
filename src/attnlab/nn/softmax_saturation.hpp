// Why the scale factor 1/√d_k (primer §6): for random q, k with unit-variance entries the dot product
// qᵀk has variance d_k, so for large d_k the softmax over the scores saturates — one weight near 1,
// the rest near 0, and the gradient vanishes. Dividing by √d_k keeps the variance at 1.
//   For each d_k: `trials` draws of q (d_k) and n_keys keys (n_keys × d_k), entries N(0, 1) from a
//   seeded Rng; the softmax of the scores qᵀk_i with and without ÷√d_k; the mean over trials of its
//   entropy −Σ w log w (nats; log n_keys is the uniform maximum) and of its largest weight.
#pragma once

#include <cstdint>
#include <vector>

namespace attnlab {

struct SaturationPoint {
    std::size_t d_k = 0;
    double entropy_unscaled = 0, entropy_scaled = 0;        // mean entropy of softmax(qᵀk), softmax(qᵀk/√d_k)
    double max_weight_unscaled = 0, max_weight_scaled = 0;  // mean largest weight of each
};

// One point per d_k in dims (each > 0); n_keys > 1, trials > 0, else Error.
std::vector<SaturationPoint> softmax_saturation(const std::vector<std::size_t>& dims, std::size_t n_keys,
                                                std::size_t trials, std::uint64_t seed);

}  // namespace attnlab
