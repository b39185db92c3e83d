// The toy English -> French task: sentences of the grammar in en_fr_grammar.hpp, drawn at random
// from a seed, rendered on both sides (word level, lowercase, tokens separated by spaces).
//
// The splits test compositional generalisation (compositional_splits.hpp): held-out adjective-noun
// and subject-verb combinations, every test word seen in train, a third of the test sentences
// 18-25 tokens long.
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
