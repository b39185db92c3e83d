#include "attnlab/nn/additive_score.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"

namespace attnlab {

AdditiveScore make_additive_score(std::size_t decoder_size, std::size_t encoder_size, std::size_t attention_size,
                                  Rng& rng) {
    if (decoder_size == 0 || encoder_size == 0 || attention_size == 0)
        throw Error("additive_score: sizes must be positive");
    const float kw = 1.0f / std::sqrt(float(decoder_size));
    const float ku = 1.0f / std::sqrt(float(encoder_size));
    const float kv = 1.0f / std::sqrt(float(attention_size));
    AdditiveScore a;
    a.W_weight = parameter(uniform_tensor({attention_size, decoder_size}, rng, -kw, kw));
    a.U_weight = parameter(uniform_tensor({attention_size, encoder_size}, rng, -ku, ku));
    a.U_bias = parameter(uniform_tensor({attention_size}, rng, -ku, ku));
    a.v_weight = parameter(uniform_tensor({1, attention_size}, rng, -kv, kv));
    return a;
}

Var additive_keys(const AdditiveScore& a, const Var& h) {
    expect_dim(h.value(), 3, "additive_keys: encoder states h (B, Ts, He)");
    if (h.shape(2) != a.U_weight.shape(1))
        throw Error("additive_keys: encoder states " + shape_str(h.value()) + " do not fit U.weight " +
                    shape_str(a.U_weight.value()));
    return linear(h, a.U_weight, a.U_bias);
}

Var additive_score(const AdditiveScore& a, const Var& s, const Var& keys) {
    expect_dim(s.value(), 2, "additive_score: decoder state s (B, Hd)");
    expect_dim(keys.value(), 3, "additive_score: keys (B, Ts, A)");
    const std::size_t B = s.shape(0), Ts = keys.shape(1), A = a.W_weight.shape(0);
    if (keys.shape(0) != B || keys.shape(2) != A || s.shape(1) != a.W_weight.shape(1))
        throw Error("additive_score: state " + shape_str(s.value()) + " and keys " + shape_str(keys.value()) +
                    " do not fit W.weight " + shape_str(a.W_weight.value()));
    const Var Ws = reshape(matmul_nt(s, a.W_weight), {B, 1, A});  // W s, broadcast over j
    const Var hidden = tanh(add(keys, Ws));                       // tanh(W s + U h_j + b): (B, Ts, A)
    return reshape(matmul_nt(hidden, a.v_weight), {B, Ts});       // vᵀ ·
}

void add_parameters(NamedVars& out, const std::string& prefix, const AdditiveScore& a) {
    out.emplace_back(join_name(prefix, "W.weight"), a.W_weight);
    out.emplace_back(join_name(prefix, "U.weight"), a.U_weight);
    out.emplace_back(join_name(prefix, "U.bias"), a.U_bias);
    out.emplace_back(join_name(prefix, "v.weight"), a.v_weight);
}

}  // namespace attnlab
