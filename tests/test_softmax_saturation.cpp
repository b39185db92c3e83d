// Primer §6: without ÷√d_k the softmax of random dot products saturates as d_k grows; with it, it does not.
#include <doctest/doctest.h>

#include <cmath>

#include "attnlab/nn/softmax_saturation.hpp"
#include "attnlab/tensor/tensor.hpp"

using namespace attnlab;

TEST_CASE("softmax saturation: unscaled scores saturate as d_k grows, scaled ones keep the same spread") {
    const auto pts = softmax_saturation({1, 16, 256, 1024}, 10, 200, 7);
    REQUIRE(pts.size() == 4);
    CHECK(pts[0].d_k == 1);
    // d_k = 1: scaling by 1/√1 changes nothing
    CHECK(pts[0].entropy_scaled == doctest::Approx(pts[0].entropy_unscaled));
    CHECK(pts[0].max_weight_scaled == doctest::Approx(pts[0].max_weight_unscaled));
    for (std::size_t i = 1; i < pts.size(); ++i) {
        CHECK(pts[i].entropy_unscaled < pts[i - 1].entropy_unscaled);        // less and less spread
        CHECK(pts[i].max_weight_unscaled > pts[i - 1].max_weight_unscaled);  // one key takes it all
    }
    // scaled, the scores keep variance ≈ 1 whatever d_k: the same spread from d_k = 16 on
    for (std::size_t i = 2; i < pts.size(); ++i)
        CHECK(pts[i].entropy_scaled == doctest::Approx(pts[1].entropy_scaled).epsilon(0.1));
    CHECK(pts[3].max_weight_unscaled > 0.9);
    CHECK(pts[3].max_weight_scaled < 0.6);
    for (const auto& p : pts) {
        CHECK(p.entropy_scaled <= std::log(10.0) + 1e-12);
        CHECK(p.entropy_unscaled >= 0);
    }
}

TEST_CASE("softmax saturation: the same seed gives the same numbers; bad arguments are errors") {
    const auto a = softmax_saturation({64}, 8, 5, 3), b = softmax_saturation({64}, 8, 5, 3);
    CHECK(a[0].entropy_unscaled == b[0].entropy_unscaled);
    CHECK(a[0].max_weight_scaled == b[0].max_weight_scaled);
    CHECK_THROWS_AS(softmax_saturation({0}, 8, 5, 3), Error);
    CHECK_THROWS_AS(softmax_saturation({4}, 1, 5, 3), Error);
    CHECK_THROWS_AS(softmax_saturation({4}, 8, 0, 3), Error);
}
