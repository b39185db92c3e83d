#include "attnlab/train/batching.hpp"

#include <algorithm>
#include <numeric>

namespace attnlab {

Batch make_batch(const std::vector<TokenPair>& data, const std::vector<std::size_t>& indices) {
    if (indices.empty()) throw Error("make_batch: no sentences");
    std::size_t ts = 0, tt = 0;
    for (auto i : indices) {
        ts = std::max(ts, data.at(i).source.size() + 1);
        tt = std::max(tt, data.at(i).target.size() + 1);
    }
    const std::size_t B = indices.size();
    Batch b{xt::zeros<std::int32_t>({B, ts}), xt::zeros<std::int32_t>({B}), xt::zeros<std::int32_t>({B, tt}),
            xt::zeros<std::int32_t>({B, tt}), indices};
    for (std::size_t r = 0; r < B; ++r) {
        const TokenPair& p = data[indices[r]];
        for (std::size_t t = 0; t < p.source.size(); ++t) b.source(r, t) = p.source[t];
        b.source(r, p.source.size()) = kEos;
        b.source_lengths(r) = std::int32_t(p.source.size() + 1);
        b.target_in(r, 0) = kBos;
        for (std::size_t t = 0; t < p.target.size(); ++t) {
            b.target_in(r, t + 1) = p.target[t];
            b.target_out(r, t) = p.target[t];
        }
        b.target_out(r, p.target.size()) = kEos;
    }
    return b;
}

std::vector<Batch> make_batches(const std::vector<TokenPair>& data, std::size_t max_tokens, std::size_t max_sentences,
                                Rng& rng, bool shuffle) {
    std::vector<std::size_t> order(data.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    if (shuffle) rng.shuffle(order);  // ties in length end up in a random order
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::make_pair(data[a].source.size(), data[a].target.size()) <
               std::make_pair(data[b].source.size(), data[b].target.size());
    });
    std::vector<Batch> batches;
    std::vector<std::size_t> current;
    std::size_t ts = 0, tt = 0;
    for (std::size_t i : order) {
        const std::size_t ns = std::max(ts, data[i].source.size() + 1), nt = std::max(tt, data[i].target.size() + 1);
        if (!current.empty() && ((current.size() + 1) * (ns + nt) > max_tokens || current.size() >= max_sentences)) {
            batches.push_back(make_batch(data, current));
            current.clear();
            ts = tt = 0;
        }
        current.push_back(i);
        ts = std::max(ts, data[i].source.size() + 1);
        tt = std::max(tt, data[i].target.size() + 1);
    }
    if (!current.empty()) batches.push_back(make_batch(data, current));
    if (shuffle) rng.shuffle(batches);
    return batches;
}

}  // namespace attnlab
