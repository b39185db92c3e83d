// The kernels everything stands on: matrix multiply (SIMD vs scalar vs hand), softmax, layer norm.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <xtensor/xmanipulation.hpp>

#include "attnlab/tensor/activations.hpp"
#include "attnlab/tensor/gemm.hpp"
#include "attnlab/tensor/layer_norm.hpp"
#include "attnlab/tensor/random.hpp"
#include "attnlab/tensor/softmax.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

namespace {

// A third, obviously-correct reference: double-precision i-j-k over strided operands.
Tensor naive_gemm(const Tensor& a, const Tensor& b, bool ta, bool tb) {
    const std::size_t M = ta ? a.shape(1) : a.shape(0), K = ta ? a.shape(0) : a.shape(1);
    const std::size_t N = tb ? b.shape(0) : b.shape(1);
    Tensor c = Tensor::from_shape({M, N});
    for (std::size_t i = 0; i < M; ++i)
        for (std::size_t j = 0; j < N; ++j) {
            double s = 0;
            for (std::size_t k = 0; k < K; ++k) s += double(ta ? a(k, i) : a(i, k)) * double(tb ? b(j, k) : b(k, j));
            c(i, j) = float(s);
        }
    return c;
}

const float inf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("matmul matches a hand-computed 2x3 by 3x2 product") {
    Tensor a = {{1, 2, 3}, {4, 5, 6}};
    Tensor b = {{7, 8}, {9, 10}, {11, 12}};
    Tensor expected = {{58, 64}, {139, 154}};
    CHECK(matmul(a, b) == expected);
    CHECK(matmul_nt(a, xt::eval(xt::transpose(b))) == expected);
    CHECK(matmul_tn(xt::eval(xt::transpose(a)), b) == expected);
}

TEST_CASE("every gemm kernel this machine runs agrees with a double-precision reference on odd shapes") {
    // 1–3 rows and tiny products (M·N·K ≤ 8192) take the unpacked path (both layouts of B), the rest
    // the packed micro-kernel; the shapes cut every edge of the 4×8 (simd128), 6×16 (avx2) and 8×32
    // (avx512) tiles and of the K and N cache blocks.
    const std::vector<GemmKernel>& kernels = gemm_kernels();
    std::string names;
    for (const GemmKernel& k : kernels) names += std::string(names.empty() ? "" : ", ") + k.name;
    MESSAGE("gemm kernels tested on this machine: " << names << "; gemm uses " << std::string(gemm_kernel_name()));
    REQUIRE(kernels.size() >= 2);
    TestRng rng(42);
    const std::size_t dims[][3] = {{1, 1, 1},    {3, 5, 7},    {4, 8, 1},     {5, 9, 3},    {7, 13, 17},
                                   {33, 31, 29}, {64, 64, 64}, {65, 70, 300}, {2, 600, 3},  {130, 9, 520},
                                   {1, 1000, 2}, {1, 37, 19},  {2, 45, 33},   {3, 70, 9},   {1, 288, 96},
                                   {3, 17, 600}, {6, 16, 5},   {13, 33, 257}, {7, 530, 11}, {20, 20, 16},
                                   {13, 17, 11}, {6, 16, 100}, {8, 32, 40},   {9, 33, 30},  {17, 65, 9}};
    for (const GemmKernel& kernel : kernels)
        for (auto& d : dims) {
            const std::size_t M = d[0], N = d[1], K = d[2];
            for (int variant = 0; variant < 4; ++variant) {
                const bool ta = variant & 1, tb = variant & 2;
                const std::string name = kernel.name;
                CAPTURE(name);
                CAPTURE(M);
                CAPTURE(N);
                CAPTURE(K);
                CAPTURE(ta);
                CAPTURE(tb);
                Tensor a = random_tensor(ta ? Shape{K, M} : Shape{M, K}, rng);
                Tensor b = random_tensor(tb ? Shape{N, K} : Shape{K, N}, rng);
                const MatRef A = ta ? MatRef{a.data(), 1, M} : MatRef{a.data(), K, 1};
                const MatRef B = tb ? MatRef{b.data(), 1, K} : MatRef{b.data(), N, 1};
                Tensor c = Tensor::from_shape({M, N});
                kernel.run(M, N, K, A, B, c.data(), N, false);
                CHECK_CLOSE(c, naive_gemm(a, b, ta, tb), 1e-5, 1e-5);
            }
        }
}

TEST_CASE("gemm gives the bits of the kernel it picks by shape: AVX2 on the unpacked path where there is one") {
    const std::vector<GemmKernel>& kernels = gemm_kernels();
    auto kernel_named = [&](const std::string& name) -> const GemmKernel* {
        for (const GemmKernel& k : kernels)
            if (name == k.name) return &k;
        return nullptr;
    };
    const GemmKernel* avx2 = kernel_named("avx2");
    const GemmKernel* avx512 = kernel_named("avx512");
    TestRng rng(44);
    const std::size_t dims[][3] = {{1, 288, 96}, {1, 700, 96}, {2, 45, 33},   {3, 70, 9},  {20, 20, 16},
                                   {13, 17, 11}, {4, 64, 64},  {32, 288, 96}, {65, 70, 30}};
    for (auto& d : dims) {
        const std::size_t M = d[0], N = d[1], K = d[2];
        for (bool tb : {false, true}) {
            CAPTURE(M);
            CAPTURE(N);
            CAPTURE(K);
            CAPTURE(tb);
            const Tensor a = random_tensor({M, K}, rng);
            const Tensor b = random_tensor(tb ? Shape{N, K} : Shape{K, N}, rng);
            const MatRef A{a.data(), K, 1}, B = tb ? MatRef{b.data(), 1, K} : MatRef{b.data(), N, 1};
            auto run = [&](GemmFn f) {
                Tensor c = Tensor::from_shape({M, N});
                f(M, N, K, A, B, c.data(), N, false);
                return c;
            };
            const bool unpacked = gemm_takes_unpacked_path(M, N, K, B);
            CHECK(unpacked == (M <= 3 || M * N * K <= 8192));
            const Tensor got = run(gemm);
            if (!ATTNLAB_SIMD) {
                CHECK(got == run(gemm_scalar));
                continue;
            }
            const GemmFn expected = unpacked && avx2 ? avx2->run : kernels.back().run;
            CHECK(got == run(expected));
            // the unpacked path is one 256-bit loop in both x86 kernels: the same bits either way
            if (unpacked && avx2 && avx512) CHECK(run(avx2->run) == run(avx512->run));
        }
    }
}

TEST_CASE("transpose_axes reorders axes like xtensor's transpose on odd shapes, every permutation") {
    TestRng rng(45);
    const Tensor t3 = random_tensor({3, 5, 7}, rng), t4 = random_tensor({2, 3, 5, 4}, rng);
    for (const Tensor* t : {&t3, &t4}) {
        std::vector<std::size_t> axes(t->dimension());
        std::iota(axes.begin(), axes.end(), std::size_t(0));
        do {
            CAPTURE(axes);
            const Tensor expected = xt::transpose(*t, axes);
            const Tensor got = transpose_axes(*t, axes);
            REQUIRE(got.shape() == expected.shape());
            CHECK(got == expected);
        } while (std::next_permutation(axes.begin(), axes.end()));
    }
    CHECK_THROWS_AS(transpose_axes(t3, {0, 1}), Error);
    CHECK_THROWS_AS(transpose_axes(t3, {0, 1, 1}), Error);
}

TEST_CASE("add_mask adds a mask broadcast to the scores' shape like numpy, and refuses one that does not fit") {
    TestRng rng(46);
    const Tensor scores = random_tensor({2, 3, 4, 5}, rng);
    for (const Shape& m :
         {Shape{5}, Shape{4, 5}, Shape{2, 1, 1, 5}, Shape{1, 3, 4, 1}, Shape{2, 3, 4, 5}, Shape{3, 1, 5}, Shape{1}}) {
        CAPTURE(m);
        const Tensor mask = random_tensor(m, rng);
        const Tensor expected = scores + mask;
        CHECK(add_mask(scores, mask, "test") == expected);
    }
    CHECK_THROWS_WITH_AS(add_mask(scores, xt::zeros<float>({4}), "test"),
                         "test: mask (4) does not broadcast to scores (2, 3, 4, 5)", Error);
    CHECK_THROWS_AS(add_mask(scores, xt::zeros<float>({3, 2, 3, 4, 5}), "test"), Error);
}

TEST_CASE("bernoulli_fill draws what as many bernoulli calls draw, in the same order") {
    for (float p : {0.0f, 0.1f, 0.5f, 0.9f}) {
        CAPTURE(p);
        Rng bulk(9), one(9);
        std::vector<float> filled(1001);
        bulk.bernoulli_fill(filled.data(), filled.size(), p, -2.5f, 1.25f);
        std::size_t hits = 0;
        for (float v : filled) {
            const bool drawn = one.bernoulli(p);
            hits += drawn;
            CHECK(v == (drawn ? -2.5f : 1.25f));
        }
        CHECK(bulk.next_u64() == one.next_u64());  // the generators end in the same state
        if (p == 0.0f) CHECK(hits == 0);
        if (p == 0.5f) CHECK(hits > 400);
    }
}

TEST_CASE("bernoulli_fill agrees with bernoulli at the edges: p of 0, 1, above 1, NaN, and p on a draw") {
    std::vector<std::pair<float, std::uint64_t>> cases{
        {1.0f, 1}, {1.5f, 2}, {1e-9f, 3}, {std::numeric_limits<float>::quiet_NaN(), 4}, {-0.5f, 5}};
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {  // p exactly the first draw's value, and half a step off
        Rng peek(seed);
        const std::uint64_t k = peek.next_u64() >> 40;  // uniform() is k·2⁻²⁴
        for (float offset : {0.0f, 0.5f, -0.5f}) cases.push_back({std::ldexp(float(k) + offset, -24), seed});
    }
    for (const auto& c : cases) {  // no structured binding: clang 14 cannot capture one (CAPTURE)
        const float p = c.first;
        const std::uint64_t seed = c.second;
        CAPTURE(p);
        CAPTURE(seed);
        Rng bulk(seed), one(seed);
        std::vector<float> filled(7);
        bulk.bernoulli_fill(filled.data(), filled.size(), p, 1.0f, 0.0f);
        for (float v : filled) CHECK(v == (one.bernoulli(p) ? 1.0f : 0.0f));
        CHECK(bulk.next_u64() == one.next_u64());
    }
}

TEST_CASE("every gemm kernel with accumulate adds to C, and leading dimensions leave other columns alone") {
    TestRng rng(7);
    for (const GemmKernel& kernel : gemm_kernels())
        for (auto mk : {std::pair<std::size_t, std::size_t>{1, 5}, {2, 5}, {3, 5}, {8, 5}, {6, 100}, {9, 100}}) {
            // unpacked (1–3 rows, tiny products) and packed
            const std::size_t M = mk.first, K = mk.second, N = 21, ldc = 29;
            Tensor a = random_tensor({M, K}, rng), b = random_tensor({K, N}, rng), bt = random_tensor({N, K}, rng);
            Tensor c0 = random_tensor({M, ldc}, rng);
            for (bool transposed : {false, true}) {
                const std::string name = kernel.name;
                CAPTURE(name);
                CAPTURE(M);
                CAPTURE(transposed);
                Tensor c = c0;
                const MatRef B = transposed ? MatRef{bt.data(), 1, K} : MatRef{b.data(), N, 1};
                kernel.run(M, N, K, {a.data(), K, 1}, B, c.data(), ldc, true);
                const Tensor prod = naive_gemm(a, transposed ? bt : b, false, transposed);
                for (std::size_t i = 0; i < M; ++i)
                    for (std::size_t j = 0; j < ldc; ++j)
                        CHECK(c(i, j) == doctest::Approx(j < N ? c0(i, j) + prod(i, j) : c0(i, j)).epsilon(1e-5));
            }
        }
}

TEST_CASE("gemm over an empty inner dimension gives zeros, or leaves C as is when accumulating") {
    Tensor c = {{1.0f, 2.0f}};
    float dummy = 0;
    for (const GemmKernel& kernel : gemm_kernels()) {
        const std::string name = kernel.name;
        CAPTURE(name);
        c = Tensor{{1.0f, 2.0f}};
        kernel.run(1, 2, 0, {&dummy, 0, 1}, {&dummy, 2, 1}, c.data(), 2, true);
        CHECK(c == Tensor{{1.0f, 2.0f}});
        kernel.run(1, 2, 0, {&dummy, 0, 1}, {&dummy, 2, 1}, c.data(), 2, false);
        CHECK(c == Tensor{{0.0f, 0.0f}});
    }
}

TEST_CASE("matmul folds leading axes into rows, and bmm multiplies batch by batch") {
    TestRng rng(3);
    Tensor a = random_tensor({3, 5, 7}, rng), w = random_tensor({7, 4}, rng);
    Tensor y = matmul(a, w);
    REQUIRE(y.shape() == Shape{3, 5, 4});
    for (std::size_t i = 0; i < 3; ++i)
        CHECK_CLOSE(Tensor(xt::view(y, i)), naive_gemm(xt::eval(xt::view(a, i)), w, false, false), 1e-5, 1e-5);
    Tensor b = random_tensor({3, 7, 2}, rng), bt = random_tensor({3, 2, 7}, rng);
    Tensor z = bmm(a, b), zt = bmm(a, bt, true);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK_CLOSE(Tensor(xt::view(z, i)),
                    naive_gemm(xt::eval(xt::view(a, i)), xt::eval(xt::view(b, i)), false, false), 1e-5, 1e-5);
        CHECK_CLOSE(Tensor(xt::view(zt, i)),
                    naive_gemm(xt::eval(xt::view(a, i)), xt::eval(xt::view(bt, i)), false, true), 1e-5, 1e-5);
    }
}

TEST_CASE("bmm multiplies over every leading axis, each product against a double-precision reference") {
    TestRng rng(4);
    Tensor a = random_tensor({2, 3, 5, 7}, rng), b = random_tensor({2, 3, 7, 9}, rng),
           bt = random_tensor({2, 3, 9, 7}, rng);
    Tensor z = bmm(a, b), zt = bmm(a, bt, true);
    REQUIRE(z.shape() == Shape{2, 3, 5, 9});
    REQUIRE(zt.shape() == Shape{2, 3, 5, 9});
    for (std::size_t i = 0; i < 2; ++i)
        for (std::size_t j = 0; j < 3; ++j) {
            const Tensor ai = xt::eval(xt::view(a, i, j));
            CHECK_CLOSE(Tensor(xt::view(z, i, j)), naive_gemm(ai, xt::eval(xt::view(b, i, j)), false, false), 1e-5,
                        1e-5);
            CHECK_CLOSE(Tensor(xt::view(zt, i, j)), naive_gemm(ai, xt::eval(xt::view(bt, i, j)), false, true), 1e-5,
                        1e-5);
        }
    CHECK_THROWS_AS(bmm(a, random_tensor({3, 2, 7, 9}, rng)), Error);  // leading axes differ
    CHECK_THROWS_AS(bmm(a, random_tensor({6, 7, 9}, rng)), Error);     // ranks differ
}

TEST_CASE("matmul with mismatched inner sizes is a clear error") {
    Tensor a = xt::zeros<float>({2, 3}), b = xt::zeros<float>({4, 2});
    CHECK_THROWS_WITH_AS(matmul(a, b), "matmul: inner sizes differ: (2, 3) · (4, 2)", Error);
    CHECK_THROWS_AS(bmm(a, b), Error);
}

TEST_CASE("softmax matches hand-computed values and rows sum to one") {
    Tensor x = {{0.0f, std::log(3.0f)}, {1.0f, 1.0f}};
    Tensor y = softmax(x);
    CHECK(y(0, 0) == doctest::Approx(0.25));
    CHECK(y(0, 1) == doctest::Approx(0.75));
    CHECK(y(1, 0) == doctest::Approx(0.5));
    TestRng rng(1);
    Tensor big = random_tensor({3, 5, 7}, rng, -50, 50);
    Tensor p = softmax(big);
    for (std::size_t r = 0; r < 15; ++r) {
        double s = 0;
        for (std::size_t j = 0; j < 7; ++j) s += p.data()[r * 7 + j];
        CHECK(s == doctest::Approx(1.0).epsilon(1e-6));
    }
}

TEST_CASE("softmax does not overflow on huge scores") {
    Tensor x = {1000.0f, 1000.0f + std::log(3.0f), -1000.0f};
    Tensor y = softmax(x);
    CHECK(y(0) == doctest::Approx(0.25));
    CHECK(y(1) == doctest::Approx(0.75));
    CHECK(y(2) == 0.0f);
    Tensor l = log_softmax(x);
    CHECK(l(0) == doctest::Approx(std::log(0.25)));
    CHECK(l(2) == doctest::Approx(-2000.0 - std::log(4.0)).epsilon(1e-6));
}

TEST_CASE("masked entries get weight zero, and a fully masked row gives zeros, not NaN") {
    Tensor x = {{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}};
    Tensor mask = {{0.0f, -inf, 0.0f}, {-inf, -inf, -inf}};
    Tensor y = softmax(x, mask);
    CHECK(y(0, 1) == 0.0f);
    CHECK(y(0, 0) == doctest::Approx(1.0 / (1.0 + std::exp(2.0))));
    CHECK(y(0, 2) == doctest::Approx(std::exp(2.0) / (1.0 + std::exp(2.0))));
    for (std::size_t j = 0; j < 3; ++j) CHECK(y(1, j) == 0.0f);
    Tensor l = log_softmax(x, mask);
    CHECK(std::isinf(l(0, 1)));
    for (std::size_t j = 0; j < 3; ++j) CHECK((std::isinf(l(1, j)) && l(1, j) < 0));
}

TEST_CASE("a mask broadcasts over rows, and a mask that does not fit is a clear error") {
    Tensor x = xt::zeros<float>({2, 3});
    Tensor key_mask = {0.0f, 0.0f, -inf};  // (3): the same for every row
    Tensor y = softmax(x, key_mask);
    for (std::size_t r = 0; r < 2; ++r) {
        CHECK(y(r, 0) == doctest::Approx(0.5));
        CHECK(y(r, 2) == 0.0f);
    }
    CHECK_THROWS_AS(softmax(x, xt::zeros<float>({4})), Error);
    CHECK_THROWS_AS(softmax(x, xt::zeros<float>({3, 2, 3})), Error);
}

TEST_CASE("log_softmax equals log of softmax") {
    TestRng rng(9);
    Tensor x = random_tensor({4, 9}, rng, -5, 5);
    CHECK_CLOSE(Tensor(xt::exp(log_softmax(x))), softmax(x), 1e-5, 1e-7);
}

TEST_CASE("layer norm matches a hand-computed row and applies weight and bias") {
    Tensor x = {{1.0f, 2.0f, 3.0f, 4.0f}};
    Tensor g = {1.0f, 1.0f, 2.0f, 2.0f}, b = {0.0f, 0.5f, 0.0f, -1.0f};
    Tensor y = layer_norm(x, g, b, 0.0f);
    const double sd = std::sqrt(1.25);  // mean 2.5, biased variance 1.25
    CHECK(y(0, 0) == doctest::Approx(-1.5 / sd));
    CHECK(y(0, 1) == doctest::Approx(-0.5 / sd + 0.5));
    CHECK(y(0, 2) == doctest::Approx(2 * 0.5 / sd));
    CHECK(y(0, 3) == doctest::Approx(2 * 1.5 / sd - 1.0));
    CHECK_THROWS_AS(layer_norm(x, Tensor{1.0f}, b), Error);
}

TEST_CASE("layer norm keeping its row statistics gives the same bits, and the statistics are each row's") {
    TestRng rng(6);
    const Tensor x = random_tensor({3, 5, 7}, rng, -3, 10), g = random_tensor({7}, rng), b = random_tensor({7}, rng),
                 dy = random_tensor({3, 5, 7}, rng);
    std::vector<float> stats;
    const Tensor y = layer_norm(x, g, b, 1e-5f, stats);
    REQUIRE(stats.size() == 2 * 15);
    CHECK(y == layer_norm(x, g, b, 1e-5f));
    for (std::size_t r = 0; r < 15; ++r) {  // mean and 1/sqrt(var + eps) against double
        double m = 0, v = 0;
        for (std::size_t j = 0; j < 7; ++j) m += x.data()[r * 7 + j];
        m /= 7;
        for (std::size_t j = 0; j < 7; ++j) v += std::pow(x.data()[r * 7 + j] - m, 2);
        CHECK(stats[2 * r] == doctest::Approx(m).epsilon(1e-6));
        CHECK(stats[2 * r + 1] == doctest::Approx(1.0 / std::sqrt(v / 7 + 1e-5)).epsilon(1e-6));
    }
    const LayerNormGrads kept = layer_norm_backward(dy, x, g, stats), again = layer_norm_backward(dy, x, g, 1e-5f);
    CHECK(kept.dx == again.dx);
    CHECK(kept.dgamma == again.dgamma);
    CHECK(kept.dbeta == again.dbeta);
    std::vector<double> dgamma(7, 0.0), dbeta(7, 0.0);  // the backward in double, from its formula
    for (std::size_t r = 0; r < 15; ++r) {
        const float* row = x.data() + r * 7;
        double m = 0, v = 0, mean_g = 0, mean_gx = 0;
        for (std::size_t j = 0; j < 7; ++j) m += row[j];
        m /= 7;
        for (std::size_t j = 0; j < 7; ++j) v += std::pow(row[j] - m, 2);
        const double rstd = 1.0 / std::sqrt(v / 7 + 1e-5);
        for (std::size_t j = 0; j < 7; ++j) {
            const double xhat = (row[j] - m) * rstd, gy = dy.data()[r * 7 + j];
            mean_g += gy * g(j) / 7;
            mean_gx += gy * g(j) * xhat / 7;
            dgamma[j] += gy * xhat;
            dbeta[j] += gy;
        }
        for (std::size_t j = 0; j < 7; ++j) {
            const double xhat = (row[j] - m) * rstd;
            const double dx = rstd * (dy.data()[r * 7 + j] * g(j) - mean_g - xhat * mean_gx);
            CHECK(kept.dx.data()[r * 7 + j] == doctest::Approx(dx).epsilon(1e-5).scale(1e-3));
        }
    }
    for (std::size_t j = 0; j < 7; ++j) {
        CHECK(kept.dgamma(j) == doctest::Approx(dgamma[j]).epsilon(1e-5));
        CHECK(kept.dbeta(j) == doctest::Approx(dbeta[j]).epsilon(1e-5));
    }
    stats.pop_back();
    CHECK_THROWS_AS(layer_norm_backward(dy, x, g, stats), Error);
}

TEST_CASE("layer norm output has zero mean and unit variance per row on odd shapes") {
    TestRng rng(5);
    Tensor x = random_tensor({3, 5, 7}, rng, -3, 10);
    Tensor y = layer_norm(x, xt::ones<float>({7}), xt::zeros<float>({7}));
    for (std::size_t r = 0; r < 15; ++r) {
        double m = 0, v = 0;
        for (std::size_t j = 0; j < 7; ++j) m += y.data()[r * 7 + j];
        m /= 7;
        for (std::size_t j = 0; j < 7; ++j) v += std::pow(y.data()[r * 7 + j] - m, 2);
        CHECK(m == doctest::Approx(0.0).epsilon(1e-5).scale(1));
        CHECK(v / 7 == doctest::Approx(1.0).epsilon(1e-3));
    }
}

TEST_CASE("relu and its backward pass select by the sign of x, on every lane and the odd tail") {
    const std::size_t n = 37;  // not a multiple of any vector width
    Tensor x = Tensor::from_shape({n}), dy = Tensor::from_shape({n});
    for (std::size_t i = 0; i < n; ++i) {
        x(i) = (i % 3 == 0 ? -1.0f : 1.0f) * float(i % 5) * 0.25f;  // negatives, zeros, positives
        dy(i) = 1.0f + float(i);
    }
    x(1) = -0.0f;
    x(2) = std::numeric_limits<float>::quiet_NaN();
    const Tensor y = relu(x), dx = relu_backward(dy, x);
    for (std::size_t i = 0; i < n; ++i) {
        const bool on = x(i) > 0.0f;
        CHECK(y(i) == (on ? x(i) : 0.0f));
        CHECK(dx(i) == (on ? dy(i) : 0.0f));
        CHECK_FALSE(std::signbit(y(i)));
        CHECK_FALSE(std::signbit(dx(i)));
    }
    CHECK_THROWS_AS(relu_backward(Tensor::from_shape({n - 1}), x), Error);
}

TEST_CASE("sigmoid, tanh and relu match their definitions, and sigmoid saturates without NaN") {
    Tensor x = {-100.0f, -1.0f, 0.0f, 0.5f, 100.0f};
    Tensor s = sigmoid(x), t = attnlab::tanh(x), r = relu(x);
    CHECK(s(0) == doctest::Approx(0.0));
    CHECK(s(1) == doctest::Approx(1.0 / (1.0 + std::exp(1.0))));
    CHECK(s(2) == 0.5f);
    CHECK(s(4) == 1.0f);
    CHECK(t(3) == doctest::Approx(std::tanh(0.5)));
    CHECK(t(0) == -1.0f);
    CHECK(r == Tensor{0.0f, 0.0f, 0.0f, 0.5f, 100.0f});
}
