// The kinds of option value the commands share, as CLI11 transforms (`->transform(whole_number)`; a
// `->check` would not keep the new spelling): each refuses a bad value with a one-line message
// ("--beam: must be a whole number ≥ 0, not "abc"") and hands CLI11 a spelling it converts to exactly
// the number the text says.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

namespace attnlab {

// Decimal digits only, read in base 10: CLI11 alone reads "010" as octal 8 and "0x10" as 16.
inline const CLI::Validator whole_number(
    [](std::string& v) -> std::string {
        const std::string refused = "must be a whole number ≥ 0, not \"" + v + "\"";
        if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return refused;
        try {
            v = std::to_string(std::stoull(v));  // leading zeros dropped
        } catch (const std::exception&) {
            return refused;  // more than 64 bits
        }
        return "";
    },
    "");

// A finite number as std::stod reads it, handed on in hexadecimal so that CLI11's long-double parse
// cannot round it differently ("0.1" is the same float in the config as before).
inline const CLI::Validator real_number(
    [](std::string& v) -> std::string {
        std::size_t end = 0;
        double x = NAN;
        try {
            x = std::stod(v, &end);
        } catch (const std::exception&) {
        }
        if (v.empty() || end != v.size() || !std::isfinite(x)) return "must be a number, not \"" + v + "\"";
        char hex[40];
        std::snprintf(hex, sizeof hex, "%a", x);
        v = hex;
        return "";
    },
    "");

}  // namespace attnlab
