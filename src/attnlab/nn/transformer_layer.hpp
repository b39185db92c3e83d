// The Transformer's encoder and decoder layers (primer §9; "Attention is all you need"), in PyTorch's
// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer layout (batch_first=True, activation ReLU).
// Every sublayer is wrapped in a residual connection and a layer normalisation:
//   post-LN (norm_first = false, the paper and the primer):  x = LN(x + Sublayer(x))
//   pre-LN  (norm_first = true):                             x = x + Sublayer(LN(x))
// Encoder layer: Sub-L1 self-attention, Sub-L2 the position-wise feed-forward network
//   FFN(x) = linear2(ReLU(linear1(x)))   d -> d_ff -> d.
// Decoder layer: Sub-L1 masked self-attention (the future hidden), Sub-L2 attention over the encoder's
// output ("cross" attention: queries from the decoder, keys and values from the encoder), Sub-L3 FFN.
// Sub-L1 is one of two (DecoderSelfAttention):
//   masked  the Transformer's masked multi-head self-attention; decoding keeps a key/value cache of
//           every generated position
//   aaren   multi-head Aaren (multi_head_aaren.hpp): a learned query token per layer attends over the
//           prefix; decoding keeps the Aaren state (m, u, w) per head, O(1) in the generated length
// Dropout (training only) on each sublayer's output before the residual sum and after the ReLU, as
// PyTorch; PyTorch's dropout on the attention weights is not applied.
// Parameters (PyTorch names):
//   self_attn.{in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias}
//   self_attn.query (d)                       (aaren only, listed first: the learned query token)
//   multihead_attn.*                          (decoder only)
//   linear1.weight (d_ff, d), linear1.bias    linear2.weight (d, d_ff), linear2.bias
//   norm1.weight/bias, norm2.weight/bias, norm3.weight/bias (decoder only)
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/attention_cache.hpp"
#include "attnlab/nn/multi_head_aaren.hpp"
#include "attnlab/nn/multi_head_attention.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct FeedForward {
    Var linear1_weight, linear1_bias;  // (d_ff, d), (d_ff)
    Var linear2_weight, linear2_bias;  // (d, d_ff), (d)
};

struct LayerNormParams {
    Var weight, bias;  // (d) gamma = 1, beta = 0 at init
};

struct TransformerEncoderLayer {
    MultiHeadAttention self_attn;
    FeedForward ff;
    LayerNormParams norm1, norm2;
    bool norm_first = false;
    float dropout = 0.0f;
};

// A decoder layer's Sub-L1: the Transformer's masked self-attention, or Aaren's learned query.
enum class DecoderSelfAttention { masked, aaren };

struct TransformerDecoderLayer {
    DecoderSelfAttention self_attention = DecoderSelfAttention::masked;
    Var aaren_query;  // (d) aaren only: the learned query token "self_attn.query" (W_Q projects it)
    MultiHeadAttention self_attn, multihead_attn;
    FeedForward ff;
    LayerNormParams norm1, norm2, norm3;
    bool norm_first = false;
    float dropout = 0.0f;
};

// PyTorch's init: attention as make_multi_head_attention, linears uniform(±1/√fan_in), norms 1 and 0.
TransformerEncoderLayer make_transformer_encoder_layer(std::size_t d_model, std::size_t num_heads,
                                                       std::size_t dim_feedforward, float dropout, bool norm_first,
                                                       Rng& rng);
TransformerDecoderLayer make_transformer_decoder_layer(std::size_t d_model, std::size_t num_heads,
                                                       std::size_t dim_feedforward, float dropout, bool norm_first,
                                                       Rng& rng);
// Makes Sub-L1 Aaren's: keeps every weight and draws the query token ~ N(0, 1) from rng — a token of
// unit variance, like a layer-normed input.
void use_aaren_self_attention(TransformerDecoderLayer& l, Rng& rng);
LayerNormParams make_layer_norm(std::size_t d);

// x: (…, d) -> (…, d)
Var layer_norm_forward(const LayerNormParams& n, const Var& x);
// x: (…, d) -> linear2(dropout(ReLU(linear1(x)))) (…, d)
Var feed_forward(const FeedForward& ff, const Var& x, float dropout, const Run& run);
// One residual sublayer, the primer's LN(x + Sublayer(x)): post-LN  LN(x + drop(f(x)))  or pre-LN
// x + drop(f(LN(x))).  x: (…, d)
template <class Sublayer>
Var residual_sublayer(const Var& x, const LayerNormParams& norm, bool norm_first, float p, const Run& run, Sublayer f) {
    if (norm_first) return x + dropout(f(layer_norm_forward(norm, x)), p, run);
    return layer_norm_forward(norm, x + dropout(f(x), p, run));
}

struct EncoderLayerOutput {
    Var output;                          // (B, T, d)
    Var self_weights;                    // (B, h, T, T)
    Tensor self_scores;                  // (B, h, T, T) before the softmax, −inf on padding
    Var self_values, self_head_context;  // per head: v_i (B, h, T, d/h) and o_t = Σ_i α_{t,i} v_i (B, h, T, d/h)
};
// x: (B, Ts, d), key_padding_mask: (B, Ts) 0 / −inf -> output (B, Ts, d), self-attention weights
EncoderLayerOutput encoder_layer_forward(const TransformerEncoderLayer& l, const Var& x, const Tensor& key_padding_mask,
                                         const Run& run);

struct DecoderLayerOutput {
    Var output;                        // (B, Tt, d)
    Var self_weights;                  // (B, h, Tt, Tt)
    Var cross_weights;                 // (B, h, Tt, Ts)
    Tensor self_scores, cross_scores;  // the same shapes, before the softmax: −inf on the future, on padding
    // per head (AttentionOutput::values, head_context): the values v_i (B, h, Tk, d/h) — for a step, the
    // cached values of every position so far — and the head outputs o_t = Σ_i α_{t,i} v_i (B, h, Tt, d/h);
    // the self_ pair stays empty with Aaren (its values fold into the state)
    Var self_values, self_head_context, cross_values, cross_head_context;
};
// x: (B, Tt, d) the target prefix, memory: (B, Ts, d) the encoder output, memory_mask: (B, Ts)
// 0 / −inf on source padding; the decoder self-attention is causal. self_weights = false: Aaren forms no
// (B, h, Tt, Tt) map (self_weights stays an empty Var); the masked self-attention always has it.
DecoderLayerOutput decoder_layer_forward(const TransformerDecoderLayer& l, const Var& x, const Var& memory,
                                         const Tensor& memory_mask, const Run& run, bool self_weights = true);

// What one decoder layer keeps between incremental steps.
struct DecoderLayerCache {
    // masked: the keys/values of the positions so far (B, h, t, d/h); aaren: the state of every
    // hypothesis and head, O(1) in t
    std::variant<KeyValueCache, MultiHeadAarenState> self;
    Var cross_keys;    // (B, h, Ts, d/h): W_K of the encoder output, computed once
    Var cross_values;  // (B, h, Ts, d/h)
};
// memory: (B, Ts, d) -> a cache with the cross-attention keys and values filled in, no positions yet;
// keep_scores = false: Aaren keeps no score (no self-attention map), only its O(1) state.
DecoderLayerCache start_decoder_layer_cache(const TransformerDecoderLayer& l, const Var& memory,
                                            bool keep_scores = true);
// x: (B, 1, d) the newest position, memory_mask (B, Ts) -> the same as row t of decoder_layer_forward
// on the whole prefix: output (B, 1, d), self_weights (B, h, 1, t + 1) (empty when Aaren keeps no
// scores), cross_weights (B, h, 1, Ts); adds this position to cache.self.
DecoderLayerOutput decoder_layer_step(const TransformerDecoderLayer& l, const Var& x, DecoderLayerCache& cache,
                                      const Tensor& memory_mask, const Run& run);
// Keeps the hypotheses `parents` (indices into the current B, repeats allowed) in this order.
void reorder_decoder_layer_cache(DecoderLayerCache& cache, const std::vector<std::size_t>& parents);

void add_parameters(NamedVars& out, const std::string& prefix, const LayerNormParams& n);
void add_parameters(NamedVars& out, const std::string& prefix, const FeedForward& ff);  // linear1.*, linear2.*
void add_parameters(NamedVars& out, const std::string& prefix, const TransformerEncoderLayer& l);
void add_parameters(NamedVars& out, const std::string& prefix, const TransformerDecoderLayer& l);

}  // namespace attnlab
