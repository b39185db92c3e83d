#include "attnlab/tensor/checked_size.hpp"

#include <limits>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const std::string& what) {
    if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
        throw Error(what + " overflows 64 bits (" + std::to_string(a) + " × " + std::to_string(b) + ")");
    return a * b;
}

std::size_t checked_size(std::uint64_t n, const std::string& what, std::size_t element_bytes) {
    if (element_bytes == 0 || n > std::numeric_limits<std::size_t>::max() / element_bytes)
        throw Error(what + ": " + std::to_string(n) + " elements of " + std::to_string(element_bytes) +
                    " bytes do not fit in this platform's " + std::to_string(8 * sizeof(std::size_t)) + "-bit size_t");
    return std::size_t(n);
}

}  // namespace attnlab
