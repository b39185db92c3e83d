#include "attnlab/train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

float LrSchedule::at(long step) const {
    const double s = double(std::max(1L, step));
    if (kind == "constant") return base_lr;
    if (kind == "noam") {
        const double w = double(std::max(1L, warmup_steps));
        return float(base_lr * std::pow(double(model_dim), -0.5) * std::min(std::pow(s, -0.5), s * std::pow(w, -1.5)));
    }
    if (kind != "warmup-linear" && kind != "warmup-cosine")
        throw Error("lr schedule: unknown kind '" + kind + "' (constant, warmup-linear, warmup-cosine, noam)");
    if (warmup_steps > 0 && s <= double(warmup_steps)) return float(base_lr * s / double(warmup_steps));
    const double span = double(std::max(1L, total_steps - warmup_steps));
    const double progress = std::min(1.0, (s - double(warmup_steps)) / span);
    const double floor = min_lr_ratio;
    const double shape = kind == "warmup-linear" ? 1.0 - progress : 0.5 * (1.0 + std::cos(M_PI * progress));
    return float(base_lr * (floor + (1.0 - floor) * shape));
}

}  // namespace attnlab
