#include "attnlab/train/cross_entropy.hpp"

#include <algorithm>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab {

CrossEntropy cross_entropy(const Var& logits, const IntTensor& targets, int ignore_index, float label_smoothing) {
    const Tensor& z = logits.value();
    const std::size_t V = last_dim(z), rows = row_count(z);
    if (targets.size() != rows || z.dimension() != targets.dimension() + 1)
        throw Error("cross_entropy: targets " + shape_str(targets) + " do not match logits " + shape_str(z));
    if (label_smoothing < 0.0f || label_smoothing >= 1.0f)
        throw Error("cross_entropy: label smoothing must be in [0, 1)");
    Tensor logp = log_softmax(z);  // kept by the backward (moved into it, not copied)
    const float eps = label_smoothing;
    double total = 0.0;
    std::size_t counted = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        const int y = targets.data()[r];
        if (y == ignore_index) continue;
        if (y < 0 || std::size_t(y) >= V)
            throw Error("cross_entropy: target id " + std::to_string(y) + " outside the " + std::to_string(V) +
                        " classes");
        const float* l = logp.data() + r * V;
        double smooth = 0.0;
        if (eps > 0.0f)
            for (std::size_t j = 0; j < V; ++j) smooth -= l[j];
        total += (1.0 - eps) * -double(l[y]) + eps * smooth / double(V);
        ++counted;
    }
    Tensor value = Tensor::from_shape({});
    value() = counted ? float(total / double(counted)) : 0.0f;
    // ∂loss/∂z = (softmax(z) − target distribution) / counted on counted rows, 0 on ignored ones.
    Var loss = make_result(std::move(value), {logits},
                           [logp = std::move(logp), targets, ignore_index, eps, V, rows, counted](Node& n) {
                               if (counted == 0)
                                   return accumulate_grad(*n.parents[0], Tensor(xt::zeros<float>(logp.shape())));
                               Tensor g = Tensor::from_shape(logp.shape());  // every row written below
                               const float scale = n.grad() / float(counted);
                               for (std::size_t r = 0; r < rows; ++r) {
                                   const int y = targets.data()[r];
                                   float* gr = g.data() + r * V;
                                   if (y == ignore_index) {
                                       std::fill(gr, gr + V, 0.0f);
                                       continue;
                                   }
                                   const float* l = logp.data() + r * V;
                                   for (std::size_t j = 0; j < V; ++j)
                                       gr[j] = (std::exp(l[j]) - eps / float(V)) * scale;
                                   gr[y] -= (1.0f - eps) * scale;
                               }
                               accumulate_grad(*n.parents[0], std::move(g));
                           });
    return {loss, counted};
}

}  // namespace attnlab
