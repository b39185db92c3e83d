// Batches for sequence-to-sequence training: sentences of similar length together (little padding),
// padded with <pad> = 0, target shifted for teacher forcing:
//   source:     x₁ … xₙ <eos>        decoder input:  <bos> y₁ … yₘ        decoder output: y₁ … yₘ <eos>
#pragma once

#include <cstdint>
#include <vector>

#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct TokenPair {
    std::vector<std::int32_t> source, target;  // ids without <bos>/<eos>
};

struct Batch {
    IntTensor source;          // (B, Ts) with <eos> after each sentence, <pad> after that
    IntTensor source_lengths;  // (B) counting the <eos>
    IntTensor target_in;       // (B, Tt): <bos> y₁ … yₘ <pad>…
    IntTensor target_out;      // (B, Tt): y₁ … yₘ <eos> <pad>…
    std::vector<std::size_t> indices;  // positions of these pairs in the data set
    std::size_t target_tokens() const;  // non-padding entries of target_out
};

// Pads the given pairs into one batch.
Batch make_batch(const std::vector<TokenPair>& data, const std::vector<std::size_t>& indices);

// Sorts by length and cuts into batches of at most `max_tokens` padded source+target tokens (and at
// most max_sentences); the order of the batches is shuffled with rng when `shuffle`.
std::vector<Batch> make_batches(const std::vector<TokenPair>& data, std::size_t max_tokens,
                                std::size_t max_sentences, Rng& rng, bool shuffle);

}  // namespace attnlab
