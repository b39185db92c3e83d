// Luong's "general" attention score (primer §7): a bilinear form between decoder and encoder states
//   score(s, h_j) = sᵀ W h_j
// Parameter as a PyTorch nn.Linear(He, Hd, bias=False) applied to the encoder states:
//   W.weight (Hd, He)
// W h_j does not depend on the decoder step: `general_keys` computes it once per source sentence.
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct GeneralScore {
    Var W_weight;  // (Hd, He)  "W.weight"
};

// nn.Linear init: uniform(-1/√He, 1/√He).
GeneralScore make_general_score(std::size_t decoder_size, std::size_t encoder_size, Rng& rng);

// h: (B, Ts, He) -> W h: (B, Ts, Hd)   (once per source sentence)
Var general_keys(const GeneralScore& g, const Var& h);
// s: (B, Hd), keys: (B, Ts, Hd) from general_keys -> scores (B, Ts)
Var general_score(const GeneralScore& g, const Var& s, const Var& keys);

void add_parameters(NamedVars& out, const std::string& prefix, const GeneralScore& g);

}  // namespace attnlab
