#include "attnlab/tensor/tensor.hpp"

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

}  // namespace attnlab
