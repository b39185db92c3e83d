// Attention masks in attnlab are additive float tensors, added to the scores before the softmax:
// 0 keeps a position, −inf hides it (its weight becomes exactly 0). They broadcast like numpy, so a
// (T, T) causal_mask applies to every batch row and head. `Tensor()` (0-d) means "no mask".
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// Whether `mask` is a real mask rather than the "none" placeholder (0-d or 0 elements).
inline bool has_mask(const Tensor& mask) { return mask.dimension() != 0 && mask.size() != 0; }

// scores + mask, the mask broadcast to the scores (…, Tq, Tk): the softmax's input, −inf where masked.
inline Tensor masked_scores(const Tensor& scores, const Tensor& mask) {
    if (!has_mask(mask)) return scores;
    return add_mask(scores, mask, "masked_scores");
}

}  // namespace attnlab
