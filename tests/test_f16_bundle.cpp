// A bundle whose weights are F16 (`attnlab convert --dtype f16`: half the download) loads from memory, as
// the wasm module loads what the page hands it, each weight widened to float32; it is bounded like any
// bundle.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/io/safetensors.hpp"
#include "attnlab/text/regular_file.hpp"
#include "fuzz/tiny_bundles.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::error_of;

namespace {

BundleFiles shipped(const std::string& name) {
    const std::string dir = std::string(ATTNLAB_DATA_DIR) + "/../models/" + name;
    return {read_regular_file(dir + "/config.json", bundle_max_config_bytes),
            read_regular_file(dir + "/model.safetensors", bundle_max_weights_bytes),
            read_regular_file(dir + "/vocab.json", bundle_max_vocab_bytes)};
}

std::string as_f16(const SafeTensors& weights) { return write_safetensors(weights, WriteDType::f16); }

// An F16 file (as write_safetensors lays it out: tensors in name order) with its first tensor made F32.
std::string first_tensor_f32(const std::string& f16_file) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = n << 8 | std::uint8_t(f16_file[std::size_t(i)]);
    nlohmann::json header = nlohmann::json::parse(f16_file.substr(8, n));
    const std::string first = read_safetensors(f16_file).tensors.begin()->first;
    const std::uint64_t first_end = header[first]["data_offsets"][1];
    header[first]["dtype"] = "F32";
    for (auto& [name, entry] : header.items())
        if (name != "__metadata__")
            for (std::size_t k = name == first ? 1 : 0; k < 2; ++k)
                entry["data_offsets"][k] = entry["data_offsets"][k].get<std::uint64_t>() + first_end;
    std::string data;
    for (std::uint64_t i = 0; i < first_end; i += 2) {
        const std::uint16_t h =
            std::uint16_t(std::uint8_t(f16_file[8 + n + i]) | std::uint8_t(f16_file[9 + n + i]) << 8);
        const float v = f16_to_float(h);
        data.append(reinterpret_cast<const char*>(&v), 4);  // little-endian hosts (x86, wasm)
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    std::string out;
    for (int i = 0; i < 8; ++i) out += char((std::uint64_t(text.size()) >> (8 * i)) & 0xff);  // 64 bits in wasm32 too
    return out + text + data + f16_file.substr(8 + n + first_end);
}

}  // namespace

TEST_CASE(
    "an F16 bundle loads from memory and translates exactly as its float32 model with every weight rounded to half") {
    // float32 bundles: the shipped context-vector GRU (kept float32: F16 changes 7 of its 1000 test outputs)
    // and a tiny Transformer with fresh random weights
    const std::pair<BundleFiles, const char*> cases[] = {
        {shipped("toy-en-fr-context-gru"), "the small cat does not eat ."}, {fuzzing::tiny_bundle(1), "a b c d e"}};
    for (const auto& c : cases) {
        const BundleFiles& f = c.first;
        const std::string sentence = c.second;  // a copy: clang 14 cannot capture a structured binding
        CAPTURE(sentence);
        const std::string half_bytes = as_f16(read_safetensors(f.safetensors));
        CHECK(half_bytes.size() < f.safetensors.size() / 2 + 4096);
        const Bundle half = load_bundle_from_memory(f.config_json, half_bytes, f.vocab_json, "half");
        const Bundle rounded = load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, "rounded");
        CHECK(half.weights_dtype == WriteDType::f16);
        CHECK(rounded.weights_dtype == WriteDType::f32);
        std::size_t changed = 0;
        for (auto& [param, var] : rounded.model->parameters())
            for (float& v : var.value()) {
                const float r = f16_to_float(float_to_f16(v));
                changed += r != v;
                v = r;
            }
        CHECK(changed > 0);  // float32 weights that are not already halves
        const NamedVars a = half.model->parameters(), b = rounded.model->parameters();
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i].second.value() == b[i].second.value());
        const Translation x = translate(half, sentence), y = translate(rounded, sentence);
        CHECK(x.output_tokens == y.output_tokens);
        CHECK(x.log_prob == y.log_prob);
        CHECK(x.attention == y.attention);
    }
}

TEST_CASE("a bundle is written back in the dtype its weights were read from: F16 as F16, F32 or mixed as F32") {
    const BundleFiles f = fuzzing::tiny_bundle(0);
    const SafeTensors weights = read_safetensors(f.safetensors);
    const std::string half_bytes = as_f16(weights);
    const Bundle half = load_bundle_from_memory(f.config_json, half_bytes, f.vocab_json, "half");
    CHECK(half.weights_dtype == WriteDType::f16);
    CHECK(bundle_files(*half.model, half.source, half.target, half.config, half.weights_dtype).safetensors ==
          half_bytes);
    const Bundle full = load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, "full");
    CHECK(full.weights_dtype == WriteDType::f32);
    CHECK(bundle_files(*full.model, full.source, full.target, full.config, full.weights_dtype).safetensors ==
          f.safetensors);
    // the first tensor F32, the others F16: not an F16 bundle, so written back as float32 (nothing rounded)
    const std::string mixed = first_tensor_f32(half_bytes);
    const Bundle m = load_bundle_from_memory(f.config_json, mixed, f.vocab_json, "mixed");
    CHECK(read_safetensors(mixed).dtypes.begin()->second == "F32");
    CHECK(m.weights_dtype == WriteDType::f32);
    CHECK(bundle_files(*m.model, m.source, m.target, m.config, m.weights_dtype).safetensors ==
          write_safetensors(read_safetensors(half_bytes)));
}

TEST_CASE("an F16 bundle is bounded like a float32 one: an infinite half and missing weights are one-line errors") {
    const BundleFiles f = shipped("reverse-bahdanau-gru");
    SafeTensors weights = read_safetensors(f.safetensors);
    const std::string first = weights.tensors.begin()->first;
    SafeTensors infinite = weights;
    infinite.tensors.at(first).data()[0] = INFINITY;  // written as the half +inf
    CHECK(error_of([&] { load_bundle_from_memory(f.config_json, as_f16(infinite), f.vocab_json, "m"); }) ==
          "m/model.safetensors: weight " + first + "[0] = inf is not a finite number");
    SafeTensors missing = weights;
    missing.tensors.erase(first);
    CHECK(error_of([&] {
              load_bundle_from_memory(f.config_json, as_f16(missing), f.vocab_json, "m");
          }).rfind("m/model.safetensors does not hold the weights config.json describes", 0) == 0);
}
