#include "attnlab/text/bounded_json.hpp"

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

using json = nlohmann::json;

std::size_t json_nesting_depth(std::string_view text, std::size_t stop_above) {
    std::size_t depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
            if (deepest > stop_above) return deepest;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

std::string brief_json(const json& v, std::size_t max_chars) {
    std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
    if (s.size() <= max_chars) return s;
    std::size_t cut = max_chars;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 chars
    return s.substr(0, cut) + "...";
}

namespace {

// Builds the document exactly as json::parse does (nlohmann's own DOM builder), watching the keys
// of every open object on the way. Returning false stops the parse; `problem` says why.
class CheckingSax : public nlohmann::detail::json_sax_dom_parser<json> {
public:
    CheckingSax(json& result, const JsonLimits& limits)
        : nlohmann::detail::json_sax_dom_parser<json>(result, /*allow_exceptions=*/false), limits_(limits) {}

    bool start_object(std::size_t n) {
        open_.push_back({});
        return nlohmann::detail::json_sax_dom_parser<json>::start_object(n);
    }
    bool end_object() {
        open_.pop_back();
        return nlohmann::detail::json_sax_dom_parser<json>::end_object();
    }
    bool key(std::string& k) {
        Object& o = open_.back();
        if (o.keys.size() >= limits_.max_members) {
            problem = "an object has more than " + std::to_string(limits_.max_members) + " members";
            return false;
        }
        if (!o.keys.insert(k).second && limits_.reject_duplicate_keys) {
            if (open_.size() == 1 && limits_.describe_top_level_duplicate)
                problem = limits_.describe_top_level_duplicate(k);
            else
                problem = "duplicate key " + quoted(k) + path();
            return false;
        }
        o.last = k;
        return nlohmann::detail::json_sax_dom_parser<json>::key(k);
    }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        std::string what = e.what();
        const auto bracket = what.find("] ");  // drop "[json.exception.parse_error.101] "
        if (bracket != std::string::npos) what = what.substr(bracket + 2);
        problem = "not valid JSON: " + what;
        (void)position, (void)token;
        return false;
    }

    std::string problem;

private:
    struct Object {
        std::unordered_set<std::string> keys;
        std::string last;
    };
    static std::string quoted(const std::string& k) { return brief_json(json(k), 200); }
    // " inside \"a\" / \"b\"": the keys of the objects enclosing the current one (empty at the top).
    std::string path() const {
        std::string p;
        for (std::size_t i = 0; i + 1 < open_.size(); ++i)
            p += (p.empty() ? " inside " : " / ") + quoted(open_[i].last);
        return p;
    }
    const JsonLimits& limits_;
    std::vector<Object> open_;
};

}  // namespace

json parse_json_bounded(std::string_view text, const std::string& what, const JsonLimits& limits) {
    const std::size_t depth = json_nesting_depth(text, limits.max_depth);
    if (depth > limits.max_depth)
        throw Error(what + ": nested more than " + std::to_string(limits.max_depth) +
                    " levels deep (the limit for this file)");
    // nlohmann stops at a NUL byte as at the end of input; in JSON text it is never valid.
    if (text.find('\0') != std::string_view::npos) throw Error(what + ": not valid JSON: it contains a NUL byte");
    json result;
    CheckingSax sax(result, limits);
    const bool ok = json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true);
    if (!ok || !sax.problem.empty())
        throw Error(what + ": " + (sax.problem.empty() ? std::string("not valid JSON") : sax.problem));
    return result;
}

}  // namespace attnlab
