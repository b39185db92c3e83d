// The GRU cell, as PyTorch's nn.GRUCell(input_size, hidden_size). The three gates are stacked in
// PyTorch's order r, z, n along the rows of w_ih (3H, in), w_hh (3H, H), b_ih and b_hh (3H):
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)              reset gate
//   z = σ(W_iz x + b_iz + W_hz h + b_hz)              update gate
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))     candidate (reset applied AFTER the hidden matmul)
//   h' = (1 − z) ⊙ n + z ⊙ h
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct GRUCell {
    Var w_ih;  // (3H, in), rows r, z, n
    Var w_hh;  // (3H, H)
    Var b_ih;  // (3H)
    Var b_hh;  // (3H)
};

// PyTorch's init: every weight and bias uniform(−1/√H, 1/√H).
GRUCell make_gru_cell(std::size_t input_size, std::size_t hidden_size, Rng& rng);

// x: (B, in), h: (B, H) -> h': (B, H)
Var gru_step(const GRUCell& cell, const Var& x, const Var& h);

// The same step from x_proj = W_ih x + b_ih (computed for all time steps at once by a recurrent
// layer). x_proj: (B, 3H), h: (B, H) -> h': (B, H)
Var gru_step_projected(const GRUCell& cell, const Var& x_proj, const Var& h);

// weight_ih, weight_hh, bias_ih, bias_hh (nn.GRUCell's names) under `prefix`.
void add_parameters(NamedVars& out, const std::string& prefix, const GRUCell& cell);

}  // namespace attnlab
