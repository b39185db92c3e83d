// The classic (Elman) RNN cell of the primer, as PyTorch's
//   nn.RNNCell(input_size, hidden_size, nonlinearity='tanh' | 'relu'):
//   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)      (or relu instead of tanh)
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

enum class RNNNonlinearity { tanh, relu };

struct RNNCell {
    Var w_ih;  // (H, in)
    Var w_hh;  // (H, H)
    Var b_ih;  // (H)
    Var b_hh;  // (H)
    RNNNonlinearity nonlinearity = RNNNonlinearity::tanh;
};

// PyTorch's init: every weight and bias uniform(−1/√H, 1/√H).
RNNCell make_rnn_cell(std::size_t input_size, std::size_t hidden_size, Rng& rng,
                      RNNNonlinearity nonlinearity = RNNNonlinearity::tanh);

// x: (B, in), h: (B, H) -> h': (B, H)
Var rnn_step(const RNNCell& cell, const Var& x, const Var& h);

// The same step from x_proj = W_ih x + b_ih, which a recurrent layer computes for all time steps
// in one matrix product. x_proj: (B, H), h: (B, H) -> h': (B, H)
Var rnn_step_projected(const RNNCell& cell, const Var& x_proj, const Var& h);

// weight_ih, weight_hh, bias_ih, bias_hh (nn.RNNCell's names) under `prefix`.
void add_parameters(NamedVars& out, const std::string& prefix, const RNNCell& cell);

}  // namespace attnlab
