// The embedding of the primer (section 3): a table with one learned vector per token id, so the
// index of the previous output can be fed to the decoder as a vector. PyTorch's
// nn.Embedding(num_embeddings, embedding_dim), weight initialised N(0, 1).
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct Embedding {
    Var weight;  // (num_embeddings, D)
};

Embedding make_embedding(std::size_t num_embeddings, std::size_t dim, Rng& rng);

// ids: (B, T) ints in [0, num_embeddings) -> (B, T, D); any shape of ids works: (B) -> (B, D).
Var embedding_forward(const Embedding& emb, const IntTensor& ids);

// "weight" under `prefix`.
void add_parameters(NamedVars& out, const std::string& prefix, const Embedding& emb);

}  // namespace attnlab
