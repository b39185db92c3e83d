#include "attnlab/nn/concat_score.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"

namespace attnlab {

ConcatScore make_concat_score(std::size_t decoder_size, std::size_t encoder_size, std::size_t attention_size,
                              Rng& rng) {
    if (decoder_size == 0 || encoder_size == 0 || attention_size == 0)
        throw Error("concat_score: sizes must be positive");
    const float kw = 1.0f / std::sqrt(float(decoder_size + encoder_size));
    const float kv = 1.0f / std::sqrt(float(attention_size));
    ConcatScore c;
    c.W_a_weight = parameter(uniform_tensor({attention_size, decoder_size + encoder_size}, rng, -kw, kw));
    c.v_a_weight = parameter(uniform_tensor({1, attention_size}, rng, -kv, kv));
    return c;
}

Var concat_keys(const ConcatScore& c, const Var& h) {
    expect_dim(h.value(), 3, "concat_keys: encoder states h (B, Ts, He)");
    const std::size_t cols = c.W_a_weight.shape(1), He = h.shape(2);
    if (He >= cols)
        throw Error("concat_keys: encoder states " + shape_str(h.value()) + " do not fit W_a.weight " +
                    shape_str(c.W_a_weight.value()));
    const Var W_h = slice(c.W_a_weight, 1, cols - He, He);  // the columns that see h_j
    return matmul_nt(h, W_h);
}

Var concat_score(const ConcatScore& c, const Var& s, const Var& keys) {
    expect_dim(s.value(), 2, "concat_score: decoder state s (B, Hd)");
    expect_dim(keys.value(), 3, "concat_score: keys (B, Ts, A)");
    const std::size_t B = s.shape(0), Hd = s.shape(1), Ts = keys.shape(1), A = c.W_a_weight.shape(0);
    if (keys.shape(0) != B || keys.shape(2) != A || Hd >= c.W_a_weight.shape(1))
        throw Error("concat_score: state " + shape_str(s.value()) + " and keys " + shape_str(keys.value()) +
                    " do not fit W_a.weight " + shape_str(c.W_a_weight.value()));
    const Var W_s = slice(c.W_a_weight, 1, 0, Hd);  // the columns that see s
    const Var Ws = reshape(matmul_nt(s, W_s), {B, 1, A});
    const Var hidden = tanh(add(keys, Ws));                    // tanh(W_a [s; h_j]): (B, Ts, A)
    return reshape(matmul_nt(hidden, c.v_a_weight), {B, Ts});  // v_aᵀ ·
}

void add_parameters(NamedVars& out, const std::string& prefix, const ConcatScore& c) {
    out.emplace_back(join_name(prefix, "W_a.weight"), c.W_a_weight);
    out.emplace_back(join_name(prefix, "v_a.weight"), c.v_a_weight);
}

}  // namespace attnlab
