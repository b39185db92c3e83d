// A tensor as JSON: {"shape": [...], "data": [...]} with the data row-major (floats: −inf and NaN are
// written as null). The one writer of `translate --json`, `forward` and the §5 states output.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

template <class T, class A>
nlohmann::json tensor_json(const xt::xarray<T, xt::layout_type::row_major, A>& t) {
    return {{"shape", Shape(t.shape().begin(), t.shape().end())}, {"data", std::vector<T>(t.begin(), t.end())}};
}

}  // namespace attnlab
