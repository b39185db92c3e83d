#include "attnlab/train/training_record.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "attnlab/data/task_data.hpp"

namespace attnlab {

namespace {

// A float to 7 significant digits, as it was written (0.9f -> 0.9, not 0.8999999761581421).
double decimal(float x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", double(x));
    return std::strtod(buf, nullptr);
}

// A loss, or null while there is none (no epoch has ended yet): never a 0 that reads as a perfect fit.
nlohmann::json loss_json(float loss) { return std::isfinite(loss) ? nlohmann::json(loss) : nlohmann::json(nullptr); }

}  // namespace

nlohmann::json training_json(const std::string& preset, const TrainConfig& config, const TrainSummary& summary) {
    return {{"preset", preset},
            {"seed", config.seed},
            {"epochs", config.epochs},
            {"lr", config.lr},
            {"schedule", config.schedule},
            {"warmup_steps", config.warmup_steps},
            {"adam",
             {{"beta1", decimal(config.adam.beta1)},
              {"beta2", decimal(config.adam.beta2)},
              {"eps", decimal(config.adam.eps)},
              {"weight_decay", decimal(config.adam.weight_decay)}}},
            {"max_tokens", config.max_tokens},
            {"label_smoothing", config.label_smoothing},
            {"teacher_forcing", {config.teacher_forcing_start, config.teacher_forcing_end}},
            {"steps", summary.steps},
            {"seconds", std::round(summary.seconds)},
            {"final_train_loss", loss_json(summary.final_train_loss)},
            {"final_valid_loss", loss_json(summary.final_valid_loss)}};
}

nlohmann::json training_record(const std::string& task, std::uint64_t data_seed, const TaskSizes& sizes,
                               const std::string& preset, const TrainConfig& config, const TrainSummary& summary) {
    return {{"task", task},
            {"description", task_description(task)},
            {"data", task_data_json(data_seed, sizes)},
            {"training", training_json(preset, config, summary)}};
}

}  // namespace attnlab
