// The JavaScript face of attnlab: embind bindings that only convert types.
#include <emscripten/bind.h>

#include "attnlab/tensor/gemm.hpp"

namespace {

std::string kernel() { return attnlab::gemm_kernel_name(); }

}  // namespace

EMSCRIPTEN_BINDINGS(attnlab) {
    emscripten::function("gemmKernel", &kernel);
}
