// Multi-head Aaren (Feng et al. 2024): one learned query token attends over every prefix of x, with the
// projections of nn.MultiheadAttention (multi_head_attention.hpp). Per head h of d/h dimensions:
//   q_h = (W_Q query + b_Q)_h,   k_{i,h} = (W_K x_i + b_K)_h,   v_{i,h} = (W_V x_i + b_V)_h
//   o_{t,h} = Σ_{i≤t} softmax_i(q_h · k_{i,h} / √(d/h)) v_{i,h},     output_t = W_O [o_{t,1}; …; o_{t,h}] + b_O
// That is multi_head_attention(m, the query repeated at every position, x, x, causal_mask) — in PyTorch,
// nn.MultiheadAttention with a learned query and a causal mask — but since the query does not depend on
// the input it folds into the key projection, and no key is ever formed:
//   score_{i,h} = x_i · a_h + c_h,   a_h = W_K,hᵀ q_h / √(d/h)  (d),   c_h = b_K,h · q_h / √(d/h)
// Two forms with the same outputs:
//   training:  every prefix at once through aaren_prefix_attention (differentiable, O(T) memory);
//   decoding:  one token at a time, each head an RNN with the state (m, u, w) of aaren_attention.hpp,
//              whose size does not grow with the prefix (plain tensors, no gradient).
// The query token is W_Q-projected like any query: redundant as a parameterisation (W_Q query is just
// another learned vector) but it keeps nn.MultiheadAttention's exact layout and the Transformer's init.
#pragma once

#include <vector>

#include "attnlab/nn/aaren_attention.hpp"
#include "attnlab/nn/multi_head_attention.hpp"

namespace attnlab {

// The query folded into the key projection: scores (…, h) = linear(x (…, d), weight, bias)
struct AarenScoreMap {
    Var weight;  // (h, d)   row h: W_K,hᵀ q_h / √(d/h)
    Var bias;    // (h)      b_K,h · q_h / √(d/h)
};
// m with projections, query: (d). Throws for the plain-split variant (it has no W_K to fold into).
AarenScoreMap aaren_score_map(const MultiHeadAttention& m, const Var& query);

// x: (B, T, d) -> {output (B, T, d) of every prefix, weights (B, h, T, T) — zeros above the diagonal —
// and scores (B, h, T, T) — score_{i,h} in row t for i ≤ t, −inf above the diagonal — or an empty Var
// and Tensor when !with_weights}
AttentionOutput multi_head_aaren(const MultiHeadAttention& m, const Var& query, const Var& x, bool with_weights = true);

// What a decoding keeps per layer: the (m, u, w) of every hypothesis and head, O(1) in the length.
struct MultiHeadAarenState {
    std::size_t num_heads = 0;
    Tensor score_weight, score_bias;         // the AarenScoreMap, computed once: (h, d), (h)
    std::vector<AarenState> heads;           // (B·h): hypothesis b, head h at b·h + h; w: (d/h)
    bool keep_scores = true;                 // keep every score, only to draw the attention map
    std::vector<std::vector<float>> scores;  // (B·h) × t, the scores so far (empty without keep_scores)
    std::size_t length = 0;                  // positions seen
    std::size_t batch() const { return num_heads ? heads.size() / num_heads : 0; }
};
MultiHeadAarenState start_multi_head_aaren(const MultiHeadAttention& m, const Var& query, std::size_t batch,
                                           bool keep_scores = true);
// x: (B, 1, d) the newest position -> {output (B, 1, d), weights and scores (B, h, 1, t + 1) over the positions
// so far (empty Var without keep_scores)}: row t of multi_head_aaren on the whole prefix.
AttentionOutput multi_head_aaren_step(const MultiHeadAttention& m, const Var& x, MultiHeadAarenState& state);
// Keeps the hypotheses `parents` (indices into the current B, repeats allowed), in this order.
void reorder_multi_head_aaren(MultiHeadAarenState& state, const std::vector<std::size_t>& parents);
// Bytes of the recurrent state proper, B·h·(2 + d/h) floats (not the kept scores, not the score map).
std::size_t recurrent_state_bytes(const MultiHeadAarenState& state);

}  // namespace attnlab
