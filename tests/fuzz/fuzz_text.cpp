// libFuzzer target for the text readers (built by CMake with clang and ATTNLAB_SANITIZE=ON; run by
// scripts/fuzz.sh): UTF-8, the word and character tokenizers, a codec's encode/decode, and the
// bounded JSON parser with the codec JSON built on it. The first byte picks the reader; every input
// must be read or rejected with attnlab::Error (any other exception, a crash or a sanitizer report is
// a bug), and what is read must keep the readers' own promises:
//   utf8: valid iff decode succeeds, and encode(decode(s)) == s;
//   tokenizers: every token non-empty valid UTF-8; char_detokenize(char_tokenize(s)) == s;
//   codec: a codec built from the text encodes it with no unknown word and decodes it to the text
//          the tokenizer's own detokenize gives;
//   JSON: a document parse_json_bounded accepts is nested within the limit and equals json::parse's.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/char_tokenizer.hpp"
#include "attnlab/text/text_codec.hpp"
#include "attnlab/text/utf8.hpp"
#include "attnlab/text/word_tokenizer.hpp"

using namespace attnlab;

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

void tokens_ok(const std::vector<std::string>& tokens) {
    for (const std::string& t : tokens) check(!t.empty() && utf8_valid(t));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        switch (data[0] % 5) {
            case 0: {  // UTF-8
                const bool valid = utf8_valid(text);
                std::vector<char32_t> cps;
                bool decoded = true;
                try {
                    cps = utf8_decode(text);
                } catch (const Error&) {
                    decoded = false;
                }
                check(valid == decoded);
                if (decoded) check(utf8_encode(cps) == text);
                break;
            }
            case 1: {  // tokenizers
                tokens_ok(word_tokenize(text, data[0] & 8));
                const std::vector<std::string> chars = char_tokenize(text, false);
                tokens_ok(chars);
                check(char_detokenize(chars) == text);
                break;
            }
            case 2:
            case 3: {  // a codec built from the text
                const TokenizerKind kind = data[0] % 5 == 2 ? TokenizerKind::Word : TokenizerKind::Char;
                const TextCodec codec = TextCodec::build(kind, data[0] & 8, {text});
                const TextEncoding e = codec.encode(text);
                check(e.unknown.empty() && e.ids.size() == e.tokens.size());
                check(codec.decode(e.ids) == codec.detokenize(e.tokens));
                const TextCodec back = TextCodec::from_json(codec.to_json());
                check(back.vocab().size() == codec.vocab().size());
                break;
            }
            default: {  // bounded JSON, and the codec JSON reader on top of it
                JsonLimits limits;
                limits.max_depth = 1 + data[0] % 16;
                const nlohmann::json j = parse_json_bounded(text, "fuzz", limits);
                check(json_nesting_depth(text) <= limits.max_depth);
                check(j == nlohmann::json::parse(text));
                try {
                    (void)TextCodec::from_json(j);
                } catch (const Error&) {
                }
            }
        }
    } catch (const Error&) {
    }
    return 0;
}
