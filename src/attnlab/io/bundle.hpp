// A model bundle is a folder of three files, read alike by the attnlab command, the wasm module and
// the PyTorch scripts (docs/bundle-format.md describes every field):
//   config.json        {"format": "attnlab-bundle", "version": 1, "task", "description",
//                       "model": {architecture and sizes}, "training": {how it was trained}}
//   model.safetensors  the weights under PyTorch's parameter names
//   vocab.json         {"source": <text codec>, "target": <text codec>}
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/decode/translator.hpp"
#include "attnlab/io/safetensors.hpp"

namespace attnlab {

struct Bundle : Translator {  // model, source, target
    nlohmann::json config;
    // How model.safetensors holds the weights: f16 when every tensor is F16 (attnlab convert --dtype f16),
    // else f32; bundle_files with it writes the weights back as they were read.
    WriteDType weights_dtype = WriteDType::f32;

    std::string task() const;
    std::string description() const;
};

// The largest files a bundle may have, checked before they are read (attnlab's models are < 2 MB).
constexpr std::uint64_t bundle_max_config_bytes = 1'000'000;
constexpr std::uint64_t bundle_max_vocab_bytes = 16'000'000;
constexpr std::uint64_t bundle_max_weights_bytes = safetensors_max_file_bytes;
// Deepest nesting of arrays and objects in config.json and vocab.json (theirs is 3).
constexpr std::size_t bundle_max_json_depth = 32;

// From the three files' contents (the wasm module is handed bytes); `origin` names the bundle in
// errors. Every problem is an Error: bad JSON, unknown fields, vocab sizes that do not match the
// model, missing/extra/misshapen weights, a weight that is NaN or infinite, a file over its limit
// above. The weights are loaded for inference (no gradients).
Bundle load_bundle_from_memory(const std::string& config_json, const std::string& safetensors,
                               const std::string& vocab_json, const std::string& origin);
Bundle load_bundle(const std::string& dir);

// The three files' contents, exactly as save_bundle writes them (the page downloads these bytes); the
// weights in `dtype` (F16: each rounded to the nearest half; a bundle read from F16 is written back as it
// was, byte for byte).
struct BundleFiles {
    std::string config_json, safetensors, vocab_json;
};
BundleFiles bundle_files(const SequenceModel& model, const TextCodec& source, const TextCodec& target,
                         const nlohmann::json& info, WriteDType dtype = WriteDType::f32);

// Writes the three files into dir (created if missing).
void write_bundle_files(const std::string& dir, const BundleFiles& files);
// Writes the three files of a model into dir (created if missing). `info` supplies task, description and
// training; the model's own config goes under "model".
void save_bundle(const std::string& dir, const SequenceModel& model, const TextCodec& source, const TextCodec& target,
                 const nlohmann::json& info);

}  // namespace attnlab
