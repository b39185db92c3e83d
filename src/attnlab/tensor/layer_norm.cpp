#include "attnlab/tensor/layer_norm.hpp"

#include <cmath>

namespace attnlab {

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    const std::size_t d = last_dim(x), rows = row_count(x);
    if (gamma.size() != d || beta.size() != d)
        throw Error("layer_norm: weight " + shape_str(gamma) + " and bias " + shape_str(beta) +
                    " must both have the " + std::to_string(d) + " features of x " + shape_str(x));
    Tensor y = Tensor::from_shape(x.shape());
    for (std::size_t r = 0; r < rows; ++r) {
        const float* in = x.data() + r * d;
        float* out = y.data() + r * d;
        double mean = 0.0, var = 0.0;
        for (std::size_t j = 0; j < d; ++j) mean += in[j];
        mean /= double(d);
        for (std::size_t j = 0; j < d; ++j) var += (in[j] - mean) * (in[j] - mean);
        var /= double(d);
        const float inv_std = float(1.0 / std::sqrt(var + eps));
        for (std::size_t j = 0; j < d; ++j)
            out[j] = (in[j] - float(mean)) * inv_std * gamma.data()[j] + beta.data()[j];
    }
    return y;
}

}  // namespace attnlab
