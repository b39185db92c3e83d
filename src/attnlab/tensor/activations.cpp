#include "attnlab/tensor/activations.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace attnlab {

namespace {

typedef float f32x4 __attribute__((vector_size(16), aligned(4)));
typedef int i32x4 __attribute__((vector_size(16), aligned(4)));

inline f32x4 splat(float a) { return f32x4{a, a, a, a}; }
inline i32x4 splat(int a) { return i32x4{a, a, a, a}; }
inline f32x4 abs4(f32x4 x) { return (f32x4)((i32x4)x & splat(0x7fffffff)); }

// e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes expf's polynomial, times 2^n applied as two
// powers of two (so that subnormal results and the overflow to +inf come out right).
inline f32x4 exp4(f32x4 x) {
    f32x4 c = x < splat(-104.0f) ? splat(-104.0f) : x;  // e^-104 < 2^-150: rounds to 0
    c = c > splat(89.0f) ? splat(89.0f) : c;            // e^89 > FLT_MAX: +inf
    const f32x4 magic = splat(12582912.0f);             // 1.5·2^23: adding it rounds to an integer
    const f32x4 n = (c * splat(1.44269504088896341f) + magic) - magic;
    f32x4 r = c - n * splat(0.693359375f);  // ln 2 in two parts (Cody–Waite)
    r = r - n * splat(-2.12194440e-4f);
    f32x4 p = splat(1.9875691500e-4f);
    p = p * r + splat(1.3981999507e-3f);
    p = p * r + splat(8.3334519073e-3f);
    p = p * r + splat(4.1665795894e-2f);
    p = p * r + splat(1.6666665459e-1f);
    p = p * r + splat(5.0000001201e-1f);
    p = p * (r * r) + r + splat(1.0f);
    const i32x4 ni = __builtin_convertvector(n, i32x4);
    const i32x4 n1 = ni >> 1, n2 = ni - n1;
    return p * (f32x4)((n1 + 127) << 23) * (f32x4)((n2 + 127) << 23);  // a NaN stays NaN throughout
}

// tanh: x + x³·P(x²) below |x| = 0.625 (Cephes tanhf), else 1 − 2 / (e^{2|x|} + 1); x's sign.
inline f32x4 tanh4(f32x4 x) {
    const f32x4 z = x * x;
    f32x4 p = splat(-5.70498872745e-3f);
    p = p * z + splat(2.06390887954e-2f);
    p = p * z + splat(-5.37397155531e-2f);
    p = p * z + splat(1.33314422036e-1f);
    p = p * z + splat(-3.33332819422e-1f);
    const f32x4 small = x + x * z * p;
    const f32x4 ax = abs4(x);
    const f32x4 large = splat(1.0f) - splat(2.0f) / (exp4(ax + ax) + splat(1.0f));
    const f32x4 magnitude = ax < splat(0.625f) ? abs4(small) : large;
    return (f32x4)((i32x4)magnitude | ((i32x4)x & splat(int(0x80000000u))));  // tanh is odd
}

// σ(x) = 1 / (1 + e^-|x|) for x ≥ 0, e^-|x| / (1 + e^-|x|) below: no overflow, no cancellation.
inline f32x4 sigmoid4(f32x4 x) {
    const f32x4 e = exp4(-abs4(x));
    const f32x4 s = splat(1.0f) / (splat(1.0f) + e);
    return x >= splat(0.0f) ? s : e * s;
}

// y[i] = f(x[i]) four at a time; the last n % 4 through a padded vector.
template <f32x4 (*F)(f32x4)>
void map4(const float* x, float* y, std::size_t n) {
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        f32x4 v;
        std::memcpy(&v, x + i, sizeof v);
        v = F(v);
        std::memcpy(y + i, &v, sizeof v);
    }
    if (i == n) return;
    f32x4 v = splat(0.0f);
    std::memcpy(&v, x + i, (n - i) * sizeof(float));
    v = F(v);
    std::memcpy(y + i, &v, (n - i) * sizeof(float));
}

template <void (*F)(const float*, float*, std::size_t)>
Tensor map(const Tensor& x) {
    Tensor y = Tensor::from_shape(x.shape());
    F(x.data(), y.data(), x.size());
    return y;
}

}  // namespace

void exp_n(const float* x, float* y, std::size_t n) { map4<exp4>(x, y, n); }
void tanh_n(const float* x, float* y, std::size_t n) { map4<tanh4>(x, y, n); }
void sigmoid_n(const float* x, float* y, std::size_t n) { map4<sigmoid4>(x, y, n); }

float sigmoid(float x) {
    if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
    const float e = std::exp(x);
    return e / (1.0f + e);
}

Tensor sigmoid(const Tensor& x) { return map<sigmoid_n>(x); }
Tensor tanh(const Tensor& x) { return map<tanh_n>(x); }
namespace {
// y = x > 0 ? v : +0, selected by a bit mask (a branch on the sign is mispredicted half the time,
// and the mask form vectorises): relu's forward (v = x) and backward (v = the gradient).
void select_positive(const float* x, const float* v, float* y, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, v + i, sizeof bits);
        bits &= 0u - std::uint32_t(x[i] > 0.0f);
        std::memcpy(y + i, &bits, sizeof bits);
    }
}
}  // namespace

Tensor relu(const Tensor& x) {
    Tensor y = Tensor::from_shape(x.shape());
    select_positive(x.data(), x.data(), y.data(), x.size());
    return y;
}

Tensor relu_backward(const Tensor& dy, const Tensor& x) {
    if (dy.shape() != x.shape())
        throw Error("relu_backward: gradient " + shape_str(dy) + " does not match input " + shape_str(x));
    Tensor dx = Tensor::from_shape(x.shape());
    select_positive(x.data(), dy.data(), dx.data(), x.size());
    return dx;
}

}  // namespace attnlab
