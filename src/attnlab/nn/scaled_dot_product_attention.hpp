// Scaled dot-product attention ("Attention is all you need", primer §6, §9):
//   Attention(Q, K, V) = softmax(Q Kᵀ / √d_k + mask) V
// Each query row attends over all key rows; the mask (additive, 0 / −inf, see attention_mask.hpp)
// hides padding or the future. A query whose keys are all masked gets zero weights and a zero output
// (never NaN).
#pragma once

#include "attnlab/autograd/var.hpp"

namespace attnlab {

struct AttentionOutput {
    Var output;     // (…, Tq, dv)
    Var weights;    // (…, Tq, Tk), rows sum to 1 (or are all 0 when fully masked)
    Tensor scores;  // (…, Tq, Tk) the raw scores, exactly what goes into the softmax: Q Kᵀ / √d_k + mask
                    // (−inf where masked); weights = softmax(scores) row by row. No gradient.
    // The value vectors the weights average (…, Tk, d_v) and their weighted sum o_t = Σ_i α_{t,i} v_i
    // (…, Tq, d_v). Here output = head_context; in multi-head attention (primer §10) they are per head,
    // v_i = W^V x_i + b^V restricted to the head (B, h, Tk, d/h) and the head's output (B, h, Tq, d/h)
    // before the heads are concatenated and W^O applied. Handles to what was computed anyway (no copy);
    // empty for Aaren's attention.
    Var values;
    Var head_context;
};

// Q: (…, Tq, d_k), K: (…, Tk, d_k), V: (…, Tk, d_v), the same leading axes "…" (batch, or batch and
// heads); mask broadcastable to (…, Tq, Tk), or Tensor() for none -> {output, weights}
AttentionOutput scaled_dot_product_attention(const Var& Q, const Var& K, const Var& V, const Tensor& mask);

}  // namespace attnlab
