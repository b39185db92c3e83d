// The toy English -> Chinese task: sentences of the grammar in en_zh_grammar.hpp drawn at random
// from a seed; English lowercase word tokens, Chinese word-segmented (words separated by spaces).
//
// The splits test compositional generalisation exactly as toy-en-fr's (compositional_splits.hpp):
// held-out adjective-noun and subject-verb combinations, every test word seen in train, a third of
// the test sentences 18-25 tokens long.
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
