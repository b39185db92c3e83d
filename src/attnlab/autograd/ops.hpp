// Differentiable ops on Vars: each computes its forward with the tensor kernels and records the
// matching backward. Shapes in the comments; "…" is any number of leading axes.
#pragma once

#include <initializer_list>
#include <vector>

#include "attnlab/autograd/var.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

// Element-wise arithmetic with numpy broadcasting (the gradient is summed back to each shape).
Var add(const Var& a, const Var& b);
Var sub(const Var& a, const Var& b);
Var mul(const Var& a, const Var& b);
Var scale(const Var& a, float s);  // a · s
inline Var operator+(const Var& a, const Var& b) { return add(a, b); }
inline Var operator-(const Var& a, const Var& b) { return sub(a, b); }
inline Var operator*(const Var& a, const Var& b) { return mul(a, b); }
Var one_minus(const Var& a);  // 1 − a

// Non-linearities.
Var tanh(const Var& x);
Var sigmoid(const Var& x);
Var relu(const Var& x);

// Products. x: (…, K), w: (N, K) -> (…, N)
Var matmul_nt(const Var& x, const Var& w);
// x: (…, K), w: (K, N) -> (…, N)
Var matmul(const Var& x, const Var& w);
// PyTorch's nn.Linear: x: (…, in), w: (out, in), b: (out) or empty -> (…, out)
Var linear(const Var& x, const Var& w, const Var& b);
// linear(x, slice(w, 0, start, n), slice(b, 0, start, n)) with the rows read in place, not copied
// (the query, key and value blocks of a packed in-projection): x: (…, in), w: (≥ start+n, in),
// b: (≥ start+n) -> (…, n); the same numbers and the same gradients.
Var linear_rows(const Var& x, const Var& w, const Var& b, std::size_t start, std::size_t n);
// a: (…, M, K), b: (…, K, N) -> (…, M, N); with transpose_b, b: (…, N, K)
Var bmm(const Var& a, const Var& b, bool transpose_b = false);

// Normalisations over the last axis. mask: a constant additive mask broadcastable to x (-inf hides).
Var softmax(const Var& x);
Var softmax(const Var& x, const Tensor& mask);
Var log_softmax(const Var& x);
Var layer_norm(const Var& x, const Var& gamma, const Var& beta, float eps = 1e-5f);

// Shapes and indexing.
Var reshape(const Var& x, const Shape& shape);
// reshape(x, {B, T, d}): the same, with no Shape built for the braced list
Var reshape(const Var& x, std::initializer_list<std::size_t> shape);
Var permute(const Var& x, const Shape& axes);                                      // like torch.permute
Var slice(const Var& x, std::size_t axis, std::size_t start, std::size_t length);  // x[..., start:start+length, ...]
Var select(const Var& x, std::size_t axis, std::size_t index);                     // drops that axis
// The n tensors xs[0..n) joined along `axis` (torch.cat), or along a new axis (torch.stack); a braced
// list or a vector of Vars alike.
Var concat(const Var* xs, std::size_t n, std::size_t axis);
Var stack(const Var* xs, std::size_t n, std::size_t axis);
template <class Vars>
Var concat(const Vars& xs, std::size_t axis) {
    return concat(xs.data(), xs.size(), axis);
}
template <class Vars>
Var stack(const Vars& xs, std::size_t axis) {
    return stack(xs.data(), xs.size(), axis);
}
inline Var concat(std::initializer_list<Var> xs, std::size_t axis) { return concat(xs.begin(), xs.size(), axis); }
inline Var stack(std::initializer_list<Var> xs, std::size_t axis) { return stack(xs.begin(), xs.size(), axis); }
// weight: (V, D), ids: any shape of ints in [0, V) -> (ids…, D)
Var embedding(const Var& weight, const IntTensor& ids);

// Reductions.
Var sum(const Var& x);                    // -> 0-d
Var sum(const Var& x, std::size_t axis);  // drops that axis

// How a model runs: training (dropout on, its masks drawn from rng, which is then required) or not.
struct Run {
    bool training = false;
    Rng* rng = nullptr;
};

// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p), drawing
// the mask from run.rng. The identity when not training or p = 0.  x: any shape
Var dropout(const Var& x, float p, const Run& run);

// A constant Tensor as a Var (no gradient).
inline Var constant(Tensor t) { return Var(std::move(t), false); }

}  // namespace attnlab
