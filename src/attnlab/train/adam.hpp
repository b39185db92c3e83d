// Adam (Kingma & Ba) with bias correction, as PyTorch's torch.optim.Adam / AdamW:
//   m = β₁m + (1−β₁)g,  v = β₂v + (1−β₂)g²,  θ −= lr · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
// weight_decay is decoupled (AdamW: θ −= lr·wd·θ) and off by default.
#pragma once

#include "attnlab/nn/parameters.hpp"

namespace attnlab {

struct AdamConfig {
    float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weight_decay = 0.0f;
};

struct Adam {
    AdamConfig config;
    NamedVars params;
    std::vector<Tensor> m, v;  // first and second moments, one per parameter
    long step_count = 0;

    Adam(NamedVars params, AdamConfig config = {});
    // One update with learning rate lr; parameters without a gradient this step are left alone.
    void step(float lr);
    void zero_grad();
};

// Scales all gradients so their global L2 norm is at most max_norm (torch.nn.utils.clip_grad_norm_);
// returns the norm before clipping.
float clip_grad_norm(const NamedVars& params, float max_norm);

}  // namespace attnlab
