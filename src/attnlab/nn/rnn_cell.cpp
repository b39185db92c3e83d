#include "attnlab/nn/rnn_cell.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/recurrent_cell_checks.hpp"

namespace attnlab {

RNNCell make_rnn_cell(std::size_t input_size, std::size_t hidden_size, Rng& rng, RNNNonlinearity nonlinearity) {
    if (input_size == 0 || hidden_size == 0) throw Error("make_rnn_cell: input_size and hidden_size must be positive");
    RNNCell cell;
    init_cell_weights(cell, 1, input_size, hidden_size, rng);
    cell.nonlinearity = nonlinearity;
    return cell;
}

Var rnn_step(const RNNCell& cell, const Var& x, const Var& h) {
    check_cell_inputs("rnn_step", 1, cell.w_ih, cell.w_hh, x, h);
    return rnn_step_projected(cell, linear(x, cell.w_ih, cell.b_ih), h);
}

Var rnn_step_projected(const RNNCell& cell, const Var& x_proj, const Var& h) {
    check_projected_inputs("rnn_step", 1, cell.w_hh, x_proj, h);
    Var pre = add(x_proj, linear(h, cell.w_hh, cell.b_hh));  // W_ih x + b_ih + W_hh h + b_hh
    return cell.nonlinearity == RNNNonlinearity::relu ? relu(pre) : tanh(pre);
}

void add_parameters(NamedVars& out, const std::string& prefix, const RNNCell& cell) {
    out.emplace_back(join_name(prefix, "weight_ih"), cell.w_ih);
    out.emplace_back(join_name(prefix, "weight_hh"), cell.w_hh);
    out.emplace_back(join_name(prefix, "bias_ih"), cell.b_ih);
    out.emplace_back(join_name(prefix, "bias_hh"), cell.b_hh);
}

}  // namespace attnlab
