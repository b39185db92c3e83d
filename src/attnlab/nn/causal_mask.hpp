// Causal ("look-ahead") mask of the Transformer decoder's self-attention (primer §9.2, Sub-L1: mask out
// the future): query position t may attend to key positions j ≤ t only. Additive form:
//   mask(t, j) = 0 for j ≤ t,  −inf for j > t   (−inf strictly above the diagonal)
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// -> (T, T); broadcasts over batch and heads when added to scores (…, T, T).
Tensor causal_mask(std::size_t T);

}  // namespace attnlab
