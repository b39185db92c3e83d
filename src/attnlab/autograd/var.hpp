// Reverse-mode automatic differentiation, the smallest that trains every model of the primer.
//
// A Var is a tensor that remembers how it was computed. Ops (autograd/ops.hpp) record, for a result
// that depends on a Var with requires_grad, its parents and a backward function; `backward(loss)` then
// walks that graph once in reverse topological order, each node adding its share of ∂loss/∂input
// into its parents' grad. Parameters loaded for inference have requires_grad = false, so nothing is
// recorded and the same model code runs as plain tensor arithmetic (like PyTorch's no_grad).
//
// Why a tape and not a hand-written backward per model (llm.c style): the primer has many decoders
// (context vector, Bahdanau, Luong dot/general/concat with input feeding, scaled dot product,
// Transformer, Aaren); each op here has its forward/backward pair written and gradient-checked once,
// and every model built from them is differentiable without another line of calculus.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

struct Node {
    // The value is moved in once: a default-constructed xarray would take a 1-element block, and
    // each move of a Tensor swaps its shape, strides and backstrides element by element.
    explicit Node(Tensor&& v) : value(std::move(v)) {}
    explicit Node(const Shape& shape) : value(shape) {}  // an uninitialised value of that shape
    Tensor value;
    Tensor grad = no_grad_yet();  // shape (0) until a gradient arrives; then the shape of value
    bool has_grad() const { return grad.shape() == value.shape(); }
    // Shape (0) with no storage at all: a node that never gets a gradient (every node of an inference
    // step) allocates nothing for it. A copy of one made once: copying shape, strides and backstrides
    // of one entry is cheaper than building them (resize, zero fill, stride computation).
    static Tensor no_grad_yet();
    bool requires_grad = false;
    std::vector<std::shared_ptr<Node>> parents;
    std::function<void(Node& self)> backward;  // adds self.grad's contribution into parents' grads
};

class Var {
public:
    Var();  // empty: shape (0), size() == 0 — "not given"; no gradient
    // The value moved in (a temporary) or copied (an lvalue): taken by reference, so that it is
    // moved exactly once, into the node.
    explicit Var(Tensor&& value, bool requires_grad = false);
    explicit Var(const Tensor& value, bool requires_grad = false);
    // An uninitialised value of `shape`, built in its node: an op writes its result into value() and
    // then calls make_result(std::move(out), …), so that no Tensor is moved at all.
    static Var of_shape(const Shape& shape);

    const Tensor& value() const { return node_->value; }
    Tensor& value() { return node_->value; }  // for optimisers and loaders, never mid-graph
    const Tensor& grad() const { return node_->grad; }
    Tensor& grad() { return node_->grad; }
    bool requires_grad() const { return node_->requires_grad; }
    void set_requires_grad(bool on) { node_->requires_grad = on; }
    const auto& shape() const { return node_->value.shape(); }
    std::size_t shape(std::size_t axis) const { return node_->value.shape(axis); }
    std::size_t dimension() const { return node_->value.dimension(); }
    std::size_t size() const { return node_->value.size(); }
    void zero_grad() { node_->grad = Node::no_grad_yet(); }
    bool has_grad() const { return node_->has_grad(); }

    const std::shared_ptr<Node>& node() const { return node_; }

private:
    explicit Var(std::shared_ptr<Node> node) : node_(std::move(node)) {}
    std::shared_ptr<Node> node_;
};

// Whether ops record the graph at all (on by default); NoGrad turns it off for a scope, e.g. to
// evaluate a model that is being trained.
bool grad_enabled();
struct NoGrad {
    NoGrad();
    ~NoGrad();
    NoGrad(const NoGrad&) = delete;
    NoGrad& operator=(const NoGrad&) = delete;
    bool previous;
};

// Whether an op on these parents records its graph: grad is enabled and some parent requires a
// gradient. Ops whose backward must keep a copy of something (token ids, …) ask first.
bool records(const Var* parents, std::size_t count);
inline bool records(std::initializer_list<Var> parents) { return records(parents.begin(), parents.size()); }

// The recording half of make_result: out gets requires_grad, the parents and the backward.
void record(Var& out, const Var* parents, std::size_t count, std::function<void(Node&)> backward);

// Makes the result of an op: records parents and backward only when records(parents). `backward`
// reads self.grad and calls accumulate_grad on the parents. A template, so that when nothing is
// recorded (inference) no parents vector and no std::function are built: the result is one Node.
template <class Backward>
Var make_result(Tensor&& value, const Var* parents, std::size_t count, Backward&& backward) {
    Var out(std::move(value));
    if (records(parents, count)) record(out, parents, count, std::forward<Backward>(backward));
    return out;
}
// The same for a result already written into out.value() (Var::of_shape).
template <class Backward>
Var make_result(Var&& out, std::initializer_list<Var> parents, Backward&& backward) {
    if (records(parents.begin(), parents.size()))
        record(out, parents.begin(), parents.size(), std::forward<Backward>(backward));
    return std::move(out);
}
template <class Backward>
Var make_result(Tensor&& value, std::initializer_list<Var> parents, Backward&& backward) {
    return make_result(std::move(value), parents.begin(), parents.size(), std::forward<Backward>(backward));
}
template <class Backward>
Var make_result(Tensor&& value, const std::vector<Var>& parents, Backward&& backward) {
    return make_result(std::move(value), parents.data(), parents.size(), std::forward<Backward>(backward));
}

// grad += g (allocating grad on first use); a no-op for nodes that need no gradient.
void accumulate_grad(Node& node, const Tensor& g);
// The same, taking g over as the gradient on first use instead of copying it.
void accumulate_grad(Node& node, Tensor&& g);

// The node's gradient, allocated as zeros on first use: for backward functions that add into a part
// of it (slices, embedding rows) instead of building a full-size gradient. Call only when
// node.requires_grad.
Tensor& grad_buffer(Node& node);

// Seeds ∂loss/∂loss = 1 (loss must have one element) and propagates to every Var it depends on.
// The graph is released afterwards (like PyTorch without retain_graph): parents and closures go.
void backward(const Var& loss);

}  // namespace attnlab
