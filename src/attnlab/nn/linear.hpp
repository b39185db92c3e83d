// A fully connected layer in PyTorch's layout (nn.Linear): weight (out, in), bias (out).
//   y = x · Wᵀ + b
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

struct Linear {
    Tensor weight;  // (out, in)
    Tensor bias;    // (out), or empty for no bias
};

// x: (..., in), w: (out, in), b: (out) or empty -> (..., out)
Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b);
inline Tensor linear(const Linear& l, const Tensor& x) { return linear(x, l.weight, l.bias); }

}  // namespace attnlab
