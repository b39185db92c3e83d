#include "attnlab/nn/scaled_dot_score.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/dot_score.hpp"

namespace attnlab {

Var scaled_dot_score(const Var& s, const Var& h) {
    const Var dot = dot_score(s, h);
    return scale(dot, 1.0f / std::sqrt(float(s.shape(1))));
}

}  // namespace attnlab
