#include "attnlab/nn/causal_mask.hpp"

#include <limits>

namespace attnlab {

Tensor causal_mask(std::size_t T) {
    Tensor mask = xt::zeros<float>({T, T});
    for (std::size_t t = 0; t < T; ++t)
        for (std::size_t j = t + 1; j < T; ++j) mask(t, j) = -std::numeric_limits<float>::infinity();
    return mask;
}

}  // namespace attnlab
