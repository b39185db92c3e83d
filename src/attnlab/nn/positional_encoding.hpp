// Positional encodings added to the word vectors (primer, section 9.1: "词向量加上了positional
// embedding"): the fixed sinusoids of "Attention is all you need":
//   PE[pos, 2i]   = sin(pos / 10000^(2i/d))
//   PE[pos, 2i+1] = cos(pos / 10000^(2i/d))
// (so PE[pos+k] is a linear function of PE[pos]).
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"

namespace attnlab {

// -> (max_len, d); for odd d the last column is a sine.
Tensor sinusoidal_positions(std::size_t max_len, std::size_t d);

// x: (B, T, D), table: (max_len, D) -> x + table[start : start + T] broadcast over B.
// `start` > 0 places x later in the sequence (one decoder step at a time).
// Throws when start + T > max_len or D differs.
Var add_positions(const Var& x, const Tensor& table, std::size_t start = 0);

}  // namespace attnlab
