#include "attnlab/data/compositional_splits.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

namespace attnlab {

namespace {

bool contains_any(const WordCombinations& found, const WordCombinations& held_out) {
    for (const auto& p : found.adjective_noun)
        if (std::find(held_out.adjective_noun.begin(), held_out.adjective_noun.end(), p) !=
            held_out.adjective_noun.end())
            return true;
    for (const auto& p : found.subject_verb)
        if (std::find(held_out.subject_verb.begin(), held_out.subject_verb.end(), p) != held_out.subject_verb.end())
            return true;
    return false;
}

std::size_t length_band(std::size_t n) { return n <= 10 ? 0 : n <= 17 ? 1 : 2; }

int pick_index(Rng& rng, std::size_t n) { return int(rng.below(std::uint32_t(n))); }

}  // namespace

void check_compositional_sizes(const std::string& task, const TaskSizes& sizes, std::size_t adjectives,
                               std::size_t nouns, std::size_t verbs) {
    if (sizes.max_words < 18)
        throw Error(task + ": max_words must be at least 18 (got " + std::to_string(sizes.max_words) + ")");
    if (sizes.held_out_pairs == 0 || sizes.held_out_pairs * 4 > std::min(adjectives * nouns, nouns * verbs))
        throw Error(task + ": held_out_pairs must be between 1 and a quarter of the possible pairs (got " +
                    std::to_string(sizes.held_out_pairs) + ")");
}

HeldOutIndices draw_held_out(Rng& rng, const TaskSizes& sizes, std::size_t adjectives, std::size_t nouns,
                             std::size_t verbs) {
    std::set<std::pair<int, int>> an, sv;
    while (an.size() < sizes.held_out_pairs) an.insert({pick_index(rng, adjectives), pick_index(rng, nouns)});
    while (sv.size() < sizes.held_out_pairs) sv.insert({pick_index(rng, nouns), pick_index(rng, verbs)});
    return {{an.begin(), an.end()}, {sv.begin(), sv.end()}};
}

TaskSplits compositional_splits(const std::string& task, const TaskSizes& sizes, const WordCombinations& held_out,
                                const std::function<RenderedPair(bool planted)>& draw) {
    TaskSplits splits;
    std::unordered_set<std::string> seen;
    auto attempts_left = [&](std::size_t& attempts, const char* split) {
        if (++attempts > 1000000)
            throw Error(task + ": could not draw enough distinct sentences for " + split + "; ask for fewer");
    };

    // Train and valid: the generator's own distribution, without the held-out combinations.
    for (auto* split : {&splits.train, &splits.valid}) {
        const std::size_t want = split == &splits.train ? sizes.train : sizes.valid;
        std::size_t attempts = 0;
        while (split->size() < want) {
            attempts_left(attempts, split == &splits.train ? "train" : "valid");
            const RenderedPair p = draw(false);
            if (p.source.size() > sizes.max_words || contains_any(p.combinations, held_out)) continue;
            std::string source = join_tokens(p.source);
            if (!seen.insert(source).second) continue;
            split->push_back({std::move(source), join_tokens(p.target)});
        }
    }

    // Test: sentences with a planted held-out combination, spread over three length bands, kept only
    // if every word occurs in train.
    std::unordered_set<std::string> train_words;
    for (const Example& e : splits.train) {
        for (auto& w : split_tokens(e.source)) train_words.insert(w);
        for (auto& w : split_tokens(e.target)) train_words.insert("target:" + w);
    }
    std::size_t attempts = 0;
    while (splits.test.size() < sizes.test) {
        attempts_left(attempts, "test");
        const RenderedPair p = draw(true);
        if (!contains_any(p.combinations, held_out)) continue;
        if (p.source.size() > sizes.max_words || length_band(p.source.size()) != splits.test.size() % 3) continue;
        bool known = true;
        for (auto& w : p.source) known = known && train_words.count(w);
        for (auto& w : p.target) known = known && train_words.count("target:" + w);
        if (!known) continue;
        std::string source = join_tokens(p.source);
        if (!seen.insert(source).second) continue;
        splits.test.push_back({std::move(source), join_tokens(p.target)});
    }
    return splits;
}

}  // namespace attnlab
