#include "attnlab/models/model_factory.hpp"

#include <nlohmann/json.hpp>

#include "attnlab/models/aaren_transformer.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/models/transformer.hpp"

namespace attnlab {

std::unique_ptr<SequenceModel> make_model(const nlohmann::json& c, std::uint64_t seed) {
    if (!c.is_object() || !c.contains("architecture") || !c["architecture"].is_string())
        throw Error("model config: needs a string field \"architecture\" (seq2seq, transformer, aaren)");
    const std::string arch = c["architecture"].get<std::string>();
    if (arch == "seq2seq") return std::make_unique<Seq2Seq>(seq2seq_config_from_json(c), seed);
    if (arch == "transformer") return std::make_unique<Transformer>(transformer_config_from_json(c), seed);
    if (arch == "aaren") return std::make_unique<AarenTransformer>(aaren_config_from_json(c), seed);
    throw Error("model config: unknown architecture \"" + arch + "\" (known: seq2seq, transformer, aaren)");
}

}  // namespace attnlab
