#include "attnlab/decode/greedy.hpp"

#include <algorithm>

#include "attnlab/tensor/recycling_allocator.hpp"
#include "attnlab/text/vocab.hpp"

namespace attnlab {

std::vector<Hypothesis> greedy_decode(const SequenceModel& model, const IntTensor& source, const IntTensor& lengths,
                                      std::size_t max_length, bool head_sums) {
    const std::size_t B = source.shape(0);
    const RecyclingScope recycle;  // each step reuses the tensor blocks of the step before
    auto session = model.start(source, lengths);
    if (head_sums) session->keep_head_sums();
    std::vector<Hypothesis> out(B);
    const StepAttention source_maps = session->source_attention(), source_scores = session->source_scores(),
                        states = session->attended_states(), head_values = session->source_head_values(),
                        head_context = session->source_head_context();
    for (std::size_t b = 0; b < B; ++b) {
        out[b].set_source_attention(source_maps, b);
        out[b].set_source_scores(source_scores, b);
        out[b].set_attended_states(states, b);
        out[b].set_source_head_sums(head_values, head_context, b);
    }
    std::vector<std::int32_t> last(B, kBos);
    std::size_t live = B;
    for (std::size_t t = 0; t < max_length && live > 0; ++t) {
        const Tensor logp = session->step(last);
        const std::size_t V = logp.shape(1);
        for (std::size_t b = 0; b < B; ++b) {
            if (out[b].finished()) continue;  // keeps stepping with its <eos>; the result is ignored
            const float* row = logp.data() + b * V;
            const auto best = std::int32_t(std::max_element(row, row + V) - row);
            out[b].tokens.push_back(best);
            out[b].log_prob += row[best];
            out[b].add_step(*session, b);
            last[b] = best;
            if (out[b].finished()) --live;
        }
    }
    for (auto& h : out) h.score = h.log_prob;
    return out;
}

}  // namespace attnlab
