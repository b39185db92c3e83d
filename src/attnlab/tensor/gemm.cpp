#include "attnlab/tensor/gemm.hpp"

#include <algorithm>
#include <cstring>

namespace attnlab {

void gemm_scalar(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C,
                 std::size_t ldc, bool accumulate) {
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

typedef float f32x4 __attribute__((vector_size(16), aligned(4)));
constexpr std::size_t MR = 4, NR = 8;              // micro-tile: 4 rows × 2 vectors of 4
constexpr std::size_t KC = 256, MC = 64, NC = 512;  // cache blocks; packing buffers stay bounded

// Packs rows [i0, i0+mc) × cols [k0, k0+kc) of A into MR-row panels: panel p holds, for each k, the
// MR values A(i0 + p*MR + r, k) side by side (zero past the edge).
void pack_a(MatRef A, std::size_t i0, std::size_t mc, std::size_t k0, std::size_t kc, float* out) {
    for (std::size_t p = 0; p < mc; p += MR) {
        const std::size_t rows = std::min(MR, mc - p);
        for (std::size_t k = 0; k < kc; ++k) {
            for (std::size_t r = 0; r < MR; ++r)
                out[r] = r < rows ? A.data[(i0 + p + r) * A.rs + (k0 + k) * A.cs] : 0.0f;
            out += MR;
        }
    }
}

// Packs rows [k0, k0+kc) × cols [j0, j0+nc) of B into NR-column panels (zero past the edge).
void pack_b(MatRef B, std::size_t k0, std::size_t kc, std::size_t j0, std::size_t nc, float* out) {
    for (std::size_t p = 0; p < nc; p += NR) {
        const std::size_t cols = std::min(NR, nc - p);
        for (std::size_t k = 0; k < kc; ++k) {
            const float* b = B.data + (k0 + k) * B.rs + (j0 + p) * B.cs;
            for (std::size_t c = 0; c < NR; ++c) out[c] = c < cols ? b[c * B.cs] : 0.0f;
            out += NR;
        }
    }
}

inline f32x4 load4(const float* p) {
    f32x4 v;
    std::memcpy(&v, p, sizeof v);
    return v;
}
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }

// The micro-kernel: a 4×8 tile of C held in eight vector registers, kc rank-1 updates.
// ap: kc×MR packed, bp: kc×NR packed; the tile goes to c (row stride ldc), `rows`×`cols` of it valid.
void micro_kernel(std::size_t kc, const float* ap, const float* bp, float* c, std::size_t ldc,
                  std::size_t rows, std::size_t cols, bool accumulate) {
    f32x4 acc[MR][2] = {};
    for (std::size_t k = 0; k < kc; ++k) {
        const f32x4 b0 = load4(bp), b1 = load4(bp + 4);
        for (std::size_t r = 0; r < MR; ++r) {
            const f32x4 a = f32x4{} + ap[r];  // broadcast
            acc[r][0] += a * b0;
            acc[r][1] += a * b1;
        }
        ap += MR;
        bp += NR;
    }
    if (rows == MR && cols == NR) {
        for (std::size_t r = 0; r < MR; ++r) {
            float* row = c + r * ldc;
            if (accumulate) {
                acc[r][0] += load4(row);
                acc[r][1] += load4(row + 4);
            }
            store4(row, acc[r][0]);
            store4(row + 4, acc[r][1]);
        }
        return;
    }
    float tile[MR][NR];
    for (std::size_t r = 0; r < MR; ++r) {
        store4(tile[r], acc[r][0]);
        store4(tile[r] + 4, acc[r][1]);
    }
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < cols; ++j)
            c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r][j] : tile[r][j];
}

}  // namespace

void gemm_simd(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C,
               std::size_t ldc, bool accumulate) {
    if (M == 0 || N == 0) return;
    if (K == 0) {
        if (!accumulate)
            for (std::size_t i = 0; i < M; ++i) std::fill(C + i * ldc, C + i * ldc + N, 0.0f);
        return;
    }
    // Bounded scratch: at most KC×(NC rounded up to NR) + KC×(MC rounded up to MR) floats.
    thread_local std::vector<float> a_pack, b_pack;
    for (std::size_t jc = 0; jc < N; jc += NC) {
        const std::size_t nc = std::min(NC, N - jc);
        for (std::size_t pc = 0; pc < K; pc += KC) {
            const std::size_t kc = std::min(KC, K - pc);
            const bool acc = accumulate || pc > 0;
            b_pack.resize(kc * ((nc + NR - 1) / NR) * NR);
            pack_b(B, pc, kc, jc, nc, b_pack.data());
            for (std::size_t ic = 0; ic < M; ic += MC) {
                const std::size_t mc = std::min(MC, M - ic);
                a_pack.resize(kc * ((mc + MR - 1) / MR) * MR);
                pack_a(A, ic, mc, pc, kc, a_pack.data());
                for (std::size_t jr = 0; jr < nc; jr += NR)
                    for (std::size_t ir = 0; ir < mc; ir += MR)
                        micro_kernel(kc, a_pack.data() + ir * kc, b_pack.data() + jr * kc,
                                     C + (ic + ir) * ldc + jc + jr, ldc, std::min(MR, mc - ir),
                                     std::min(NR, nc - jr), acc);
            }
        }
    }
}

void gemm(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C,
          std::size_t ldc, bool accumulate) {
#if ATTNLAB_SIMD
    gemm_simd(M, N, K, A, B, C, ldc, accumulate);
#else
    gemm_scalar(M, N, K, A, B, C, ldc, accumulate);
#endif
}

const char* gemm_kernel_name() { return ATTNLAB_SIMD ? "simd" : "scalar"; }

const std::vector<GemmKernel>& gemm_kernels() {
    static const std::vector<GemmKernel> kernels{{"scalar", gemm_scalar}, {"simd128", gemm_simd}};
    return kernels;
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
    if (b.shape(0) != K)
        throw Error("matmul: inner sizes differ: " + shape_str(a) + " · " + shape_str(b));
    Tensor c = Tensor::from_shape(rows_times(a, N));
    gemm(M, N, K, {a.data(), K, 1}, {b.data(), N, 1}, c.data(), N, false);
    return c;
}

Tensor matmul_nt(const Tensor& a, const Tensor& b) {
    expect_at_least_1d(a, "matmul_nt");
    expect_dim(b, 2, "matmul_nt (right operand)");
    const std::size_t K = last_dim(a), N = b.shape(0), M = row_count(a);
    if (b.shape(1) != K)
        throw Error("matmul_nt: inner sizes differ: " + shape_str(a) + " · " + shape_str(b) + "ᵀ");
    Tensor c = Tensor::from_shape(rows_times(a, N));
    gemm(M, N, K, {a.data(), K, 1}, {b.data(), 1, K}, c.data(), N, false);
    return c;
}

Tensor matmul_tn(const Tensor& a, const Tensor& b) {
    expect_dim(a, 2, "matmul_tn (left operand)");
    expect_dim(b, 2, "matmul_tn (right operand)");
    const std::size_t K = a.shape(0), M = a.shape(1), N = b.shape(1);
    if (b.shape(0) != K)
        throw Error("matmul_tn: inner sizes differ: " + shape_str(a) + "ᵀ · " + shape_str(b));
    Tensor c = Tensor::from_shape({M, N});
    gemm(M, N, K, {a.data(), 1, M}, {b.data(), N, 1}, c.data(), N, false);
    return c;
}

Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_b) {
    expect_dim(a, 3, "bmm (left operand)");
    expect_dim(b, 3, "bmm (right operand)");
    const std::size_t B = a.shape(0), M = a.shape(1), K = a.shape(2);
    const std::size_t N = transpose_b ? b.shape(1) : b.shape(2);
    const std::size_t bK = transpose_b ? b.shape(2) : b.shape(1);
    if (b.shape(0) != B || bK != K)
        throw Error("bmm: shapes do not match: " + shape_str(a) + " · " + shape_str(b) +
                    (transpose_b ? "ᵀ" : ""));
    Tensor c = Tensor::from_shape({B, M, N});
    const MatRef bref = transpose_b ? MatRef{nullptr, 1, K} : MatRef{nullptr, N, 1};
    for (std::size_t i = 0; i < B; ++i)
        gemm(M, N, K, {a.data() + i * M * K, K, 1}, {b.data() + i * K * N, bref.rs, bref.cs},
             c.data() + i * M * N, N, false);
    return c;
}

}  // namespace attnlab
