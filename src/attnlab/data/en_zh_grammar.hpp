// The grammar of the toy English -> Chinese task. As for toy-en-fr (en_fr_grammar.hpp), a sentence
// is a structure; English and Chinese are both rendered from it, and a parser recovers it from the
// English words, so the generator is also a reference translator.
//
//   Sentence   := Clause (Conjunction Clause)* "."  |  Question "?"
//   Clause     := Subject VerbPhrase                    Subject := Pronoun | NounPhrase
//   NounPhrase := Determiner [Adjective] Noun ["that" RelativeVP]  (relatives: subjects and objects of
//                 main clauses, not after a possessive; a relative is in the present, with no
//                 prepositional or time phrase)
//   VerbPhrase := be ["not"] ["very"] Adjective                             (present)
//               | Verb-in-a-tense [particle] [Object] [Preposition NounPhrase] [Time]
//   tenses: present (eats / does not eat), past (ate / did not eat), progressive (is eating / is not
//   eating), future (will eat / will not eat), experiential (has eaten ... before / has never eaten);
//   stative verbs (have, like) take the present only. A time phrase matches its tense ("yesterday":
//   past); "before" belongs to the experiential. After an object with a relative clause nothing
//   follows (it would belong to the relative).
//   Question   := yes/no question of one clause, not negated: "does he eat an apple ?",
//                 "did ...", "is he eating ...", "will ...", "have you ever eaten ...", "is the cat small ?"
//
// Chinese, and the choices made (word-segmented: tokens separated by spaces):
//  - Order: Subject [Time] [negation/aspect/modal] [Prep phrase] Verb [了/过] [Object] [吗]:
//    time and place come before the verb (I eat an apple in the garden -> 我 在 花园 里 吃 一 个 苹果).
//    Prepositions are 在 X 里/上/下/附近/后面/前面 and 跟 X 一起 ("with").
//  - Noun phrase: [determiner + measure word] [relative 的] [adjective] noun: 一 只 猫, 两 本 书,
//    这 辆 汽车, 这些 猫 (plural 这些 takes no measure word), 我 的 猫; "the" is not rendered (猫).
//    A one-character adjective attaches directly (红 苹果, 小 猫), a longer one takes 的 (漂亮 的 花);
//    a relative clause ends in 的 and comes before the adjective (一 只 吃 苹果 的 小 猫).
//  - After a negated verb the indefinite "a" is dropped: 我 没 有 猫, 他 不 吃 苹果.
//  - Predicative adjectives: 很 A (猫 很 小), very -> 非常, not -> 不 A, not very -> 不 太 A.
//  - Aspect: present V / 不 V (有: 没 有); past V 了 / 没 V (了 right after the verb); progressive
//    在 V / 没 在 V, and with a 在-place phrase the two merge: 正在 花园 里 吃 / 没 在 花园 里 吃;
//    future 会 V / 不 会 V; experiential 以前 V 过 / 从来 没 V 过, question V 过 ... 吗 ("ever").
//  - Questions: the statement + 吗 + ？ (你 吃 了 苹果 吗 ？).
//  - Clauses: "and" between clauses is a comma in Chinese (和 joins nouns, not clauses); "but" ->
//    ， 但是; "because" -> ， 因为, with the reason after the main clause as in English — idiomatic in
//    spoken Chinese, where textbooks would front it (因为 B ， 所以 A); the grammar keeps clause order.
//  - Punctuation: 。 ？ ， (full width).
// Known simplifications: a possessive before a two-character adjective gives two 的 (我 的 漂亮 的
// 猫; grammatical, though a writer would drop one); an indefinite subject stays as it is (一 只 猫
// 笑 。) where Chinese prefers 有 一 只 猫 在 笑; objects after 了 may be bare nouns (吃 了 蛋糕).
// Word choices are random, so most sentences are grammatical nonsense (我 很 红), as in toy-en-fr.
#pragma once

#include <string>
#include <vector>

#include "attnlab/data/en_fr_grammar.hpp"  // WordCombinations, join_tokens, split_tokens
#include "attnlab/data/en_zh_lexicon.hpp"

namespace attnlab {
namespace en_zh {

struct VerbPhrase;

struct NounPhrase {                                // indices into the lexicon's lists
    int determiner = 0, adjective = -1, noun = 0;  // adjective -1: none
    bool plural = false;
    std::vector<VerbPhrase> relative;  // 0 or 1: "the cat *that eats apples*"
};

struct VerbPhrase {
    Tense tense = Tense::present;
    bool negated = false;
    bool copula = false;  // "is [not] [very] <adjective>" (present)
    bool very = false;
    int adjective = -1;              // copula only
    int verb = -1;                   // otherwise
    std::vector<NounPhrase> object;  // 0 or 1
    int preposition = -1;
    std::vector<NounPhrase> prep_object;  // 1 if preposition >= 0
    int time = -1;                        // a time phrase of the verb's tense
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
    std::vector<Clause> clauses;    // at least one; a question has exactly one
    std::vector<int> conjunctions;  // conjunctions[i] joins clauses i and i+1
    bool question = false;
};

// Tokens of each side, the final "." / "?" (。 / ？) included.
std::vector<std::string> render_english(const Lexicon& lex, const Sentence& s);
std::vector<std::string> render_chinese(const Lexicon& lex, const Sentence& s);

// The structure of an English sentence (tokens separated by spaces, lowercase, ending in " ." or
// " ?"). A sentence outside the grammar throws Error naming the word where it fails.
Sentence parse_english(const Lexicon& lex, const std::string& english);

// The word combinations a sentence holds, as English lemmas (as for toy-en-fr).
WordCombinations combinations(const Lexicon& lex, const Sentence& s);

}  // namespace en_zh

// English sentence -> its Chinese translation (words separated by single spaces).
std::string translate_en_zh(const en_zh::Lexicon& lex, const std::string& english);
std::string translate_en_zh(const std::string& english);  // with en_zh::default_lexicon()

}  // namespace attnlab
