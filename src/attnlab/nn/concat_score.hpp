// Luong's "concat" attention score (primer §7): a one-hidden-layer net on the concatenation [s; h_j]
//   score(s, h_j) = v_aᵀ tanh(W_a [s; h_j])
// Parameters as PyTorch nn.Linear modules without bias (as in Luong et al. 2015):
//   W_a.weight (A, Hd + He)   — nn.Linear(Hd + He, A, bias=False); columns [0, Hd) see s, [Hd, Hd+He) see h_j
//   v_a.weight (1, A)         — nn.Linear(A, 1, bias=False)
// Since W_a [s; h_j] = W_a[:, :Hd] s + W_a[:, Hd:] h_j, the h_j half is computed once per source
// sentence by `concat_keys`.
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct ConcatScore {
    Var W_a_weight;  // (A, Hd + He)  "W_a.weight"
    Var v_a_weight;  // (1, A)        "v_a.weight"
};

// nn.Linear init: uniform(-1/√(Hd + He), …) for W_a, uniform(-1/√A, …) for v_a.
ConcatScore make_concat_score(std::size_t decoder_size, std::size_t encoder_size, std::size_t attention_size, Rng& rng);

// h: (B, Ts, He) -> W_a[:, Hd:] h: (B, Ts, A)   (once per source sentence)
Var concat_keys(const ConcatScore& c, const Var& h);
// s: (B, Hd), keys: (B, Ts, A) from concat_keys -> scores (B, Ts)
Var concat_score(const ConcatScore& c, const Var& s, const Var& keys);

void add_parameters(NamedVars& out, const std::string& prefix, const ConcatScore& c);

}  // namespace attnlab
