// Small valid bundles built in-process for the fuzz targets (random weights, fixed seeds): an RNN
// Seq2Seq (Bahdanau, GRU), a Transformer and an Aaren Transformer, on word codecs of a few words.
#pragma once

#include <string>

#include "attnlab/io/bundle.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/train/presets.hpp"

namespace attnlab::fuzzing {

inline const char* const tiny_presets[] = {"bahdanau-gru", "transformer", "aaren"};

// The three files of tiny bundle i (0..2).
inline BundleFiles tiny_bundle(std::size_t i) {
    const std::string name = tiny_presets[i % 3];
    PresetOptions o;
    if (name == "bahdanau-gru")
        o.embedding = 3, o.hidden = 4, o.attention_size = 3;
    else
        o.d_model = 4, o.heads = 2, o.ffn = 6, o.layers = 1;
    const TextCodec source = TextCodec::build(TokenizerKind::Word, false, {"a b c d e"});
    const TextCodec target = TextCodec::build(TokenizerKind::Word, false, {"x y z"});
    nlohmann::json mc = make_preset(name, o).model;
    mc["source_vocab_size"] = source.vocab().size();
    mc["target_vocab_size"] = target.vocab().size();
    const auto model = make_model(mc, 7 + i);
    return bundle_files(*model, source, target, {{"task", "copy"}, {"description", "tiny " + name}});
}

}  // namespace attnlab::fuzzing
