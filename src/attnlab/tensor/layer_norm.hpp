// Layer normalisation over the last axis, as PyTorch's nn.LayerNorm(d) (weight γ, bias β):
//   y = (x - mean) / sqrt(var + eps) * γ + β,   var the biased variance of the row.
#pragma once

#include <vector>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// x: (..., d), gamma: (d), beta: (d) -> (..., d)
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps = 1e-5f);

struct LayerNormGrads {
    Tensor dx, dgamma, dbeta;
};
// The backward pass, with x̂ = (x − mean)·rstd:  ∂L/∂x = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)),
// g = ∂L/∂y ⊙ γ;  ∂L/∂γ = Σ_rows ∂L/∂y ⊙ x̂;  ∂L/∂β = Σ_rows ∂L/∂y.
LayerNormGrads layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& gamma, float eps = 1e-5f);

// The same pair, the forward also keeping each row's mean and 1/sqrt(var + eps) (two floats a row)
// so that the backward does not compute them again; the results are the same bits.
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, float eps, std::vector<float>& row_stats);
LayerNormGrads layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& gamma,
                                   const std::vector<float>& row_stats);

}  // namespace attnlab
