#include "attnlab/tensor/tensor.hpp"

#include <algorithm>

namespace attnlab {

std::string shape_str(const Shape& s) {
    std::string out = "(";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + ")";
}

void expect_dim(const Tensor& t, std::size_t n, const char* what) {
    if (t.dimension() != n)
        throw Error(std::string(what) + ": expected a " + std::to_string(n) + "-d tensor, got " +
                    shape_str(t));
}

std::size_t last_dim(const Tensor& t) { return t.dimension() ? t.shape().back() : 1; }

std::size_t row_count(const Tensor& t) {
    const std::size_t last = last_dim(t);
    return last ? t.size() / last : 0;
}

Tensor take(const Tensor& t, const std::vector<std::size_t>& indices, std::size_t axis) {
    if (axis >= t.dimension()) throw Error("take: axis " + std::to_string(axis) + " out of range for " + shape_str(t));
    Shape out(t.shape().begin(), t.shape().end());
    const std::size_t len = out[axis];
    std::size_t outer = 1, inner = 1;
    for (std::size_t i = 0; i < axis; ++i) outer *= out[i];
    for (std::size_t i = axis + 1; i < out.size(); ++i) inner *= out[i];
    out[axis] = indices.size();
    Tensor r = Tensor::from_shape(out);
    for (std::size_t k = 0; k < indices.size(); ++k)
        if (indices[k] >= len) throw Error("take: index " + std::to_string(indices[k]) + " past " + std::to_string(len));
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t k = 0; k < indices.size(); ++k)
            std::copy_n(t.data() + (o * len + indices[k]) * inner, inner, r.data() + (o * indices.size() + k) * inner);
    return r;
}

}  // namespace attnlab
