#include "attnlab/text/utf8.hpp"

namespace attnlab {

namespace {

[[noreturn]] void invalid(std::size_t offset, const char* reason) {
    throw Error("invalid UTF-8 at byte " + std::to_string(offset) + " (" + reason + ")");
}

// Decodes the character starting at s[i]; stores its code point and returns its length in bytes.
std::size_t decode_one(const std::string& s, std::size_t i, char32_t& cp) {
    const unsigned char b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len;
    char32_t smallest;  // the smallest code point that needs `len` bytes
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, smallest = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, smallest = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, smallest = 0x10000;
    } else if ((b0 & 0xC0) == 0x80) {
        invalid(i, "unexpected continuation byte");
    } else {
        invalid(i, "invalid lead byte");
    }
    for (std::size_t k = 1; k < len; ++k) {
        if (i + k >= s.size()) invalid(i, "truncated sequence");
        const unsigned char b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) invalid(i, "truncated sequence");
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < smallest) invalid(i, "overlong encoding");
    if (cp >= 0xD800 && cp <= 0xDFFF) invalid(i, "surrogate code point");
    if (cp > 0x10FFFF) invalid(i, "code point beyond U+10FFFF");
    return len;
}

}  // namespace

std::vector<char32_t> utf8_decode(const std::string& s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        i += decode_one(s, i, cp);
        out.push_back(cp);
    }
    return out;
}

bool utf8_valid(const std::string& s) {
    try {
        utf8_decode(s);
        return true;
    } catch (const Error&) {
        return false;
    }
}

std::string utf8_encode(char32_t cp) {
    std::string out;
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            throw Error("utf8_encode: surrogate code point " + code_point_str(cp) + " cannot be encoded");
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp <= 0x10FFFF) {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else {
        throw Error("utf8_encode: code point " + code_point_str(cp) + " is beyond U+10FFFF");
    }
    return out;
}

std::string utf8_encode(const std::vector<char32_t>& cps) {
    std::string out;
    for (char32_t cp : cps) out += utf8_encode(cp);
    return out;
}

std::string code_point_str(char32_t cp) {
    static const char hex[] = "0123456789ABCDEF";
    std::string digits;
    for (; cp != 0 || digits.size() < 4; cp >>= 4) digits.insert(digits.begin(), hex[cp & 0xF]);
    return "U+" + digits;
}

std::vector<std::string> utf8_chars(const std::string& s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        const std::size_t len = decode_one(s, i, cp);
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

}  // namespace attnlab
