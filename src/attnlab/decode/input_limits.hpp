// How long a sentence may be before it reaches a model: at most max_chars characters (code points)
// and max_tokens source tokens (the limit translate() applies). The page and the widget read both
// numbers from here, through the wasm module, so the limit the reader is told is the one that applies.
#pragma once

#include <cstddef>
#include <string>

#include "attnlab/text/text_codec.hpp"

namespace attnlab {

struct InputLimits {
    std::size_t max_chars = 1000;
    std::size_t max_tokens = 200;  // TranslateOptions::max_source_tokens by default
};

struct InputLength {
    std::size_t chars = 0;   // Unicode code points
    std::size_t tokens = 0;  // source tokens as the bundle's tokenizer cuts them, <eos> not counted
    bool too_long = false;   // chars > max_chars or tokens > max_tokens
};

// The length of `sentence` as the source codec `source` (a bundle's) reads it; invalid UTF-8 throws Error. The tokens
// are only counted when the characters fit (a 1 MB paste is not tokenized).
InputLength measure_input(const TextCodec& source, const std::string& sentence, const InputLimits& limits = {});

// "the sentence has 1200 characters and 1200 tokens; at most 1000 characters and 200 tokens can be translated"
std::string input_limit_message(const InputLength& length, const InputLimits& limits = {});

}  // namespace attnlab
