#include "attnlab/decode/input_limits.hpp"

#include "attnlab/text/utf8.hpp"

namespace attnlab {

InputLength measure_input(const TextCodec& source, const std::string& sentence, const InputLimits& limits) {
    InputLength n;
    n.chars = utf8_decode(sentence).size();
    if (n.chars <= limits.max_chars) n.tokens = source.encode(sentence).ids.size();
    n.too_long = n.chars > limits.max_chars || n.tokens > limits.max_tokens;
    return n;
}

std::string input_limit_message(const InputLength& length, const InputLimits& limits) {
    std::string has = "the sentence has " + std::to_string(length.chars) + " characters";
    if (length.chars <= limits.max_chars) has += " and " + std::to_string(length.tokens) + " tokens";
    return has + "; at most " + std::to_string(limits.max_chars) + " characters and " +
           std::to_string(limits.max_tokens) + " tokens can be translated";
}

}  // namespace attnlab
