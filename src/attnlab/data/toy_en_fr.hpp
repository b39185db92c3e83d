// The toy English -> French task: sentences of the grammar in en_fr_grammar.hpp, drawn at random
// from a seed, rendered on both sides (word level, lowercase, tokens separated by spaces).
//
// Splits test compositional generalisation:
//  - `held_out.adjective_noun` and `held_out.subject_verb` (sizes.held_out_pairs of each, drawn from
//    the seed) never occur in train or valid; every test sentence contains at least one of them;
//  - every word of a test sentence (either side) occurs in train;
//  - the test lengths are spread evenly over three bands (3-10, 11-17, 18-max_words source tokens),
//    so the longest sentences are well represented; train and valid follow the generator's own
//    distribution;
//  - no sentence occurs twice, within or across splits.
#pragma once

#include <cstdint>

#include "attnlab/data/en_fr_grammar.hpp"
#include "attnlab/data/task.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct ToyEnFrTask {
    TaskSplits splits;
    WordCombinations held_out;
};

ToyEnFrTask make_toy_en_fr(const Lexicon& lex, std::uint64_t seed, const TaskSizes& sizes = {});

// One sentence drawn from the generator: 1-3 clauses, pronoun or noun-phrase subjects, optional
// adjectives, relative clauses, negation, objects, adverbs and prepositional phrases.
Sentence random_sentence(const Lexicon& lex, Rng& rng);

}  // namespace attnlab
