#include "attnlab/nn/lstm_cell.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/recurrent_cell_checks.hpp"

namespace attnlab {

LSTMCell make_lstm_cell(std::size_t input_size, std::size_t hidden_size, Rng& rng) {
    if (input_size == 0 || hidden_size == 0) throw Error("make_lstm_cell: input_size and hidden_size must be positive");
    LSTMCell cell;
    init_cell_weights(cell, 4, input_size, hidden_size, rng);
    return cell;
}

LSTMState lstm_step(const LSTMCell& cell, const Var& x, const LSTMState& state) {
    check_cell_inputs("lstm_step", 4, cell.w_ih, cell.w_hh, x, state.h);
    return lstm_step_projected(cell, linear(x, cell.w_ih, cell.b_ih), state);
}

LSTMState lstm_step_projected(const LSTMCell& cell, const Var& x_proj, const LSTMState& state) {
    const std::size_t H = check_hidden("lstm_step", 4, cell.w_hh, state.h);
    check_projected_inputs("lstm_step", 4, cell.w_hh, x_proj, state.h);
    if (state.c.value().shape() != state.h.value().shape())
        throw Error("lstm_step: cell state " + shape_str(state.c.value()) + " does not match hidden state " +
                    shape_str(state.h.value()));
    Var gates = add(x_proj, linear(state.h, cell.w_hh, cell.b_hh));  // (B, 4H): i, f, g, o
    Var i = sigmoid(slice(gates, 1, 0, H));
    Var f = sigmoid(slice(gates, 1, H, H));
    Var g = tanh(slice(gates, 1, 2 * H, H));
    Var o = sigmoid(slice(gates, 1, 3 * H, H));
    Var c = add(mul(f, state.c), mul(i, g));  // c' = f ⊙ c + i ⊙ g
    return {mul(o, tanh(c)), c};              // h' = o ⊙ tanh(c')
}

void add_parameters(NamedVars& out, const std::string& prefix, const LSTMCell& cell) {
    out.emplace_back(join_name(prefix, "weight_ih"), cell.w_ih);
    out.emplace_back(join_name(prefix, "weight_hh"), cell.w_hh);
    out.emplace_back(join_name(prefix, "bias_ih"), cell.b_ih);
    out.emplace_back(join_name(prefix, "bias_hh"), cell.b_hh);
}

}  // namespace attnlab
