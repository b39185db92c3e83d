// config.json's "data" block: the seed and sizes a task's splits were drawn with, written by
// `attnlab train` and the browser's training session and read back by `attnlab eval` (which draws
// the same splits again). max_train_words is written only when set (> 0).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"

namespace attnlab {

// {"seed", "train_size", "valid_size", "test_size"[, "max_train_words"]}
nlohmann::json task_data_json(std::uint64_t seed, const TaskSizes& sizes);

// The sizes in a "data" block (each optional; absent: TaskSizes' default), each checked against its limit.
// Errors name the file and the field: "m/config.json: data.train_size must be a whole number ≤ 200000 …".
TaskSizes task_sizes_from_json(const nlohmann::json& data, const std::string& config_file);

}  // namespace attnlab
