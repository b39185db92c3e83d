#include "attnlab/nn/scaled_dot_product_attention.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/attention_mask.hpp"

namespace attnlab {

AttentionOutput scaled_dot_product_attention(const Var& Q, const Var& K, const Var& V, const Tensor& mask) {
    const std::size_t rank = Q.dimension();
    if (rank < 2 || K.dimension() != rank || V.dimension() != rank)
        throw Error("scaled_dot_product_attention: Q " + shape_str(Q.value()) + ", K " + shape_str(K.value()) + ", V " +
                    shape_str(V.value()) + " must have the same rank, at least 2");
    const std::size_t Tq = Q.shape(rank - 2), dk = Q.shape(rank - 1);
    const std::size_t Tk = K.shape(rank - 2), dv = V.shape(rank - 1);
    bool fits = K.shape(rank - 1) == dk && V.shape(rank - 2) == Tk;
    std::size_t N = 1;  // the leading axes, folded into one batch axis for bmm
    for (std::size_t i = 0; i + 2 < rank; ++i) {
        fits = fits && K.shape(i) == Q.shape(i) && V.shape(i) == Q.shape(i);
        N *= Q.shape(i);
    }
    if (!fits)
        throw Error("scaled_dot_product_attention: shapes do not fit: Q " + shape_str(Q.value()) + ", K " +
                    shape_str(K.value()) + ", V " + shape_str(V.value()));
    Shape lead(Q.shape().begin(), Q.shape().end() - 2);
    Shape score_shape = lead, out_shape = lead;
    score_shape.insert(score_shape.end(), {Tq, Tk});
    out_shape.insert(out_shape.end(), {Tq, dv});

    const Var QK = bmm(reshape(Q, {N, Tq, dk}), reshape(K, {N, Tk, dk}), true);       // Q Kᵀ: (N, Tq, Tk)
    const Var scores = reshape(scale(QK, 1.0f / std::sqrt(float(dk))), score_shape);  // / √d_k
    const Var weights = has_mask(mask) ? softmax(scores, mask) : softmax(scores);
    const Var output = bmm(reshape(weights, {N, Tq, Tk}), reshape(V, {N, Tk, dv}));  // weights · V
    const Var sum = reshape(output, out_shape);
    return {sum, weights, masked_scores(scores.value(), mask), V, sum};
}

}  // namespace attnlab
