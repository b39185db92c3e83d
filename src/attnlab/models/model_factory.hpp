// Builds a model from the "model" object of a bundle's config.json, by its "architecture".
#pragma once

#include <memory>

#include <nlohmann/json_fwd.hpp>

#include "attnlab/models/sequence_model.hpp"

namespace attnlab {

// Fresh weights drawn from `seed`; throws Error naming any bad field.
std::unique_ptr<SequenceModel> make_model(const nlohmann::json& model_config, std::uint64_t seed);

}  // namespace attnlab
