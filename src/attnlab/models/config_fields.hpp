// Reading a config.json object field by field, with one clear Error per problem:
//   "seq2seq config: hidden_size must be a whole number ≥ 1, got -3"
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

class ConfigFields {
public:
    ConfigFields(const nlohmann::json& j, std::string what);
    std::string text(const char* key) const;
    bool flag(const char* key) const;
    std::size_t count(const char* key, std::size_t min, std::size_t max) const;  // a whole number in [min, max]
    double number(const char* key, double min, double max) const;
    // Fields not listed are an error (a typo must not be silently ignored).
    void allow_only(std::initializer_list<const char*> keys) const;

private:
    const nlohmann::json& field(const char* key) const;
    [[noreturn]] void fail(const char* key, const std::string& expected) const;
    const nlohmann::json& j_;
    std::string what_;
};

}  // namespace attnlab
