#include "attnlab/decode/beam_search.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "attnlab/tensor/recycling_allocator.hpp"
#include "attnlab/text/vocab.hpp"

namespace attnlab {

namespace {
double normalised(const Hypothesis& h, double alpha) {
    return h.log_prob / std::pow(double(std::max<std::size_t>(1, h.tokens.size())), alpha);
}
}  // namespace

Hypothesis beam_search(const SequenceModel& model, const IntTensor& source, const IntTensor& lengths,
                       const DecodeOptions& options) {
    if (source.dimension() != 2 || source.shape(0) != 1) throw Error("beam_search: one source sentence at a time");
    const std::size_t k = std::max<std::size_t>(1, options.beam);
    const RecyclingScope recycle;  // each step reuses the tensor blocks of the step before
    auto session = model.start(source, lengths);
    if (options.head_sums) session->keep_head_sums();
    std::vector<Hypothesis> live(1), finished;
    live[0].set_source(*session, 0);
    for (std::size_t t = 0; t < options.max_length && !live.empty(); ++t) {
        std::vector<std::int32_t> last;
        for (const auto& h : live) last.push_back(h.tokens.empty() ? kBos : h.tokens.back());
        const Tensor logp = session->step(last);
        const std::size_t V = logp.shape(1);
        // Every (hypothesis, token) extension, best first; ties broken by lower parent, then token.
        std::vector<std::size_t> cand(live.size() * V);
        std::iota(cand.begin(), cand.end(), std::size_t(0));
        auto total = [&](std::size_t c) { return live[c / V].log_prob + double(logp.data()[c]); };
        const std::size_t keep = std::min(cand.size(), 2 * k);
        std::partial_sort(cand.begin(), cand.begin() + std::ptrdiff_t(keep), cand.end(),
                          [&](std::size_t a, std::size_t b) {
                              const double ta = total(a), tb = total(b);
                              return ta != tb ? ta > tb : a < b;
                          });
        std::vector<Hypothesis> next;
        std::vector<std::size_t> parents;
        for (std::size_t i = 0; i < keep && next.size() < k; ++i) {
            const std::size_t parent = cand[i] / V;
            Hypothesis h = live[parent];
            h.tokens.push_back(std::int32_t(cand[i] % V));
            h.log_prob = total(cand[i]);
            h.add_step(*session, parent);
            h.score = normalised(h, options.length_alpha);
            if (h.finished()) {
                finished.push_back(std::move(h));
            } else {
                next.push_back(std::move(h));
                parents.push_back(parent);
            }
        }
        // Stop once k hypotheses are finished and no live one can still beat the best of them: with
        // log p ≤ 0 a live hypothesis's log_prob only falls as it grows, so compare raw log-probabilities
        // (exact for α = 0, where the score is the log_prob; the usual practical rule otherwise).
        if (finished.size() >= k) {
            double best_finished = -INFINITY, best_live = -INFINITY;
            for (const Hypothesis& h : finished) best_finished = std::max(best_finished, h.log_prob);
            for (const Hypothesis& h : next) best_live = std::max(best_live, h.log_prob);
            if (best_live <= best_finished) {
                live.clear();  // the previous step's prefixes are not outputs
                break;
            }
        }
        live = std::move(next);
        if (!live.empty()) session->reorder(parents);
    }
    for (auto& h : live) finished.push_back(std::move(h));  // hit the length guard unfinished
    if (finished.empty()) return Hypothesis{};
    return *std::max_element(finished.begin(), finished.end(),
                             [](const Hypothesis& a, const Hypothesis& b) { return a.score < b.score; });
}

}  // namespace attnlab
