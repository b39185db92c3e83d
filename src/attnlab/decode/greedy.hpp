// Greedy decoding (primer §2): feed back the most likely token until <eos> or the length guard.
#pragma once

#include "attnlab/decode/hypothesis.hpp"

namespace attnlab {

// source: (B, Ts) ids with <eos>, lengths (B) -> one hypothesis per sentence, decoded as a batch;
// head_sums: each also keeps every head's values and weighted sums (DecoderSession::keep_head_sums).
std::vector<Hypothesis> greedy_decode(const SequenceModel& model, const IntTensor& source, const IntTensor& lengths,
                                      std::size_t max_length, bool head_sums = false);

}  // namespace attnlab
