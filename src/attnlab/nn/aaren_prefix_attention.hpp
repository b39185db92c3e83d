// Aaren's training form: the outputs of every prefix at once, as one differentiable op over Vars.
//   o_t = Σ_{i≤t} softmax(s_1 … s_t)_i v_i        for every t = 1 … T
// The forward runs the recurrence of aaren_attention.hpp over t — the running max M_t, the sum
// U_t = Σ_{i≤t} exp(s_i − M_t) and the numerator, rescaled whenever the max grows — for every leading
// index: O(T·dv) time and memory, no (T, T) matrix is formed (a causal masked softmax would form it).
// The backward is the same kind of sum run from the end (a_{t,i} = exp(s_i − M_t) / U_t, g_t = ∂L/∂o_t):
//   Z_i = Σ_{t≥i} exp(M_i − M_t) g_t / U_t = g_i / U_i + exp(M_i − M_{i+1}) Z_{i+1}      (dv)
//   ζ_i = Σ_{t≥i} exp(M_i − M_t) (g_t · o_t) / U_t                                     (scalar, alike)
//   ∂L/∂v_i = exp(s_i − M_i) Z_i,      ∂L/∂s_i = exp(s_i − M_i) (v_i · Z_i − ζ_i)
// Every exponent is ≤ 0 and U_t ≥ 1, so nothing overflows, whatever the size of the scores.
// A −inf score hides its token (zero weight, zero gradient); a prefix of hidden tokens only outputs 0.
// NaN or +inf scores give NaN, as in any other op.
#pragma once

#include "attnlab/autograd/var.hpp"

namespace attnlab {

// scores: (…, T), V: (…, T, dv) with the same leading axes -> O: (…, T, dv)
Var aaren_prefix_attention(const Var& scores, const Var& V);

// The weight every prefix gives each of its tokens, a_{t,i} = exp(s_i − M_t) / U_t for i ≤ t, else 0
// (for drawing the attention map; no gradient). scores: (…, T) -> (…, T, T), rows sum to 1
Tensor aaren_prefix_weights(const Tensor& scores);

}  // namespace attnlab
