// Untrusted files are bounded before anything is built: JSON nesting and member counts, file kinds
// and sizes, the bundle's top-level fields, and weights that are not numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include <sys/stat.h>

#include "attnlab/data/task.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/io/safetensors.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/models/model_limits.hpp"
#include "attnlab/nn/positional_encoding.hpp"
#include "attnlab/tensor/checked_size.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/regular_file.hpp"
#include "attnlab/train/presets.hpp"
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

// The shipped bundle with its config's "model" object edited.
BundleBytes with_model(const std::function<void(json&)>& edit, BundleBytes b = shipped_bytes()) {
    json c = json::parse(b.config);
    edit(c["model"]);
    b.config = c.dump();
    return b;
}

// name (shape) of each parameter, in order
std::vector<std::string> described(const ParameterShapes& shapes) {
    std::vector<std::string> out;
    for (const auto& [name, shape] : shapes) out.push_back(name + " " + shape_str(shape));
    return out;
}
std::vector<std::string> described(const NamedVars& params) {
    std::vector<std::string> out;
    for (const auto& [name, var] : params) out.push_back(name + " " + shape_str(var.value()));
    return out;
}

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
    CHECK_ERROR_CONTAINS(parse_json_bounded(R"({"a": 1, "b": 2, "c": 3})", "t", few),
                         "an object has more than 2 members");
}

// A file of n zero-size tensors.
std::string empty_tensors(std::size_t n) {
    std::string header = "{";
    for (std::size_t i = 0; i < n; ++i)
        header += (i ? "," : "") + std::string("\"t") + std::to_string(i) +
                  "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}";
    header += "}";
    std::string file(8, '\0');
    for (int b = 0; b < 8; ++b) file[b] = char((header.size() >> (8 * b)) & 0xff);
    return file + header;
}

TEST_CASE("a safetensors header with more tensors than the limit is refused, a huge one before it is built") {
    CHECK(read_safetensors(empty_tensors(safetensors_max_entries)).tensors.size() == safetensors_max_entries);
    CHECK_ERROR_CONTAINS(read_safetensors(empty_tensors(safetensors_max_entries + 1)),
                         "the header lists " + std::to_string(safetensors_max_entries + 1) +
                             " tensors, more than the limit of " + std::to_string(safetensors_max_entries));
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
    CHECK_ERROR_CONTAINS(load(with([](json& c) { c["task"] = json::array({1}); })),
                         "\"task\" must be a string, not [1]");
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

TEST_CASE(
    "the beam and max-length checks take a caller's doubles (JavaScript's): too large, negative, fractional or NaN is "
    "an error with the command's message") {
    CHECK_NOTHROW(check_translate_options(64, 1000));
    CHECK_NOTHROW(check_translate_options(0, 0));
    CHECK_ERROR_CONTAINS(check_translate_options(1, 1e12),
                         "max-length 1000000000000 is more than the limit of 1000 output tokens");
    CHECK_ERROR_CONTAINS(check_translate_options(1e12, 0), "beam 1000000000000 is wider than the limit of 64");
    CHECK_ERROR_CONTAINS(check_translate_options(1, -1), "max-length must be a whole number ≥ 0, got -1");
    CHECK_ERROR_CONTAINS(check_translate_options(1, 2.5), "max-length must be a whole number ≥ 0, got 2.5");
    CHECK_ERROR_CONTAINS(check_translate_options(std::nan(""), 0), "beam must be a whole number ≥ 1, got nan");
}

TEST_CASE("translate() applies the character limit as well as the token limit, with the page's one message") {
    const Bundle b = load(shipped_bytes());
    CHECK_ERROR_CONTAINS(translate(b, std::string(1001, '3')),
                         "the sentence has 1001 characters; at most 1000 characters and 200 tokens can be translated");
    CHECK(translate(b, std::string(1000, '3')).source_tokens.size() == 2);  // one (unknown) token and <eos>
    std::string many;
    for (int i = 0; i < 201; ++i) many += "3 ";
    CHECK_ERROR_CONTAINS(
        translate(b, many),
        "the sentence has 402 characters and 201 tokens; at most 1000 characters and 200 tokens can be translated");
}

TEST_CASE("parameter_shapes lists exactly the built model's parameters for every preset and every shipped bundle") {
    std::vector<std::string> presets = {"transformer", "transformer-preln", "aaren", "aaren-preln"};
    for (const char* cell : {"gru", "lstm", "rnn"})
        for (const char* kind :
             {"context", "bahdanau", "luong-general", "luong-dot", "luong-concat", "luong-scaled-dot"})
            presets.push_back(std::string(kind) + "-" + cell);
    for (const std::string& name : presets)
        for (int variant = 0; variant < 2; ++variant) {
            PresetOptions o;
            const bool transformer = name.rfind("transformer", 0) == 0 || name.rfind("aaren", 0) == 0;
            if (transformer) {
                o.d_model = 8, o.heads = 2, o.ffn = 12, o.layers = 1 + variant, o.tie_embeddings = variant;
            } else {
                o.embedding = 6, o.hidden = 10, o.attention_size = 7, o.layers = 1 + variant;
                o.no_input_feeding = variant;
                o.no_bidirectional = variant || name.find("dot") != std::string::npos;
            }
            json mc = make_preset(name, o).model;
            mc["source_vocab_size"] = 11;
            mc["target_vocab_size"] = 13;
            CAPTURE(name);
            CAPTURE(variant);
            const auto model = make_model(mc, 1);
            CHECK(described(parameter_shapes(mc)) == described(model->parameters()));
        }
    std::size_t bundles = 0;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(ATTNLAB_DATA_DIR) + "/../models")) {
        const Bundle b = load_bundle(entry.path().string());
        CAPTURE(entry.path().string());
        CHECK(described(parameter_shapes(b.config["model"])) == described(b.model->parameters()));
        ++bundles;
    }
    CHECK(bundles >= 10);
}

TEST_CASE("a config size over its limit is one line naming config.json, the field and the limit") {
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["hidden_size"] = 20000; })),
                         "m/config.json: seq2seq config: hidden_size must be a whole number ≥ 1 and ≤ 4096, got 20000");
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["num_layers"] = 1'000'000; })),
                         "m/config.json: seq2seq config: num_layers must be a whole number ≥ 1 and ≤ 64, got 1000000");
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["source_vocab_size"] = 1e15; })),
                         "source_vocab_size must be a whole number ≥ 5 and ≤ 1000000, got 1e+15");
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["attention_size"] = std::uint64_t(1) << 63; })),
                         "attention_size must be a whole number ≥ 1 and ≤ 4096, got 9223372036854775808");
    // A Transformer's positions: 8·10^6 (past 90 s before), and 2^26 × d_model 64, the size that wrapped in wasm32.
    const std::string dates = std::string(ATTNLAB_DATA_DIR) + "/../models/dates-transformer";
    const BundleBytes transformer{read_regular_file(dates + "/config.json", 1'000'000),
                                  read_regular_file(dates + "/model.safetensors", 10'000'000),
                                  read_regular_file(dates + "/vocab.json", 1'000'000)};
    CHECK(load(transformer).model);
    for (std::uint64_t n : {std::uint64_t(8'000'000), std::uint64_t(1) << 26})
        CHECK_ERROR_CONTAINS(
            load(with_model([&](json& m) { m["max_length"] = n; }, transformer)),
            "m/config.json: transformer config: max_length must be a whole number ≥ 1 and ≤ 4096, got " +
                std::to_string(n));
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["num_encoder_layers"] = 65; }, transformer)),
                         "num_encoder_layers must be a whole number ≥ 1 and ≤ 64, got 65");
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["dim_feedforward"] = 16385; }, transformer)),
                         "dim_feedforward must be a whole number ≥ 1 and ≤ 16384");
}

TEST_CASE("sizes each within their limit whose parameter count is over the ceiling are refused before building") {
    json mc = make_preset("bahdanau-gru").model;
    mc["source_vocab_size"] = model_max_vocab_size;
    mc["target_vocab_size"] = model_max_vocab_size;
    mc["embedding_dim"] = model_max_width;
    // 2 embeddings of 10^6 × 4096 alone are 8.2·10^9 weights (33 GB)
    CHECK(parameter_count(parameter_shapes(json{{"architecture", "transformer"},
                                                {"source_vocab_size", 5},
                                                {"target_vocab_size", 5},
                                                {"d_model", 4},
                                                {"num_heads", 1},
                                                {"num_encoder_layers", 1},
                                                {"num_decoder_layers", 1},
                                                {"dim_feedforward", 3},
                                                {"dropout", 0},
                                                {"norm_first", false},
                                                {"tie_embeddings", true},
                                                {"max_length", 9}})) ==
          2 * 5 * 4  // the two embeddings, tied to the generator
              + (12 * 4 + 12 + 4 * 4 + 4) + (3 * 4 + 3 + 4 * 3 + 4) + 2 * 8      // encoder: attention, FFN, 2 norms
              + 2 * (12 * 4 + 12 + 4 * 4 + 4) + (3 * 4 + 3 + 4 * 3 + 4) + 3 * 8  // decoder: 2 attentions, FFN, 3 norms
              + 5);                                                              // generator.bias
    CHECK_ERROR_CONTAINS(make_model(mc, 1), "seq2seq config: the sizes imply ");
    CHECK_ERROR_CONTAINS(make_model(mc, 1), "parameters, more than the limit of 64000000 (256 MB as float32)");
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) {
                             m["hidden_size"] = 4096;
                             m["num_layers"] = 8;
                         })),
                         "m/config.json: seq2seq config: the sizes imply");
}

TEST_CASE("a config whose sizes disagree with the weight file is refused on the file's header, before building") {
    // hidden 1024 is within every limit (≈ 20M parameters, 80 MB if built); the file holds hidden 64
    const json::number_unsigned_t count = parameter_count(
        parameter_shapes(json::parse(with_model([](json& m) { m["hidden_size"] = 1024; }).config)["model"]));
    CHECK(count > 10'000'000);
    CHECK(count < model_max_parameters);
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["hidden_size"] = 1024; })),
                         "m/model.safetensors does not hold the weights config.json describes; shapes differ: "
                         "encoder.rnn.weight_ih_l0 (192, 16) where config.json implies (3072, 16), "
                         "encoder.rnn.weight_hh_l0 (192, 64) where config.json implies (3072, 1024) and ");
    CHECK_ERROR_CONTAINS(load(with_model([](json& m) { m["num_layers"] = 3; })),
                         "missing tensors: encoder.rnn.weight_ih_l1, encoder.rnn.weight_hh_l1, encoder.rnn.bias_ih_l1, "
                         "encoder.rnn.bias_hh_l1 and 20 more");
    BundleBytes extra = shipped_bytes();
    SafeTensors st = read_safetensors(extra.weights);
    for (int i = 0; i < 10000 - 30; ++i) st.tensors["extra." + std::to_string(i)] = Tensor::from_shape({0});
    extra.weights = write_safetensors(st);
    const std::string msg = testing::error_of([&] { load(extra); });
    CHECK(msg.find("unexpected tensors: extra.0, extra.1, extra.10, extra.100 and 9966 more") != std::string::npos);
    CHECK(msg.size() < 400);  // one short line, not the 70 KB list
}

TEST_CASE("a size product that would wrap this platform's size_t is an Error, never a smaller buffer") {
    CHECK(checked_mul(1u << 20, 1u << 20, "x") == std::uint64_t(1) << 40);
    CHECK_ERROR_CONTAINS(checked_mul(std::uint64_t(1) << 40, std::uint64_t(1) << 30, "x"), "x overflows 64 bits");
    CHECK(checked_size(1000, "x", 4) == 1000);
    const std::uint64_t too_many = std::uint64_t(std::numeric_limits<std::size_t>::max()) / 4 + 1;
    CHECK_ERROR_CONTAINS(checked_size(too_many, "x", 4),
                         "x: " + std::to_string(too_many) + " elements of 4 bytes do not fit");
    // wasm32: 2^26 positions × 64 (2^32 floats) wrapped to a 0-byte table; natively 2^58 × 64 overflows 64 bits
    const std::size_t positions = sizeof(std::size_t) == 4 ? std::size_t(1) << 26 : std::size_t(std::uint64_t(1) << 58);
    CHECK_ERROR_CONTAINS(sinusoidal_positions(positions, 64), "sinusoidal_positions: max_len × d");
    CHECK(sinusoidal_positions(3, 4).shape(0) == 3);
}

TEST_CASE("a task's split sizes and sentence lengths over their limits are refused before generating") {
    TaskSizes sizes;
    sizes.train = 100, sizes.valid = 10, sizes.test = 10;
    CHECK(make_task("reverse", 1, sizes).train.size() == 100);
    sizes.train = 1'000'000'000;  // eval regenerated this from config.json, past 90 s
    CHECK_ERROR_CONTAINS(make_task("reverse", 1, sizes),
                         "train_size 1000000000 is more than the limit of 200000 examples");
    sizes.train = 100, sizes.test = task_max_examples + 1;
    CHECK_ERROR_CONTAINS(make_task("dates", 1, sizes), "test_size 200001 is more than the limit of 200000 examples");
    sizes.test = 10, sizes.max_digits = task_max_sentence_tokens + 1;
    CHECK_ERROR_CONTAINS(make_task("copy", 1, sizes), "max_digits 201 is more than the limit of 200 tokens");
    sizes.max_digits = 20, sizes.max_words = 100'000;
    CHECK_ERROR_CONTAINS(make_task("toy-en-fr", 1, sizes), "max_words 100000 is more than the limit of 200 tokens");
}

TEST_CASE("each bad sentence of the README's table gives what the table says, on a word and a character model alike") {
    const std::string models = std::string(ATTNLAB_DATA_DIR) + "/../models/";
    const Bundle word = load_bundle(models + "reverse-bahdanau-gru"), chars = load_bundle(models + "dates-transformer");
    for (const Bundle* b : {&word, &chars}) {
        CAPTURE(b->task());
        CHECK_ERROR_CONTAINS(translate(*b, ""), "nothing to translate: the sentence is empty");
        // a character model reads spaces as tokens; whitespace alone is still nothing to translate
        CHECK_ERROR_CONTAINS(translate(*b, " \t\u3000 "), "nothing to translate: the sentence is empty");
        CHECK_ERROR_CONTAINS(translate(*b, "1 \xff"), "invalid UTF-8 at byte 2 (invalid lead byte)");
        CHECK_ERROR_CONTAINS(translate(*b, "\xed\xa0\x80"), "invalid UTF-8 at byte 0 (surrogate code point)");
        CHECK_ERROR_CONTAINS(translate(*b, "3\x01 1"),
                             "the sentence contains the control character U+0001 at character 2");
        CHECK_ERROR_CONTAINS(translate(*b, std::string("3 1\0", 4)), "the control character U+0000 at character 4");
        CHECK_ERROR_CONTAINS(translate(*b, "\x1b[2J 1"), "the control character U+001B at character 1");
        CHECK_ERROR_CONTAINS(translate(*b, "1 \xc2\x9b"), "the control character U+009B at character 3");
        // emoji and right-to-left text: unknown tokens, reported, translated around
        const Translation emoji = translate(*b, "1 😀 2");
        CHECK(emoji.unknown_words == std::vector<std::string>{"😀"});
        CHECK(emoji.output_tokens.size() > 0);
        const Translation rtl = translate(*b, "\u0645\u0631\u062d 1");  // Arabic, one token per letter in both models
        CHECK(rtl.unknown_words == std::vector<std::string>{"\u0645", "\u0631", "\u062d"});
        // a tab between words is whitespace, not a control character
        CHECK(translate(*b, "1\t2").source_tokens.size() >= 3);
    }
    const Translation unknown = translate(word, "qq zz");
    CHECK(unknown.unknown_words == std::vector<std::string>{"qq", "zz"});
    CHECK(unknown.source_unknown == std::vector<bool>{true, true, false});
    CHECK(translate(chars, "qz").unknown_words == std::vector<std::string>{"q", "z"});
    // a vocab that does not match the weights
    BundleBytes other = shipped_bytes();
    other.vocab = read_regular_file(models + "toy-en-fr-bahdanau-gru/vocab.json", 1'000'000);
    CHECK_ERROR_CONTAINS(load(other), "m: the model's vocabulary sizes (14, 14) differ from vocab.json's (");
}
