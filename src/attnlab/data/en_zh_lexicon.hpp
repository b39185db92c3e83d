// The word list of the toy English -> Chinese task (data/toy_en_zh/lexicon.json): every English word
// with the forms the grammar (en_zh_grammar.hpp) needs, and its Chinese word(s) — measure words for
// nouns, templates for determiners, prepositions and time phrases. Chinese is word-segmented: words
// are separated by single spaces ("鸭子", "上 个 星期").
#pragma once

#include <string>
#include <vector>

#include "attnlab/data/lexicon.hpp"  // Person

namespace attnlab {
namespace en_zh {

struct Determiner {
    std::string en;           // singular form ("the", "a", "this"); empty: plural only ("two")
    std::string en_vowel;     // singular form before a vowel ("an"); empty: same as en
    std::string en_pl;        // plural form ("the", "these", "two"); empty: singular only ("a")
    std::string zh, zh_pl;    // Chinese before the noun; "{m}" is the noun's measure word: "一 {m}", "这些", ""
    bool indefinite = false;  // "a": dropped after a negated verb (没 吃 苹果, not 没 吃 一 个 苹果)
    bool possessive = false;  // "my": the noun phrase takes no relative clause in this grammar
};
struct Pronoun {
    std::string en, zh;
    Person person;
};
struct Noun {
    std::string en, en_pl, zh, measure;  // measure word: 只, 本, 辆, 个, ...
};
struct Adjective {
    std::string en, zh;  // one Chinese character: attaches directly (红 苹果); longer: with 的 (漂亮 的 花)
};
struct Verb {
    std::string en, en_3s, en_past, en_pp, en_ing;  // past forms empty for stative verbs
    std::string en_particle;                        // "look *at*"; empty if none
    bool object = false;
    bool stative = false;  // "have", "like": present tense only
    std::string zh;
    std::string zh_not = "不";  // the negation of the present: 不 (不 喜欢), 没 for 有 (没 有)
};
enum class Tense { present, past, progressive, future, experiential };
const char* tense_name(Tense t);  // "present", "past", "progressive", "future", "experiential"
struct TimePhrase {
    std::string en, zh;  // "last week" -> "上 个 星期"
    Tense tense;         // the tense it goes with
};
struct WordPair {  // prepositions ("在 {} 里": {} is the noun phrase) and conjunctions
    std::string en, zh;
};

struct Lexicon {
    std::vector<Determiner> determiners;
    std::vector<Pronoun> pronouns;
    std::vector<Noun> nouns;
    std::vector<Adjective> adjectives;
    std::vector<Verb> verbs;
    std::vector<WordPair> prepositions;
    std::vector<TimePhrase> times;
    std::vector<WordPair> conjunctions;
};

// Parses and checks the JSON text of a lexicon (a missing field, a bad value, or an English word in
// two roles throws Error naming it).
Lexicon parse_lexicon(const std::string& json_text);
// Reads <data_dir>/toy_en_zh/lexicon.json.
Lexicon load_lexicon(const std::string& data_dir = default_data_dir());
// load_lexicon() once, kept for the life of the program.
const Lexicon& default_lexicon();

}  // namespace en_zh
}  // namespace attnlab
