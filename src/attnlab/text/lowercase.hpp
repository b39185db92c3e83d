// Lower-casing for the toy English/French tasks: one code point to one code point, Unicode's simple
// lowercase mapping restricted to these blocks:
//   - ASCII:                  A–Z -> a–z
//   - Latin-1 Supplement:     À–Þ -> à–þ (U+00C0–U+00DE, except × U+00D7); ß stays ß
//   - Latin Extended-A:       Ā Ă Ą … Ł … Œ … Ž -> ā ă ą … ł … œ … ž (U+0100–U+017F), Ÿ -> ÿ,
//                             İ (U+0130) -> i; ı ĸ ŉ ſ have no capital and stay.
// Everything else (Latin Extended-B, Greek, Cyrillic, …) is left unchanged.
#pragma once

#include <string>

namespace attnlab {

// 'É' -> 'é'; code points outside the table are returned unchanged.
char32_t to_lower(char32_t cp);

// UTF-8 text -> the same text with every code point passed through to_lower. Invalid UTF-8 throws.
std::string to_lower(const std::string& text);

}  // namespace attnlab
