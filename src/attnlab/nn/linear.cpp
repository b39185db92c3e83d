#include "attnlab/nn/linear.hpp"

#include "attnlab/tensor/gemm.hpp"

namespace attnlab {

Tensor linear(const Tensor& x, const Tensor& w, const Tensor& b) {
    Tensor y = matmul_nt(x, w);
    if (b.size() == 0) return y;
    const std::size_t out = w.shape(0);
    if (b.size() != out)
        throw Error("linear: bias " + shape_str(b) + " does not match weight " + shape_str(w));
    for (std::size_t r = 0, rows = row_count(y); r < rows; ++r)
        for (std::size_t j = 0; j < out; ++j) y.data()[r * out + j] += b.data()[j];
    return y;
}

}  // namespace attnlab
