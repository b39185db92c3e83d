// Padding mask: sentences of a batch have different lengths and are padded to T; the padded positions
// must get attention weight exactly 0. As an additive mask, added to the scores before the softmax:
//   mask(b, j) = 0 for j < lengths[b],  −inf for j ≥ lengths[b]
// (the float form of PyTorch's key_padding_mask: −inf where PyTorch's bool mask is True).
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// lengths: (B) ints in [0, T] -> mask (B, T) of 0 / −inf. A length of 0 masks the whole row.
Tensor padding_mask(const IntTensor& lengths, std::size_t T);

}  // namespace attnlab
