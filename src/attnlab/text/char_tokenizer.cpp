#include "attnlab/text/char_tokenizer.hpp"

#include "attnlab/text/lowercase.hpp"
#include "attnlab/text/utf8.hpp"

namespace attnlab {

std::vector<std::string> char_tokenize(const std::string& text, bool lowercase) {
    std::vector<std::string> tokens;
    for (char32_t cp : utf8_decode(text)) tokens.push_back(utf8_encode(lowercase ? to_lower(cp) : cp));
    return tokens;
}

std::string char_detokenize(const std::vector<std::string>& tokens) {
    std::string out;
    for (const std::string& t : tokens) out += t;
    return out;
}

}  // namespace attnlab
