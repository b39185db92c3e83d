// The toy English -> Chinese task: sentences of the grammar in en_zh_grammar.hpp drawn at random
// from a seed; English lowercase word tokens, Chinese word-segmented (words separated by spaces).
//
// The splits test compositional generalisation exactly as toy-en-fr's (toy_en_fr.hpp):
//  - `held_out.adjective_noun` and `held_out.subject_verb` (sizes.held_out_pairs of each) never occur
//    in train or valid; every test sentence holds at least one of them;
//  - every word of a test sentence (either side) occurs in train;
//  - test lengths are spread evenly over three bands (3-10, 11-17, 18-max_words source tokens);
//  - no source sentence occurs twice, within or across splits.
#pragma once

#include <cstdint>

#include "attnlab/data/en_zh_grammar.hpp"
#include "attnlab/data/task.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct ToyEnZhTask {
    TaskSplits splits;
    WordCombinations held_out;
};

ToyEnZhTask make_toy_en_zh(const en_zh::Lexicon& lex, std::uint64_t seed, const TaskSizes& sizes = {});

// One sentence drawn from the generator: a question (15 %) or 1-3 clauses; tenses, negation,
// adjectives, relative clauses, objects, prepositional and time phrases.
en_zh::Sentence random_en_zh_sentence(const en_zh::Lexicon& lex, Rng& rng);

}  // namespace attnlab
