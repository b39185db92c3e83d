#include "attnlab/nn/padding_mask.hpp"

#include <limits>

namespace attnlab {

Tensor padding_mask(const IntTensor& lengths, std::size_t T) {
    if (lengths.dimension() != 1) throw Error("padding_mask: lengths must be 1-d (B), got " + shape_str(lengths));
    const std::size_t B = lengths.size();
    Tensor mask = xt::zeros<float>({B, T});
    for (std::size_t b = 0; b < B; ++b) {
        const std::int32_t len = lengths(b);
        if (len < 0 || std::size_t(len) > T)
            throw Error("padding_mask: length " + std::to_string(len) + " outside [0, " + std::to_string(T) + "]");
        for (std::size_t j = std::size_t(len); j < T; ++j) mask(b, j) = -std::numeric_limits<float>::infinity();
    }
    return mask;
}

}  // namespace attnlab
