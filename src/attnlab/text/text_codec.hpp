// A text codec: a tokenizer (kind and lower-casing) bundled with its vocabulary, i.e. everything
// needed to turn a sentence into ids for the model and ids back into a sentence.
//
// Stored as JSON (nlohmann-json):
//   {"tokenizer": "word", "lowercase": true, "tokens": ["<pad>", "<bos>", "<eos>", "<unk>", "le", …]}
// "tokenizer" is "word" (word_tokenizer.hpp) or "char" (char_tokenizer.hpp); "tokens" is the Vocab,
// ids = positions. from_json accepts exactly these three fields and throws Error on anything else.
// This header declares nlohmann::json only; include <nlohmann/json.hpp> to use to_json/from_json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "attnlab/text/vocab.hpp"

namespace attnlab {

enum class TokenizerKind { Word, Char };

const char* tokenizer_kind_name(TokenizerKind kind);          // "word" / "char"
TokenizerKind parse_tokenizer_kind(const std::string& name);  // throws Error if neither

struct TextEncoding {
    std::vector<std::int32_t> ids;     // (T), no <bos>/<eos> added
    std::vector<std::string> tokens;   // (T), the tokens the ids stand for
    std::vector<UnknownWord> unknown;  // tokens that became kUnk, with their positions
};

class TextCodec {
public:
    TextCodec(TokenizerKind kind, bool lowercase, Vocab vocab);

    // Tokenizes every sentence and builds the vocabulary (see Vocab::build).
    static TextCodec build(TokenizerKind kind, bool lowercase, const std::vector<std::string>& sentences,
                           std::size_t min_freq = 1, std::size_t max_size = 0);

    TokenizerKind kind() const { return kind_; }
    bool lowercase() const { return lowercase_; }
    const Vocab& vocab() const { return vocab_; }

    std::vector<std::string> tokenize(const std::string& text) const;
    std::string detokenize(const std::vector<std::string>& tokens) const;

    // text -> {ids, tokens, unknown}. Invalid UTF-8 throws Error.
    TextEncoding encode(const std::string& text) const;
    // ids -> text: skips <pad>/<bos>, stops at <eos>, then detokenizes. Out-of-range ids throw Error.
    std::string decode(const std::vector<std::int32_t>& ids) const;

    nlohmann::json to_json() const;
    static TextCodec from_json(const nlohmann::json& j);       // throws Error("codec JSON: …")
    static TextCodec from_json_text(const std::string& text);  // parses first; errors as Error

    void save(const std::string& path) const;        // throws Error naming the file
    static TextCodec load(const std::string& path);  // throws Error naming the file

private:
    TokenizerKind kind_;
    bool lowercase_;
    Vocab vocab_;
};

}  // namespace attnlab
