#include "attnlab/nn/parameters.hpp"

#include <cmath>

namespace attnlab {

Var uniform_parameter(const Shape& shape, std::size_t fan, Rng& rng) {
    if (fan == 0) throw Error("uniform_parameter: fan must be positive");
    const float k = 1.0f / std::sqrt(float(fan));
    return parameter(uniform_tensor(shape, rng, -k, k));
}

}  // namespace attnlab
