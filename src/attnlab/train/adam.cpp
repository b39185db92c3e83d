#include "attnlab/train/adam.hpp"

#include <cmath>

namespace attnlab {

Adam::Adam(NamedVars p, AdamConfig c) : config(c), params(std::move(p)) {
    for (auto& [name, var] : params) {
        m.push_back(xt::zeros<float>(var.value().shape()));
        v.push_back(xt::zeros<float>(var.value().shape()));
    }
}

void Adam::step(float lr) {
    ++step_count;
    const float b1 = config.beta1, b2 = config.beta2;
    const float c1 = 1.0f - float(std::pow(double(b1), double(step_count)));
    const float c2 = 1.0f - float(std::pow(double(b2), double(step_count)));
    for (std::size_t i = 0; i < params.size(); ++i) {
        Var& p = params[i].second;
        if (!p.has_grad() || p.value().size() == 0) continue;
        float *theta = p.value().data(), *mi = m[i].data(), *vi = v[i].data();
        const float* g = p.grad().data();
        for (std::size_t j = 0, n = p.value().size(); j < n; ++j) {
            mi[j] = b1 * mi[j] + (1.0f - b1) * g[j];
            vi[j] = b2 * vi[j] + (1.0f - b2) * g[j] * g[j];
            if (config.weight_decay > 0.0f) theta[j] -= lr * config.weight_decay * theta[j];
            theta[j] -= lr * (mi[j] / c1) / (std::sqrt(vi[j] / c2) + config.eps);
        }
    }
}

void Adam::zero_grad() {
    for (auto& [name, var] : params) var.zero_grad();
}

float clip_grad_norm(const NamedVars& params, float max_norm) {
    double sq = 0.0;
    for (const auto& [name, var] : params)
        for (float g : var.grad()) sq += double(g) * double(g);
    const float norm = float(std::sqrt(sq));
    if (norm > max_norm && norm > 0.0f) {
        const float s = max_norm / (norm + 1e-6f);
        for (const auto& [name, var] : params) {
            Var handle = var;
            handle.grad() *= s;
        }
    }
    return norm;
}

}  // namespace attnlab
