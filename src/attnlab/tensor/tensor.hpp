// Tensors: dense row-major float arrays (xtensor), and the few helpers everything else shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xarray.hpp>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xio.hpp>
#include <xtensor/xview.hpp>

#include "attnlab/tensor/recycling_allocator.hpp"

namespace attnlab {

// Float tensors keep their storage on thread-local free lists when freed, for the next tensor of the
// same size (tensor/recycling_allocator.hpp): a decoding step reuses the blocks of the step before.
using Tensor = xt::xarray<float, xt::layout_type::row_major, RecyclingAllocator<float>>;
using IntTensor = xt::xarray<std::int32_t, xt::layout_type::row_major>;  // token ids, lengths
// A shape, or a list of axes: xtensor's small vector, on the stack up to 4 entries (every tensor here
// has at most 4 axes), so shape bookkeeping allocates nothing.
using Shape = Tensor::shape_type;

// Every error attnlab raises on bad input: one readable line, catchable natively and in wasm.
struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "(2, 3, 4)"
std::string shape_str(const Shape& s);
template <class T>
std::string shape_str(const T& t) {
    return shape_str(Shape(t.shape().begin(), t.shape().end()));
}

// Throws Error("<what>: expected <n>-d tensor, got (…)") unless t has exactly n dimensions.
void expect_dim(const Tensor& t, std::size_t n, const char* what);

// Size of the last axis, and number of rows = size / last (1 row for a 0-d tensor).
std::size_t last_dim(const Tensor& t);
std::size_t row_count(const Tensor& t);

// The slices `indices` of t along `axis`, in that order (repeats allowed), like numpy's take.
Tensor take(const Tensor& t, const std::vector<std::size_t>& indices, std::size_t axis = 0);

// t with its axes reordered, copied: out.shape(i) = t.shape(axes[i]) (numpy's transpose); plain loops,
// a contiguous copy per innermost run when the last axis stays last.
Tensor transpose_axes(const Tensor& t, const Shape& axes);

// t + mask, the mask broadcast to t's shape (numpy rules, fewer or size-1 axes); an additive mask
// that does not broadcast to t's shape throws Error(what + ": ...").
Tensor add_mask(const Tensor& t, const Tensor& mask, const char* what);

}  // namespace attnlab
