// A stack of recurrent layers over a whole padded batch: the encoder/decoder RNN of the primer.
//
// This is exactly PyTorch's (kind = rnn / lstm / gru)
//   nn.RNN(input_size, hidden_size, num_layers, nonlinearity='tanh'|'relu', batch_first=True,
//          dropout=dropout, bidirectional=bidirectional)
//   nn.LSTM(input_size, hidden_size, num_layers, batch_first=True, dropout=dropout, bidirectional=bidirectional)
//   nn.GRU(input_size, hidden_size, num_layers, batch_first=True, dropout=dropout, bidirectional=bidirectional)
// run on a padded batch the way
//   packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
//   out, h_n = module(packed, h_0)            # (h_n, c_n) and (h_0, c_0) for the LSTM
//   out, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
// does: padded steps (t ≥ length) leave the state unchanged and give zero outputs, h_n is taken at
// each sequence's own last step, and the reverse direction starts at position length − 1.
//
// Parameters carry PyTorch's names: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, and
// the same with the suffix _reverse for the backward direction. Layer k > 0 reads the concatenated
// outputs of layer k − 1, so its weight_ih is (G·H, H·num_directions). G = 1 (rnn), 4 (lstm: i, f, g, o),
// 3 (gru: r, z, n). States are indexed layer · num_directions + direction, as in PyTorch.
//
// Cost: for each layer and direction the input projection W_ih x + b_ih of every time step is one
// matrix product (B·T, in) × (in, G·H); only W_hh h is computed step by step.
#pragma once

#include <string>
#include <vector>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/gru_cell.hpp"
#include "attnlab/nn/lstm_cell.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/nn/rnn_cell.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

enum class RecurrentKind { rnn, lstm, gru };

struct RecurrentConfig {
    RecurrentKind kind = RecurrentKind::gru;
    std::size_t input_size = 0;
    std::size_t hidden_size = 0;
    std::size_t num_layers = 1;
    bool bidirectional = false;
    float dropout = 0.0f;  // on the outputs of every layer but the last, in training only
    RNNNonlinearity nonlinearity = RNNNonlinearity::tanh;  // kind = rnn only
};

// The weights of one layer in one direction: w_ih (G·H, in), w_hh (G·H, H), b_ih, b_hh (G·H).
struct RecurrentWeights {
    Var w_ih, w_hh, b_ih, b_hh;
};

struct RecurrentLayer {
    RecurrentConfig config;
    std::vector<RecurrentWeights> weights;  // num_layers · num_directions, index layer · D + direction
};

// A hidden state: h (num_layers · num_directions, B, H), and c of the same shape for the LSTM (empty
// otherwise). A default-constructed (0-d) or empty h means zeros, as when PyTorch's h_0 is omitted.
struct RecurrentState {
    Var h, c;
};

struct RecurrentOutput {
    Var output;            // (B, T, num_directions · H), zero at padded steps
    RecurrentState final;  // h_n (and c_n): (num_layers · num_directions, B, H)
};

struct RecurrentStepOutput {
    Var output;            // (B, H): the top layer's new h
    RecurrentState state;  // (num_layers, B, H) each
};

std::size_t num_directions(const RecurrentConfig& config);
std::size_t gate_count(RecurrentKind kind);  // rows of w_ih per hidden unit: 1, 4 or 3

// PyTorch's init: every weight and bias uniform(−1/√H, 1/√H), drawn in named-parameter order.
RecurrentLayer make_recurrent_layer(const RecurrentConfig& config, Rng& rng);

// x: (B, T, in), lengths: (B) ints in 1..T, initial: empty or (L·D, B, H) (+ c)
//   -> output (B, T, D·H), final state (L·D, B, H) (+ c)
// With `training` and config.dropout > 0, dropout (drawn from *rng, which must be given) is applied
// between layers.
RecurrentOutput recurrent_forward(const RecurrentLayer& layer, const Var& x, const IntTensor& lengths,
                                  const RecurrentState& initial = {}, const Run& run = {});

// One time step of a unidirectional stack (a decoder): x: (B, in), state: empty or (L, B, H) (+ c)
//   -> top output (B, H), new state (L, B, H) (+ c). Same dropout rule as recurrent_forward.
RecurrentStepOutput recurrent_step(const RecurrentLayer& layer, const Var& x, const RecurrentState& state = {},
                                   const Run& run = {});

// weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, [..._l0_reverse], weight_ih_l1, … under `prefix`.
void add_parameters(NamedVars& out, const std::string& prefix, const RecurrentLayer& layer);

}  // namespace attnlab
