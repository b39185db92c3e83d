#include "attnlab/tensor/layer_norm.hpp"

#include <cmath>
#include <tuple>
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

void expect_params(const Tensor& x, const Tensor& gamma, const Tensor& beta) {
    const std::size_t d = last_dim(x);
    if (gamma.size() != d || beta.size() != d)
        throw Error("layer_norm: weight " + shape_str(gamma) + " and bias " + shape_str(beta) + " must both have the " +
                    std::to_string(d) + " features of x " + shape_str(x));
}

// y row = (x row − mean)·inv_std·γ + β
void normalise_row(const float* in, float* out, std::size_t d, float mean, float inv_std, const Tensor& gamma,
                   const Tensor& beta) {
    for (std::size_t j = 0; j < d; ++j) out[j] = (in[j] - mean) * inv_std * gamma.data()[j] + beta.data()[j];
}

std::vector<float> all_row_stats(const Tensor& x, float eps) {
    const std::size_t d = last_dim(x), rows = row_count(x);
    std::vector<float> stats(2 * rows);
    for (std::size_t r = 0; r < rows; ++r)
        std::tie(stats[2 * r], stats[2 * r + 1]) = row_stats(x.data() + r * d, d, eps);
    return stats;
}
}  // namespace

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps, std::vector<float>& stats) {
    expect_params(x, gamma, beta);
    const std::size_t d = last_dim(x), rows = row_count(x);
    stats = all_row_stats(x, eps);
    Tensor y = Tensor::from_shape(x.shape());
    for (std::size_t r = 0; r < rows; ++r)
        normalise_row(x.data() + r * d, y.data() + r * d, d, stats[2 * r], stats[2 * r + 1], gamma, beta);
    return y;
}

// The same rows with nothing kept (inference): each row's statistics are used and dropped.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps) {
    expect_params(x, gamma, beta);
    const std::size_t d = last_dim(x), rows = row_count(x);
    Tensor y = Tensor::from_shape(x.shape());
    for (std::size_t r = 0; r < rows; ++r) {
        const auto [mean, inv_std] = row_stats(x.data() + r * d, d, eps);
        normalise_row(x.data() + r * d, y.data() + r * d, d, mean, inv_std, gamma, beta);
    }
    return y;
}

LayerNormGrads layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& gamma,
                                   const std::vector<float>& stats) {
    const std::size_t d = last_dim(x), rows = row_count(x);
    if (dy.shape() != x.shape() || gamma.size() != d || stats.size() != 2 * rows)
        throw Error("layer_norm_backward: gradient " + shape_str(dy) + ", x " + shape_str(x) + ", weight " +
                    shape_str(gamma) + " and " + std::to_string(stats.size() / 2) + " row statistics do not fit");
    LayerNormGrads g{Tensor::from_shape(x.shape()), xt::zeros<float>({d}), xt::zeros<float>({d})};
    std::vector<float> xhat(d), gx(d);
    for (std::size_t r = 0; r < rows; ++r) {
        const float *in = x.data() + r * d, *gy = dy.data() + r * d;
        const float mean = stats[2 * r], inv_std = stats[2 * r + 1];
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

LayerNormGrads layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& gamma, float eps) {
    return layer_norm_backward(dy, x, gamma, all_row_stats(x, eps));
}

}  // namespace attnlab
