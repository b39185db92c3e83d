// Word-level tokenization for the toy translation tasks (English / French).
//
// The text is decoded as UTF-8 (invalid input throws Error), optionally lower-cased (lowercase.hpp),
// then cut into tokens:
//   - word characters: ASCII letters and digits, and the Latin letters U+00C0–U+024F except × and ÷.
//     A run of them is one token.
//   - Han characters (U+4E00–U+9FFF, U+3400–U+4DBF, U+F900–U+FAFF): a run of them is one token, so
//     word-segmented Chinese ("我 在 花园 里") reads as its words: ["我", "在", "花园", "里"].
//   - whitespace separates tokens and is dropped: ASCII space, \t \n \v \f \r, U+0085, no-break
//     space U+00A0 (French puts it before ! ? ; : »), U+1680, U+2000–U+200B, U+2028, U+2029, U+202F,
//     U+205F, U+3000, U+FEFF (byte-order mark).
//   - an apostrophe (' or ’) between two letters stays at the end of the left part, French elision
//     style: "l'homme" -> ["l'", "homme"], "aujourd'hui" -> ["aujourd'", "hui"]
//     (English too: "don't" -> ["don'", "t"]). Any other apostrophe is a token of its own.
//   - every other code point is a token of its own: ASCII punctuation (so "..." gives three "."
//     tokens, "es-tu" gives ["es", "-", "tu"]), Unicode punctuation (« » … – — ¿ ¡ …), symbols,
//     emoji, kana, CJK punctuation (。 ， ？).
// Empty or whitespace-only input gives an empty token list.
#pragma once

#include <string>
#include <vector>

namespace attnlab {

// The whitespace above (the separators of words, dropped).
bool is_space(char32_t cp);

// "L'homme est là." -> ["l'", "homme", "est", "là", "."]  (with lowercase)
std::vector<std::string> word_tokenize(const std::string& text, bool lowercase = true);

// Joins tokens with single spaces, except: no space before . , ! ? ; : )  and no space after a token
// ending with an apostrophe (' or ’) or after (, and none between two Chinese tokens (a token ending
// in a Han character or CJK punctuation and one starting with one): ["我", "吃", "苹果", "。"] ->
// "我吃苹果。". So word_detokenize(word_tokenize(s)) is s with whitespace normalised (and
// lower-cased): "L'homme  est là !" -> "l'homme est là!".
std::string word_detokenize(const std::vector<std::string>& tokens);

}  // namespace attnlab
