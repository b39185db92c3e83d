#include "attnlab/nn/gru_cell.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/recurrent_cell_checks.hpp"

namespace attnlab {

GRUCell make_gru_cell(std::size_t input_size, std::size_t hidden_size, Rng& rng) {
    if (input_size == 0 || hidden_size == 0) throw Error("make_gru_cell: input_size and hidden_size must be positive");
    GRUCell cell;
    init_cell_weights(cell, 3, input_size, hidden_size, rng);
    return cell;
}

Var gru_step(const GRUCell& cell, const Var& x, const Var& h) {
    check_cell_inputs("gru_step", 3, cell.w_ih, cell.w_hh, x, h);
    return gru_step_projected(cell, linear(x, cell.w_ih, cell.b_ih), h);
}

Var gru_step_projected(const GRUCell& cell, const Var& x_proj, const Var& h) {
    const std::size_t H = check_hidden("gru_step", 3, cell.w_hh, h);
    check_projected_inputs("gru_step", 3, cell.w_hh, x_proj, h);
    Var h_proj = linear(h, cell.w_hh, cell.b_hh);  // (B, 3H): W_h{r,z,n} h + b_h{r,z,n}
    Var r = sigmoid(add(slice(x_proj, 1, 0, H), slice(h_proj, 1, 0, H)));
    Var z = sigmoid(add(slice(x_proj, 1, H, H), slice(h_proj, 1, H, H)));
    Var n = tanh(add(slice(x_proj, 1, 2 * H, H), mul(r, slice(h_proj, 1, 2 * H, H))));
    return add(mul(one_minus(z), n), mul(z, h));  // h' = (1 − z) ⊙ n + z ⊙ h
}

void add_parameters(NamedVars& out, const std::string& prefix, const GRUCell& cell) {
    out.emplace_back(join_name(prefix, "weight_ih"), cell.w_ih);
    out.emplace_back(join_name(prefix, "weight_hh"), cell.w_hh);
    out.emplace_back(join_name(prefix, "bias_ih"), cell.b_ih);
    out.emplace_back(join_name(prefix, "bias_hh"), cell.b_hh);
}

}  // namespace attnlab
