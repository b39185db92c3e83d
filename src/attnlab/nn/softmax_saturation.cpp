#include "attnlab/nn/softmax_saturation.hpp"

#include <algorithm>
#include <cmath>

#include "attnlab/tensor/random.hpp"

namespace attnlab {

namespace {
// softmax(scores) -> (entropy, largest weight), shifted by the max so it never overflows
std::pair<double, double> entropy_and_max(const std::vector<double>& scores) {
    const double top = *std::max_element(scores.begin(), scores.end());
    double sum = 0;
    for (double s : scores) sum += std::exp(s - top);
    double entropy = 0, largest = 0;
    for (double s : scores) {
        const double w = std::exp(s - top) / sum;
        if (w > 0) entropy -= w * std::log(w);
        largest = std::max(largest, w);
    }
    return {entropy, largest};
}
}  // namespace

std::vector<SaturationPoint> softmax_saturation(const std::vector<std::size_t>& dims, std::size_t n_keys,
                                                std::size_t trials, std::uint64_t seed) {
    if (n_keys < 2) throw Error("softmax_saturation: needs at least 2 keys");
    if (trials == 0) throw Error("softmax_saturation: needs at least 1 trial");
    Rng rng(seed);
    std::vector<SaturationPoint> out;
    for (std::size_t d : dims) {
        if (d == 0 || d > 65536) throw Error("softmax_saturation: d_k must be in 1..65536");
        SaturationPoint p;
        p.d_k = d;
        std::vector<double> q(d), scores(n_keys), scaled(n_keys);
        for (std::size_t t = 0; t < trials; ++t) {
            for (double& x : q) x = rng.normal();
            for (std::size_t i = 0; i < n_keys; ++i) {
                double dot = 0;
                for (std::size_t j = 0; j < d; ++j) dot += q[j] * rng.normal();  // k_i drawn on the fly
                scores[i] = dot;
                scaled[i] = dot / std::sqrt(double(d));
            }
            const auto [h, m] = entropy_and_max(scores);
            const auto [hs, ms] = entropy_and_max(scaled);
            p.entropy_unscaled += h / trials;
            p.max_weight_unscaled += m / trials;
            p.entropy_scaled += hs / trials;
            p.max_weight_scaled += ms / trials;
        }
        out.push_back(p);
    }
    return out;
}

}  // namespace attnlab
