// The splits of the toy translation tasks (toy-en-fr, toy-en-zh), built to test compositional
// generalisation:
//  - `held_out.adjective_noun` and `held_out.subject_verb` (sizes.held_out_pairs of each, drawn from
//    the seed) never occur in train or valid; every test sentence contains at least one of them;
//  - every word of a test sentence (either side) occurs in train;
//  - the test lengths are spread evenly over three bands (3-10, 11-17, 18-max_words source tokens),
//    so the longest sentences are well represented; train and valid follow the generator's own
//    distribution;
//  - no sentence occurs twice, within or across splits.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "attnlab/data/en_fr_grammar.hpp"  // WordCombinations
#include "attnlab/data/task.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

// Throws Error (naming the task) if max_words < 18 or held_out_pairs is not between 1 and a quarter
// of the possible (adjective, noun) and (noun, verb) pairs.
void check_compositional_sizes(const std::string& task, const TaskSizes& sizes, std::size_t adjectives,
                               std::size_t nouns, std::size_t verbs);

// sizes.held_out_pairs distinct (adjective, noun) and (noun, verb) index pairs, sorted.
struct HeldOutIndices {
    std::vector<std::pair<int, int>> adjective_noun, subject_verb;
};
HeldOutIndices draw_held_out(Rng& rng, const TaskSizes& sizes, std::size_t adjectives, std::size_t nouns,
                             std::size_t verbs);

// One drawn sentence, both sides rendered, with the combinations it contains.
struct RenderedPair {
    std::vector<std::string> source, target;
    WordCombinations combinations;
};
// draw(false): a sentence of the generator; draw(true): one with a held-out combination planted.
// Train and valid keep the first kind without held-out combinations, test the second kind.
TaskSplits compositional_splits(const std::string& task, const TaskSizes& sizes, const WordCombinations& held_out,
                                const std::function<RenderedPair(bool planted)>& draw);

}  // namespace attnlab
