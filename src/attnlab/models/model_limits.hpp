// The largest model a config.json may describe, checked field by field when the config is read and
// on the parameter count the sizes imply, before anything is allocated (attnlab's models are far below:
// vocabularies < 200, widths ≤ 256, 2 layers, < 1M parameters). docs/limits.md lists every limit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace attnlab {

constexpr std::size_t model_max_vocab_size = 1'000'000;     // source_vocab_size, target_vocab_size
constexpr std::size_t model_max_width = 4096;               // embedding_dim, hidden_size, attention_size, d_model
constexpr std::size_t model_max_feedforward = 16384;        // dim_feedforward
constexpr std::size_t model_max_layers = 64;                // num_layers, num_encoder_layers, num_decoder_layers
constexpr std::size_t model_max_heads = 256;                // num_heads
constexpr std::size_t model_max_positions = 4096;           // max_length (the Transformer's sinusoid table)
constexpr std::uint64_t model_max_parameters = 64'000'000;  // 256 MB as float32, the weight file's limit

}  // namespace attnlab
