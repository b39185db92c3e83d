// The Aaren layer: the Transformer's decoder layer (transformer_layer.hpp) with Sub-L1, the masked
// self-attention, replaced by multi-head Aaren (multi_head_aaren.hpp) — a learned query token per layer
// attends over the prefix. Sub-L2 (attention over the encoder output), Sub-L3 (the FFN), the residuals,
// the layer norms (post-LN or pre-LN) and dropout are the Transformer's:
//   post-LN:  y = LN1(x + Aaren(x)),  z = LN2(y + CrossAttn(y, memory)),  out = LN3(z + FFN(z))
// Decoding keeps per layer the Aaren state (O(1) in the generated length) and the cross-attention keys
// and values of the source (computed once), where the Transformer keeps a key/value cache that grows.
// Parameters: the TransformerDecoderLayer's (PyTorch names) plus self_attn.query (d).
#pragma once

#include <string>

#include "attnlab/nn/multi_head_aaren.hpp"
#include "attnlab/nn/transformer_layer.hpp"

namespace attnlab {

struct AarenDecoderLayer {
    TransformerDecoderLayer base;  // self_attn: W_Q projects the query token; W_K, W_V, W_O; the rest as is
    Var query;                     // (d) the learned query token, "self_attn.query"
};

// The Aaren layer of a Transformer decoder layer: keeps all its weights and draws the query token
// ~ N(0, 1) from rng — a token of unit variance, like a layer-normed input.
AarenDecoderLayer make_aaren_decoder_layer(TransformerDecoderLayer base, Rng& rng);

// x: (B, Tt, d) the target prefix, memory: (B, Ts, d), memory_mask: (B, Ts) 0 / −inf -> output (B, Tt, d),
// self_weights (B, h, Tt, Tt) of the Aaren query over each prefix (empty Var unless self_weights),
// cross_weights (B, h, Tt, Ts). The training form: every prefix at once.
DecoderLayerOutput aaren_decoder_layer_forward(const AarenDecoderLayer& l, const Var& x, const Var& memory,
                                               const Tensor& memory_mask, const Run& run, bool self_weights = true);

struct AarenDecoderLayerCache {
    MultiHeadAarenState self;  // the Aaren RNN state of every hypothesis and head
    DecoderLayerCache cross;   // cross_keys / cross_values of the source (its key/value cache stays empty)
};
// memory: (B, Ts, d) -> the cache before the first position; keep_scores as start_multi_head_aaren
AarenDecoderLayerCache start_aaren_decoder_layer_cache(const AarenDecoderLayer& l, const Var& memory,
                                                       bool keep_scores = true);
// x: (B, 1, d) the newest position -> row t of aaren_decoder_layer_forward: output (B, 1, d),
// self_weights (B, h, 1, t + 1) (empty without kept scores), cross_weights (B, h, 1, Ts). Inference only.
DecoderLayerOutput aaren_decoder_layer_step(const AarenDecoderLayer& l, const Var& x, AarenDecoderLayerCache& cache,
                                            const Tensor& memory_mask);

// The TransformerDecoderLayer's names plus self_attn.query
void add_parameters(NamedVars& out, const std::string& prefix, const AarenDecoderLayer& l);

}  // namespace attnlab
