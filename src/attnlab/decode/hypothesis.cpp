#include "attnlab/decode/hypothesis.hpp"

#include <algorithm>
#include <cstring>

namespace attnlab {

namespace {
constexpr std::int32_t kEosId = 2;
}

bool Hypothesis::finished() const { return !tokens.empty() && tokens.back() == kEosId; }

void Hypothesis::add_attention(const StepAttention& step, std::size_t k) {
    for (const auto& [name, a] : step) {
        Shape row(a.shape().begin() + 1, a.shape().end());
        Tensor r = Tensor::from_shape(row);
        std::copy_n(a.data() + k * r.size(), r.size(), r.data());
        attention_rows[name].push_back(std::move(r));
    }
}

void Hypothesis::set_source_attention(const StepAttention& maps, std::size_t k) {
    for (const auto& [name, a] : maps) {
        Tensor r = take(a, {k}, 0);
        r.reshape(Shape(a.shape().begin() + 1, a.shape().end()));
        source_attention[name] = std::move(r);
    }
}

Tensor Hypothesis::attention(const std::string& name) const {
    auto it = attention_rows.find(name);
    if (it == attention_rows.end() || it->second.empty()) return Tensor();
    const auto& rows = it->second;
    std::size_t width = 0;
    for (const Tensor& r : rows) width = std::max(width, last_dim(r));
    Shape out(rows[0].shape().begin(), rows[0].shape().end());
    const std::size_t outer = row_count(rows[0]), n = rows.size();
    out.back() = n;
    out.push_back(width);
    Tensor m = xt::zeros<float>(out);  // (..., To, width)
    for (std::size_t t = 0; t < n; ++t) {
        const std::size_t w = last_dim(rows[t]);
        for (std::size_t o = 0; o < outer; ++o)
            std::copy_n(rows[t].data() + o * w, w, m.data() + (o * n + t) * width);
    }
    return m;
}

}  // namespace attnlab
