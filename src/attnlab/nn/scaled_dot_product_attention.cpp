#include "attnlab/nn/scaled_dot_product_attention.hpp"

#include <algorithm>
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
    for (std::size_t i = 0; i + 2 < rank; ++i) fits = fits && K.shape(i) == Q.shape(i) && V.shape(i) == Q.shape(i);
    if (!fits)
        throw Error("scaled_dot_product_attention: shapes do not fit: Q " + shape_str(Q.value()) + ", K " +
                    shape_str(K.value()) + ", V " + shape_str(V.value()));
    const auto batched = [](const Var& x) {  // bmm wants at least one leading (batch) axis
        if (x.dimension() > 2) return x;
        Shape s(x.dimension() + 1, 1);  // (1, …)
        std::copy(x.shape().begin(), x.shape().end(), s.begin() + 1);
        return reshape(x, s);
    };
    const Var QK = bmm(batched(Q), batched(K), true);     // Q Kᵀ: (…, Tq, Tk), every head at once
    Var scores = scale(QK, 1.0f / std::sqrt(float(dk)));  // / √d_k
    Var weights = has_mask(mask) ? softmax(scores, mask) : softmax(scores);
    Var sum = bmm(weights, batched(V));  // weights · V: (…, Tq, dv)
    if (rank == 2) {                     // back to the caller's rank
        scores = reshape(scores, {Tq, Tk});
        weights = reshape(weights, {Tq, Tk});
        sum = reshape(sum, {Tq, dv});
    }
    return {sum, weights, masked_scores(scores.value(), mask), V, sum};
}

}  // namespace attnlab
