// Matrix multiply: the kernel under every layer.
//
// gemm computes C (M×N) = op(A) (M×K) · op(B) (K×N), or adds it to C when `accumulate`.
// A and B are addressed through strides, so transposed operands cost nothing:
//   A(i, k) = a[i * a_rs + k * a_cs],  B(k, j) = b[k * b_rs + j * b_cs],  C(i, j) = c[i * ldc + j].
// Kernels: a plain scalar triple loop (the reference), and vector kernels written once with GCC/Clang
// vector extensions: 128-bit (SSE natively, SIMD128 in wasm with -msimd128; 4×8 tile), and natively
// on x86-64, chosen at run time by what the CPU supports, 256-bit AVX2+FMA (6×16) and 512-bit
// AVX-512 (8×32). Each vector kernel reads B in place for M ≤ 3 rows (a decoding step), and else
// packs A and B into cache blocks for a register-blocked micro-kernel. `gemm` calls the widest kernel
// the machine runs (or the scalar loop when built with ATTNLAB_SIMD off), except that products taking
// the unpacked path go to the AVX2 kernel where there is one (faster there than AVX-512's build of the
// same 256-bit loop, the same results); tests run every kernel.
#pragma once

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

struct MatRef {  // a read-only strided matrix view
    const float* data;
    std::size_t rs, cs;  // row stride, column stride (in floats)
};

void gemm_scalar(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
                 bool accumulate);
void gemm_simd(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
               bool accumulate);
void gemm(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc, bool accumulate);

// Whether a product of this shape takes the vector kernels' unpacked path (B read in place): at most
// 3 rows or M·N·K ≤ 8192, with B contiguous along one axis.
bool gemm_takes_unpacked_path(std::size_t M, std::size_t N, std::size_t K, MatRef B);

// Name of the kernel `gemm` uses for the packed path: "scalar", "simd128", "avx2" or "avx512".
const char* gemm_kernel_name();

// Every kernel this machine can run, the scalar reference first, the widest last.
using GemmFn = void (*)(std::size_t M, std::size_t N, std::size_t K, MatRef A, MatRef B, float* C, std::size_t ldc,
                        bool accumulate);
struct GemmKernel {
    const char* name;
    GemmFn run;
};
const std::vector<GemmKernel>& gemm_kernels();

// Tensor-level products. Leading axes of `a` are batch axes folded into rows.
// a: (..., K), b: (K, N) -> (..., N)
Tensor matmul(const Tensor& a, const Tensor& b);
// a: (..., K), b: (N, K) -> (..., N)   (x · Wᵀ with PyTorch's (out, in) weight layout)
Tensor matmul_nt(const Tensor& a, const Tensor& b);
// a: (M, K)ᵀ... i.e. a: (K, M), b: (K, N) -> (M, N)   (aᵀ · b, the weight gradient of a linear map)
Tensor matmul_tn(const Tensor& a, const Tensor& b);
// Batched over the leading axes: a: (…, M, K), b: (…, K, N) -> (…, M, N); with transpose_b,
// b: (…, N, K). Both have the same rank (at least 3) and the same leading axes.
Tensor bmm(const Tensor& a, const Tensor& b, bool transpose_b = false);

}  // namespace attnlab
