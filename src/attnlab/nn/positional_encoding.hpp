// Positional encodings added to the word vectors (primer, section 9.1: "词向量加上了positional
// embedding"), either fixed sinusoids as in "Attention is all you need":
//   PE[pos, 2i]   = sin(pos / 10000^(2i/d))
//   PE[pos, 2i+1] = cos(pos / 10000^(2i/d))
// (so PE[pos+k] is a linear function of PE[pos]), or a learned table, one vector per position
// (an nn.Embedding(max_len, d) indexed by position, init N(0, 1)).
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

// -> (max_len, d); for odd d the last column is a sine.
Tensor sinusoidal_positions(std::size_t max_len, std::size_t d);

struct LearnedPositions {
    Var weight;  // (max_len, D)
};

LearnedPositions make_learned_positions(std::size_t max_len, std::size_t dim, Rng& rng);

// x: (B, T, D), table: (max_len, D) -> x + table[start : start + T] broadcast over B.
// `start` > 0 places x later in the sequence (one decoder step at a time).
// Throws when start + T > max_len or D differs.
Var add_positions(const Var& x, const Tensor& table, std::size_t start = 0);
// The same with a learned table (differentiable in its weight).
Var add_positions(const Var& x, const LearnedPositions& positions, std::size_t start = 0);

// "weight" under `prefix`.
void add_parameters(NamedVars& out, const std::string& prefix, const LearnedPositions& positions);

}  // namespace attnlab
