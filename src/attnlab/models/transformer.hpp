// The Transformer of "Attention is all you need" (primer §9–§10) as an encoder-decoder SequenceModel,
// in the layout of PyTorch's nn.Transformer:
//   encoder:  x = √d · src_embedding(source) + PE,   N encoder layers (self-attention, FFN)
//   decoder:  y = √d · tgt_embedding(target_in) + PE, N decoder layers (masked self-attention,
//             attention over the encoder output, FFN)
//   output:   p(y_t | y_<t, x) = softmax(generator(y_t))
// PE the fixed sinusoids of nn/positional_encoding.hpp for positions < max_length; dropout (training
// only) after adding the positions and inside every layer (see nn/transformer_layer.hpp).
// Parameters (PyTorch names; d = d_model):
//   src_embedding.weight (V_src, d)   tgt_embedding.weight (V_tgt, d)
//   encoder.layers.{i}.*              decoder.layers.{i}.*       (nn.TransformerEncoderLayer / DecoderLayer)
//   encoder.norm.weight/bias, decoder.norm.weight/bias           (pre-LN only; nn.Transformer always has
//                                     them, so for post-LN parity build it with encoder.norm = decoder.norm = None)
//   generator.weight (V_tgt, d)       (absent with tie_embeddings: the target embedding is used)
//   generator.bias (V_tgt)
// Embeddings are drawn N(0, 1/d), so that √d · embedding has unit variance like the positions
// (tensor2tensor / fairseq; PyTorch's nn.Embedding default N(0, 1) would drown PE at d = 64).
// Training is always fully teacher-forced: forward() throws when options.teacher_forcing < 1 (the
// decoder sees the whole gold prefix at once; sampling its own outputs would need a sequential loop).
//
// config.json "architecture": "transformer", or "aaren": the same model with each decoder layer's
// masked self-attention replaced by multi-head Aaren (nn/transformer_layer.hpp, DecoderSelfAttention),
// so the two compare on equal terms: the same sizes, d more parameters per decoder layer (the query
// token decoder.layers.{i}.self_attn.query, listed first in its layer), and with the same seed the
// same initial weights for everything they share (the queries come from their own Rng).
//   training:  the decoder reads the whole gold prefix at once (Aaren's prefix form, O(T) per layer)
//   decoding:  each Aaren layer keeps the state (m, u, w) per head — O(1) in the generated length —
//              instead of the key/value cache of every generated position
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "attnlab/models/config_fields.hpp"
#include "attnlab/models/sequence_model.hpp"
#include "attnlab/nn/embedding.hpp"
#include "attnlab/nn/transformer_layer.hpp"

namespace attnlab {

struct TransformerConfig {
    std::size_t source_vocab_size = 0, target_vocab_size = 0;
    std::size_t d_model = 64, num_heads = 4;
    std::size_t num_encoder_layers = 2, num_decoder_layers = 2;
    std::size_t dim_feedforward = 256;
    float dropout = 0.1f;
    bool norm_first = false;       // false: post-LN (paper), true: pre-LN
    bool tie_embeddings = false;   // generator.weight = tgt_embedding.weight
    std::size_t max_length = 256;  // positions of the sinusoid table (source and target)
    DecoderSelfAttention self_attention = DecoderSelfAttention::masked;  // "architecture", below
};

// config.json's "architecture" of a Transformer: its decoder self-attention.
inline constexpr NameTable<DecoderSelfAttention, 2> transformer_architecture_names = {
    {DecoderSelfAttention::masked, "transformer"}, {DecoderSelfAttention::aaren, "aaren"}};

nlohmann::json transformer_config_to_json(const TransformerConfig& c);
TransformerConfig transformer_config_from_json(const nlohmann::json& j);  // validates, Error names the field
// Every parameter's name and shape in parameters() order, from the config alone (nothing allocated);
// with Aaren, each decoder layer starts with its query "decoder.layers.{i}.self_attn.query" (d).
ParameterShapes transformer_parameter_shapes(const TransformerConfig& c);

struct Transformer final : SequenceModel {
    TransformerConfig cfg;
    Embedding src_embedding, tgt_embedding;
    std::vector<TransformerEncoderLayer> encoder_layers;
    std::vector<TransformerDecoderLayer> decoder_layers;
    LayerNormParams encoder_norm, decoder_norm;  // pre-LN only
    Var generator_weight;                        // empty when tied
    Var generator_bias;
    Tensor positions;  // (max_length, d) sinusoids

    // Fresh weights drawn from `seed` (with no seed all zero, nothing drawn: for a loader); throws on a bad config
    Transformer(const TransformerConfig& config, std::optional<std::uint64_t> seed);
    // "transformer" or "aaren", the name its errors and config.json use
    const char* architecture() const { return name_of(transformer_architecture_names, cfg.self_attention); }

    NamedVars parameters() const override;
    std::size_t target_vocab_size() const override { return cfg.target_vocab_size; }
    // teacher-forced logits (B, Tt, V); Error when options.teacher_forcing < 1
    Var forward(const Batch& batch, const ForwardOptions& options) const override;
    // A session that records every attention map ("decoder_self" (K, L, h, t), "cross", and the
    // source's "encoder_self"); the self-attention cache of each decoder layer is its key/value cache or
    // its Aaren state.
    std::unique_ptr<DecoderSession> start(const IntTensor& source, const IntTensor& lengths) const override;
    // attention_maps = false: no map at all, and no score kept (Aaren: only the O(1) state per layer).
    std::unique_ptr<DecoderSession> start_session(const IntTensor& source, const IntTensor& lengths,
                                                  bool attention_maps) const;
    nlohmann::json config() const override;

    // The pieces, for the session and the tests.
    struct Encoded {
        Var memory;                       // (B, Ts, d) the encoder output
        Tensor mask;                      // (B, Ts) 0 / −inf on padding
        std::vector<Var> self_weights;    // per layer (B, h, Ts, Ts)
        std::vector<Tensor> self_scores;  // per layer (B, h, Ts, Ts) before the softmax, −inf on padding
        std::vector<Var> self_values, self_head_context;  // per layer, per head (B, h, Ts, d/h): v_i, Σ_i α_{t,i} v_i
    };
    struct Decoded {
        Var logits;                                     // (B, Tt, V)
        std::vector<Var> self_weights;                  // per layer (B, h, Tt, Tt); Aaren: empty unless asked
        std::vector<Var> cross_weights;                 // per layer (B, h, Tt, Ts)
        std::vector<Tensor> self_scores, cross_scores;  // the same before the softmax (−inf where masked)
    };
    // source: (B, Ts) ids, lengths (B)
    Encoded encode(const IntTensor& source, const IntTensor& lengths, const Run& run) const;
    // target_in: (B, Tt) ids -> the whole target prefix at once (causal); self_weights = false: Aaren
    // forms no decoder self-attention map
    Decoded decode(const Encoded& enc, const IntTensor& target_in, const Run& run, bool self_weights = true) const;
    // ids: (B, T) -> √d · embedding + PE[start : start + T], dropout  (B, T, d)
    Var embed(const Embedding& e, const IntTensor& ids, std::size_t start, const Run& run) const;
    // y: (…, d) the decoder output -> logits (…, V)
    Var generate(const Var& y) const;
};

// The per-layer maps of one decoding step, each (K, h, 1, t) -> (K, L, h, t)
Tensor stack_layer_steps(const std::vector<Tensor>& per_layer);
// The per-layer maps of a whole sequence, each (B, h, T, T') -> (B, L, h, T, T')
Tensor stack_layers(const std::vector<Tensor>& per_layer);
// The newest position of each layer's cached values, each (K, h, t, d/h) -> (K, L, h, d/h)
Tensor stack_newest_positions(const std::vector<Var>& per_layer);

// What a decoding session keeps of its source for §10's per-head sums (DecoderSession::keep_head_sums):
// per layer handles (B, h, Ts, d/h), stacked only when asked.
struct SourceHeadSums {
    std::vector<Var> encoder_values, encoder_head_context, cross_values;
    StepAttention values() const;        // "encoder_self", "cross": (B, L, h, Ts, d/h)
    StepAttention head_context() const;  // "encoder_self": (B, L, h, Ts, d/h)
};

}  // namespace attnlab
