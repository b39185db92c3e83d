#include "attnlab/tensor/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "attnlab/tensor/activations.hpp"

namespace attnlab {

namespace {

// Max of the row, or -inf if the row is empty or fully masked.
float row_max(const float* row, std::size_t n) {
    float m = -std::numeric_limits<float>::infinity();
    for (std::size_t j = 0; j < n; ++j) m = std::max(m, row[j]);
    return m;
}

Tensor with_mask(const Tensor& x, const Tensor& mask) { return add_mask(x, mask, "softmax"); }

template <void (*RowFn)(float*, std::size_t)>
Tensor over_rows(Tensor y) {
    const std::size_t n = last_dim(y), rows = row_count(y);
    for (std::size_t r = 0; r < rows; ++r) RowFn(y.data() + r * n, n);
    return y;
}

}  // namespace

void softmax_row(float* row, std::size_t n) {
    const float m = row_max(row, n);
    if (std::isinf(m) && m < 0) {  // fully masked: nothing to attend to
        for (std::size_t j = 0; j < n; ++j) row[j] = 0.0f;
        return;
    }
    for (std::size_t j = 0; j < n; ++j) row[j] -= m;
    exp_n(row, row, n);
    float sum = 0.0f;
    for (std::size_t j = 0; j < n; ++j) sum += row[j];
    const float inv = 1.0f / sum;
    for (std::size_t j = 0; j < n; ++j) row[j] *= inv;
}

void log_softmax_row(float* row, std::size_t n) {
    const float m = row_max(row, n);
    if (std::isinf(m) && m < 0) return;  // all -inf already: log of all-zero weights
    float sum = 0.0f, e[256];            // Σ exp(row − m), a chunk of exponentials at a time
    for (std::size_t j0 = 0; j0 < n; j0 += 256) {
        const std::size_t len = std::min<std::size_t>(256, n - j0);
        for (std::size_t j = 0; j < len; ++j) e[j] = row[j0 + j] - m;
        exp_n(e, e, len);
        for (std::size_t j = 0; j < len; ++j) sum += e[j];
    }
    const float log_z = m + std::log(sum);
    for (std::size_t j = 0; j < n; ++j) row[j] -= log_z;
}

Tensor softmax(const Tensor& x) { return over_rows<softmax_row>(x); }
Tensor softmax(const Tensor& x, const Tensor& mask) { return over_rows<softmax_row>(with_mask(x, mask)); }
Tensor log_softmax(const Tensor& x) { return over_rows<log_softmax_row>(x); }
Tensor log_softmax(const Tensor& x, const Tensor& mask) { return over_rows<log_softmax_row>(with_mask(x, mask)); }

Tensor softmax_backward(const Tensor& dy, const Tensor& y) {
    Tensor dx = Tensor::from_shape(y.shape());
    const std::size_t n = last_dim(y), rows = row_count(y);
    for (std::size_t r = 0; r < rows; ++r) {
        const float *g = dy.data() + r * n, *p = y.data() + r * n;
        float dot = 0.0f;
        for (std::size_t j = 0; j < n; ++j) dot += g[j] * p[j];
        for (std::size_t j = 0; j < n; ++j) dx.data()[r * n + j] = p[j] * (g[j] - dot);
    }
    return dx;
}

Tensor log_softmax_backward(const Tensor& dy, const Tensor& y) {
    Tensor dx = Tensor::from_shape(y.shape());
    const std::size_t n = last_dim(y), rows = row_count(y);
    for (std::size_t r = 0; r < rows; ++r) {
        const float *g = dy.data() + r * n, *l = y.data() + r * n;
        float sum = 0.0f;
        for (std::size_t j = 0; j < n; ++j) sum += g[j];
        for (std::size_t j = 0; j < n; ++j) dx.data()[r * n + j] = g[j] - std::exp(l[j]) * sum;
    }
    return dx;
}

}  // namespace attnlab
