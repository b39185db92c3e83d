// Scaled dot-product attention score ("Attention is all you need", primer §6): the dot product
// divided by √d_k so that large d_k does not push the softmax into its saturated, near one-hot region:
//   score(s, h_j) = sᵀ h_j / √d_k      (d_k = H; no parameters)
#pragma once

#include "attnlab/autograd/var.hpp"

namespace attnlab {

// s: (B, H), h: (B, Ts, H) -> scores (B, Ts)
Var scaled_dot_score(const Var& s, const Var& h);

}  // namespace attnlab
