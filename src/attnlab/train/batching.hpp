// Batches for sequence-to-sequence training (models/batch.hpp): sentences of similar length together
// (little padding), padded with <pad>, target shifted for teacher forcing.
#pragma once

#include <cstdint>
#include <vector>

#include "attnlab/models/batch.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

// Pads the given pairs into one batch.
Batch make_batch(const std::vector<TokenPair>& data, const std::vector<std::size_t>& indices);

// Sorts by length and cuts into batches of at most `max_tokens` padded source+target tokens (and at
// most max_sentences); the order of the batches is shuffled with rng when `shuffle`.
std::vector<Batch> make_batches(const std::vector<TokenPair>& data, std::size_t max_tokens, std::size_t max_sentences,
                                Rng& rng, bool shuffle);

}  // namespace attnlab
