// The training engine: loss, optimiser, clipping and schedules against hand-computed values.
#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/tensor/softmax.hpp"
#include "attnlab/train/adam.hpp"
#include "attnlab/train/cross_entropy.hpp"
#include "attnlab/train/lr_schedule.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

TEST_CASE("cross-entropy equals −log p of the target, averaged over non-padding tokens") {
    Tensor z = {{{1.0f, 2.0f, 3.0f}, {0.0f, 0.0f, 0.0f}}, {{5.0f, 1.0f, 1.0f}, {2.0f, 2.0f, 9.0f}}};
    IntTensor y = {{2, 0}, {1, 0}};  // 0 is padding: two tokens count
    CrossEntropy ce = cross_entropy(Var(z), y);
    const double l1 = -std::log(std::exp(3.0) / (std::exp(1.0) + std::exp(2.0) + std::exp(3.0)));
    const double l2 = -std::log(std::exp(1.0) / (std::exp(5.0) + 2 * std::exp(1.0)));
    CHECK(ce.tokens == 2);
    CHECK(ce.loss.value()() == doctest::Approx((l1 + l2) / 2));
}

TEST_CASE("label smoothing mixes in the mean of −log p over all classes, as PyTorch does") {
    Tensor z = {{0.5f, -1.0f, 2.0f, 0.0f}};
    IntTensor y = {3};
    const Tensor logp = log_softmax(z);
    double mean_nll = 0;
    for (int j = 0; j < 4; ++j) mean_nll -= logp(0, j) / 4.0;
    CrossEntropy ce = cross_entropy(Var(z), y, -100, 0.1f);
    CHECK(ce.loss.value()() == doctest::Approx(0.9 * -logp(0, 3) + 0.1 * mean_nll));
}

TEST_CASE("cross-entropy gradient matches finite differences, with padding and smoothing") {
    TestRng rng(2);
    IntTensor y = {{1, 4, 0}, {3, 0, 0}};
    for (float eps : {0.0f, 0.2f})
        check_gradients([&](auto& v) { return cross_entropy(v[0], y, 0, eps).loss; },
                        {random_tensor({2, 3, 5}, rng, -2, 2)});
}

TEST_CASE("cross-entropy rejects targets outside the classes and mismatched shapes") {
    Tensor z = xt::zeros<float>({2, 3});
    CHECK_THROWS_AS(cross_entropy(Var(z), IntTensor{1, 3}), Error);
    CHECK_THROWS_AS(cross_entropy(Var(z), IntTensor{1, 1, 1}), Error);
    CHECK(cross_entropy(Var(z), IntTensor{0, 0}).tokens == 0);  // all padding: loss 0, no NaN
}

TEST_CASE("Adam's first steps match the bias-corrected update computed by hand") {
    Var w(Tensor{1.0f, -2.0f}, true);
    Adam opt({{"w", w}});
    // step 1 with g: m̂ = g, v̂ = g², so Δ = −lr · g / (|g| + ε) = −lr · sign(g)
    w.grad() = Tensor{0.5f, -3.0f};
    opt.step(0.1f);
    CHECK(w.value()(0) == doctest::Approx(0.9));
    CHECK(w.value()(1) == doctest::Approx(-1.9));
    // step 2 with g2: m = 0.9·0.1·g1... computed in double here
    const double g1 = 0.5, g2 = 0.25;
    w.grad() = Tensor{float(g2), 0.0f};
    opt.step(0.1f);
    const double m = 0.9 * 0.1 * g1 + 0.1 * g2, v = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
    const double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
    CHECK(w.value()(0) == doctest::Approx(0.9 - 0.1 * mh / (std::sqrt(vh) + 1e-8)));
}

TEST_CASE("Adam minimises a quadratic") {
    Var w(Tensor{3.0f, -4.0f}, true);
    Adam opt({{"w", w}});
    for (int i = 0; i < 500; ++i) {
        opt.zero_grad();
        backward(sum(mul(w, w)));
        opt.step(0.05f);
    }
    CHECK(std::abs(w.value()(0)) < 1e-2);
    CHECK(std::abs(w.value()(1)) < 1e-2);
}

TEST_CASE("gradient clipping scales the global norm down to the limit and leaves small ones alone") {
    Var a(Tensor{0.0f}, true), b(Tensor{0.0f}, true);
    a.grad() = Tensor{3.0f};
    b.grad() = Tensor{4.0f};
    NamedVars ps{{"a", a}, {"b", b}};
    CHECK(clip_grad_norm(ps, 1.0f) == doctest::Approx(5.0));
    CHECK(a.grad()(0) == doctest::Approx(0.6).epsilon(1e-4));
    CHECK(b.grad()(0) == doctest::Approx(0.8).epsilon(1e-4));
    CHECK(clip_grad_norm(ps, 10.0f) == doctest::Approx(1.0).epsilon(1e-4));
    CHECK(a.grad()(0) == doctest::Approx(0.6).epsilon(1e-4));
}

TEST_CASE("learning-rate schedules warm up linearly, decay to the floor, and follow Noam's formula") {
    LrSchedule s{"warmup-linear", 1e-3f, 10, 110, 0.1f};
    CHECK(s.at(1) == doctest::Approx(1e-4));
    CHECK(s.at(10) == doctest::Approx(1e-3));
    CHECK(s.at(60) == doctest::Approx(1e-3 * (0.1 + 0.9 * 0.5)));
    CHECK(s.at(110) == doctest::Approx(1e-4));
    CHECK(s.at(500) == doctest::Approx(1e-4));
    LrSchedule c{"warmup-cosine", 1e-3f, 0, 100, 0.0f};
    CHECK(c.at(50) == doctest::Approx(0.5e-3));
    LrSchedule noam{"noam", 2.0f, 4000, 1, 0.0f, 512};
    CHECK(noam.at(4000) == doctest::Approx(2.0 / std::sqrt(512.0) / std::sqrt(4000.0)));
    CHECK(noam.at(100) == doctest::Approx(2.0 / std::sqrt(512.0) * 100 * std::pow(4000.0, -1.5)));
    LrSchedule bad{"sawtooth"};
    CHECK_THROWS_AS(bad.at(1), Error);
}
