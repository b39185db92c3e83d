// The splits of a bundle's task as it was trained on them, regenerated from its config.json's "data"
// (seed, sizes and max_train_words, each optional and checked before anything is generated: a size over
// task_max_examples or a seed that is not a whole number is a one-line Error naming config.json).
// Used by eval and by convert --check.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/data/task_data.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/text/bounded_json.hpp"

namespace attnlab {

inline TaskSplits bundle_splits(const Bundle& bundle, const std::string& dir) {
    const std::string config_file = dir + "/config.json";
    const nlohmann::json data = bundle.config.value("data", nlohmann::json::object());
    if (!data.is_object()) throw Error(config_file + ": \"data\" must be an object, got " + brief_json(data));
    const TaskSizes sizes = task_sizes_from_json(data, config_file);  // each size checked against its limit
    if (data.contains("seed") && !data["seed"].is_number_unsigned())
        throw Error(config_file + ": data.seed must be a whole number ≥ 0, got " + brief_json(data["seed"]));
    return make_task(bundle.task(), data.value("seed", std::uint64_t(1)), sizes);
}

}  // namespace attnlab
