#include "attnlab/text/text_codec.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"  // Error
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/char_tokenizer.hpp"
#include "attnlab/text/regular_file.hpp"
#include "attnlab/text/word_tokenizer.hpp"

namespace attnlab {

using nlohmann::json;

const char* tokenizer_kind_name(TokenizerKind kind) { return kind == TokenizerKind::Word ? "word" : "char"; }

TokenizerKind parse_tokenizer_kind(const std::string& name) {
    if (name == "word") return TokenizerKind::Word;
    if (name == "char") return TokenizerKind::Char;
    throw Error("unknown tokenizer \"" + name + "\" (expected \"word\" or \"char\")");
}

TextCodec::TextCodec(TokenizerKind kind, bool lowercase, Vocab vocab)
    : kind_(kind), lowercase_(lowercase), vocab_(std::move(vocab)) {}

TextCodec TextCodec::build(TokenizerKind kind, bool lowercase, const std::vector<std::string>& sentences,
                           std::size_t min_freq, std::size_t max_size) {
    TextCodec codec(kind, lowercase, Vocab());
    std::vector<std::vector<std::string>> corpus;
    corpus.reserve(sentences.size());
    for (const std::string& s : sentences) corpus.push_back(codec.tokenize(s));
    codec.vocab_ = Vocab::build(corpus, min_freq, max_size);
    return codec;
}

std::vector<std::string> TextCodec::tokenize(const std::string& text) const {
    return kind_ == TokenizerKind::Word ? word_tokenize(text, lowercase_) : char_tokenize(text, lowercase_);
}

std::string TextCodec::detokenize(const std::vector<std::string>& tokens) const {
    return kind_ == TokenizerKind::Word ? word_detokenize(tokens) : char_detokenize(tokens);
}

TextEncoding TextCodec::encode(const std::string& text) const {
    TextEncoding out;
    out.tokens = tokenize(text);
    VocabEncoding e = vocab_.encode(out.tokens);
    out.ids = std::move(e.ids);
    out.unknown = std::move(e.unknown);
    return out;
}

std::string TextCodec::decode(const std::vector<std::int32_t>& ids) const { return detokenize(vocab_.decode(ids)); }

json TextCodec::to_json() const {
    return json{{"tokenizer", tokenizer_kind_name(kind_)}, {"lowercase", lowercase_}, {"tokens", vocab_.tokens()}};
}

TextCodec TextCodec::from_json(const json& j) {
    const std::string where = "codec JSON: ";
    if (!j.is_object()) throw Error(where + "expected an object, got " + j.type_name());
    for (const auto& item : j.items())
        if (item.key() != "tokenizer" && item.key() != "lowercase" && item.key() != "tokens")
            throw Error(where + "unexpected field \"" + item.key() +
                        "\" (expected \"tokenizer\", \"lowercase\", \"tokens\")");
    auto field = [&](const char* name) -> const json& {
        auto it = j.find(name);
        if (it == j.end()) throw Error(where + "missing field \"" + name + "\"");
        return *it;
    };
    const json& tokenizer = field("tokenizer");
    const json& lowercase = field("lowercase");
    const json& tokens = field("tokens");
    if (!tokenizer.is_string())
        throw Error(where + "field \"tokenizer\" must be a string, got " + tokenizer.type_name());
    if (!lowercase.is_boolean())
        throw Error(where + "field \"lowercase\" must be a boolean, got " + lowercase.type_name());
    if (!tokens.is_array()) throw Error(where + "field \"tokens\" must be an array, got " + tokens.type_name());

    TokenizerKind kind;
    try {
        kind = parse_tokenizer_kind(tokenizer.get<std::string>());
    } catch (const Error& e) {
        throw Error(where + e.what());
    }

    std::vector<std::string> list;
    list.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (!tokens[i].is_string())
            throw Error(where + "token " + std::to_string(i) + " must be a string, got " + tokens[i].type_name());
        list.push_back(tokens[i].get<std::string>());
    }
    try {
        return TextCodec(kind, lowercase.get<bool>(), Vocab(std::move(list)));
    } catch (const Error& e) {
        throw Error(where + e.what());
    }
}

TextCodec TextCodec::from_json_text(const std::string& text) {
    return from_json(parse_json_bounded(text, "codec JSON"));
}

void TextCodec::save(const std::string& path) const {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error("cannot write codec file '" + path + "'");
    out << to_json().dump(1) << '\n';
    out.close();
    if (!out) throw Error("cannot write codec file '" + path + "'");
}

TextCodec TextCodec::load(const std::string& path) {
    const std::string text = read_regular_file(path, 16'000'000);
    try {
        return from_json_text(text);
    } catch (const Error& e) {
        throw Error("codec file '" + path + "': " + e.what());
    }
}

}  // namespace attnlab
