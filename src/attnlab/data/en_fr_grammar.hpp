// The grammar of the toy English -> French task. A sentence is built as a structure (which words,
// which number, which clauses); English and French are both rendered from that structure, and a
// parser recovers the structure from English words — so the generator is also a reference
// translator for every sentence of the grammar.
//
//   Sentence   := Clause (Conjunction Clause)* "."
//   Clause     := Subject VerbPhrase              Subject := Pronoun | NounPhrase
//   NounPhrase := Determiner [Adjective] Noun ["that" VerbPhrase]   (relative clause: subjects and
//                 objects of main clauses only; the relative's own nouns take none)
//   VerbPhrase := be ["not"] ["very"] Adjective                      (third-person subjects only)
//               | [does/do "not"] Verb [particle] [Object] [Adverb] [Preposition NounPhrase]
//     (after an object with a relative clause, a main clause takes no adverb or preposition:
//      they would belong to the relative clause)
//
// French output applies what the structure implies: article and adjective agreement in gender and
// number; adjectives after the noun except a few (petit, grand, beau, ...) before it; beau/vieux/
// nouveau -> bel/vieil/nouvel and ce/ma -> cet/mon before a vowel; verb endings by person;
// ne ... pas; "un/une" -> "de" after a negated verb; de/à + le/les -> du/des/au/aux; and elision.
// Elided forms are separate tokens: "l' homme", "j' aime", "n' est", "qu' il", "d' un".
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "attnlab/data/lexicon.hpp"

namespace attnlab {

struct VerbPhrase;

struct NounPhrase {                                // indices into the lexicon's lists
    int determiner = 0, adjective = -1, noun = 0;  // adjective -1: none
    bool plural = false;
    std::vector<VerbPhrase> relative;  // 0 or 1: "the cat *that sleeps*"
};

struct VerbPhrase {
    bool copula = false;  // "is [not] [very] <adjective>"
    bool negated = false;
    bool very = false;               // copula only
    int adjective = -1;              // copula only
    int verb = -1;                   // otherwise
    std::vector<NounPhrase> object;  // 0 or 1
    int adverb = -1;
    int preposition = -1;
    std::vector<NounPhrase> prep_object;  // 1 if preposition >= 0
};

struct Subject {
    int pronoun = -1;  // >= 0: a pronoun; else the noun phrase
    NounPhrase np;
};

struct Clause {
    Subject subject;
    VerbPhrase vp;
};

struct Sentence {
    std::vector<Clause> clauses;    // at least one
    std::vector<int> conjunctions;  // conjunctions[i] joins clauses i and i+1
};

// Tokens of each side, the final "." included.
std::vector<std::string> render_english(const Lexicon& lex, const Sentence& s);
std::vector<std::string> render_french(const Lexicon& lex, const Sentence& s);

// The structure of an English sentence (tokens separated by spaces, lowercase, ending in " .").
// A sentence outside the grammar throws Error naming the word where it fails.
Sentence parse_english(const Lexicon& lex, const std::string& english);

// English sentence -> its French translation (tokens separated by single spaces).
std::string translate_en_fr(const Lexicon& lex, const std::string& english);
std::string translate_en_fr(const std::string& english);  // with default_lexicon()

// The word combinations a sentence contains, as English lemmas:
//   adjective_noun: ("red", "car") for "the red car(s)" and "the car is red";
//   subject_verb:   ("cat", "eat") for a noun subject of a verb, in a main or a relative clause
//                   (verbs with a particle are named with it: "look at").
struct WordCombinations {
    std::vector<std::pair<std::string, std::string>> adjective_noun, subject_verb;
};
WordCombinations combinations(const Lexicon& lex, const Sentence& s);
std::string verb_lemma(const Verb& v);  // "eat", "look at"

// Every token the grammar can produce on each side (lexicon words in all their forms, plus the
// grammar's own words: "does", "not", "that", ... / "ne", "pas", "qui", "du", "l'", ...), sorted.
std::vector<std::string> english_vocabulary(const Lexicon& lex);
std::vector<std::string> french_vocabulary(const Lexicon& lex);

// Joins tokens with single spaces / splits at spaces.
std::string join_tokens(const std::vector<std::string>& tokens);
std::vector<std::string> split_tokens(const std::string& text);

}  // namespace attnlab
