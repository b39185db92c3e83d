#include "attnlab/autograd/ops.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>

#include <xtensor/xbroadcast.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xreducer.hpp>

#include "attnlab/tensor/activations.hpp"
#include "attnlab/tensor/gemm.hpp"
#include "attnlab/tensor/layer_norm.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab {

namespace {

const Tensor& value_of(const Node& n, std::size_t parent) { return n.parents[parent]->value; }
Node& parent(Node& n, std::size_t i) { return *n.parents[i]; }

Shape shape_of(const Tensor& t);

// numpy broadcasting by hand (xtensor's general broadcasting over dynamic shapes is slow):
// the strides with which a tensor of shape `in` is read at each index of `out` (0 on broadcast axes).
Shape broadcast_strides(const Shape& in, const Shape& out) {
    Shape st(out.size(), 0);
    std::size_t stride = 1;
    for (std::size_t i = in.size(); i-- > 0;) {
        if (in[i] != 1) st[out.size() - in.size() + i] = stride;
        stride *= in[i];
    }
    return st;
}

// The broadcast shape of a and b, or empty optional-like flag false when they do not broadcast.
bool broadcast_shape(const Shape& a, const Shape& b, Shape& out) {
    out.assign(std::max(a.size(), b.size()), 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::size_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
        const std::size_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
        if (da != db && da != 1 && db != 1) return false;
        out[i] = da == 1 ? db : da;
    }
    return true;
}

// Calls f(i, ia, ib) for every flat index i of `out`, with the flat indices it reads in a and b.
template <class F>
void for_each_broadcast(const Shape& out, const Shape& sa, const Shape& sb, F f) {
    std::size_t total = 1;
    for (auto d : out) total *= d;
    if (total == 0) return;
    if (out.empty()) return f(0, 0, 0);
    const std::size_t R = out.size(), inner = out[R - 1], ia_step = sa[R - 1], ib_step = sb[R - 1];
    Shape idx(R, 0);
    std::size_t ia = 0, ib = 0;
    for (std::size_t i = 0; i < total; i += inner) {
        for (std::size_t j = 0; j < inner; ++j) f(i + j, ia + j * ia_step, ib + j * ib_step);
        for (std::size_t k = R - 1; k-- > 0;) {  // odometer over the outer axes
            ia += sa[k];
            ib += sb[k];
            if (++idx[k] < out[k]) break;
            ia -= sa[k] * out[k];
            ib -= sb[k] * out[k];
            idx[k] = 0;
        }
    }
}

// Sums a broadcast gradient back down to `shape` (leading axes added by broadcasting, and axes of
// size 1 that were stretched).
Tensor sum_to_shape(const Tensor& g, const Shape& shape) {
    const Shape gs = shape_of(g);
    if (gs == shape) return g;
    Tensor r = xt::zeros<float>(shape);
    const auto st = broadcast_strides(shape, gs);
    for_each_broadcast(gs, st, st, [&](std::size_t i, std::size_t ir, std::size_t) { r.data()[ir] += g.data()[i]; });
    return r;
}

Shape shape_of(const Tensor& t) { return Shape(t.shape().begin(), t.shape().end()); }

// a ∘ b with numpy broadcasting, op applied element by element; the result built in its Var.
template <class Op>
Var broadcast_op(const Var& a, const Var& b, const char* name, Op op) {
    const Tensor &x = a.value(), &z = b.value();
    if (x.shape() == z.shape()) {
        Var out = Var::of_shape(x.shape());
        float* y = out.value().data();
        for (std::size_t i = 0; i < x.size(); ++i) y[i] = op(x.data()[i], z.data()[i]);
        return out;
    }
    if (z.dimension() == 1 && x.dimension() >= 1 && z.size() == last_dim(x)) {  // a bias along the last axis
        Var out = Var::of_shape(x.shape());
        const std::size_t n = z.size(), rows = row_count(x);
        const float *xv = x.data(), *zv = z.data();
        float* yv = out.value().data();
        for (std::size_t r = 0; r < rows; ++r)
            for (std::size_t j = 0; j < n; ++j) yv[r * n + j] = op(xv[r * n + j], zv[j]);
        return out;
    }
    Shape shape;
    if (!broadcast_shape(shape_of(x), shape_of(z), shape))
        throw Error(std::string(name) + ": shapes " + shape_str(x) + " and " + shape_str(z) + " do not broadcast");
    Var out = Var::of_shape(shape);
    float* y = out.value().data();
    for_each_broadcast(shape, broadcast_strides(shape_of(x), shape), broadcast_strides(shape_of(z), shape),
                       [&](std::size_t i, std::size_t ia, std::size_t ib) { y[i] = op(x.data()[ia], z.data()[ib]); });
    return out;
}

// f applied element by element (an activation's kernel over n floats), the result built in its Var.
Var map_n(const Var& x, void (*f)(const float*, float*, std::size_t)) {
    Var out = Var::of_shape(x.shape());
    f(x.value().data(), out.value().data(), x.size());
    return out;
}

// Elements before `axis`, along it, and after it.
struct AxisSplit {
    std::size_t outer, len, inner;
};
template <class S>
AxisSplit split_at(const S& s, std::size_t axis) {
    AxisSplit r{1, s[axis], 1};
    for (std::size_t i = 0; i < axis; ++i) r.outer *= s[i];
    for (std::size_t i = axis + 1; i < s.size(); ++i) r.inner *= s[i];
    return r;
}

// Copies `len` slabs along an axis: src slabs [src_off, src_off+len) -> dst slabs [dst_off, …),
// adding instead of copying when `add`.
void copy_slabs(const float* src, std::size_t src_len, std::size_t src_off, float* dst, std::size_t dst_len,
                std::size_t dst_off, std::size_t outer, std::size_t inner, std::size_t len, bool add) {
    for (std::size_t o = 0; o < outer; ++o) {
        const float* s = src + (o * src_len + src_off) * inner;
        float* d = dst + (o * dst_len + dst_off) * inner;
        if (add)
            for (std::size_t i = 0; i < len * inner; ++i) d[i] += s[i];
        else
            std::memcpy(d, s, len * inner * sizeof(float));
    }
}

void expect_axis(const Tensor& x, std::size_t axis, const char* what) {
    if (axis >= x.dimension())
        throw Error(std::string(what) + ": axis " + std::to_string(axis) + " out of range for " + shape_str(x));
}

// parent += g summed down to the parent's shape: the backward of every broadcasting binary op. g is
// handed on as it is when the shapes agree (moved when it is a temporary: no copy, nothing to sum).
template <class G>
void accumulate_broadcast_grad(Node& p, G&& g) {
    if (!p.requires_grad) return;
    if (g.shape() == p.value.shape()) return accumulate_grad(p, std::forward<G>(g));
    accumulate_grad(p, sum_to_shape(g, shape_of(p.value)));
}

}  // namespace

Var add(const Var& a, const Var& b) {
    return make_result(broadcast_op(a, b, "add", std::plus<float>()), {a, b}, [](Node& n) {
        if (!parent(n, 1).requires_grad) return accumulate_broadcast_grad(parent(n, 0), std::move(n.grad));
        accumulate_broadcast_grad(parent(n, 0), n.grad);
        accumulate_broadcast_grad(parent(n, 1), std::move(n.grad));  // its last reader: handed on, not copied
    });
}

Var sub(const Var& a, const Var& b) {
    return make_result(broadcast_op(a, b, "sub", std::minus<float>()), {a, b}, [](Node& n) {
        accumulate_broadcast_grad(parent(n, 0), n.grad);
        if (parent(n, 1).requires_grad) accumulate_broadcast_grad(parent(n, 1), Tensor(-n.grad));
    });
}

Var mul(const Var& a, const Var& b) {
    return make_result(broadcast_op(a, b, "mul", std::multiplies<float>()), {a, b}, [](Node& n) {
        const Tensor &x = value_of(n, 0), &z = value_of(n, 1);
        // g ⊙ other: a plain loop when no broadcasting happened (dropout's mask, gates)
        auto times = [&](const Tensor& other) -> Tensor {
            if (other.shape() != n.grad.shape()) return n.grad * other;
            Tensor r = Tensor::from_shape(other.shape());
            const float *g = n.grad.data(), *o = other.data();
            float* d = r.data();
            for (std::size_t i = 0, len = r.size(); i < len; ++i) d[i] = g[i] * o[i];
            return r;
        };
        if (parent(n, 0).requires_grad) accumulate_broadcast_grad(parent(n, 0), times(z));
        if (parent(n, 1).requires_grad) accumulate_broadcast_grad(parent(n, 1), times(x));
    });
}

Var scale(const Var& a, float s) {
    return make_result(Tensor(a.value() * s), {a}, [s](Node& n) { accumulate_grad(parent(n, 0), n.grad * s); });
}

Var one_minus(const Var& a) {
    return make_result(Tensor(1.0f - a.value()), {a}, [](Node& n) { accumulate_grad(parent(n, 0), -n.grad); });
}

Var tanh(const Var& x) {
    return make_result(map_n(x, tanh_n), {x}, [](Node& n) {
        accumulate_grad(parent(n, 0), n.grad * (1.0f - n.value * n.value));  // tanh' = 1 − y²
    });
}

Var sigmoid(const Var& x) {
    return make_result(map_n(x, sigmoid_n), {x}, [](Node& n) {
        accumulate_grad(parent(n, 0), n.grad * n.value * (1.0f - n.value));  // σ' = y(1 − y)
    });
}

Var relu(const Var& x) {
    return make_result(attnlab::relu(x.value()), {x},
                       [](Node& n) { accumulate_grad(parent(n, 0), relu_backward(n.grad, value_of(n, 0))); });
}

namespace {
// The backward of y = x · Wᵀ (parents 0 and 1 of n) for the gradient g of y.
void matmul_nt_backward(Node& n, const Tensor& g) {
    const Tensor &xv = value_of(n, 0), &wv = value_of(n, 1);
    const std::size_t M = row_count(xv), K = last_dim(xv), N = wv.shape(0);
    if (parent(n, 0).requires_grad) accumulate_grad(parent(n, 0), attnlab::matmul(g, wv));  // g · W
    if (parent(n, 1).requires_grad) {                                                       // gᵀ · x: (N, K)
        Tensor dw = Tensor::from_shape({N, K});
        gemm(N, K, M, {g.data(), 1, N}, {xv.data(), K, 1}, dw.data(), K, false);
        accumulate_grad(parent(n, 1), std::move(dw));
    }
}

// y[r, j] += bias[j] for each of `rows` rows of n: the bias of linear and linear_rows
void add_bias_rows(float* y, std::size_t rows, std::size_t n, const float* bias) {
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < n; ++j) y[r * n + j] += bias[j];
}
}  // namespace

Var matmul_nt(const Var& x, const Var& w) {
    return make_result(attnlab::matmul_nt(x.value(), w.value()), {x, w},
                       [](Node& n) { matmul_nt_backward(n, n.grad); });
}

Var matmul(const Var& x, const Var& w) {
    return make_result(attnlab::matmul(x.value(), w.value()), {x, w}, [](Node& n) {
        const Tensor &xv = value_of(n, 0), &wv = value_of(n, 1);
        const std::size_t M = row_count(xv), K = last_dim(xv), N = wv.shape(1);
        if (parent(n, 0).requires_grad) accumulate_grad(parent(n, 0), attnlab::matmul_nt(n.grad, wv));  // g · Wᵀ
        if (parent(n, 1).requires_grad) {  // xᵀ · g: (K, N)
            Tensor dw = Tensor::from_shape({K, N});
            gemm(K, N, M, {xv.data(), 1, K}, {n.grad.data(), N, 1}, dw.data(), N, false);
            accumulate_grad(parent(n, 1), std::move(dw));
        }
    });
}

Var linear(const Var& x, const Var& w, const Var& b) {
    if (b.size() == 0) return matmul_nt(x, w);
    const std::size_t out = w.value().dimension() == 2 ? w.shape(0) : 0;
    if (b.dimension() != 1 || b.shape(0) != out)
        throw Error("linear: bias " + shape_str(b.value()) + " does not match weight " + shape_str(w.value()));
    // x · Wᵀ + b as one node: the bias is added while the product is in cache, and its gradient is
    // summed from the product's (the same sums, in the same order, as matmul_nt followed by add).
    Tensor y = attnlab::matmul_nt(x.value(), w.value());
    add_bias_rows(y.data(), row_count(y), out, b.value().data());
    return make_result(std::move(y), {x, w, b}, [](Node& n) {
        accumulate_broadcast_grad(parent(n, 2), n.grad);  // the bias's share: Σ over rows of g, row by row
        matmul_nt_backward(n, n.grad);
    });
}

Var linear_rows(const Var& x, const Var& w, const Var& b, std::size_t start, std::size_t n) {
    if (x.dimension() == 0) throw Error("linear_rows: the input needs at least one axis");
    expect_dim(w.value(), 2, "linear_rows weight");
    expect_dim(b.value(), 1, "linear_rows bias");
    const std::size_t K = last_dim(x.value()), M = row_count(x.value());
    if (w.shape(1) != K || start + n > w.shape(0) || start + n > b.shape(0))
        throw Error("linear_rows: rows [" + std::to_string(start) + ", " + std::to_string(start + n) + ") of weight " +
                    shape_str(w.value()) + " and bias " + shape_str(b.value()) + " do not fit input " +
                    shape_str(x.value()));
    Shape out(x.shape().begin(), x.shape().end());
    out.back() = n;
    Tensor y = Tensor::from_shape(out);
    const float* rows = w.value().data() + start * K;  // W[start : start+n]: (n, K), row stride K
    gemm(M, n, K, {x.value().data(), K, 1}, {rows, 1, K}, y.data(), n, false);
    add_bias_rows(y.data(), M, n, b.value().data() + start);
    return make_result(std::move(y), {x, w, b}, [start, n, M, K](Node& self) {
        const float* g = self.grad.data();
        Node &px = parent(self, 0), &pw = parent(self, 1), &pb = parent(self, 2);
        if (pb.requires_grad) {  // Σ over rows of g, then into the bias's rows (as slice's backward adds)
            const Tensor db = sum_to_shape(self.grad, Shape{n});
            float* d = grad_buffer(pb).data() + start;
            for (std::size_t j = 0; j < n; ++j) d[j] += db.data()[j];
        }
        const float* rows = pw.value.data() + start * K;
        if (px.requires_grad) {  // g · W[start : start+n]: (…, K)
            Shape in(self.value.shape().begin(), self.value.shape().end());
            in.back() = K;
            Tensor dx = Tensor::from_shape(in);
            gemm(M, K, n, {g, n, 1}, {rows, K, 1}, dx.data(), K, false);
            accumulate_grad(px, std::move(dx));
        }
        if (pw.requires_grad) {  // gᵀ · x: (n, K), into the weight's rows
            Tensor dw = Tensor::from_shape({n, K});
            gemm(n, K, M, {g, 1, n}, {value_of(self, 0).data(), K, 1}, dw.data(), K, false);
            float* d = grad_buffer(pw).data() + start * K;
            for (std::size_t i = 0; i < n * K; ++i) d[i] += dw.data()[i];
        }
    });
}

Var bmm(const Var& a, const Var& b, bool transpose_b) {
    return make_result(attnlab::bmm(a.value(), b.value(), transpose_b), {a, b}, [transpose_b](Node& n) {
        const Tensor &av = value_of(n, 0), &bv = value_of(n, 1);
        const std::size_t R = av.dimension(), M = av.shape(R - 2), K = av.shape(R - 1);
        const std::size_t N = n.value.shape(R - 1);
        std::size_t B = 1;  // the leading (batch) axes, folded
        for (std::size_t i = 0; i + 2 < R; ++i) B *= av.shape(i);
        if (parent(n, 0).requires_grad)  // g · bᵀ (or g · b when b was transposed)
            accumulate_grad(parent(n, 0), attnlab::bmm(n.grad, bv, !transpose_b));
        if (parent(n, 1).requires_grad) {
            Tensor db = Tensor::from_shape(bv.shape());
            for (std::size_t i = 0; i < B; ++i) {
                const float* ga = av.data() + i * M * K;
                const float* gg = n.grad.data() + i * M * N;
                if (transpose_b)  // db = gᵀ · a: (N, K)
                    gemm(N, K, M, {gg, 1, N}, {ga, K, 1}, db.data() + i * N * K, K, false);
                else  // db = aᵀ · g: (K, N)
                    gemm(K, N, M, {ga, 1, K}, {gg, N, 1}, db.data() + i * K * N, N, false);
            }
            accumulate_grad(parent(n, 1), std::move(db));
        }
    });
}

Var softmax(const Var& x) {
    return make_result(attnlab::softmax(x.value()), {x},
                       [](Node& n) { accumulate_grad(parent(n, 0), softmax_backward(n.grad, n.value)); });
}

Var softmax(const Var& x, const Tensor& mask) {
    return make_result(attnlab::softmax(x.value(), mask), {x},
                       [](Node& n) { accumulate_grad(parent(n, 0), softmax_backward(n.grad, n.value)); });
}

Var log_softmax(const Var& x) {
    return make_result(attnlab::log_softmax(x.value()), {x},
                       [](Node& n) { accumulate_grad(parent(n, 0), log_softmax_backward(n.grad, n.value)); });
}

Var layer_norm(const Var& x, const Var& gamma, const Var& beta, float eps) {
    if (!records({x, gamma, beta})) return Var(attnlab::layer_norm(x.value(), gamma.value(), beta.value(), eps));
    std::vector<float> stats;  // each row's mean and 1/σ, kept for the backward
    Tensor y = attnlab::layer_norm(x.value(), gamma.value(), beta.value(), eps, stats);
    return make_result(std::move(y), {x, gamma, beta}, [stats = std::move(stats)](Node& n) {
        LayerNormGrads g = layer_norm_backward(n.grad, value_of(n, 0), value_of(n, 1), stats);
        accumulate_grad(parent(n, 0), std::move(g.dx));
        accumulate_grad(parent(n, 1), std::move(g.dgamma));
        accumulate_grad(parent(n, 2), std::move(g.dbeta));
    });
}

namespace {
// x's elements read as `shape` (a Shape or a braced list): a copy, since x may be read elsewhere.
template <class S>
Var reshape_to(const Var& x, const S& shape) {
    const std::size_t count = std::accumulate(shape.begin(), shape.end(), std::size_t(1), std::multiplies<>());
    if (count != x.size())
        throw Error("reshape: cannot view " + shape_str(x.value()) + " as " +
                    shape_str(Shape(shape.begin(), shape.end())));
    Tensor y = x.value();
    y.reshape(shape);
    return make_result(std::move(y), {x}, [](Node& n) {
        Tensor g = std::move(n.grad);  // read by nothing after this backward (backward() frees it)
        g.reshape(value_of(n, 0).shape());
        accumulate_grad(parent(n, 0), std::move(g));
    });
}
}  // namespace

Var reshape(const Var& x, const Shape& shape) { return reshape_to(x, shape); }
Var reshape(const Var& x, std::initializer_list<std::size_t> shape) { return reshape_to(x, shape); }

Var permute(const Var& x, const Shape& axes) {
    if (axes.size() != x.dimension()) throw Error("permute: need one axis per dimension of " + shape_str(x.value()));
    for (std::size_t a : axes)
        if (a >= axes.size()) throw Error("permute: axis out of range");
    Tensor y = transpose_axes(x.value(), axes);
    if (!records({x})) return Var(std::move(y));  // the backward below keeps the inverse permutation
    Shape inverse(axes.size());
    for (std::size_t i = 0; i < axes.size(); ++i) inverse[axes[i]] = i;
    return make_result(std::move(y), {x},
                       [inverse](Node& n) { accumulate_grad(parent(n, 0), transpose_axes(n.grad, inverse)); });
}

Var slice(const Var& x, std::size_t axis, std::size_t start, std::size_t length) {
    expect_axis(x.value(), axis, "slice");
    const auto& in = x.value().shape();
    if (start + length > in[axis])
        throw Error("slice: [" + std::to_string(start) + ", " + std::to_string(start + length) + ") past axis " +
                    std::to_string(axis) + " of " + shape_str(x.value()));
    Tensor::shape_type out = in;  // on the stack up to 4 axes: a slice allocates nothing but its result
    out[axis] = length;
    const AxisSplit s = split_at(in, axis);
    Var y = Var::of_shape(out);
    copy_slabs(x.value().data(), s.len, start, y.value().data(), length, 0, s.outer, s.inner, length, false);
    return make_result(std::move(y), {x}, [s, start, length](Node& n) {
        // Added straight into the parent's gradient: a full-size zero tensor per slice would make
        // slicing every time step of a sequence quadratic.
        Node& p = parent(n, 0);
        copy_slabs(n.grad.data(), length, 0, grad_buffer(p).data(), s.len, start, s.outer, s.inner, length, true);
    });
}

Var select(const Var& x, std::size_t axis, std::size_t index) {
    Var s = slice(x, axis, index, 1);
    Shape out = shape_of(x.value());
    out.erase(out.begin() + std::ptrdiff_t(axis));
    return reshape(s, out);
}

Var concat(const Var* xs, std::size_t n, std::size_t axis) {
    if (n == 0) throw Error("concat: nothing to concatenate");
    expect_axis(xs[0].value(), axis, "concat");
    Shape out = shape_of(xs[0].value());
    Shape offsets;  // on the stack up to 4 inputs
    std::size_t total = 0;
    for (const Var* v = xs; v != xs + n; ++v) {
        Shape s = shape_of(v->value());
        if (s.size() != out.size())
            throw Error("concat: tensors differ in rank: " + shape_str(s) + " vs " + shape_str(out));
        s[axis] = out[axis];
        if (s != out)
            throw Error("concat: shapes differ off axis " + std::to_string(axis) + ": " + shape_str(v->value()) +
                        " vs " + shape_str(xs[0].value()));
        offsets.push_back(total);
        total += v->shape(axis);
    }
    out[axis] = total;
    Tensor y = Tensor::from_shape(out);
    const AxisSplit s = split_at(out, axis);
    for (std::size_t i = 0; i < n; ++i)
        copy_slabs(xs[i].value().data(), xs[i].shape(axis), 0, y.data(), total, offsets[i], s.outer, s.inner,
                   xs[i].shape(axis), false);
    return make_result(std::move(y), xs, n, [s, offsets, total](Node& self) {
        for (std::size_t i = 0; i < self.parents.size(); ++i) {
            Node& p = parent(self, i);
            if (!p.requires_grad) continue;
            const std::size_t len = p.value.size() / (s.outer * s.inner);
            Tensor g = Tensor::from_shape(p.value.shape());
            copy_slabs(self.grad.data(), total, offsets[i], g.data(), len, 0, s.outer, s.inner, len, false);
            accumulate_grad(p, std::move(g));
        }
    });
}

Var stack(const Var* xs, std::size_t n, std::size_t axis) {
    if (n == 0) throw Error("stack: nothing to stack");
    if (axis > xs[0].dimension()) throw Error("stack: axis out of range");
    RecycledVector<Var> expanded;
    expanded.reserve(n);
    for (const Var* v = xs; v != xs + n; ++v) {
        const auto& in = v->shape();
        Shape s(in.size() + 1, 1);  // in's shape with a 1 at `axis`
        std::copy(in.begin(), in.begin() + std::ptrdiff_t(axis), s.begin());
        std::copy(in.begin() + std::ptrdiff_t(axis), in.end(), s.begin() + std::ptrdiff_t(axis) + 1);
        expanded.push_back(reshape(*v, s));
    }
    return concat(expanded, axis);
}

Var embedding(const Var& weight, const IntTensor& ids) {
    expect_dim(weight.value(), 2, "embedding weight");
    const std::size_t V = weight.shape(0), D = weight.shape(1);
    Shape out(ids.shape().begin(), ids.shape().end());
    out.push_back(D);
    Tensor y = Tensor::from_shape(out);
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::int32_t id = ids.data()[i];
        if (id < 0 || std::size_t(id) >= V)
            throw Error("embedding: token id " + std::to_string(id) + " outside the vocabulary of " +
                        std::to_string(V));
        std::memcpy(y.data() + i * D, weight.value().data() + std::size_t(id) * D, D * sizeof(float));
    }
    if (!records({weight})) return Var(std::move(y));  // the backward below keeps a copy of ids
    return make_result(std::move(y), {weight}, [ids, D](Node& n) {
        Tensor& g = grad_buffer(parent(n, 0));  // scatter-add only the rows used
        for (std::size_t i = 0; i < ids.size(); ++i) {
            float* row = g.data() + std::size_t(ids.data()[i]) * D;
            for (std::size_t j = 0; j < D; ++j) row[j] += n.grad.data()[i * D + j];
        }
    });
}

Var sum(const Var& x) {
    Tensor y = Tensor::from_shape({});
    double s = 0.0;
    for (float v : x.value()) s += v;
    y() = float(s);
    return make_result(std::move(y), {x}, [](Node& n) {
        Tensor g = Tensor::from_shape(value_of(n, 0).shape());
        g.fill(n.grad());
        accumulate_grad(parent(n, 0), std::move(g));
    });
}

Var sum(const Var& x, std::size_t axis) {
    expect_axis(x.value(), axis, "sum");
    return make_result(Tensor(xt::sum(x.value(), {axis})), {x}, [axis](Node& n) {
        Shape kept = shape_of(value_of(n, 0));
        kept[axis] = 1;
        Tensor g = n.grad;
        g.reshape(kept);
        accumulate_grad(parent(n, 0), Tensor(xt::broadcast(g, value_of(n, 0).shape())));
    });
}

Var dropout(const Var& x, float p, const Run& run) {
    if (!run.training || p <= 0.0f) return x;
    if (p >= 1.0f) throw Error("dropout: p must be below 1");
    if (!run.rng) throw Error("dropout: training with p > 0 needs an Rng");
    Tensor mask = Tensor::from_shape(x.value().shape());
    const float keep = 1.0f / (1.0f - p);
    run.rng->bernoulli_fill(mask.data(), mask.size(), p, 0.0f, keep);  // drawn in bulk, the same draws
    return mul(x, constant(std::move(mask)));
}

}  // namespace attnlab
