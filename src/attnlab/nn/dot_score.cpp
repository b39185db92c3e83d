#include "attnlab/nn/dot_score.hpp"

#include "attnlab/autograd/ops.hpp"

namespace attnlab {

Var dot_score(const Var& s, const Var& h) {
    expect_dim(s.value(), 2, "dot_score: decoder state s (B, H)");
    expect_dim(h.value(), 3, "dot_score: encoder states h (B, Ts, H)");
    const std::size_t B = s.shape(0), H = s.shape(1), Ts = h.shape(1);
    if (h.shape(0) != B || h.shape(2) != H)
        throw Error("dot_score: state " + shape_str(s.value()) + " does not fit encoder states " +
                    shape_str(h.value()) + " (the dot product needs equal sizes)");
    return reshape(bmm(h, reshape(s, {B, H, 1})), {B, Ts});  // h_j · s for every j
}

}  // namespace attnlab
