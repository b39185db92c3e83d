// Every differentiable op's backward agrees with central finite differences, and the tape behaves.
#include <limits>

#include "attnlab/autograd/ops.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

namespace {
Tensor rnd(const Shape& s, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    return random_tensor(s, seed, lo, hi);
}
// Values bounded away from 0 (for relu, whose kink finite differences cannot straddle).
Tensor away_from_zero(const Shape& s, std::uint64_t seed) {
    Tensor t = rnd(s, seed, 0.2f, 1.0f);
    for (std::size_t i = 0; i < t.size(); i += 2) t.data()[i] = -t.data()[i];
    return t;
}
const float inf = std::numeric_limits<float>::infinity();
}  // namespace

TEST_CASE("add, sub and mul gradients are summed back over broadcast axes") {
    check_gradients([](auto& v) { return add(v[0], v[1]); }, {rnd({3, 4}, 1), rnd({4}, 2)});
    check_gradients([](auto& v) { return sub(v[0], v[1]); }, {rnd({2, 3, 4}, 3), rnd({3, 1}, 4)});
    check_gradients([](auto& v) { return mul(v[0], v[1]); }, {rnd({2, 1, 4}, 5), rnd({3, 4}, 6)});
    check_gradients([](auto& v) { return one_minus(scale(v[0], 2.5f)); }, {rnd({5}, 7)});
}

TEST_CASE("broadcast add, sub and mul give the same values as xtensor's broadcasting") {
    const std::vector<std::pair<Shape, Shape>> cases{{{2, 3, 4}, {4}},       {{2, 1, 4}, {3, 4}}, {{5, 1}, {1, 6}},
                                                     {{2, 3, 4}, {2, 1, 4}}, {{3}, {2, 1, 1}},    {{}, {2, 2}}};
    std::uint64_t seed = 50;
    for (const auto& [sa, sb] : cases) {
        const Tensor a = rnd(sa, seed++), b = rnd(sb, seed++);
        CHECK(add(Var(a), Var(b)).value() == Tensor(a + b));
        CHECK(sub(Var(a), Var(b)).value() == Tensor(a - b));
        CHECK(mul(Var(a), Var(b)).value() == Tensor(a * b));
    }
}

TEST_CASE("tanh, sigmoid and relu gradients match finite differences") {
    check_gradients([](auto& v) { return tanh(v[0]); }, {rnd({3, 5}, 8, -2, 2)});
    check_gradients([](auto& v) { return sigmoid(v[0]); }, {rnd({3, 5}, 9, -3, 3)});
    check_gradients([](auto& v) { return relu(v[0]); }, {away_from_zero({4, 3}, 10)});
}

TEST_CASE("matrix product gradients match finite differences on odd shapes") {
    check_gradients([](auto& v) { return matmul_nt(v[0], v[1]); }, {rnd({2, 3, 5}, 11), rnd({7, 5}, 12)});
    check_gradients([](auto& v) { return matmul(v[0], v[1]); }, {rnd({3, 5}, 13), rnd({5, 9}, 14)});
    check_gradients([](auto& v) { return linear(v[0], v[1], v[2]); }, {rnd({4, 3}, 15), rnd({6, 3}, 16), rnd({6}, 17)});
    check_gradients([](auto& v) { return bmm(v[0], v[1]); }, {rnd({2, 3, 4}, 18), rnd({2, 4, 5}, 19)});
    check_gradients([](auto& v) { return bmm(v[0], v[1], true); }, {rnd({2, 3, 4}, 20), rnd({2, 5, 4}, 21)});
    // two leading axes (batch, head), as multi-head attention calls it
    check_gradients([](auto& v) { return bmm(v[0], v[1]); }, {rnd({2, 3, 2, 4}, 22), rnd({2, 3, 4, 3}, 23)});
    check_gradients([](auto& v) { return bmm(v[0], v[1], true); }, {rnd({3, 2, 3, 4}, 24), rnd({3, 2, 5, 4}, 25)});
}

TEST_CASE("linear_rows gives bit for bit the values and gradients of linear on slices of its weight and bias") {
    const Tensor x = rnd({2, 3, 5}, 26), w = rnd({12, 5}, 27), b = rnd({12}, 28), g = rnd({2, 3, 4}, 29);
    for (std::size_t start : {0, 4, 8}) {
        const Var xs(x, true), ws(w, true), bs(b, true), xr(x, true), wr(w, true), br(b, true);
        const Var sliced = linear(xs, slice(ws, 0, start, 4), slice(bs, 0, start, 4));
        const Var rows = linear_rows(xr, wr, br, start, 4);
        CHECK(rows.value() == sliced.value());
        backward(sum(mul(sliced, Var(g))));
        backward(sum(mul(rows, Var(g))));
        CHECK(xr.grad() == xs.grad());
        CHECK(wr.grad() == ws.grad());  // rows outside [start, start + 4) stay 0 in both
        CHECK(br.grad() == bs.grad());
    }
    check_gradients([](auto& v) { return linear_rows(v[0], v[1], v[2], 2, 3); },
                    {rnd({4, 3}, 30), rnd({6, 3}, 31), rnd({6}, 32)});
    CHECK_THROWS_AS(linear_rows(Var(x), Var(w), Var(b), 10, 4), Error);
}

TEST_CASE("softmax, masked softmax, log_softmax and layer norm gradients match finite differences") {
    check_gradients([](auto& v) { return softmax(v[0]); }, {rnd({3, 6}, 22, -2, 2)});
    Tensor mask = {{0.0f, -inf, 0.0f, 0.0f}, {-inf, -inf, -inf, -inf}};
    check_gradients([&](auto& v) { return softmax(v[0], mask); }, {rnd({2, 4}, 23)});
    check_gradients([](auto& v) { return log_softmax(v[0]); }, {rnd({2, 3, 5}, 24, -3, 3)});
    check_gradients([](auto& v) { return layer_norm(v[0], v[1], v[2]); },
                    {rnd({3, 7}, 25, -2, 2), rnd({7}, 26), rnd({7}, 27)});
}

TEST_CASE("reshape, permute, slice, select, concat and stack route gradients to the right elements") {
    check_gradients([](auto& v) { return reshape(v[0], {6, 2}); }, {rnd({3, 4}, 28)});
    check_gradients([](auto& v) { return permute(v[0], {2, 0, 1}); }, {rnd({2, 3, 4}, 29)});
    check_gradients([](auto& v) { return slice(v[0], 1, 1, 2); }, {rnd({2, 4, 3}, 30)});
    check_gradients([](auto& v) { return select(v[0], 2, 2); }, {rnd({2, 4, 3}, 31)});
    check_gradients([](auto& v) { return concat({v[0], v[1], v[0]}, 1); }, {rnd({2, 3}, 32), rnd({2, 1}, 33)});
    check_gradients([](auto& v) { return stack({v[0], v[1]}, 1); }, {rnd({2, 3}, 34), rnd({2, 3}, 35)});
}

TEST_CASE("embedding scatters gradients, adding up repeated ids, and rejects ids outside the vocabulary") {
    IntTensor ids = {{1, 3, 1}, {0, 1, 4}};
    check_gradients([&](auto& v) { return embedding(v[0], ids); }, {rnd({5, 3}, 36)});
    Var w(rnd({5, 3}, 37), true);
    Var e = embedding(w, ids);
    CHECK(e.value()(0, 1, 2) == w.value()(3, 2));
    backward(sum(e));
    CHECK(w.grad()(1, 0) == 3.0f);  // id 1 appears three times
    CHECK(w.grad()(2, 0) == 0.0f);
    CHECK_THROWS_WITH_AS(embedding(w, IntTensor{5}), "embedding: token id 5 outside the vocabulary of 5", Error);
    CHECK_THROWS_AS(embedding(w, IntTensor{-1}), Error);
}

TEST_CASE("sum and sum over an axis broadcast the gradient back") {
    check_gradients([](auto& v) { return sum(v[0]); }, {rnd({2, 3}, 38)});
    check_gradients([](auto& v) { return sum(v[0], 1); }, {rnd({2, 3, 4}, 39)});
}

TEST_CASE("dropout zeroes about p of the elements, rescales the rest, and is the identity in eval") {
    Tensor x = xt::ones<float>({1000});
    Rng rng(5);
    Var y = dropout(Var(x), 0.25f, Run{true, &rng});
    std::size_t zeros = 0;
    for (float v : y.value()) {
        CHECK((v == 0.0f || v == doctest::Approx(1.0f / 0.75f)));
        zeros += v == 0.0f;
    }
    CHECK(zeros > 200);
    CHECK(zeros < 300);
    Var z = dropout(Var(x), 0.25f, Run{false, &rng});
    CHECK(z.value() == x);
    check_gradients(
        [](auto& v) {
            Rng r(3);
            return dropout(v[0], 0.5f, Run{true, &r});
        },
        {rnd({4, 4}, 40)});
}

TEST_CASE("dropout is the identity at p = 0 or outside training, and training with p > 0 needs an Rng") {
    const Var x(rnd({3, 4}, 41));
    Rng rng(7);
    const Rng before = rng;
    CHECK(dropout(x, 0.0f, Run{true, &rng}).value() == x.value());
    CHECK(dropout(x, 0.0f, Run{true, nullptr}).value() == x.value());
    CHECK(dropout(x, 0.5f, Run{false, nullptr}).value() == x.value());
    CHECK(rng.uniform() == Rng(before).uniform());  // nothing was drawn
    CHECK_ERROR_CONTAINS(dropout(x, 0.5f, Run{true, nullptr}), "needs an Rng");
    CHECK_THROWS_AS(dropout(x, 1.0f, Run{true, &rng}), Error);
}

TEST_CASE("a Var used twice accumulates both gradients") {
    Var x(Tensor{3.0f}, true);
    backward(sum(add(mul(x, x), x)));  // d/dx (x² + x) = 2x + 1
    CHECK(x.grad()(0) == 7.0f);
}

TEST_CASE("nothing is recorded without a parameter that needs a gradient, or under NoGrad") {
    Var a(Tensor{1.0f, 2.0f}), b(Tensor{3.0f, 4.0f}, true);
    Var c = mul(a, a);
    CHECK_FALSE(c.requires_grad());
    CHECK(c.node()->parents.empty());
    {
        NoGrad no_grad;
        Var d = mul(a, b);
        CHECK_FALSE(d.requires_grad());
    }
    CHECK(mul(a, b).requires_grad());
    CHECK_THROWS_AS(backward(c), Error);       // two elements: not a loss
    CHECK_THROWS_AS(backward(sum(c)), Error);  // depends on no parameter
}

TEST_CASE("backward releases the graph but keeps the parameters' gradients") {
    Var w(Tensor{2.0f}, true);
    Var h = tanh(mul(w, w));
    Var loss = sum(h);
    backward(loss);
    CHECK(w.grad()(0) == doctest::Approx(4.0 * (1.0 - std::pow(std::tanh(4.0), 2))));
    CHECK(loss.node()->parents.empty());
    CHECK(h.node()->parents.empty());
}

TEST_CASE("ops reject shapes that do not fit with a clear error") {
    Var a(xt::zeros<float>({2, 3})), b(xt::zeros<float>({4}));
    CHECK_THROWS_WITH_AS(add(a, b), "add: shapes (2, 3) and (4) do not broadcast", Error);
    CHECK_THROWS_AS(reshape(a, {4, 2}), Error);
    CHECK_THROWS_AS(slice(a, 1, 2, 2), Error);
    CHECK_THROWS_AS(concat({a, b}, 0), Error);
    CHECK_THROWS_AS(linear(a, Var(xt::zeros<float>({5, 3})), Var(xt::zeros<float>({4}))), Error);
}
