// Learning-rate schedules: linear warm-up then a decay, or the "Noam" schedule of "Attention is all
// you need": lr = factor · d^-0.5 · min(step^-0.5, step · warmup^-1.5).
#pragma once

#include <string>

namespace attnlab {

struct LrSchedule {
    std::string kind = "warmup-linear";  // "constant", "warmup-linear", "warmup-cosine", "noam"
    float base_lr = 1e-3f;               // peak rate (for noam: the factor)
    long warmup_steps = 0;
    long total_steps = 1;        // for the decays
    float min_lr_ratio = 0.05f;  // decays end at base_lr · min_lr_ratio
    long model_dim = 64;         // noam's d

    float at(long step) const;  // step counts from 1
};

}  // namespace attnlab
