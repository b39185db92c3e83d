// Sizes computed from untrusted numbers (a config's sizes, a file's shapes): in 64 bits, checked, and
// checked again against this platform's size_t, which is 32 bits in wasm32 — a product that would wrap
// is an Error naming `what`, never a smaller buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace attnlab {

// a · b; Error "<what> overflows 64 bits" when it does not fit.
std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b, const std::string& what);
// n elements of element_bytes each -> n as a size_t; Error "<what>: n elements of 4 bytes do not fit in
// this platform's 32-bit size_t" when their byte size does not.
std::size_t checked_size(std::uint64_t n, const std::string& what, std::size_t element_bytes = 1);

}  // namespace attnlab
