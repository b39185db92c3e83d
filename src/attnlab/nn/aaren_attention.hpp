// Aaren — "Attention as an RNN" (Feng et al. 2024, arXiv 2405.13956). Attention of one query q over
// a growing prefix x_1 … x_k, o_k = Σ_{i≤k} softmax(s)_i v_i with s_i = q · k_i, is computed as a
// recurrence over a state (m, u, w) that is O(1) in the prefix length:
//   m_k = max_{i≤k} s_i                running max of the scores (keeps every exp ≤ 1: no overflow)
//   u_k = Σ_{i≤k} exp(s_i − m_k)       softmax denominator, relative to m_k
//   w_k = Σ_{i≤k} exp(s_i − m_k) v_i   numerator, relative to m_k            o_k = w_k / u_k
// One step:  m' = max(m, s),  u' = u·e^{m−m'} + e^{s−m'},  w' = w·e^{m−m'} + v·e^{s−m'}.
// The same states combine associatively, so all prefixes also come out of a parallel prefix scan:
//   (m, u, w) ∘ (m', u', w') = (M, u·e^{m−M} + u'·e^{m'−M}, w·e^{m−M} + w'·e^{m'−M}),  M = max(m, m')
// with the empty prefix (−inf, 0, 0) as identity. Plain tensors, no gradient.
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

struct AarenState {
    float m = 0.0f;  // running max of the scores (−inf: empty prefix)
    float u = 0.0f;  // Σ exp(s_i − m)
    Tensor w;        // Σ exp(s_i − m) v_i: (dv)
};

// The empty prefix (−inf, 0, 0): the identity of aaren_combine. w: (value_size)
AarenState aaren_initial_state(std::size_t value_size);
// One token's state (s, 1, v).  v: (dv)
AarenState aaren_leaf(float score, const Tensor& v);
// The recurrent step: adds token (score, v) to the prefix, in place.  v: (dv)
void aaren_update(AarenState& state, float score, const Tensor& v);
// The associative combine: the state of prefix a followed by segment b.
AarenState aaren_combine(const AarenState& a, const AarenState& b);
// o = w / u: (dv); zeros for the empty prefix.
Tensor aaren_output(const AarenState& state);

// q: (d), K: (T, d) -> scores s_i = q · k_i: (T)   (unscaled, as in the paper)
Tensor aaren_scores(const Tensor& q, const Tensor& K);
// scores: (T), V: (T, dv) -> the output of every prefix (T, dv), one token at a time (RNN form).
// A −inf score hides its token; NaN or +inf scores throw.
Tensor aaren_recurrent(const Tensor& scores, const Tensor& V);
// The same outputs from a Hillis-Steele inclusive prefix scan with aaren_combine (log₂ T rounds,
// each of whose combines could run in parallel).
Tensor aaren_scan(const Tensor& scores, const Tensor& V);

}  // namespace attnlab
