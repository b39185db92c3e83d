#include "attnlab/text/word_tokenizer.hpp"

#include "attnlab/text/lowercase.hpp"
#include "attnlab/text/utf8.hpp"

namespace attnlab {

bool is_space(char32_t cp) {
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

namespace {

bool is_letter(char32_t cp) {
    return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

bool is_digit(char32_t cp) { return cp >= U'0' && cp <= U'9'; }

// Han ideographs (CJK Unified Ideographs, Extension A, Compatibility Ideographs).
bool is_han(char32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

// Chinese text: Han, CJK punctuation (U+3000-U+303F: 。、) and full-width forms (U+FF00-U+FFEF: ，？).
bool is_cjk(char32_t cp) { return is_han(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF); }

// Does the UTF-8 token start / end with a CJK code point?
bool starts_cjk(const std::string& t) {
    const std::vector<char32_t> cps = utf8_decode(t);
    return !cps.empty() && is_cjk(cps.front());
}
bool ends_cjk(const std::string& t) {
    const std::vector<char32_t> cps = utf8_decode(t);
    return !cps.empty() && is_cjk(cps.back());
}

bool is_apostrophe(char32_t cp) { return cp == U'\'' || cp == 0x2019; }

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::string> word_tokenize(const std::string& text, bool lowercase) {
    std::vector<char32_t> cps = utf8_decode(text);
    if (lowercase)
        for (char32_t& cp : cps) cp = to_lower(cp);

    std::vector<std::string> tokens;
    std::vector<char32_t> word;  // the word being read
    bool han = false;            // is it a run of Han characters?
    auto flush = [&] {
        if (!word.empty()) tokens.push_back(utf8_encode(word));
        word.clear();
        han = false;
    };
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t cp = cps[i];
        if (is_space(cp)) {
            flush();
        } else if (is_han(cp)) {
            if (!han) flush();
            han = true;
            word.push_back(cp);
        } else if (is_letter(cp) || is_digit(cp)) {
            if (han) flush();
            han = false;
            word.push_back(cp);
        } else if (is_apostrophe(cp) && !word.empty() && is_letter(word.back()) && i + 1 < cps.size() &&
                   is_letter(cps[i + 1])) {
            word.push_back(cp);  // elision: the apostrophe ends the left part
            flush();
        } else {
            flush();
            tokens.push_back(utf8_encode(cp));
        }
    }
    flush();
    return tokens;
}

std::string word_detokenize(const std::vector<std::string>& tokens) {
    static const char* const no_space_before[] = {".", ",", "!", "?", ";", ":", ")"};
    // French words that elide: "l ' enfant" (the apostrophe split off, as in text written "l' enfant")
    // reads "l'enfant".
    static const char* const elided[] = {"l", "d", "n", "j", "m", "t", "s", "c", "qu", "jusqu", "lorsqu", "puisqu"};
    std::string out;
    std::string previous;
    bool glue = true;  // no space before the next token (at the start, after ' ’ or "(")
    for (const std::string& t : tokens) {
        if (t.empty()) continue;
        bool attach = glue;
        for (const char* p : no_space_before) attach = attach || t == p;
        if (t == "'" || t == "\xE2\x80\x99")
            for (const char* e : elided) attach = attach || previous == e;
        attach = attach || (!previous.empty() && ends_cjk(previous) && starts_cjk(t));  // 我 吃 。 -> 我吃。
        previous = t;
        if (!attach) out += ' ';
        out += t;
        glue = ends_with(t, "'") || ends_with(t, "\xE2\x80\x99") || t == "(";
    }
    return out;
}

}  // namespace attnlab
