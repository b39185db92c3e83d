// Character-level tokenization: one token per code point, spaces included (as the token " "),
// with optional lower-casing by the same table as the word tokenizer (lowercase.hpp).
// Invalid UTF-8 throws Error; empty input gives an empty token list.
#pragma once

#include <string>
#include <vector>

namespace attnlab {

// "Où es" -> ["O", "ù", " ", "e", "s"]  (lowercase: ["o", "ù", " ", "e", "s"])
std::vector<std::string> char_tokenize(const std::string& text, bool lowercase = false);

// Concatenates the tokens: char_detokenize(char_tokenize(s)) == s (lower-cased if asked).
std::string char_detokenize(const std::vector<std::string>& tokens);

}  // namespace attnlab
