// bench_gemm_wasm: attnlab's GEMM kernels in wasm, driven from node by bench/wasm-peer/gemm.mjs, which
// times them (process.cpuUsage) side by side with tfjs-backend-wasm. C = A (M×K) · B (K×N), row-major.
#include <emscripten/emscripten.h>

#include <random>
#include <vector>

#include "attnlab/tensor/gemm.hpp"

using namespace attnlab;

namespace {
std::vector<float> a, b, c;
std::size_t M_, N_, K_;
}  // namespace

extern "C" {

// Kernels 0 … kernel_count()−1 are gemm_kernels(); kernel_count() itself is `gemm` as the models call it.
EMSCRIPTEN_KEEPALIVE int kernel_count() { return int(gemm_kernels().size()); }
EMSCRIPTEN_KEEPALIVE const char* kernel_name(int i) {
    return i < kernel_count() ? gemm_kernels()[std::size_t(i)].name : "gemm";
}
EMSCRIPTEN_KEEPALIVE const char* gemm_name() { return gemm_kernel_name(); }

// Allocates and fills A and B with uniform(−1, 1) values, the same ones the tfjs peer gets (seeded).
EMSCRIPTEN_KEEPALIVE void set_shape(int M, int N, int K) {
    M_ = std::size_t(M), N_ = std::size_t(N), K_ = std::size_t(K);
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    a.resize(M_ * K_), b.resize(K_ * N_), c.assign(M_ * N_, 0.0f);
    for (float& v : a) v = uniform(rng);
    for (float& v : b) v = uniform(rng);
}

EMSCRIPTEN_KEEPALIVE void run(int kernel, int reps) {
    const GemmFn fn = kernel < kernel_count() ? gemm_kernels()[std::size_t(kernel)].run : gemm;
    for (int r = 0; r < reps; ++r) fn(M_, N_, K_, {a.data(), K_, 1}, {b.data(), N_, 1}, c.data(), N_, false);
}

}  // extern "C"
