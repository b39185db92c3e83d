#include "attnlab/tensor/layer_norm.hpp"

#include <cmath>
#include <utility>
#include <vector>

namespace attnlab {

namespace {
// mean and 1/sqrt(var + eps) of one row of d floats, in double for accuracy.
std::pair<float, float> row_stats(const float* in, std::size_t d, float eps) {
    double mean = 0.0, var = 0.0;
    for (std::size_t j = 0; j < d; ++j) mean += in[j];
    mean /= double(d);
    for (std::size_t j = 0; j < d; ++j) var += (in[j] - mean) * (in[j] - mean);
    var /= double(d);
    return {float(mean), float(1.0 / std::sqrt(var + eps))};
}
}  // namespace

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    const std::size_t d = last_dim(x), rows = row_count(x);
    if (gamma.size() != d || beta.size() != d)
        throw Error("layer_norm: weight " + shape_str(gamma) + " and bias " + shape_str(beta) + " must both have the " +
                    std::to_string(d) + " features of x " + shape_str(x));
    Tensor y = Tensor::from_shape(x.shape());
    for (std::size_t r = 0; r < rows; ++r) {
        const float* in = x.data() + r * d;
        float* out = y.data() + r * d;
        const auto [mean, inv_std] = row_stats(in, d, eps);
        for (std::size_t j = 0; j < d; ++j) out[j] = (in[j] - mean) * inv_std * gamma.data()[j] + beta.data()[j];
    }
    return y;
}

LayerNormGrads layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& gamma, float eps) {
    const std::size_t d = last_dim(x), rows = row_count(x);
    LayerNormGrads g{Tensor::from_shape(x.shape()), xt::zeros<float>({d}), xt::zeros<float>({d})};
    std::vector<float> xhat(d), gx(d);
    for (std::size_t r = 0; r < rows; ++r) {
        const float *in = x.data() + r * d, *gy = dy.data() + r * d;
        const auto [mean, inv_std] = row_stats(in, d, eps);
        double mean_g = 0.0, mean_gx = 0.0;
        for (std::size_t j = 0; j < d; ++j) {
            xhat[j] = (in[j] - mean) * inv_std;
            gx[j] = gy[j] * gamma.data()[j];
            mean_g += gx[j];
            mean_gx += gx[j] * xhat[j];
            g.dgamma.data()[j] += gy[j] * xhat[j];
            g.dbeta.data()[j] += gy[j];
        }
        mean_g /= double(d);
        mean_gx /= double(d);
        for (std::size_t j = 0; j < d; ++j)
            g.dx.data()[r * d + j] = inv_std * (gx[j] - float(mean_g) - xhat[j] * float(mean_gx));
    }
    return g;
}

}  // namespace attnlab
