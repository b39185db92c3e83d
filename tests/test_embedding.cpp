// Embedding lookups, sinusoidal and learned positional encodings.
#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/embedding.hpp"
#include "attnlab/nn/positional_encoding.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

namespace {
Tensor rnd(const Shape& s, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    return random_tensor(s, seed, lo, hi);
}
// The paper's formula, written independently in double: PE[pos, j] with i = floor(j / 2).
double pe_formula(std::size_t pos, std::size_t j, std::size_t d) {
    const double angle = double(pos) / std::pow(10000.0, 2.0 * double(j / 2) / double(d));
    return j % 2 == 0 ? std::sin(angle) : std::cos(angle);
}
}  // namespace

TEST_CASE("embedding_forward picks the row of each id, (B, T) -> (B, T, D)") {
    Rng rng(1);
    Embedding emb = make_embedding(7, 3, rng);
    IntTensor ids = {{6, 0, 2}, {2, 2, 5}};
    Var y = embedding_forward(emb, ids);
    REQUIRE(y.value().shape() == Shape{2, 3, 3});
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t t = 0; t < 3; ++t)
            for (std::size_t j = 0; j < 3; ++j) CHECK(y.value()(b, t, j) == emb.weight.value()(ids(b, t), j));
    CHECK(emb.weight.requires_grad());
    CHECK_THROWS_AS(embedding_forward(emb, IntTensor{7, 0}), Error);
    CHECK_THROWS_AS(make_embedding(0, 3, rng), Error);

    NamedVars params;
    add_parameters(params, "encoder.embedding", emb);
    REQUIRE(params.size() == 1);
    CHECK(params[0].first == "encoder.embedding.weight");
    CHECK(params[0].second.node() == emb.weight.node());
}

TEST_CASE("embedding is initialised N(0, 1) like nn.Embedding") {
    Rng rng(2);
    Embedding emb = make_embedding(200, 50, rng);
    double s = 0, s2 = 0;
    for (float v : emb.weight.value()) s += v, s2 += double(v) * v;
    const double n = double(emb.weight.size()), mean = s / n, var = s2 / n - mean * mean;
    CHECK(std::abs(mean) < 0.03);  // 10000 draws: std error of the mean 0.01
    CHECK(std::abs(var - 1.0) < 0.05);
}

TEST_CASE("sinusoidal positions follow the formula of Attention is all you need, also for odd d") {
    for (std::size_t d : {6u, 7u, 1u, 64u}) {
        CAPTURE(d);
        Tensor pe = sinusoidal_positions(50, d);
        REQUIRE(pe.shape() == Shape{50, d});
        for (std::size_t j = 0; j < d; ++j) CHECK(pe(0, j) == (j % 2 == 0 ? 0.0f : 1.0f));  // PE[0] = [0,1,0,1,…]
        for (std::size_t pos : {1u, 2u, 7u, 49u})
            for (std::size_t j = 0; j < d; ++j)
                CHECK(pe(pos, j) == doctest::Approx(pe_formula(pos, j, d)).epsilon(1e-6));
    }
    // A few by hand, d = 4: PE[1] = [sin 1, cos 1, sin(1/100), cos(1/100)].
    Tensor pe = sinusoidal_positions(3, 4);
    CHECK(pe(1, 0) == doctest::Approx(0.8414709848));
    CHECK(pe(1, 1) == doctest::Approx(0.5403023059));
    CHECK(pe(1, 2) == doctest::Approx(0.0099998333));
    CHECK(pe(1, 3) == doctest::Approx(0.9999500004));
    CHECK(pe(2, 0) == doctest::Approx(0.9092974268));
    // d = 5: the last column (j = 4, i = 2) is sin(pos / 10000^(4/5)).
    CHECK(sinusoidal_positions(4, 5)(3, 4) == doctest::Approx(std::sin(3.0 / std::pow(10000.0, 0.8))));
}

TEST_CASE("add_positions adds table rows start..start+T to every sequence of the batch") {
    Tensor table = sinusoidal_positions(10, 4);
    Tensor xv = rnd({2, 3, 4}, 3);
    for (std::size_t start : {0u, 7u}) {
        Var y = add_positions(Var(xv), table, start);
        for (std::size_t b = 0; b < 2; ++b)
            for (std::size_t t = 0; t < 3; ++t)
                for (std::size_t j = 0; j < 4; ++j) CHECK(y.value()(b, t, j) == xv(b, t, j) + table(start + t, j));
    }
    CHECK_THROWS_WITH_AS(add_positions(Var(xv), table, 8),
                         "add_positions: sequence of length 11 is longer than the 10 positions of the table", Error);
    CHECK_THROWS_AS(add_positions(Var(rnd({2, 3, 5}, 4)), table), Error);  // D differs
    CHECK_THROWS_AS(add_positions(Var(rnd({3, 4}, 5)), table), Error);     // not (B, T, D)
}
