// Additive (Bahdanau) attention score: a feed-forward net with one hidden layer of size A scores how
// well decoder state s matches encoder state h_j (primer §6, 加法注意力):
//   score(s, h_j) = vᵀ tanh(W s + U h_j)
// Parameters as three PyTorch nn.Linear modules, listed under their names:
//   W.weight (A, Hd)           — nn.Linear(Hd, A, bias=False), applied to the decoder state
//   U.weight (A, He), U.bias (A) — nn.Linear(He, A), applied to the encoder states (carries the one bias)
//   v.weight (1, A)            — nn.Linear(A, 1, bias=False)
// U h_j + b does not depend on the decoder step: `additive_keys` computes it once per source sentence
// and `additive_score` reuses it at every step.
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct AdditiveScore {
    Var W_weight;  // (A, Hd)  "W.weight"
    Var U_weight;  // (A, He)  "U.weight"
    Var U_bias;    // (A)      "U.bias"
    Var v_weight;  // (1, A)   "v.weight"
};

// PyTorch's nn.Linear init: every tensor uniform(-1/√in, 1/√in) of its own layer.
AdditiveScore make_additive_score(std::size_t decoder_size, std::size_t encoder_size, std::size_t attention_size,
                                  Rng& rng);

// h: (B, Ts, He) -> U h + b: (B, Ts, A)   (once per source sentence)
Var additive_keys(const AdditiveScore& a, const Var& h);
// s: (B, Hd), keys: (B, Ts, A) from additive_keys -> scores (B, Ts)
Var additive_score(const AdditiveScore& a, const Var& s, const Var& keys);

void add_parameters(NamedVars& out, const std::string& prefix, const AdditiveScore& a);

}  // namespace attnlab
