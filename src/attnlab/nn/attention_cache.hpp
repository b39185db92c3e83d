// Key/value cache for incremental decoding with multi-head self-attention: a decoder that generates
// one token at a time need not recompute the keys and values of the tokens already generated. Each
// step appends the new position's projected K and V, and the new query attends over all cached keys
// — exactly the positions j ≤ t that the causal mask would leave visible, so step-by-step outputs
// equal the full causal computation.
#pragma once

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/multi_head_attention.hpp"

namespace attnlab {

struct KeyValueCache {
    Var keys;    // (B, h, t, d/h): the projected keys of the t positions so far (empty before step 0)
    Var values;  // (B, h, t, d/h)
    std::size_t length() const { return keys.dimension() == 4 ? keys.shape(2) : 0; }
};

// query, key, value: (B, 1, d) of the new position t (for self-attention all three are the same x_t).
// Appends its K, V to the cache -> {output (B, 1, d), weights (B, h, 1, t + 1)}
AttentionOutput multi_head_attention_step(const MultiHeadAttention& m, const Var& query, const Var& key,
                                          const Var& value, KeyValueCache& cache);

}  // namespace attnlab
