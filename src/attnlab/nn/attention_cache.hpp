// Key/value cache for incremental decoding with multi-head self-attention: a decoder that generates
// one token at a time need not recompute the keys and values of the tokens already generated. Each
// step appends the new position's projected K and V, and the new query attends over all cached keys
// — exactly the positions j ≤ t that the causal mask would leave visible, so step-by-step outputs
// equal the full causal computation.
// The cache is preallocated: its buffers hold room for `capacity` positions and a step writes the new
// position in place (no copy of the positions so far). When full, the room doubles (one copy), so a
// sentence of n tokens copies the cache about log2(n) times, not n times.
// Inference only: gradients do not flow into the cached keys and values.
#pragma once

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/multi_head_attention.hpp"

namespace attnlab {

struct KeyValueCache {
    Tensor keys;             // (B, h, capacity, d/h): positions [0, length) filled, the rest room to append
    Tensor values;           // (B, h, capacity, d/h)
    std::size_t length = 0;  // t: positions so far
    static constexpr std::size_t initial_capacity = 32;

    std::size_t capacity() const { return keys.dimension() == 4 ? keys.shape(2) : 0; }
    // k, v: (B, h, 1, d/h) the new position -> written at `length` (growing the room if full)
    void append(const Tensor& k, const Tensor& v);
    // the filled positions (copies): (B, h, t, d/h)
    Tensor keys_so_far() const;
    Tensor values_so_far() const;
    // keeps batch rows `parents` (beam search), in place of the old rows
    void take_rows(const std::vector<std::size_t>& parents);
};

// query, key, value: (B, 1, d) of the new position t (for self-attention all three are the same x_t).
// Appends its K, V to the cache -> {output (B, 1, d), weights (B, h, 1, t + 1)}; the same numbers as
// scaled_dot_product_attention over the positions so far (the same gemm calls, reading the cache in place).
AttentionOutput multi_head_attention_step(const MultiHeadAttention& m, const Var& query, const Var& key,
                                          const Var& value, KeyValueCache& cache);

}  // namespace attnlab
