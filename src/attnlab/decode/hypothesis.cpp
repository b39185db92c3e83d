#include "attnlab/decode/hypothesis.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "attnlab/text/vocab.hpp"

namespace attnlab {

bool Hypothesis::finished() const { return !tokens.empty() && tokens.back() == kEos; }

namespace {

// Appends row k of each map of `step` to rows[name].
void append_rows(std::map<std::string, std::vector<Tensor>>& rows, const StepAttention& step, std::size_t k) {
    for (const auto& [name, a] : step) {
        Shape row(a.shape().begin() + 1, a.shape().end());
        Tensor r = Tensor::from_shape(row);
        std::copy_n(a.data() + k * r.size(), r.size(), r.data());
        rows[name].push_back(std::move(r));
    }
}

// Keeps row k of each map.
void keep_row(std::map<std::string, Tensor>& out, const StepAttention& maps, std::size_t k) {
    for (const auto& [name, a] : maps) {
        Tensor r = take(a, {k}, 0);
        r.reshape(Shape(a.shape().begin() + 1, a.shape().end()));
        out[name] = std::move(r);
    }
}

// rows (…, w_t) -> (…, To, width), each row padded with `pad` to the widest
Tensor stack_rows(const std::vector<Tensor>& rows, float pad) {
    std::size_t width = 0;
    for (const Tensor& r : rows) width = std::max(width, last_dim(r));
    Shape out(rows[0].shape().begin(), rows[0].shape().end());
    const std::size_t outer = row_count(rows[0]), n = rows.size();
    out.back() = n;
    out.push_back(width);
    Tensor m = Tensor::from_shape(out);  // (..., To, width)
    std::fill(m.begin(), m.end(), pad);
    for (std::size_t t = 0; t < n; ++t) {
        const std::size_t w = last_dim(rows[t]);
        for (std::size_t o = 0; o < outer; ++o) std::copy_n(rows[t].data() + o * w, w, m.data() + (o * n + t) * width);
    }
    return m;
}

}  // namespace

void Hypothesis::add_attention(const StepAttention& step, std::size_t k) { append_rows(attention_rows, step, k); }
void Hypothesis::add_scores(const StepAttention& step, std::size_t k) { append_rows(score_rows, step, k); }
void Hypothesis::set_source_attention(const StepAttention& maps, std::size_t k) { keep_row(source_attention, maps, k); }
void Hypothesis::set_source_scores(const StepAttention& maps, std::size_t k) { keep_row(source_scores, maps, k); }
void Hypothesis::set_attended_states(const StepAttention& maps, std::size_t k) { keep_row(attended_states, maps, k); }
void Hypothesis::set_source_head_sums(const StepAttention& values, const StepAttention& context, std::size_t k) {
    keep_row(source_head_values, values, k);
    keep_row(source_head_context, context, k);
}

void Hypothesis::add_step(const DecoderSession& session, std::size_t k) {
    add_attention(session.last_attention(), k);
    add_scores(session.last_scores(), k);
    append_rows(context_rows, session.last_context(), k);
    append_rows(head_value_rows, session.last_head_values(), k);
    append_rows(head_context_rows, session.last_head_context(), k);
}

void Hypothesis::set_source(const DecoderSession& session, std::size_t k) {
    set_source_attention(session.source_attention(), k);
    set_source_scores(session.source_scores(), k);
    set_attended_states(session.attended_states(), k);
    set_source_head_sums(session.source_head_values(), session.source_head_context(), k);
}

Tensor Hypothesis::attention(const std::string& name) const {
    auto it = attention_rows.find(name);
    if (it == attention_rows.end() || it->second.empty()) return Tensor();
    return stack_rows(it->second, 0.0f);
}

Tensor Hypothesis::context_vectors(const std::string& name) const {
    auto it = context_rows.find(name);
    if (it == context_rows.end() || it->second.empty()) return Tensor();
    Tensor m = Tensor::from_shape({it->second.size(), it->second[0].size()});  // (To, D·H)
    for (std::size_t t = 0; t < it->second.size(); ++t)
        std::copy_n(it->second[t].data(), it->second[t].size(), m.data() + t * it->second[0].size());
    return m;
}

namespace {
// The source's maps, then the generated rows of each other map stacked
std::map<std::string, Tensor> source_and_rows(const std::map<std::string, Tensor>& source,
                                              const std::map<std::string, std::vector<Tensor>>& rows) {
    std::map<std::string, Tensor> out = source;
    for (const auto& [name, r] : rows)
        if (!r.empty()) out[name] = stack_rows(r, 0.0f);
    return out;
}
}  // namespace

std::map<std::string, Tensor> Hypothesis::head_values() const {
    return source_and_rows(source_head_values, head_value_rows);
}

std::map<std::string, Tensor> Hypothesis::head_context() const {
    return source_and_rows(source_head_context, head_context_rows);
}

Tensor Hypothesis::attention_scores(const std::string& name) const {
    auto it = score_rows.find(name);
    if (it == score_rows.end() || it->second.empty()) return Tensor();
    return stack_rows(it->second, -std::numeric_limits<float>::infinity());
}

}  // namespace attnlab
