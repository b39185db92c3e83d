// The context vector of attention (primer §5): instead of the encoder's last state only, the decoder
// reads a weighted average of ALL encoder states h_j, re-weighted at every step:
//   α = softmax(scores + mask)      attention weights: a probability row, exactly 0 on padding
//   c = Σ_j α_j h_j                 context vector
#pragma once

#include "attnlab/autograd/var.hpp"

namespace attnlab {

struct ContextVector {
    Var context;    // c: (B, He)
    Var weights;    // α: (B, Ts)
    Tensor scores;  // (B, Ts) the raw scores + mask, what went into the softmax (−inf on padding); no gradient
};

// scores: (B, Ts), h: (B, Ts, He), mask: additive (B, Ts) of 0 / −inf (see padding_mask), or Tensor()
// for none -> {context (B, He), weights (B, Ts)}. A fully masked row gives zero weights and c = 0.
ContextVector context_vector(const Var& scores, const Var& h, const Tensor& mask);
// The same with the source lengths: positions j ≥ src_lengths[b] are padding.
ContextVector context_vector(const Var& scores, const Var& h, const IntTensor& src_lengths);

}  // namespace attnlab
