#include "attnlab/tensor/activations.hpp"

#include <cmath>

namespace attnlab {

namespace {
template <class F>
Tensor map(const Tensor& x, F f) {
    Tensor y = Tensor::from_shape(x.shape());
    for (std::size_t i = 0; i < x.size(); ++i) y.data()[i] = f(x.data()[i]);
    return y;
}
}  // namespace

float sigmoid(float x) {
    if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
    const float e = std::exp(x);
    return e / (1.0f + e);
}

Tensor sigmoid(const Tensor& x) { return map(x, [](float v) { return sigmoid(v); }); }
Tensor tanh(const Tensor& x) { return map(x, [](float v) { return std::tanh(v); }); }
Tensor relu(const Tensor& x) { return map(x, [](float v) { return v > 0 ? v : 0.0f; }); }

}  // namespace attnlab
