#include "attnlab/autograd/var.hpp"

#include <unordered_set>

namespace attnlab {

namespace {
thread_local bool g_grad_enabled = true;

// Nodes (with their shared_ptr control block) come from the tensor recycler's free lists too: every
// op makes one, and a decoding step makes the same ones as the step before.
std::shared_ptr<Node> new_node(Tensor&& value) {
    return std::allocate_shared<Node>(RecyclingAllocator<Node>(), std::move(value));
}
}  // namespace

Tensor Node::no_grad_yet() {
    static const Tensor none(Shape{0});  // an empty storage resized to 0 elements takes no block
    return none;
}

Var::Var() : node_(new_node(Node::no_grad_yet())) {}  // shape (0), no storage

Var::Var(Tensor&& value, bool requires_grad) : node_(new_node(std::move(value))) {
    node_->requires_grad = requires_grad;
}

Var::Var(const Tensor& value, bool requires_grad) : Var(Tensor(value), requires_grad) {}

Var Var::of_shape(const Shape& shape) { return Var(std::allocate_shared<Node>(RecyclingAllocator<Node>(), shape)); }

bool grad_enabled() { return g_grad_enabled; }
NoGrad::NoGrad() : previous(g_grad_enabled) { g_grad_enabled = false; }
NoGrad::~NoGrad() { g_grad_enabled = previous; }

bool records(const Var* parents, std::size_t count) {
    if (!g_grad_enabled) return false;
    for (std::size_t i = 0; i < count; ++i)
        if (parents[i].requires_grad()) return true;
    return false;
}

void record(Var& out, const Var* parents, std::size_t count, std::function<void(Node&)> backward) {
    Node& n = *out.node();
    n.requires_grad = true;
    n.parents.reserve(count);
    for (std::size_t i = 0; i < count; ++i) n.parents.push_back(parents[i].node());
    n.backward = std::move(backward);
}

void accumulate_grad(Node& node, const Tensor& g) {
    if (!node.requires_grad) return;
    if (g.shape() != node.value.shape())
        throw Error("autograd: gradient " + shape_str(g) + " does not match value " + shape_str(node.value));
    if (!node.has_grad()) {
        node.grad = g;
        return;
    }
    float* d = node.grad.data();
    const float* s = g.data();
    for (std::size_t i = 0, n = g.size(); i < n; ++i) d[i] += s[i];
}

void accumulate_grad(Node& node, Tensor&& g) {
    if (!node.requires_grad || node.has_grad() || g.shape() != node.value.shape()) return accumulate_grad(node, g);
    node.grad = std::move(g);
}

Tensor& grad_buffer(Node& node) {
    if (!node.has_grad()) node.grad = xt::zeros<float>(node.value.shape());
    return node.grad;
}

void backward(const Var& loss) {
    if (loss.size() != 1) throw Error("backward: the loss must have one element, got " + shape_str(loss.value()));
    if (!loss.requires_grad()) throw Error("backward: the loss does not depend on any parameter");
    // Iterative post-order DFS: order holds every node after all the nodes it depends on. It owns
    // the nodes (shared_ptr), so releasing the graph below never frees a node still to be visited.
    std::vector<std::shared_ptr<Node>> order;
    std::unordered_set<Node*> seen;
    std::vector<std::pair<std::shared_ptr<Node>, std::size_t>> stack{{loss.node(), 0}};
    seen.insert(loss.node().get());
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->parents.size()) {
            std::shared_ptr<Node> p = node->parents[next++];
            if (p->requires_grad && seen.insert(p.get()).second) stack.push_back({std::move(p), 0});
        } else {
            order.push_back(node);
            stack.pop_back();
        }
    }
    Node& root = *loss.node();
    root.grad = xt::ones<float>(root.value.shape());
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node& n = **it;
        if (n.backward && n.has_grad()) n.backward(n);
        // An intermediate result's gradient has been handed to its parents: free it now, so the next
        // nodes reuse its memory while it is still in cache.
        if (!n.parents.empty()) n.grad = Node::no_grad_yet();
    }
    // Release the graph front to back, so no long chain of shared_ptrs is freed recursively.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        Node& n = **it;
        n.backward = nullptr;
        if (!n.parents.empty()) n.grad = Node::no_grad_yet();  // intermediate results keep no gradient
        n.parents.clear();
    }
}

}  // namespace attnlab
