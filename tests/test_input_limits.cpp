// The input limits the page tells the reader: characters and tokens, as the source codec counts them.
#include <doctest/doctest.h>

#include "attnlab/decode/input_limits.hpp"
#include "attnlab/decode/translate.hpp"

using namespace attnlab;

namespace {
TextCodec words() { return TextCodec::build(TokenizerKind::Word, true, {"the cat sleeps ."}); }
TextCodec chars() { return TextCodec::build(TokenizerKind::Char, false, {"24 nov 2026"}); }
}  // namespace

TEST_CASE("input limits: the token limit is the one translate() applies") {
    CHECK(InputLimits{}.max_tokens == TranslateOptions{}.max_source_tokens);
}

TEST_CASE("input limits: characters are code points, tokens are the codec's tokens") {
    const InputLength n = measure_input(words(), "le café dort .");
    CHECK(n.chars == 14);
    CHECK(n.tokens == 4);
    CHECK_FALSE(n.too_long);
    CHECK(measure_input(chars(), "24 nov").tokens == 6);
}

TEST_CASE("input limits: too many tokens or too many characters is too long, exactly past the limit") {
    const InputLimits small{10, 3};
    CHECK_FALSE(measure_input(words(), "a b c", small).too_long);
    CHECK(measure_input(words(), "a b c d", small).too_long);
    CHECK_FALSE(measure_input(words(), std::string(10, 'a'), small).too_long);
    const InputLength n = measure_input(words(), std::string(11, 'a'), small);
    CHECK(n.too_long);
    CHECK(n.tokens == 0);  // not tokenized past the character limit
    CHECK(input_limit_message(n, small) ==
          "the sentence has 11 characters; at most 10 characters and 3 tokens can be translated");
    CHECK(input_limit_message(measure_input(words(), "a b c d", small), small) ==
          "the sentence has 7 characters and 4 tokens; at most 10 characters and 3 tokens can be translated");
}

TEST_CASE("input limits: invalid UTF-8 is an error, not a length") {
    CHECK_THROWS_AS(measure_input(words(), std::string("a\xff")), Error);
}
