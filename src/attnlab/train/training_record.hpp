// What config.json records about how a bundle was trained, written the same way by `attnlab train`
// and by the browser's training session (TrainingSession::export_bundle):
//   {"task", "description", "data": task_data_json, "training": {"preset", "seed", "epochs", "lr",
//    "schedule", "warmup_steps", "adam": {"beta1", "beta2", "eps", "weight_decay"}, "max_tokens",
//    "label_smoothing", "teacher_forcing": [start, end], "steps", "seconds" (whole seconds),
//    "final_train_loss", "final_valid_loss" (the last finished epoch's; null before the first ends)}}
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/train/trainer.hpp"

namespace attnlab {

// The "training" block: the preset, the optimiser settings of `config` and the run's `summary`.
nlohmann::json training_json(const std::string& preset, const TrainConfig& config, const TrainSummary& summary);

// Everything config.json holds besides "format", "version" and "model": the task, its description,
// the seed and sizes its splits were drawn with, and training_json.
nlohmann::json training_record(const std::string& task, std::uint64_t data_seed, const TaskSizes& sizes,
                               const std::string& preset, const TrainConfig& config, const TrainSummary& summary);

}  // namespace attnlab
