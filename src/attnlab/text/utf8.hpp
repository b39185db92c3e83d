// UTF-8: the bytes of a std::string <-> Unicode code points, validated strictly.
//
// Valid UTF-8 is the shortest encoding of a Unicode scalar value: 1 to 4 bytes, no overlong forms
// (e.g. C0 AF for '/'), no surrogates (U+D800–U+DFFF, i.e. ED A0..BF ..), nothing above U+10FFFF,
// no truncated sequences and no stray continuation bytes (80–BF where a character should start).
// Invalid input throws Error("invalid UTF-8 at byte N (<reason>)"), N the 0-based offset of the
// first byte of the bad sequence.
#pragma once

#include <string>
#include <vector>

#include "attnlab/tensor/tensor.hpp"  // Error

namespace attnlab {

// "aé€" -> {U+0061, U+00E9, U+20AC}
std::vector<char32_t> utf8_decode(const std::string& s);

// Whether s is valid UTF-8 (utf8_decode would not throw).
bool utf8_valid(const std::string& s);

// One code point -> its 1..4 bytes. Surrogates and code points above U+10FFFF throw Error.
std::string utf8_encode(char32_t cp);
std::string utf8_encode(const std::vector<char32_t>& cps);

// U+00E9 -> "U+00E9" (at least 4 hex digits), for error messages.
std::string code_point_str(char32_t cp);

// "où" -> {"o", "ù"}: the characters of s, one code point each.
std::vector<std::string> utf8_chars(const std::string& s);

}  // namespace attnlab
