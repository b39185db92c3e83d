// Beam search: keep the k most likely partial translations at every step instead of only the best.
// Finished hypotheses (ending in <eos>) are ranked by log p / length^α (length normalisation, so
// short outputs are not favoured just for having fewer factors below one).
#pragma once

#include "attnlab/decode/hypothesis.hpp"

namespace attnlab {

// source: (1, Ts) ids with <eos>, lengths (1) -> the best hypothesis. With beam 1 it equals greedy.
Hypothesis beam_search(const SequenceModel& model, const IntTensor& source, const IntTensor& lengths,
                       const DecodeOptions& options);

}  // namespace attnlab
