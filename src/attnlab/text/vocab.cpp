#include "attnlab/text/vocab.hpp"

#include <algorithm>
#include <map>

#include "attnlab/tensor/tensor.hpp"  // Error
#include "attnlab/text/utf8.hpp"

namespace attnlab {

namespace {

bool is_special_text(const std::string& token) {
    for (const char* s : kSpecialTokens)
        if (token == s) return true;
    return false;
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

// Throws Error("<where>: ...") unless the token is non-empty and valid UTF-8.
void check_token(const std::string& token, const std::string& where) {
    if (token.empty()) throw Error(where + " is an empty string");
    try {
        utf8_decode(token);
    } catch (const Error& e) {
        throw Error(where + ": " + e.what());
    }
}

}  // namespace

Vocab::Vocab() : tokens_(std::begin(kSpecialTokens), std::end(kSpecialTokens)) {}

Vocab::Vocab(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
    if (tokens_.empty()) throw Error("vocab: the token list is empty");
    for (std::size_t i = 0; i < kNumSpecial; ++i) {
        if (i >= tokens_.size())
            throw Error("vocab: only " + std::to_string(tokens_.size()) + " tokens, the special token " +
                        in_quotes(kSpecialTokens[i]) + " (id " + std::to_string(i) + ") is missing");
        if (tokens_[i] != kSpecialTokens[i])
            throw Error("vocab: token " + std::to_string(i) + " must be " + in_quotes(kSpecialTokens[i]) + ", got " +
                        in_quotes(tokens_[i]));
    }
    if (tokens_.size() > std::size_t(INT32_MAX)) throw Error("vocab: too many tokens");
    std::unordered_map<std::string, std::int32_t> seen;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        const std::string& t = tokens_[i];
        check_token(t, "vocab: token " + std::to_string(i));
        auto [it, inserted] = seen.emplace(t, std::int32_t(i));
        if (!inserted)
            throw Error("vocab: duplicate token " + in_quotes(t) + " (ids " + std::to_string(it->second) + " and " +
                        std::to_string(i) + ")");
        if (i >= kNumSpecial) word_ids_.emplace(t, std::int32_t(i));
    }
}

Vocab Vocab::build(const std::vector<std::vector<std::string>>& corpus, std::size_t min_freq, std::size_t max_size) {
    if (max_size != 0 && max_size < kNumSpecial)
        throw Error("Vocab::build: max_size " + std::to_string(max_size) + " leaves no room for the 4 special tokens");
    std::map<std::string, std::size_t> counts;
    for (std::size_t s = 0; s < corpus.size(); ++s)
        for (std::size_t p = 0; p < corpus[s].size(); ++p) {
            const std::string& t = corpus[s][p];
            check_token(t, "Vocab::build: sentence " + std::to_string(s) + ", token " + std::to_string(p));
            if (!is_special_text(t)) ++counts[t];
        }
    std::vector<std::pair<std::string, std::size_t>> words;
    for (const auto& [token, count] : counts)
        if (count >= min_freq) words.emplace_back(token, count);
    std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;  // bytes, unsigned
    });
    std::vector<std::string> tokens(std::begin(kSpecialTokens), std::end(kSpecialTokens));
    for (const auto& w : words) {
        if (max_size != 0 && tokens.size() >= max_size) break;
        tokens.push_back(w.first);
    }
    return Vocab(std::move(tokens));
}

std::int32_t Vocab::id(const std::string& token) const {
    auto it = word_ids_.find(token);
    return it == word_ids_.end() ? kUnk : it->second;
}

const std::string& Vocab::token(std::int32_t id) const {
    if (id < 0 || std::size_t(id) >= tokens_.size())
        throw Error("vocab: id " + std::to_string(id) + " is out of range (vocabulary size " +
                    std::to_string(tokens_.size()) + ")");
    return tokens_[std::size_t(id)];
}

VocabEncoding Vocab::encode(const std::vector<std::string>& tokens) const {
    VocabEncoding out;
    out.ids.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const std::int32_t id_i = id(tokens[i]);
        out.ids.push_back(id_i);
        if (id_i == kUnk) out.unknown.push_back({i, tokens[i]});
    }
    return out;
}

std::vector<std::string> Vocab::decode(const std::vector<std::int32_t>& ids, bool keep_special) const {
    std::vector<std::string> out;
    for (std::int32_t i : ids) {
        const std::string& t = token(i);  // range check first, even for specials
        if (!keep_special) {
            if (i == kEos) break;
            if (i == kPad || i == kBos) continue;
        }
        out.push_back(t);
    }
    return out;
}

}  // namespace attnlab
