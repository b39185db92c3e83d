#include "attnlab/models/model_factory.hpp"

#include <functional>

#include <nlohmann/json.hpp>

#include "attnlab/models/model_limits.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/tensor/checked_size.hpp"

namespace attnlab {

namespace {

std::string architecture(const nlohmann::json& c) {
    if (!c.is_object() || !c.contains("architecture") || !c["architecture"].is_string())
        throw Error("model config: needs a string field \"architecture\" (seq2seq, transformer, aaren)");
    const std::string arch = c["architecture"].get<std::string>();
    if (arch != "seq2seq" && arch != "transformer" && arch != "aaren")
        throw Error("model config: unknown architecture \"" + arch + "\" (known: seq2seq, transformer, aaren)");
    return arch;
}

}  // namespace

std::uint64_t parameter_count(const ParameterShapes& shapes) {
    std::uint64_t total = 0;
    for (const auto& [name, shape] : shapes) {
        std::uint64_t n = 1;
        for (std::size_t d : shape) n = checked_mul(n, d, "the size of " + name);
        if (n > UINT64_MAX - total) throw Error("model config: the parameter count overflows 64 bits");
        total += n;
    }
    return total;
}

namespace {

// A model config parsed once: the parameters it implies (their count checked against the limit) and a
// builder of the model from the same parsed config.
struct ParsedModel {
    std::string architecture;
    ParameterShapes shapes;
    std::function<std::unique_ptr<SequenceModel>(std::optional<std::uint64_t> seed)> build;
};

template <class Model, class Config>
std::function<std::unique_ptr<SequenceModel>(std::optional<std::uint64_t>)> builder(const Config& config) {
    return [config](std::optional<std::uint64_t> seed) { return std::make_unique<Model>(config, seed); };
}

ParsedModel parse_model(const nlohmann::json& c) {
    const std::string arch = architecture(c);
    ParsedModel p{arch, {}, {}};
    if (arch == "seq2seq") {
        const Seq2SeqConfig config = seq2seq_config_from_json(c);
        p.shapes = seq2seq_parameter_shapes(config);
        p.build = builder<Seq2Seq>(config);
    } else {  // "transformer" or "aaren": one Transformer, its decoder self-attention chosen by the config
        const TransformerConfig config = transformer_config_from_json(c);
        p.shapes = transformer_parameter_shapes(config);
        p.build = builder<Transformer>(config);
    }
    const std::uint64_t count = parameter_count(p.shapes);
    if (count > model_max_parameters)
        throw Error(arch + " config: the sizes imply " + std::to_string(count) +
                    " parameters, more than the limit of " + std::to_string(model_max_parameters) +
                    " (256 MB as float32)");
    return p;
}

}  // namespace

ParameterShapes parameter_shapes(const nlohmann::json& c) { return parse_model(c).shapes; }

std::unique_ptr<SequenceModel> make_model(const nlohmann::json& c, std::optional<std::uint64_t> seed) {
    const ParsedModel p = parse_model(c);
    const ParameterShapes& shapes = p.shapes;
    std::unique_ptr<SequenceModel> model = p.build(seed);
    // The list the loaders trust must be the one the constructors build.
    const NamedVars built = model->parameters();
    bool same = built.size() == shapes.size();
    for (std::size_t i = 0; same && i < built.size(); ++i)
        same = built[i].first == shapes[i].first && Shape(built[i].second.value().shape().begin(),
                                                          built[i].second.value().shape().end()) == shapes[i].second;
    if (!same)
        throw Error("make_model: the built " + p.architecture +
                    " model's parameters differ from parameter_shapes (a bug)");
    return model;
}

}  // namespace attnlab
