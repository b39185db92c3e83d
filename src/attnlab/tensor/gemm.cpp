#include "attnlab/tensor/gemm.hpp"

#include <algorithm>
#include <cstring>

// -DATTNLAB_X86_KERNELS=0 builds natively with the SSE-width kernel only (what wasm runs, at SIMD128's
// width): the benchmarks use it to tell how much of wasm's gap to native is the vector width.
#if !defined(ATTNLAB_X86_KERNELS)
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#define ATTNLAB_X86_KERNELS 1
#else
#define ATTNLAB_X86_KERNELS 0
#endif
#endif
#if ATTNLAB_X86_KERNELS
// The 256- and 512-bit kernels pass vectors between always-inline helpers only; no ABI crosses them.
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

namespace attnlab {

void gemm_scalar(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
                 bool accumulate) {
    for (std::size_t i = 0; i < M; ++i) {
        float* c = C + i * ldc;
        if (!accumulate) std::fill(c, c + N, 0.0f);
        for (std::size_t k = 0; k < K; ++k) {
            const float a = A.data[i * A.rs + k * A.cs];
            const float* b = B.data + k * B.rs;
            for (std::size_t j = 0; j < N; ++j) c[j] += a * b[j * B.cs];
        }
    }
}

namespace {

#define ATTNLAB_INLINE inline __attribute__((always_inline))
// Each path of a product (few rows by B's rows, few rows by B's columns, packed) is a function of its own in wasm.
// V8 optimises a wasm function as a whole once it has run enough: as one 21 KB function, the whole product was
// compiled in the background during the page's first translation (55-110 ms), used paths and unused alike. Natively
// the paths stay inlined into the kernels, whose target attributes (avx2, avx512f) they need.
#if defined(__wasm__)
#define ATTNLAB_PATH __attribute__((noinline))
#else
#define ATTNLAB_PATH ATTNLAB_INLINE
#endif

// One source, three widths: 128-bit (SSE natively, SIMD128 in wasm), 256-bit (AVX2) and 512-bit
// (AVX-512) vectors. `acc + a * b` becomes one fused multiply-add inside the functions compiled for
// FMA (GCC contracts it there), and a multiply and an add elsewhere.
typedef float f32x4 __attribute__((vector_size(16), aligned(4)));

// A broadcast: one splat, not `V{} + a` (an add and a shuffle the compiler may keep).
ATTNLAB_INLINE void splat(f32x4& v, float a) { v = f32x4{a, a, a, a}; }
#if ATTNLAB_X86_KERNELS
typedef float f32x8 __attribute__((vector_size(32), aligned(4)));
typedef float f32x16 __attribute__((vector_size(64), aligned(4)));
ATTNLAB_INLINE void splat(f32x8& v, float a) { v = f32x8{a, a, a, a, a, a, a, a}; }
ATTNLAB_INLINE void splat(f32x16& v, float a) { v = f32x16{a, a, a, a, a, a, a, a, a, a, a, a, a, a, a, a}; }
#endif
template <class V>
ATTNLAB_INLINE V load(const float* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
template <class V>
ATTNLAB_INLINE void store(float* p, V v) {
    std::memcpy(p, &v, sizeof v);
}
template <class V>
ATTNLAB_INLINE float sum_lanes(V v) {
    float s = 0.0f;
    for (std::size_t i = 0; i < sizeof(V) / sizeof(float); ++i) s += v[i];
    return s;
}

// ---- the packed path: cache blocks, packed panels, a register-blocked MR × NR micro-kernel ----

constexpr std::size_t KC = 256, NC = 512;  // cache blocks; packing buffers stay bounded

// Packs rows [i0, i0+mc) × cols [k0, k0+kc) of A into MR-row panels: panel p holds, for each k, the
// MR values A(i0 + p*MR + r, k) side by side (zero past the edge).
template <std::size_t MR>
void pack_a(MatRef A, std::size_t i0, std::size_t mc, std::size_t k0, std::size_t kc, float* out) {
    for (std::size_t p = 0; p < mc; p += MR) {
        const std::size_t rows = std::min(MR, mc - p);
        const float* a = A.data + (i0 + p) * A.rs + k0 * A.cs;
        for (std::size_t k = 0; k < kc; ++k) {
            for (std::size_t r = 0; r < MR; ++r) out[r] = r < rows ? a[r * A.rs + k * A.cs] : 0.0f;
            out += MR;
        }
    }
}

// Packs rows [k0, k0+kc) × cols [j0, j0+nc) of B into NR-column panels (zero past the edge).
template <std::size_t NR>
void pack_b(MatRef B, std::size_t k0, std::size_t kc, std::size_t j0, std::size_t nc, float* out) {
    for (std::size_t p = 0; p < nc; p += NR) {
        const std::size_t cols = std::min(NR, nc - p);
        const float* b = B.data + k0 * B.rs + (j0 + p) * B.cs;
        if (cols == NR && B.cs == 1) {
            for (std::size_t k = 0; k < kc; ++k, out += NR) std::memcpy(out, b + k * B.rs, NR * sizeof(float));
            continue;
        }
        for (std::size_t k = 0; k < kc; ++k) {
            for (std::size_t c = 0; c < NR; ++c) out[c] = c < cols ? b[k * B.rs + c * B.cs] : 0.0f;
            out += NR;
        }
    }
}

// The micro-kernel: an MR × (NV vectors) tile of C held in registers, kc rank-1 updates.
// ap: kc×MR packed, bp: kc×NR packed; the tile goes to c (row stride ldc), `rows`×`cols` of it valid.
template <class V, std::size_t MR, std::size_t NV>
ATTNLAB_INLINE void micro_kernel(std::size_t kc, const float* ap, const float* bp, float* c, std::size_t ldc,
                                 std::size_t rows, std::size_t cols, bool accumulate) {
    constexpr std::size_t W = sizeof(V) / sizeof(float), NR = NV * W;
    V acc[MR][NV] = {};
    for (std::size_t k = 0; k < kc; ++k) {
        V b[NV];
        for (std::size_t v = 0; v < NV; ++v) b[v] = load<V>(bp + v * W);
        for (std::size_t r = 0; r < MR; ++r) {
            V a;
            splat(a, ap[r]);
            for (std::size_t v = 0; v < NV; ++v) acc[r][v] += a * b[v];
        }
        ap += MR;
        bp += NR;
    }
    if (rows == MR && cols == NR) {
        for (std::size_t r = 0; r < MR; ++r)
            for (std::size_t v = 0; v < NV; ++v) {
                float* out = c + r * ldc + v * W;
                store(out, accumulate ? acc[r][v] + load<V>(out) : acc[r][v]);
            }
        return;
    }
    float tile[MR][NR];
    for (std::size_t r = 0; r < MR; ++r)
        for (std::size_t v = 0; v < NV; ++v) store(tile[r] + v * W, acc[r][v]);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < cols; ++j) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r][j] : tile[r][j];
}

std::vector<float>& a_scratch() {
    thread_local std::vector<float> buffer;
    return buffer;
}
std::vector<float>& b_scratch() {
    thread_local std::vector<float> buffer;
    return buffer;
}

template <class V, std::size_t MR, std::size_t NV>
ATTNLAB_PATH void gemm_packed(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C,
                              std::size_t ldc, bool accumulate) {
    constexpr std::size_t NR = NV * sizeof(V) / sizeof(float), MC = 16 * MR;
    // Bounded scratch: at most KC×(NC rounded up to NR) + KC×MC floats.
    std::vector<float>&a_pack = a_scratch(), &b_pack = b_scratch();
    for (std::size_t jc = 0; jc < N; jc += NC) {
        const std::size_t nc = std::min(NC, N - jc);
        for (std::size_t pc = 0; pc < K; pc += KC) {
            const std::size_t kc = std::min(KC, K - pc);
            const bool acc = accumulate || pc > 0;
            b_pack.resize(kc * ((nc + NR - 1) / NR) * NR);
            pack_b<NR>(B, pc, kc, jc, nc, b_pack.data());
            for (std::size_t ic = 0; ic < M; ic += MC) {
                const std::size_t mc = std::min(MC, M - ic);
                a_pack.resize(kc * ((mc + MR - 1) / MR) * MR);
                pack_a<MR>(A, ic, mc, pc, kc, a_pack.data());
                for (std::size_t jr = 0; jr < nc; jr += NR)
                    for (std::size_t ir = 0; ir < mc; ir += MR)
                        micro_kernel<V, MR, NV>(kc, a_pack.data() + ir * kc, b_pack.data() + jr * kc,
                                                C + (ic + ir) * ldc + jc + jr, ldc, std::min(MR, mc - ir),
                                                std::min(NR, nc - jr), acc);
            }
        }
    }
}

// ---- the unpacked path for a few rows (M ≤ 3: every decoding step) ----
// Packing pads one row to MR and copies all of B on every call, for B values used once or twice.
// Here B is read in place: row-major B by rows (each C row a sum of B's rows scaled by A's values),
// transposed B (the (out, in) weight of a Linear layer) by dot products along k.

// Columns [j, …) of a few rows, one vector of columns at a time; returns the first column not done.
template <class V, std::size_t R>
ATTNLAB_INLINE std::size_t few_rows_b_rows_one_vector(std::size_t j, std::size_t N, std::size_t K, MatRef A, MatRef B,
                                                      float* C, std::size_t ldc, bool accumulate) {
    constexpr std::size_t W = sizeof(V) / sizeof(float);
    for (; j + W <= N; j += W) {
        V acc[R] = {};
        for (std::size_t k = 0; k < K; ++k) {
            const V bv = load<V>(B.data + k * B.rs + j);
            for (std::size_t r = 0; r < R; ++r) {
                V a;
                splat(a, A.data[r * A.rs + k * A.cs]);
                acc[r] += a * bv;
            }
        }
        for (std::size_t r = 0; r < R; ++r) {
            float* out = C + r * ldc + j;
            store(out, accumulate ? acc[r] + load<V>(out) : acc[r]);
        }
    }
    return j;
}

template <class V, std::size_t R>
ATTNLAB_PATH void few_rows_b_rows(std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
                                  bool accumulate) {
    // 32 columns at a time for one row, 16 for two or three (the accumulators stay in registers).
    constexpr std::size_t W = sizeof(V) / sizeof(float), NV = std::max<std::size_t>(1, (R == 1 ? 32 : 16) / W);
    std::size_t j = 0;
    for (; j + NV * W <= N; j += NV * W) {  // NV vectors of columns at a time
        V acc[R][NV] = {};
        for (std::size_t k = 0; k < K; ++k) {
            const float* b = B.data + k * B.rs + j;
            V bv[NV];
            for (std::size_t v = 0; v < NV; ++v) bv[v] = load<V>(b + v * W);
            for (std::size_t r = 0; r < R; ++r) {
                V a;
                splat(a, A.data[r * A.rs + k * A.cs]);
                for (std::size_t v = 0; v < NV; ++v) acc[r][v] += a * bv[v];
            }
        }
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t v = 0; v < NV; ++v) {
                float* out = C + r * ldc + j + v * W;
                store(out, accumulate ? acc[r][v] + load<V>(out) : acc[r][v]);
            }
    }
    j = few_rows_b_rows_one_vector<V, R>(j, N, K, A, B, C, ldc, accumulate);
    if constexpr (sizeof(V) > sizeof(f32x4))  // the columns left, four at a time
        j = few_rows_b_rows_one_vector<f32x4, R>(j, N, K, A, B, C, ldc, accumulate);
    for (; j < N; ++j)  // the last columns
        for (std::size_t r = 0; r < R; ++r) {
            float s = 0.0f;
            for (std::size_t k = 0; k < K; ++k) s += A.data[r * A.rs + k * A.cs] * B.data[k * B.rs + j];
            C[r * ldc + j] = accumulate ? C[r * ldc + j] + s : s;
        }
}

// B(k, j) = b[j * cs + k]; a: R rows of K contiguous values (row stride lda).
template <class V, std::size_t R>
ATTNLAB_PATH void few_rows_b_cols(std::size_t N, std::size_t K, const float* a, std::size_t lda, MatRef B, float* C,
                                  std::size_t ldc, bool accumulate) {
    constexpr std::size_t W = sizeof(V) / sizeof(float), NJ = 4;
    const std::size_t Kv = K / W * W;
    for (std::size_t j0 = 0; j0 < N; j0 += NJ) {
        const std::size_t nj = std::min(NJ, N - j0);
        const float* b[NJ];
        for (std::size_t q = 0; q < NJ; ++q) b[q] = B.data + (j0 + std::min(q, nj - 1)) * B.cs;
        V acc[R][NJ] = {};
        for (std::size_t k = 0; k < Kv; k += W) {
            V bv[NJ];
            for (std::size_t q = 0; q < NJ; ++q) bv[q] = load<V>(b[q] + k);
            for (std::size_t r = 0; r < R; ++r) {
                const V av = load<V>(a + r * lda + k);
                for (std::size_t q = 0; q < NJ; ++q) acc[r][q] += av * bv[q];
            }
        }
        for (std::size_t r = 0; r < R; ++r)
            for (std::size_t q = 0; q < nj; ++q) {
                float s = sum_lanes(acc[r][q]);
                for (std::size_t k = Kv; k < K; ++k) s += a[r * lda + k] * b[q][k];
                float& out = C[r * ldc + j0 + q];
                out = accumulate ? out + s : s;
            }
    }
}

template <class V, std::size_t R>
ATTNLAB_INLINE void few_rows(std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
                             bool accumulate) {
    if (B.cs == 1) return few_rows_b_rows<V, R>(N, K, A, B, C, ldc, accumulate);
    // B.rs == 1: dot products along k need A's rows contiguous in k too (copy the few rows if not).
    if (A.cs == 1) return few_rows_b_cols<V, R>(N, K, A.data, A.rs, B, C, ldc, accumulate);
    std::vector<float>& rows = a_scratch();
    rows.resize(R * K);
    for (std::size_t r = 0; r < R; ++r)
        for (std::size_t k = 0; k < K; ++k) rows[r * K + k] = A.data[r * A.rs + k * A.cs];
    few_rows_b_cols<V, R>(N, K, rows.data(), K, B, C, ldc, accumulate);
}

// Products this small cost more to pack than to compute: three rows at a time, B read in place.
constexpr std::size_t tiny_product = 8192;  // M·N·K; e.g. a 20×20×16 attention product per head

// The whole product: empty cases, the unpacked path (vectors VF), else the packed path (vectors V).
template <class V, std::size_t MR, std::size_t NV, class VF = V>
ATTNLAB_INLINE void gemm_with(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C,
                              std::size_t ldc, bool accumulate) {
    if (M == 0 || N == 0) return;
    if (K == 0) {
        if (!accumulate)
            for (std::size_t i = 0; i < M; ++i) std::fill(C + i * ldc, C + i * ldc + N, 0.0f);
        return;
    }
    if (gemm_takes_unpacked_path(M, N, K, B)) {
        std::size_t i = 0;
        for (; i + 3 <= M; i += 3)
            few_rows<VF, 3>(N, K, {A.data + i * A.rs, A.rs, A.cs}, B, C + i * ldc, ldc, accumulate);
        const MatRef rest{A.data + i * A.rs, A.rs, A.cs};
        if (M - i == 2) few_rows<VF, 2>(N, K, rest, B, C + i * ldc, ldc, accumulate);
        if (M - i == 1) few_rows<VF, 1>(N, K, rest, B, C + i * ldc, ldc, accumulate);
        return;
    }
    gemm_packed<V, MR, NV>(M, N, K, A, B, C, ldc, accumulate);
}

}  // namespace

// 128-bit vectors, 4×8 tile: SSE natively, SIMD128 in wasm.
void gemm_simd(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
               bool accumulate) {
    gemm_with<f32x4, 4, 2>(M, N, K, A, B, C, ldc, accumulate);
}

namespace {

#if ATTNLAB_X86_KERNELS
// 256-bit vectors with FMA, 6×16 tile (12 accumulators of the 16 registers).
__attribute__((target("avx2,fma"))) void gemm_avx2(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B,
                                                   float* C, std::size_t ldc, bool accumulate) {
    gemm_with<f32x8, 6, 2>(M, N, K, A, B, C, ldc, accumulate);
}

// 512-bit vectors with FMA, 8×32 tile (16 accumulators of the 32 registers); the unpacked path
// for few rows stays at 256 bits (it streams B once: wider vectors only add column tails).
__attribute__((target("avx512f,avx2,fma"))) void gemm_avx512(std::size_t M, std::size_t N, std::size_t K, MatRef A,
                                                             MatRef B, float* C, std::size_t ldc, bool accumulate) {
    gemm_with<f32x16, 8, 2, f32x8>(M, N, K, A, B, C, ldc, accumulate);
}
#endif

// The fastest kernel this machine runs (checked once, at first use).
GemmFn best_kernel() {
    static const GemmFn best = [] {
        const std::vector<GemmKernel>& all = gemm_kernels();
        return all.back().run;
    }();
    return best;
}

// The kernel for products that take the unpacked path (few rows or tiny): AVX-512's unpacked path
// runs 256-bit vectors anyway, and the AVX2 build of that same loop measured faster at M = 1
// (bench_gemm, 2026-11-30: 66.0 vs 62.7 GFLOP/s at 1×288×96, 52.6 vs 48.1 at 1×700×96) — the same
// arithmetic in the same order, so the same bits. Elsewhere the widest kernel.
GemmFn unpacked_kernel() {
    static const GemmFn kernel = [] {
        for (const GemmKernel& k : gemm_kernels())
            if (std::string(k.name) == "avx2") return k.run;
        return best_kernel();
    }();
    return kernel;
}

}  // namespace

bool gemm_takes_unpacked_path(std::size_t M, std::size_t N, std::size_t K, MatRef B) {
    return (M <= 3 || M * N * K <= tiny_product) && (B.cs == 1 || B.rs == 1);
}

void gemm(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc, bool accumulate) {
#if ATTNLAB_SIMD
    if (gemm_takes_unpacked_path(M, N, K, B)) return unpacked_kernel()(M, N, K, A, B, C, ldc, accumulate);
    best_kernel()(M, N, K, A, B, C, ldc, accumulate);
#else
    gemm_scalar(M, N, K, A, B, C, ldc, accumulate);
#endif
}

const std::vector<GemmKernel>& gemm_kernels() {
    static const std::vector<GemmKernel> kernels = [] {
        std::vector<GemmKernel> k{{"scalar", gemm_scalar}, {"simd128", gemm_simd}};
#if ATTNLAB_X86_KERNELS
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) k.push_back({"avx2", gemm_avx2});
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) k.push_back({"avx512", gemm_avx512});
#endif
        return k;
    }();
    return kernels;
}

const char* gemm_kernel_name() {
    if (!ATTNLAB_SIMD) return "scalar";
    return gemm_kernels().back().name;
}

namespace {

// Output shape: a's shape with its last axis replaced by n.
Shape rows_times(const Tensor& a, std::size_t n) {
    Shape s(a.shape().begin(), a.shape().end());
    s.back() = n;
    return s;
}

void expect_at_least_1d(const Tensor& a, const char* what) {
    if (a.dimension() < 1) throw Error(std::string(what) + ": a 0-d tensor has no rows");
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) {
    expect_at_least_1d(a, "matmul");
    expect_dim(b, 2, "matmul (right operand)");
    const std::size_t K = last_dim(a), N = b.shape(1), M = row_count(a);
    if (b.shape(0) != K) throw Error("matmul: inner sizes differ: " + shape_str(a) + " · " + shape_str(b));
    Tensor c = Tensor::from_shape(rows_times(a, N));
    gemm(M, N, K, {a.data(), K, 1}, {b.data(), N, 1}, c.data(), N, false);
    return c;
}

Tensor matmul_nt(const Tensor& a, const Tensor& b) {
    expect_at_least_1d(a, "matmul_nt");
    expect_dim(b, 2, "matmul_nt (right operand)");
    const std::size_t K = last_dim(a), N = b.shape(0), M = row_count(a);
    if (b.shape(1) != K) throw Error("matmul_nt: inner sizes differ: " + shape_str(a) + " · " + shape_str(b) + "ᵀ");
    Tensor c = Tensor::from_shape(rows_times(a, N));
    gemm(M, N, K, {a.data(), K, 1}, {b.data(), 1, K}, c.data(), N, false);
    return c;
}

Tensor matmul_tn(const Tensor& a, const Tensor& b) {
    expect_dim(a, 2, "matmul_tn (left operand)");
    expect_dim(b, 2, "matmul_tn (right operand)");
    const std::size_t K = a.shape(0), M = a.shape(1), N = b.shape(1);
    if (b.shape(0) != K) throw Error("matmul_tn: inner sizes differ: " + shape_str(a) + "ᵀ · " + shape_str(b));
    Tensor c = Tensor::from_shape({M, N});
    gemm(M, N, K, {a.data(), 1, M}, {b.data(), N, 1}, c.data(), N, false);
    return c;
}

Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_b) {
    const std::size_t R = a.dimension();
    if (R < 3 || b.dimension() != R)
        throw Error("bmm: operands need the same rank, at least 3: " + shape_str(a) + " · " + shape_str(b));
    const std::size_t M = a.shape(R - 2), K = a.shape(R - 1);
    const std::size_t N = transpose_b ? b.shape(R - 2) : b.shape(R - 1);
    const std::size_t bK = transpose_b ? b.shape(R - 1) : b.shape(R - 2);
    bool fits = bK == K;
    std::size_t B = 1;  // the leading axes, one batch of products
    for (std::size_t i = 0; i + 2 < R; ++i) {
        fits = fits && a.shape(i) == b.shape(i);
        B *= a.shape(i);
    }
    if (!fits)
        throw Error("bmm: shapes do not match: " + shape_str(a) + " · " + shape_str(b) + (transpose_b ? "ᵀ" : ""));
    Shape out(a.shape().begin(), a.shape().end());
    out[R - 1] = N;
    Tensor c = Tensor::from_shape(out);
    const MatRef bref = transpose_b ? MatRef{nullptr, 1, K} : MatRef{nullptr, N, 1};
    for (std::size_t i = 0; i < B; ++i)
        gemm(M, N, K, {a.data() + i * M * K, K, 1}, {b.data() + i * K * N, bref.rs, bref.cs}, c.data() + i * M * N, N,
             false);
    return c;
}

}  // namespace attnlab
