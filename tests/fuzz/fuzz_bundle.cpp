// libFuzzer target for the bundle loader from memory, load_bundle_from_memory (the wasm module is
// handed the three files as bytes; built by CMake with clang and ATTNLAB_SANITIZE=ON, run by
// scripts/fuzz.sh). The first byte b0 picks what the rest is (b0 % 4), and (b0 >> 2) % 3 one of the
// tiny bundles of tiny_bundles.hpp (an RNN, a Transformer, an Aaren model):
//   0: all three files: config.json and vocab.json each after its 4-byte little-endian length, then
//      model.safetensors (seeds: the shipped bundles, written by scripts/fuzz.sh);
//   1: config.json, with the tiny bundle's vocab and weights;
//   2: vocab.json, with the tiny bundle's config and weights;
//   3: bytes written over the start of the tiny bundle's model.safetensors (its header), the rest kept.
// Every input must load or be rejected with attnlab::Error (any other exception, a crash or a
// sanitizer report is a bug); a loaded bundle holds exactly the parameters its config implies, every
// weight finite, and vocabularies of the config's sizes.
#include <cmath>
#include <cstdint>
#include <string>

#include "tiny_bundles.hpp"

using namespace attnlab;

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// Takes a 4-byte little-endian length and then that many bytes (fewer if the input ends) off `rest`.
std::string take_part(std::string& rest) {
    std::uint32_t n = 0;
    for (int i = 0; i < 4 && i < int(rest.size()); ++i) n |= std::uint32_t(std::uint8_t(rest[i])) << (8 * i);
    rest.erase(0, std::min<std::size_t>(4, rest.size()));
    const std::string part = rest.substr(0, n);
    rest.erase(0, part.size());
    return part;
}

void check_loaded(const Bundle& b) {
    const ParameterShapes shapes = parameter_shapes(b.config.at("model"));
    const NamedVars params = b.model->parameters();
    check(shapes.size() == params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Tensor& t = params[i].second.value();
        check(params[i].first == shapes[i].first && Shape(t.shape().begin(), t.shape().end()) == shapes[i].second);
        for (std::size_t k = 0; k < t.size(); ++k) check(std::isfinite(t.data()[k]));
    }
    check(b.config["model"]["source_vocab_size"].get<std::size_t>() == b.source.vocab().size());
    check(b.config["model"]["target_vocab_size"].get<std::size_t>() == b.target.vocab().size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const BundleFiles tiny[3] = {fuzzing::tiny_bundle(0), fuzzing::tiny_bundle(1), fuzzing::tiny_bundle(2)};
    std::string rest(reinterpret_cast<const char*>(data + 1), size - 1);
    BundleFiles f = tiny[(data[0] >> 2) % 3];
    switch (data[0] % 4) {
        case 0:
            f.config_json = take_part(rest);
            f.vocab_json = take_part(rest);
            f.safetensors = rest;
            break;
        case 1:
            f.config_json = rest;
            break;
        case 2:
            f.vocab_json = rest;
            break;
        default:
            f.safetensors.replace(0, std::min(rest.size(), f.safetensors.size()), rest);
            break;
    }
    try {
        check_loaded(load_bundle_from_memory(f.config_json, f.safetensors, f.vocab_json, "fuzz"));
    } catch (const Error&) {
    }
    return 0;
}
