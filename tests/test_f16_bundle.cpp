// A bundle whose weights are F16 (`attnlab convert --dtype f16`: half the download) loads from memory, as
// the wasm module loads what the page hands it, each weight widened to float32; it is bounded like any
// bundle.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/io/safetensors.hpp"
#include "attnlab/text/regular_file.hpp"
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

}  // namespace

TEST_CASE(
    "an F16 bundle loads from memory and translates exactly as its float32 model with every weight rounded to half") {
    const std::pair<const char*, const char*> cases[] = {{"reverse-bahdanau-gru", "3 1 4 1 5 9 2 6"},
                                                         {"dates-transformer", "march 3, 1999"}};
    for (const auto& c : cases) {
        const std::string name = c.first, sentence = c.second;
        CAPTURE(name);
        const BundleFiles f = shipped(name);
        const std::string half_bytes = as_f16(read_safetensors(f.safetensors));
        CHECK(half_bytes.size() < f.safetensors.size() / 2 + 4096);
        const Bundle half = load_bundle_from_memory(f.config_json, half_bytes, f.vocab_json, name);
        const Bundle rounded = load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, name);
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
