// Builds a model from the "model" object of a bundle's config.json, by its "architecture".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "attnlab/models/sequence_model.hpp"
#include "attnlab/nn/parameters.hpp"

namespace attnlab {

// The parameters a model config implies, by architecture, from the config alone: every field checked
// against models/model_limits.hpp and the parameter count against model_max_parameters, nothing
// allocated. Throws Error naming the field or the count and the limit.
ParameterShapes parameter_shapes(const nlohmann::json& model_config);
// The number of weights in `shapes`, in checked 64-bit arithmetic.
std::uint64_t parameter_count(const ParameterShapes& shapes);

// Fresh weights drawn from `seed`, or with no seed (std::nullopt) all zero and nothing drawn, for a
// loader that overwrites them at once; throws Error naming any bad field, before allocating. The
// model's parameters() are exactly parameter_shapes(model_config) (checked after building).
std::unique_ptr<SequenceModel> make_model(const nlohmann::json& model_config, std::optional<std::uint64_t> seed);

}  // namespace attnlab
