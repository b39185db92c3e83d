// The GEMM shapes every benchmark measures (M, N, K): squares, then the models' own products
// (a GRU step and the output projection at M = 1 and a batch of 32, the Transformer's projections
// over 640 rows, a tiny attention product).
#pragma once

#include <cstddef>

namespace attnlab_bench {

struct GemmShape {
    std::size_t M, N, K;
};

inline constexpr GemmShape gemm_shapes[] = {
    {64, 64, 64}, {128, 128, 128}, {256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {1, 288, 96}, {32, 288, 96},
    {1, 700, 96}, {32, 700, 96},   {640, 192, 64},  {640, 256, 64},  {640, 64, 256},     {20, 20, 16},
};

}  // namespace attnlab_bench
