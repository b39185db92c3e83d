// Element-wise non-linearities of the primer's networks.
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

float sigmoid(float x);           // 1 / (1 + e^-x), computed without overflow for large |x|
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);     // max(0, x)

}  // namespace attnlab
