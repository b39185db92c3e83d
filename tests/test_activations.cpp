// The vectorised exp, tanh and sigmoid against libm in double precision, over the whole float range.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "attnlab/tensor/activations.hpp"
#include "test_util.hpp"

using namespace attnlab;

namespace {

using Limits = std::numeric_limits<float>;

// |y − ref| in units of the float spacing at ref (the spacing of subnormals below 2^-126).
// A reference beyond the float range must come out as that infinity; a NaN reference as a NaN.
double ulp_error(float y, double ref) {
    if (std::isnan(ref)) return std::isnan(y) ? 0.0 : Limits::infinity();
    const float f = float(ref);
    if (std::isinf(f)) return y == f ? 0.0 : Limits::infinity();
    const float a = std::fabs(f);
    float spacing = std::nextafter(a, Limits::infinity()) - a;
    if (std::isinf(spacing)) spacing = a - std::nextafter(a, 0.0f);  // at FLT_MAX
    return std::fabs(double(y) - ref) / double(spacing);
}

// Every 4099th bit pattern of the 2^32 (every sign, exponent and a spread of mantissas, NaNs with
// payloads among them), plus the edges: ±0, ±inf, NaN, the extremes, subnormals, where exp overflows
// and underflows, tanh's switch between its two forms, and where the functions saturate.
std::vector<float> float_sample() {
    std::vector<float> xs;
    for (std::uint64_t bits = 0; bits < (std::uint64_t(1) << 32); bits += 4099) {
        const std::uint32_t b = std::uint32_t(bits);
        float x;
        std::memcpy(&x, &b, sizeof x);
        xs.push_back(x);
    }
    const float edges[] = {0.0f,
                           -0.0f,
                           Limits::infinity(),
                           -Limits::infinity(),
                           Limits::quiet_NaN(),
                           Limits::max(),
                           -Limits::max(),
                           Limits::min(),
                           -Limits::min(),
                           Limits::denorm_min(),
                           -Limits::denorm_min(),
                           88.0f,
                           88.72283f,
                           88.72284f,
                           89.0f,
                           90.0f,
                           -87.33654f,
                           -87.5f,
                           -103.9f,
                           -103.98f,
                           -104.0f,
                           -150.0f,
                           0.625f,
                           -0.625f,
                           std::nextafter(0.625f, 0.0f),
                           std::nextafter(-0.625f, 0.0f),
                           9.0f,
                           -9.0f,
                           20.0f,
                           -20.0f,
                           1e-20f,
                           -1e-20f,
                           0.5f,
                           -0.5f,
                           1.0f,
                           -1.0f,
                           16.635532f,
                           -16.635532f};
    xs.insert(xs.end(), std::begin(edges), std::end(edges));
    return xs;
}

struct Checked {
    const char* name;
    void (*f)(const float*, float*, std::size_t);
    double (*ref)(double);
    double bound_ulp;
};

const Checked checked[] = {
    {"exp", exp_n, [](double x) { return std::exp(x); }, 1.0},
    {"tanh", tanh_n, [](double x) { return std::tanh(x); }, 2.0},
    {"sigmoid", sigmoid_n, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, 3.0},
};

}  // namespace

TEST_CASE("exp_n, tanh_n and sigmoid_n stay within 1, 2 and 3 ULP of libm over a dense sample of all floats") {
    const std::vector<float> xs = float_sample();  // an odd count: the padded tail runs too
    REQUIRE(xs.size() % 4 != 0);
    for (const Checked& c : checked) {
        std::vector<float> ys(xs.size());
        c.f(xs.data(), ys.data(), xs.size());
        double worst = 0.0;
        float worst_x = 0.0f;
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double e = ulp_error(ys[i], c.ref(double(xs[i])));
            if (e > worst) worst = e, worst_x = xs[i];
        }
        MESSAGE(std::string(c.name) << ": worst " << worst << " ULP at x = " << worst_x << " over " << xs.size()
                                    << " floats");
        CAPTURE(worst_x);
        CHECK(worst <= c.bound_ulp);
    }
}

TEST_CASE("exp_n, tanh_n and sigmoid_n give libm's values at ±0, ±inf and NaN, and keep tanh's sign at -0") {
    const float x[] = {0.0f, -0.0f, Limits::infinity(), -Limits::infinity(), Limits::quiet_NaN()};
    float e[5], t[5], s[5];
    exp_n(x, e, 5), tanh_n(x, t, 5), sigmoid_n(x, s, 5);
    CHECK(e[0] == 1.0f);
    CHECK(e[1] == 1.0f);
    CHECK(e[2] == Limits::infinity());
    CHECK(e[3] == 0.0f);
    CHECK(std::isnan(e[4]));
    CHECK(t[0] == 0.0f);
    CHECK(!std::signbit(t[0]));
    CHECK(std::signbit(t[1]));
    CHECK(t[2] == 1.0f);
    CHECK(t[3] == -1.0f);
    CHECK(std::isnan(t[4]));
    CHECK(s[0] == 0.5f);
    CHECK(s[1] == 0.5f);
    CHECK(s[2] == 1.0f);
    CHECK(s[3] == 0.0f);
    CHECK(std::isnan(s[4]));
}

TEST_CASE("the Tensor sigmoid and tanh are exp_n's maps element by element, in place too") {
    Tensor x = {{-3.5f, -0.2f, 0.0f}, {0.7f, 4.0f, 30.0f}};
    Tensor s = sigmoid(x), t = attnlab::tanh(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(s.data()[i] == doctest::Approx(1.0 / (1.0 + std::exp(-double(x.data()[i])))).epsilon(1e-6));
        CHECK(t.data()[i] == doctest::Approx(std::tanh(double(x.data()[i]))).epsilon(1e-6));
    }
    Tensor y = x;
    exp_n(y.data(), y.data(), y.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        CHECK(y.data()[i] == doctest::Approx(std::exp(double(x.data()[i]))).epsilon(1e-6));
}
