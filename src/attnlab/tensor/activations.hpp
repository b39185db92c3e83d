// Element-wise non-linearities of the primer's networks.
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

float sigmoid(float x);  // 1 / (1 + e^-x), computed without overflow for large |x|
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor relu(const Tensor& x);                             // max(0, x)
Tensor relu_backward(const Tensor& dy, const Tensor& x);  // dy where x > 0, else 0

// The same maps over n floats at once, four lanes at a time (SSE natively, SIMD128 in wasm); y may
// be x. Over every float (checked against libm in double on a dense sample of all bit patterns,
// tests/test_tensor.cpp): exp within 1 ULP, tanh within 2 ULP, sigmoid within 3 ULP; subnormal
// results, ±0, ±inf and NaN come out as libm's.
void exp_n(const float* x, float* y, std::size_t n);
void tanh_n(const float* x, float* y, std::size_t n);
void sigmoid_n(const float* x, float* y, std::size_t n);

}  // namespace attnlab
