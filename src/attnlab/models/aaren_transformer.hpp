// The Transformer (transformer.hpp) with its decoder's masked self-attention replaced by Aaren layers
// (nn/aaren_decoder_layer.hpp): architecture "aaren". The encoder, the embeddings and positions, the
// cross-attention, the FFNs, the norms and the generator are the Transformer's, so the two compare on
// equal terms: the same sizes, d more parameters per decoder layer (the query token), and with the same
// seed the same initial weights for everything they share.
//   training:  the decoder reads the whole gold prefix at once (Aaren's prefix form, O(T) per layer)
//   decoding:  each decoder layer keeps the Aaren state (m, u, w) per head — O(1) in the generated
//              length — instead of the Transformer's key/value cache of every generated position
// Parameters: the Transformer's names, plus decoder.layers.{i}.self_attn.query (d).
// config.json: the Transformer's fields with "architecture": "aaren".
#pragma once

#include <memory>
#include <vector>

#include "attnlab/models/transformer.hpp"
#include "attnlab/nn/aaren_decoder_layer.hpp"

namespace attnlab {

nlohmann::json aaren_config_to_json(const TransformerConfig& c);
TransformerConfig aaren_config_from_json(const nlohmann::json& j);  // validates, Error names the field

struct AarenTransformer final : SequenceModel {
    Transformer base;  // embeddings, encoder, norms, generator; its decoder_layers are moved into ours
    std::vector<AarenDecoderLayer> decoder_layers;

    // Everything but the queries exactly as Transformer(config, seed); the queries from their own Rng.
    AarenTransformer(const TransformerConfig& config, std::uint64_t seed);

    NamedVars parameters() const override;
    std::size_t target_vocab_size() const override { return base.cfg.target_vocab_size; }
    // teacher-forced logits (B, Tt, V); Error when options.teacher_forcing < 1
    Var forward(const Batch& batch, const ForwardOptions& options) const override;
    // A session that also records every attention map ("decoder_self" (K, L, h, t), "cross", and the
    // source's "encoder_self"), like the Transformer's.
    std::unique_ptr<DecoderSession> start(const IntTensor& source, const IntTensor& lengths) const override;
    // attention_maps = false: no map at all, and no score kept — only the O(1) state per layer.
    std::unique_ptr<DecoderSession> start_session(const IntTensor& source, const IntTensor& lengths,
                                                  bool attention_maps) const;
    nlohmann::json config() const override;

    // target_in: (B, Tt) ids -> logits (B, Tt, V), per layer self_weights (B, h, Tt, Tt) (when asked)
    // and cross_weights (B, h, Tt, Ts)
    Transformer::Decoded decode(const Transformer::Encoded& enc, const IntTensor& target_in, const Run& run,
                                bool self_weights = true) const;
};

}  // namespace attnlab
