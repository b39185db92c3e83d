// The LSTM cell, as PyTorch's nn.LSTMCell(input_size, hidden_size). The four gates are stacked in
// PyTorch's order i, f, g, o along the rows of w_ih (4H, in), w_hh (4H, H), b_ih and b_hh (4H):
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)      input gate
//   f = σ(W_if x + b_if + W_hf h + b_hf)      forget gate
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg)   candidate cell
//   o = σ(W_io x + b_io + W_ho h + b_ho)      output gate
//   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct LSTMCell {
    Var w_ih;  // (4H, in), rows i, f, g, o
    Var w_hh;  // (4H, H)
    Var b_ih;  // (4H)
    Var b_hh;  // (4H)
};

struct LSTMState {
    Var h;  // (B, H) hidden state
    Var c;  // (B, H) cell state
};

// PyTorch's init: every weight and bias uniform(−1/√H, 1/√H).
LSTMCell make_lstm_cell(std::size_t input_size, std::size_t hidden_size, Rng& rng);

// x: (B, in), state: h, c (B, H) -> h', c' (B, H)
LSTMState lstm_step(const LSTMCell& cell, const Var& x, const LSTMState& state);

// The same step from x_proj = W_ih x + b_ih (computed for all time steps at once by a recurrent
// layer). x_proj: (B, 4H), state: h, c (B, H) -> h', c' (B, H)
LSTMState lstm_step_projected(const LSTMCell& cell, const Var& x_proj, const LSTMState& state);

// weight_ih, weight_hh, bias_ih, bias_hh (nn.LSTMCell's names) under `prefix`.
void add_parameters(NamedVars& out, const std::string& prefix, const LSTMCell& cell);

}  // namespace attnlab
