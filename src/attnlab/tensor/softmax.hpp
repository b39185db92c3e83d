// Softmax over the last axis: turns scores into attention weights that sum to one.
//   softmax(x)_j = exp(x_j - max x) / Σ_k exp(x_k - max x)   (shifted by the max: never overflows)
// An optional additive mask, broadcastable to x, is added to the scores first: a -inf entry gets
// weight exactly 0. A row whose every entry is -inf (e.g. a fully padded query) gives all zeros for
// softmax and all -inf (the log of those zeros) for log_softmax — never NaN.
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

Tensor softmax(const Tensor& x);
Tensor softmax(const Tensor& x, const Tensor& mask);
Tensor log_softmax(const Tensor& x);
Tensor log_softmax(const Tensor& x, const Tensor& mask);

// Backward passes, given the forward output y and ∂L/∂y (both of x's shape), per row:
//   softmax:     ∂L/∂x = y ⊙ (∂L/∂y − Σ_j ∂L/∂y_j · y_j)
//   log_softmax: ∂L/∂x = ∂L/∂y − exp(y) · Σ_j ∂L/∂y_j
Tensor softmax_backward(const Tensor& dy, const Tensor& y);
Tensor log_softmax_backward(const Tensor& dy, const Tensor& y);

// In place on n contiguous floats: the row kernels the tensor versions run on each row.
void softmax_row(float* row, std::size_t n);
void log_softmax_row(float* row, std::size_t n);

}  // namespace attnlab
