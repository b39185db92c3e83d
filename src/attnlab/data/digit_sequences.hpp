// The "copy" and "reverse" tasks (word level): a string of digits, one token each, and as target the
// same string ("copy": the ideal attention map is the diagonal) or the string reversed ("reverse":
// the anti-diagonal).   "3 1 4 1" -> "3 1 4 1"  /  "3 1 4 1" -> "1 4 1 3"
// Lengths are uniform in [sizes.min_digits, sizes.max_digits] (while strings of a length remain).
// Each distinct string belongs to one split only, decided by a seeded hash of the string, so the
// splits are disjoint and short lengths (only 10 strings of length 1) are shared fairly.
#pragma once

#include <cstdint>

#include "attnlab/data/task.hpp"

namespace attnlab {

TaskSplits make_digit_sequences(bool reverse, std::uint64_t seed, const TaskSizes& sizes = {});

}  // namespace attnlab
