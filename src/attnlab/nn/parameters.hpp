// Named parameters: every module lists its Vars under PyTorch's names (e.g. "encoder.weight_ih_l0"),
// so one list serves the optimiser, the safetensors loader/writer and the PyTorch parity scripts.
// A Var is a handle: the copy in the list and the one in the module share the same tensor.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attnlab/autograd/var.hpp"

namespace attnlab {

using NamedVars = std::vector<std::pair<std::string, Var>>;

// "encoder" + "weight" -> "encoder.weight"; an empty prefix gives the bare name.
inline std::string join_name(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// A fresh trainable parameter.
inline Var parameter(Tensor value) { return Var(std::move(value), true); }

}  // namespace attnlab
