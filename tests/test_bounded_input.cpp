// Untrusted files are bounded before anything is built: JSON nesting and member counts, file kinds
// and sizes, the bundle's top-level fields, and weights that are not numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <sys/stat.h>

#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/io/safetensors.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/regular_file.hpp"
#include "test_util.hpp"

using namespace attnlab;
using json = nlohmann::json;

namespace {

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string temp_dir(const char* name) {
    const auto d = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d.string();
}

const std::string shipped = std::string(ATTNLAB_DATA_DIR) + "/../models/reverse-bahdanau-gru";

struct BundleBytes {
    std::string config, weights, vocab;
};
BundleBytes shipped_bytes() {
    return {read_regular_file(shipped + "/config.json", 1'000'000),
            read_regular_file(shipped + "/model.safetensors", 10'000'000),
            read_regular_file(shipped + "/vocab.json", 1'000'000)};
}
Bundle load(const BundleBytes& b) { return load_bundle_from_memory(b.config, b.weights, b.vocab, "m"); }

}  // namespace

TEST_CASE("json nesting depth counts brackets outside strings only") {
    CHECK(json_nesting_depth("1") == 0);
    CHECK(json_nesting_depth("[]") == 1);
    CHECK(json_nesting_depth("[{\"a\": [1, {}]}, []]") == 4);
    CHECK(json_nesting_depth("{\"a\": \"[[[{{{\"}") == 1);
    CHECK(json_nesting_depth("{\"a\\\"[[[\": 1}") == 1);  // an escaped quote does not end the string
    CHECK(json_nesting_depth(nested_arrays(100000)) == 100000);
    CHECK(json_nesting_depth(nested_arrays(100000), 10) == 11);  // stops once past the limit
}

TEST_CASE("deeply nested JSON is one Error, never a stack overflow") {
    CHECK(parse_json_bounded(nested_arrays(32), "x.json").is_array());
    CHECK_ERROR_CONTAINS(parse_json_bounded(nested_arrays(33), "x.json"), "x.json: nested more than 32 levels deep");
    CHECK_ERROR_CONTAINS(parse_json_bounded(nested_arrays(1'000'000), "x.json"), "nested more than 32 levels");
    std::string objects;
    for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
    CHECK_ERROR_CONTAINS(parse_json_bounded(objects + "1" + std::string(200000, '}'), "x.json"), "nested more than 32");
}

TEST_CASE("bounded JSON parsing builds what json::parse builds and names a repeated key with its path") {
    const std::string text = R"({"a": [1, 2.5, "x", null, true], "b": {"c": {"d": []}}, "e": "é"})";
    CHECK(parse_json_bounded(text, "t") == json::parse(text));
    CHECK_ERROR_CONTAINS(parse_json_bounded(R"({"a": 1, "a": 2})", "t"), "t: duplicate key \"a\"");
    CHECK_ERROR_CONTAINS(parse_json_bounded(R"({"a": {"b": {"c": 1, "c": 2}}})", "t"),
                         "t: duplicate key \"c\" inside \"a\" / \"b\"");
    CHECK_ERROR_CONTAINS(parse_json_bounded(R"({"a": 1,)", "t"), "t: not valid JSON");
    CHECK_ERROR_CONTAINS(parse_json_bounded(std::string("{}\0", 3), "t"), "t: not valid JSON: it contains a NUL byte");
    JsonLimits few;
    few.max_members = 2;
    CHECK(parse_json_bounded(R"({"a": 1, "b": 2})", "t", few).size() == 2);
    CHECK_ERROR_CONTAINS(parse_json_bounded(R"({"a": 1, "b": 2, "c": 3})", "t", few), "an object has more than 2 members");
}

// A file of n zero-size tensors.
std::string empty_tensors(std::size_t n) {
    std::string header = "{";
    for (std::size_t i = 0; i < n; ++i)
        header += (i ? "," : "") + std::string("\"t") + std::to_string(i) + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
    header += "}";
    std::string file(8, '\0');
    for (int b = 0; b < 8; ++b) file[b] = char((header.size() >> (8 * b)) & 0xff);
    return file + header;
}

TEST_CASE("a safetensors header with more tensors than the limit is refused, a huge one before it is built") {
    CHECK(read_safetensors(empty_tensors(safetensors_max_entries)).tensors.size() == safetensors_max_entries);
    CHECK_ERROR_CONTAINS(read_safetensors(empty_tensors(safetensors_max_entries + 1)),
                         "the header lists " + std::to_string(safetensors_max_entries + 1) + " tensors, more than the limit of " +
                             std::to_string(safetensors_max_entries));
    CHECK_ERROR_CONTAINS(read_safetensors(empty_tensors(100000)), "header: an object has more than");
}

TEST_CASE("only regular files are read, and their size is checked before reading") {
    const std::string dir = temp_dir("attnlab-test-regular-file");
    CHECK_ERROR_CONTAINS(read_regular_file(dir, 100), "not a regular file (a folder)");
    CHECK_ERROR_CONTAINS(read_regular_file(dir + "/missing", 100), "no such file");
#ifndef __EMSCRIPTEN__  // node's file system has no FIFOs
    const std::string fifo = dir + "/fifo";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_ERROR_CONTAINS(read_regular_file(fifo, 100), "not a regular file");  // without blocking on open
#endif
    const std::string link = dir + "/zero";
    std::filesystem::create_symlink("/dev/zero", link);
    CHECK_ERROR_CONTAINS(read_regular_file(link, 100), "not a regular file");
    const std::string file = dir + "/f";
    { std::ofstream(file) << "0123456789"; }
    CHECK(read_regular_file(file, 10) == "0123456789");
    CHECK_ERROR_CONTAINS(read_regular_file(file, 9), "is 10 bytes, more than the 9 bytes limit");
    std::filesystem::remove_all(dir);
}

TEST_CASE("a bundle's top-level fields of the wrong type or value are one clear line") {
    const BundleBytes ok = shipped_bytes();
    CHECK(load(ok).task() == "reverse");
    auto with = [&](const std::function<void(json&)>& edit) {
        BundleBytes b = ok;
        json c = json::parse(b.config);
        edit(c);
        b.config = c.dump();
        return b;
    };
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["format"] = 7; })), "m/config.json: not an attnlab bundle");
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["version"] = 1.9; })), "unsupported bundle version 1.9");
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["version"] = 1.0; })), "unsupported bundle version 1.0");
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["version"] = "1"; })), "unsupported bundle version \"1\"");
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c.erase("version"); })), "unsupported bundle version (none)");
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["task"] = json::array({1}); })), "\"task\" must be a string, not [1]");
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["model"] = 3; })), "missing \"model\" (an object)");
    // Deep nesting anywhere, even in a field nothing reads.
    BundleBytes deep = ok;
    deep.config.insert(deep.config.rfind('}'), ", \"extra\": " + nested_arrays(100000));
    CHECK_ERROR_CONTAINS(load(deep), "m/config.json: nested more than 32 levels deep");
    BundleBytes big = ok;
    big.vocab += std::string(bundle_max_vocab_bytes, ' ');
    CHECK_ERROR_CONTAINS(load(big), "m/vocab.json is " + std::to_string(big.vocab.size()) + " bytes, more than the");
}

TEST_CASE("a weight that is NaN or infinite is refused at load, naming the tensor and the element") {
    BundleBytes b = shipped_bytes();
    SafeTensors st = read_safetensors(b.weights);
    Tensor& t = st.tensors.at("decoder.out.weight");
    t.data()[5] = NAN;
    b.weights = write_safetensors(st);
    CHECK_ERROR_CONTAINS(load(b), "m/model.safetensors: weight decoder.out.weight[5] = nan is not a finite number");
    t.data()[5] = 0.0f;
    st.tensors.at("encoder.embedding.weight").data()[0] = -INFINITY;
    b.weights = write_safetensors(st);
    CHECK_ERROR_CONTAINS(load(b), "weight encoder.embedding.weight[0] = -inf is not a finite number");
}

TEST_CASE("a beam or an output length over its limit is refused before decoding starts") {
    const Bundle b = load(shipped_bytes());
    TranslateOptions o;
    o.beam = translate_max_beam;
    CHECK(translate(b, "3 1 4", o).output_tokens.size() > 0);
    o.beam = translate_max_beam + 1;
    CHECK_ERROR_CONTAINS(translate(b, "3 1 4", o), "beam 65 is wider than the limit of 64");
    o.beam = 1'000'000;
    CHECK_ERROR_CONTAINS(translate(b, "3 1 4", o), "beam 1000000 is wider");
    o.beam = 1;
    o.max_length = translate_max_output_tokens;
    CHECK(translate(b, "3 1 4", o).output_tokens.back() == "<eos>");
    o.max_length = translate_max_output_tokens + 1;
    CHECK_ERROR_CONTAINS(translate(b, "3 1 4", o), "max-length 1001 is more than the limit of 1000 output tokens");
}
