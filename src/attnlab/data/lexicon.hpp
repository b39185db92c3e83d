// The word list of the toy English -> French task (data/toy_en_fr/lexicon.json): every word with the
// forms the grammar (en_fr_grammar.hpp) needs — French gender, plurals, adjective agreement and
// position, verb endings for each person.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace attnlab {

// The grammatical persons the grammar uses, in this order in every conjugation table:
// je (1s), vous (2p), il/elle/a noun (3s), nous (1p), ils/plural noun (3p).
enum Person { first_singular, second_plural, third_singular, first_plural, third_plural };
const char* person_name(Person p);  // "1s", "2p", "3s", "1p", "3p"

struct Determiner {
    std::string en;                       // singular form: "the", "a", "this"
    std::string en_vowel;                 // singular form before a vowel ("an"); empty: same as en
    std::string en_pl;                    // plural form ("the", "these"); empty: singular only
    std::array<std::string, 3> fr;        // masculine singular, feminine singular, plural
    std::array<std::string, 2> fr_vowel;  // m / f singular before a vowel sound ("l'", "cet", "mon")
    bool indefinite = false;              // "a": becomes "de" after a negated verb
};
struct Pronoun {
    std::string en, fr;
    Person person;
    bool feminine = false;  // for agreement of a predicate adjective ("elle est petite")
};
struct Noun {
    std::string en, en_pl, fr, fr_pl;
    bool feminine = false;
};
struct Adjective {
    std::string en;
    std::array<std::string, 4> fr;  // masculine singular, feminine singular, masculine plural, feminine plural
    std::string fr_vowel;           // masculine singular before a vowel ("bel", "vieil"); may be empty
    bool before_noun = false;       // French position: "le petit chat" vs "la voiture rouge"
};
struct Verb {
    std::string en, en_3s;          // "eat", "eats"
    std::string en_particle;        // "look *at*", "talk *to*"; empty if none
    bool object = false;            // takes an object noun phrase
    std::array<std::string, 5> fr;  // by Person
    std::string fr_prep;            // French preposition before the object ("parle à", "entre dans"); may be empty
};
struct Copula {                         // "be"
    std::array<std::string, 5> en, fr;  // by Person
};
struct WordPair {  // adverbs, prepositions, conjunctions; either side may be several words
    std::string en, fr;
};

struct Lexicon {
    std::vector<Determiner> determiners;
    std::vector<Pronoun> pronouns;
    std::vector<Noun> nouns;
    std::vector<Adjective> adjectives;
    std::vector<Verb> verbs;
    Copula copula;
    std::vector<WordPair> adverbs, prepositions, conjunctions;
};

// Parses and checks the JSON text of a lexicon (a missing field, a bad value, or an English word
// used in two roles throws Error naming it). The wasm build can hand the file's text here.
Lexicon parse_lexicon(const std::string& json_text);

// ATTNLAB_DATA_DIR: "<repo>/data".
std::string default_data_dir();
// Reads <data_dir>/toy_en_fr/lexicon.json.
Lexicon load_lexicon(const std::string& data_dir = default_data_dir());
// load_lexicon() once, kept for the life of the program.
const Lexicon& default_lexicon();

}  // namespace attnlab
