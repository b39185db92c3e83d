// Named parameters: every module lists its Vars under PyTorch's names (e.g. "encoder.weight_ih_l0"),
// so one list serves the optimiser, the safetensors loader/writer and the PyTorch parity scripts.
// A Var is a handle: the copy in the list and the one in the module share the same tensor.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attnlab/autograd/var.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

using NamedVars = std::vector<std::pair<std::string, Var>>;
// The names and shapes alone, e.g. computed from a config before anything is allocated.
using ParameterShapes = std::vector<std::pair<std::string, Shape>>;

// "encoder" + "weight" -> "encoder.weight"; an empty prefix gives the bare name.
inline std::string join_name(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// A fresh trainable parameter.
inline Var parameter(Tensor value) { return Var(std::move(value), true); }

// PyTorch's default init of nn.Linear and the RNN modules: uniform(−1/√fan, 1/√fan).
Var uniform_parameter(const Shape& shape, std::size_t fan, Rng& rng);

// The four tensors every recurrent cell has (RNNCell, LSTMCell, GRUCell with G = 1, 4, 3 gates):
// w_ih (G·H, in), w_hh (G·H, H), b_ih, b_hh (G·H), drawn in that order, uniform(±1/√H).
template <class Cell>
void init_cell_weights(Cell& cell, std::size_t gates, std::size_t input_size, std::size_t hidden_size, Rng& rng) {
    const std::size_t G = gates * hidden_size;
    cell.w_ih = uniform_parameter({G, input_size}, hidden_size, rng);
    cell.w_hh = uniform_parameter({G, hidden_size}, hidden_size, rng);
    cell.b_ih = uniform_parameter({G}, hidden_size, rng);
    cell.b_hh = uniform_parameter({G}, hidden_size, rng);
}

}  // namespace attnlab
