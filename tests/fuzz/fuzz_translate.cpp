// libFuzzer target for translate() on small models (built by CMake with clang and ATTNLAB_SANITIZE=ON,
// run by scripts/fuzz.sh): arbitrary text and options through tokenizing, the length limits, greedy and
// beam decoding and the attention maps. The first byte b0 picks the model (b0 % 5): the shipped
// reverse-bahdanau-gru (words) and dates-transformer (characters), or one of the tiny random bundles
// of tiny_bundles.hpp (an RNN, a Transformer, an Aaren model); the second byte b1 the options: beam
// 1 + b1 % 4, max_length (b1 >> 2) % 32 output tokens (0: the default). The rest is the sentence.
// Every input must translate or be rejected with attnlab::Error (any other exception, a crash or a
// sanitizer report is a bug); a translation stays within max_length, its text is valid UTF-8, and
// every attention row is finite and sums to 1.
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "attnlab/decode/translate.hpp"
#include "attnlab/text/utf8.hpp"
#include "tiny_bundles.hpp"

using namespace attnlab;

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

const Bundle& model(std::size_t i) {
    static const std::string models = std::string(ATTNLAB_DATA_DIR) + "/../models/";
    static const Bundle reverse = load_bundle(models + "reverse-bahdanau-gru");
    static const Bundle dates = load_bundle(models + "dates-transformer");
    static const std::unique_ptr<Bundle> tiny[3] = {
        [] {
            const BundleFiles f = fuzzing::tiny_bundle(0);
            return std::make_unique<Bundle>(
                load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, "tiny0"));
        }(),
        [] {
            const BundleFiles f = fuzzing::tiny_bundle(1);
            return std::make_unique<Bundle>(
                load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, "tiny1"));
        }(),
        [] {
            const BundleFiles f = fuzzing::tiny_bundle(2);
            return std::make_unique<Bundle>(
                load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, "tiny2"));
        }(),
    };
    return i == 0 ? reverse : i == 1 ? dates : *tiny[i - 2];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const Bundle& bundle = model(data[0] % 5);
    TranslateOptions o;
    o.beam = 1 + data[1] % 4;
    o.max_length = (data[1] >> 2) % 32;
    const std::string sentence(reinterpret_cast<const char*>(data + 2), size - 2);
    try {
        const Translation t = translate(bundle, sentence, o);
        check(o.max_length == 0 || t.output_tokens.size() <= o.max_length);
        check(utf8_valid(t.text));
        for (const auto& [name, map] : t.attention) {
            const std::size_t cols = map.shape(map.dimension() - 1);
            for (std::size_t r = 0; cols && r < map.size() / cols; ++r) {
                double sum = 0;
                for (std::size_t c = 0; c < cols; ++c) {
                    const float w = map.data()[r * cols + c];
                    check(std::isfinite(w));
                    sum += w;
                }
                check(std::abs(sum - 1.0) < 1e-3);
            }
        }
    } catch (const Error&) {
    }
    return 0;
}
