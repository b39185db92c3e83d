#include "attnlab/nn/general_score.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/dot_score.hpp"

namespace attnlab {

GeneralScore make_general_score(std::size_t decoder_size, std::size_t encoder_size, Rng& rng) {
    if (decoder_size == 0 || encoder_size == 0) throw Error("general_score: sizes must be positive");
    const float k = 1.0f / std::sqrt(float(encoder_size));
    return GeneralScore{parameter(uniform_tensor({decoder_size, encoder_size}, rng, -k, k))};
}

Var general_keys(const GeneralScore& g, const Var& h) {
    expect_dim(h.value(), 3, "general_keys: encoder states h (B, Ts, He)");
    if (h.shape(2) != g.W_weight.shape(1))
        throw Error("general_keys: encoder states " + shape_str(h.value()) + " do not fit W.weight " +
                    shape_str(g.W_weight.value()));
    return matmul_nt(h, g.W_weight);  // W h_j for every j
}

Var general_score(const GeneralScore& g, const Var& s, const Var& keys) {
    expect_dim(s.value(), 2, "general_score: decoder state s (B, Hd)");
    if (s.shape(1) != g.W_weight.shape(0))
        throw Error("general_score: state " + shape_str(s.value()) + " does not fit W.weight " +
                    shape_str(g.W_weight.value()));
    return dot_score(s, keys);  // sᵀ (W h_j)
}

void add_parameters(NamedVars& out, const std::string& prefix, const GeneralScore& g) {
    out.emplace_back(join_name(prefix, "W.weight"), g.W_weight);
}

}  // namespace attnlab
