// Reading a config.json object field by field, with one clear Error per problem:
//   "seq2seq config: hidden_size must be a whole number ≥ 1, got -3"
//   "seq2seq config: cell must be \"rnn\", \"lstm\" or \"gru\", got \"tree\""
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

// An enum's names as config.json writes them, one table per enum: {{RecurrentKind::gru, "gru"}, …}.
template <class Kind, std::size_t N>
using NameTable = std::pair<Kind, const char*>[N];

// The value `name` stands for, if any.
template <class Kind, std::size_t N>
std::optional<Kind> kind_named(const NameTable<Kind, N>& names, const std::string& name) {
    for (const auto& [kind, n] : names)
        if (name == n) return kind;
    return std::nullopt;
}

// The name of `kind` (every value of the enum is in its table).
template <class Kind, std::size_t N>
const char* name_of(const NameTable<Kind, N>& names, Kind kind) {
    for (const auto& [k, n] : names)
        if (k == kind) return n;
    throw Error("config: a value without a name");
}

// Every name, for an error message: "rnn", "lstm" or "gru".
template <class Kind, std::size_t N>
std::string quoted_names(const NameTable<Kind, N>& names) {
    std::string out;
    for (std::size_t i = 0; i < N; ++i)
        out += (i == 0 ? "" : i + 1 < N ? ", " : " or ") + std::string("\"") + names[i].second + "\"";
    return out;
}

class ConfigFields {
public:
    ConfigFields(const nlohmann::json& j, std::string what);
    std::string text(const char* key) const;
    bool flag(const char* key) const;
    std::size_t count(const char* key, std::size_t min, std::size_t max) const;  // a whole number in [min, max]
    double number(const char* key, double min, double max) const;
    // A string that is one of an enum's names -> its value.
    template <class Kind, std::size_t N>
    Kind choice(const char* key, const NameTable<Kind, N>& names) const {
        if (const auto kind = kind_named(names, text(key))) return *kind;
        fail(key, quoted_names(names));
    }
    // Fields not listed are an error (a typo must not be silently ignored).
    void allow_only(std::initializer_list<const char*> keys) const;

private:
    const nlohmann::json& field(const char* key) const;
    [[noreturn]] void fail(const char* key, const std::string& expected) const;
    const nlohmann::json& j_;
    std::string what_;
};

}  // namespace attnlab
