// Untrusted JSON text -> a document, bounded before anything is built. nlohmann's parser, its copy
// and its dump() recurse once per nesting level: 100k nested "[" overflow the native stack and throw
// a RangeError in wasm. So the depth is measured first, by one linear scan that allocates nothing.
// The duplicate-key check (nlohmann keeps the last of two equal keys) is a SAX handler that builds
// the same document as json::parse in time linear in the text; nlohmann 3.11's callback parser would
// rescan the parent object after every member (n keys: O(n²)).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace attnlab {

// Deepest nesting of arrays and objects in text ("1" is 0, "[]" is 1, "[{}]" is 2), counting only
// brackets outside strings. Linear, no allocation; stops counting once `stop_above` is passed.
std::size_t json_nesting_depth(std::string_view text, std::size_t stop_above = std::size_t(-1));

struct JsonLimits {
    std::size_t max_depth = 32;           // arrays and objects nested in one another
    std::size_t max_members = 1'000'000;  // keys of any one object
    bool reject_duplicate_keys = true;    // an object with a key twice is an error
    // How a key given twice in the top-level object is named in the error (default: duplicate key "k").
    std::function<std::string(const std::string& key)> describe_top_level_duplicate;
};

// text -> its document; every problem is one Error line starting with `what`: not valid JSON (with
// nlohmann's position), nested deeper than the limit, an object with too many members, a key given
// twice ("duplicate key \"k\" inside \"a\" / \"b\"", naming the keys of the enclosing objects).
nlohmann::json parse_json_bounded(std::string_view text, const std::string& what, const JsonLimits& limits = {});

// A value as JSON text on one line, cut after `max_chars` (at a whole UTF-8 character) with "...":
// for error messages. Never throws.
std::string brief_json(const nlohmann::json& v, std::size_t max_chars = 40);

}  // namespace attnlab
