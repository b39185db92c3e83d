#include "attnlab/models/config_fields.hpp"

#include <algorithm>
#include <cmath>

namespace attnlab {

ConfigFields::ConfigFields(const nlohmann::json& j, std::string what) : j_(j), what_(std::move(what)) {
    if (!j_.is_object()) throw Error(what_ + ": expected a JSON object, got " + std::string(j_.type_name()));
}

const nlohmann::json& ConfigFields::field(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end()) throw Error(what_ + ": missing field \"" + key + "\"");
    return *it;
}

void ConfigFields::fail(const char* key, const std::string& expected) const {
    throw Error(what_ + ": " + key + " must be " + expected + ", got " + field(key).dump());
}

std::string ConfigFields::text(const char* key) const {
    const auto& v = field(key);
    if (!v.is_string()) fail(key, "a string");
    return v.get<std::string>();
}

bool ConfigFields::flag(const char* key) const {
    const auto& v = field(key);
    if (!v.is_boolean()) fail(key, "true or false");
    return v.get<bool>();
}

std::size_t ConfigFields::count(const char* key, std::size_t min, std::size_t max) const {
    const auto& v = field(key);
    const std::string expected = "a whole number ≥ " + std::to_string(min) + " and ≤ " + std::to_string(max);
    if (!v.is_number_integer()) fail(key, expected);
    if (v.is_number_unsigned()) {
        const auto n = v.get<std::uint64_t>();
        if (n < min || n > max) fail(key, expected);
        return std::size_t(n);
    }
    const auto n = v.get<std::int64_t>();
    if (n < std::int64_t(min) || n > std::int64_t(max)) fail(key, expected);
    return std::size_t(n);
}

double ConfigFields::number(const char* key, double min, double max) const {
    const auto& v = field(key);
    const std::string expected = "a number in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
    if (!v.is_number()) fail(key, expected);
    const double x = v.get<double>();
    if (!(x >= min && x <= max)) fail(key, expected);
    return x;
}

void ConfigFields::allow_only(std::initializer_list<const char*> keys) const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
        if (std::none_of(keys.begin(), keys.end(), [&](const char* k) { return it.key() == k; }))
            throw Error(what_ + ": unknown field \"" + it.key() + "\"");
}

}  // namespace attnlab
