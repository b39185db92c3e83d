// Multi-head attention (primer §10): h heads each attend in a d/h-dimensional subspace, in parallel,
// and their outputs are concatenated:
//   head_i = Attention(Q W_Q,i, K W_K,i, V W_V,i),   MultiHead(Q, K, V) = [head_1; …; head_h] W_Oᵀ + b_O
// Two ways to get each head's Q, K, V, as the primer lists them:
//   projections = true:  learned linear maps, in PyTorch nn.MultiheadAttention's exact layout
//                        (batch_first=True, kdim = vdim = embed_dim):
//     in_proj_weight  (3d, d)  packed [W_Q; W_K; W_V]     in_proj_bias (3d)  packed [b_Q; b_K; b_V]
//     out_proj.weight (d, d)                             out_proj.bias (d)
//   projections = false: the plain split — Q, K, V are cut into h slices of d/h columns, no W_Q, W_K,
//     W_V, W_O; the output is the concatenation of the heads.
// Masks are additive float tensors (0 keeps, −inf hides; PyTorch's float-mask convention):
//   key_padding_mask (B, Tk) (see padding_mask), attn_mask broadcastable to (B, h, Tq, Tk), typically
//   (Tq, Tk) (see causal_mask); Tensor() for none. A query whose keys are all masked outputs
//   out_proj.bias (zero attention), where PyTorch 1.13 gives NaN.
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/nn/scaled_dot_product_attention.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct MultiHeadAttention {
    std::size_t embed_dim = 0;  // d
    std::size_t num_heads = 1;  // h; each head has d/h dimensions
    bool projections = true;    // false: the plain split variant, and the Vars below stay empty
    Var in_proj_weight;         // (3d, d)  "in_proj_weight"
    Var in_proj_bias;           // (3d)     "in_proj_bias"
    Var out_proj_weight;        // (d, d)   "out_proj.weight"
    Var out_proj_bias;          // (d)      "out_proj.bias"
};

// PyTorch's init: in_proj_weight xavier_uniform (±√(6 / 4d)), out_proj.weight uniform(±1/√d), biases 0.
// Throws unless num_heads divides embed_dim.
MultiHeadAttention make_multi_head_attention(std::size_t embed_dim, std::size_t num_heads, Rng& rng,
                                             bool projections = true);

// x: (B, T, d) -> (B, h, T, d/h)   (reshape to (B, T, h, d/h), then permute)
Var split_heads(const Var& x, std::size_t num_heads);
// x: (B, h, T, d/h) -> (B, T, d)   (the inverse: permute back, then reshape)
Var merge_heads(const Var& x);
// x: (B, T, d) -> that role's per-head view (B, h, T, d/h); role 0 = query (W_Q), 1 = key (W_K),
// 2 = value (W_V) — the rows [role·d, (role+1)·d) of in_proj — or the plain split without projections
Var project_heads(const MultiHeadAttention& m, const Var& x, std::size_t role);
// heads: (B, h, T, d/h) -> (B, T, d): merged, then out_proj (when projections)
Var combine_heads(const MultiHeadAttention& m, const Var& heads);

// query: (B, Tq, d), key: (B, Tk, d), value: (B, Tk, d) -> {output (B, Tq, d), weights (B, h, Tq, Tk)}
// (the per-head weights: PyTorch's average_attn_weights=False)
AttentionOutput multi_head_attention(const MultiHeadAttention& m, const Var& query, const Var& key, const Var& value,
                                     const Tensor& key_padding_mask, const Tensor& attn_mask);

// in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias (none for the plain variant)
void add_parameters(NamedVars& out, const std::string& prefix, const MultiHeadAttention& m);

}  // namespace attnlab
