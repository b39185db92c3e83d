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
        throw Error(std::string(what) + ": expected a " + std::to_string(n) + "-d tensor, got " + shape_str(t));
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
        if (indices[k] >= len)
            throw Error("take: index " + std::to_string(indices[k]) + " past " + std::to_string(len));
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t k = 0; k < indices.size(); ++k)
            std::copy_n(t.data() + (o * len + indices[k]) * inner, inner, r.data() + (o * indices.size() + k) * inner);
    return r;
}

namespace {

// Per-axis bookkeeping of the strided walks below (shapes, strides, the odometer): on the stack for
// up to 8 axes, so that a transpose or a mask allocates nothing but its result.
using Axes = xt::svector<std::size_t, 8>;

// Calls run(out_offset, in_offset) for each innermost run of a strided walk: out is row-major of
// `shape`, in is read with `in_strides` (one per axis of shape); the innermost axis is left to `run`.
template <class Run>
void for_each_run(const Axes& shape, const Axes& in_strides, Run run) {
    const std::size_t R = shape.size();
    std::size_t total = 1;
    for (std::size_t d : shape) total *= d;
    if (total == 0) return;
    if (R == 0) return run(0, 0);
    const std::size_t inner = shape[R - 1];
    Axes idx(R, 0);
    std::size_t in = 0;
    for (std::size_t out = 0; out < total; out += inner) {
        run(out, in);
        for (std::size_t k = R - 1; k-- > 0;) {  // odometer over the outer axes
            in += in_strides[k];
            if (++idx[k] < shape[k]) break;
            in -= in_strides[k] * shape[k];
            idx[k] = 0;
        }
    }
}

Axes row_major_strides(const Axes& s) {
    Axes st(s.size(), 1);
    for (std::size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
    return st;
}

}  // namespace

Tensor transpose_axes(const Tensor& t, const Shape& axes) {
    const std::size_t R = t.dimension();
    if (axes.size() != R) throw Error("transpose_axes: need one axis per dimension of " + shape_str(t));
    Axes used(R, 0);
    for (std::size_t a : axes) {
        if (a >= R || used[a]) throw Error("transpose_axes: the axes are not a permutation of " + std::to_string(R));
        used[a] = 1;
    }
    const Axes in_shape(t.shape().begin(), t.shape().end());
    const Axes in_st = row_major_strides(in_shape);
    Axes out_shape(R), st(R);
    for (std::size_t i = 0; i < R; ++i) {
        out_shape[i] = in_shape[axes[i]];
        st[i] = in_st[axes[i]];
    }
    Tensor out = Tensor::from_shape(out_shape);
    const float* src = t.data();
    float* dst = out.data();
    if (R == 0) {
        dst[0] = src[0];
        return out;
    }
    const std::size_t inner = out_shape[R - 1], step = st[R - 1];
    if (step == 1)
        for_each_run(out_shape, st, [&](std::size_t o, std::size_t i) { std::copy_n(src + i, inner, dst + o); });
    else
        for_each_run(out_shape, st, [&](std::size_t o, std::size_t i) {
            for (std::size_t j = 0; j < inner; ++j) dst[o + j] = src[i + j * step];
        });
    return out;
}

Tensor add_mask(const Tensor& t, const Tensor& mask, const char* what) {
    const std::size_t R = t.dimension(), Rm = mask.dimension();
    bool fits = Rm <= R;
    Axes st(R, 0);  // the mask's stride per axis of t (0 where broadcast)
    std::size_t stride = 1;
    for (std::size_t i = Rm; fits && i-- > 0;) {
        const std::size_t axis = R - Rm + i, m = mask.shape(i);
        if (m == t.shape(axis))
            st[axis] = m == 1 ? 0 : stride;
        else if (m != 1)
            fits = false;
        stride *= m;
    }
    if (!fits)
        throw Error(std::string(what) + ": mask " + shape_str(mask) + " does not broadcast to scores " + shape_str(t));
    Tensor out = Tensor::from_shape(t.shape());
    if (R == 0) {
        out() = t() + mask();
        return out;
    }
    const Axes shape(t.shape().begin(), t.shape().end());
    const std::size_t inner = shape[R - 1], step = st[R - 1];
    const float *x = t.data(), *m = mask.data();
    float* y = out.data();
    for_each_run(shape, st, [&](std::size_t o, std::size_t i) {
        for (std::size_t j = 0; j < inner; ++j) y[o + j] = x[o + j] + m[i + j * step];
    });
    return out;
}

}  // namespace attnlab
