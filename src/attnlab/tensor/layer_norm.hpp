// Layer normalisation over the last axis, as PyTorch's nn.LayerNorm(d) (weight γ, bias β):
//   y = (x - mean) / sqrt(var + eps) * γ + β,   var the biased variance of the row.
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// x: (..., d), gamma: (d), beta: (d) -> (..., d)
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps = 1e-5f);

}  // namespace attnlab
