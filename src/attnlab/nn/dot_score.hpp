// Dot-product (multiplicative) attention score, Luong's "dot" (primer §6, 乘法注意力):
//   score(s, h_j) = sᵀ h_j        (needs Hd = He; no parameters)
#pragma once

#include "attnlab/autograd/var.hpp"

namespace attnlab {

// s: (B, H), h: (B, Ts, H) -> scores (B, Ts)
Var dot_score(const Var& s, const Var& h);

}  // namespace attnlab
