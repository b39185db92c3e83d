#include "attnlab/nn/context_vector.hpp"

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/attention_mask.hpp"
#include "attnlab/nn/padding_mask.hpp"

namespace attnlab {

ContextVector context_vector(const Var& scores, const Var& h, const Tensor& mask) {
    expect_dim(scores.value(), 2, "context_vector: scores (B, Ts)");
    expect_dim(h.value(), 3, "context_vector: encoder states h (B, Ts, He)");
    const std::size_t B = scores.shape(0), Ts = scores.shape(1), He = h.shape(2);
    if (h.shape(0) != B || h.shape(1) != Ts)
        throw Error("context_vector: scores " + shape_str(scores.value()) + " do not fit encoder states " +
                    shape_str(h.value()));
    if (has_mask(mask) && (mask.dimension() != 2 || mask.shape(0) != B || mask.shape(1) != Ts))
        throw Error("context_vector: mask " + shape_str(mask) + " does not match scores " + shape_str(scores.value()));
    const Var weights = !has_mask(mask) ? softmax(scores) : softmax(scores, mask);
    const Var context = reshape(bmm(reshape(weights, {B, 1, Ts}), h), {B, He});  // Σ_j α_j h_j
    return {context, weights, masked_scores(scores.value(), mask)};
}

ContextVector context_vector(const Var& scores, const Var& h, const IntTensor& src_lengths) {
    expect_dim(scores.value(), 2, "context_vector: scores (B, Ts)");
    if (src_lengths.size() != scores.shape(0))
        throw Error("context_vector: " + std::to_string(src_lengths.size()) + " source lengths for a batch of " +
                    std::to_string(scores.shape(0)));
    return context_vector(scores, h, padding_mask(src_lengths, scores.shape(1)));
}

}  // namespace attnlab
