// The attention map in the terminal: rows are output tokens, columns source tokens, each cell a
// Unicode shade (" ░▒▓█" from 0 to 1), with the columns' tokens listed by number underneath.
#pragma once

#include <string>
#include <vector>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// attention: (To, Ts); unknown marks source columns that were read as <unk>; colour adds ANSI
// 256-colour backgrounds (for terminals).
std::string render_heatmap(const Tensor& attention, const std::vector<std::string>& source,
                           const std::vector<std::string>& output, const std::vector<bool>& unknown, bool colour);

}  // namespace attnlab
