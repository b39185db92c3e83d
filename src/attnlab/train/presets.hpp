// The model presets of `attnlab train` (and of the page): a name like "bahdanau-gru" or
// "transformer-preln" and a few sizes -> the model's config JSON and the optimiser settings that go
// with it. Unset sizes take the preset's defaults.
//   context-CELL            the one context vector of §2, no attention
//   bahdanau-CELL           additive attention before the decoder step (§6)
//   luong-SCORE-CELL        attention after the step (§7), SCORE = general | dot | concat | scaled-dot
//   transformer, transformer-preln, aaren, aaren-preln   (§9–§10; Aaren: attention as an RNN)
// CELL = gru | lstm | rnn. The Transformers train with Adam β₂ = 0.98, ε = 1e-9 (Vaswani et al. §5.3),
// the RNNs with PyTorch's defaults β₂ = 0.999, ε = 1e-8.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/models/seq2seq.hpp"
#include "attnlab/train/trainer.hpp"

namespace attnlab {

struct PresetOptions {
    // RNN presets
    std::optional<std::size_t> embedding, hidden, attention_size;
    std::optional<float> teacher_forcing_start, teacher_forcing_end;
    bool no_bidirectional = false, no_input_feeding = false;
    // Transformer presets
    std::optional<std::size_t> d_model, heads, ffn;
    bool tie_embeddings = false;
    // both
    std::optional<std::size_t> layers;  // RNN: stacked layers; Transformer: layers on each side
    std::optional<float> dropout;
};

struct Preset {
    nlohmann::json model;  // the model's config JSON, without the vocabulary sizes
    TrainConfig train;     // the optimiser settings, model_dim and teacher forcing; the rest default
};

// Errors: an unknown name, an option of the other family (e.g. hidden for a Transformer).
Preset make_preset(const std::string& name, const PresetOptions& options = {});

// "bahdanau-gru" -> attention bahdanau, score additive, cell gru (the RNN presets only).
Seq2SeqConfig rnn_preset(const std::string& name);

}  // namespace attnlab
