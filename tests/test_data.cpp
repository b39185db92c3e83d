// Toy tasks: determinism, disjoint splits, the held-out combinations of toy-en-fr and its reference
// translator (hand-checked French), dates against a second, naive date parser, copy / reverse.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "attnlab/data/dates.hpp"
#include "attnlab/data/digit_sequences.hpp"
#include "attnlab/data/en_fr_grammar.hpp"
#include "attnlab/data/lexicon.hpp"
#include "attnlab/data/task.hpp"
#include "attnlab/data/task_data.hpp"
#include "attnlab/data/toy_en_fr.hpp"
#include "test_util.hpp"

using namespace attnlab;

namespace {

TaskSizes small_sizes() {
    TaskSizes s;
    s.train = 2000;
    s.valid = 200;
    s.test = 200;
    return s;
}

// The default-size toy-en-fr task, built once for the tests that inspect it.
const ToyEnFrTask& default_en_fr() {
    static const ToyEnFrTask task = make_toy_en_fr(default_lexicon(), 2026, TaskSizes{});
    return task;
}

using testing::error_of;

bool same_examples(const std::vector<Example>& a, const std::vector<Example>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].source != b[i].source || a[i].target != b[i].target) return false;
    return true;
}

std::set<std::string> sources(const std::vector<Example>& v) {
    std::set<std::string> s;
    for (const auto& e : v) s.insert(e.source);
    return s;
}

std::size_t overlap(const std::set<std::string>& a, const std::set<std::string>& b) {
    std::size_t n = 0;
    for (const auto& x : a) n += b.count(x);
    return n;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// ---- a second, naive reading of dates, independent of dates.cpp ----

bool leap(int y) { return y % 400 == 0 || (y % 4 == 0 && y % 100 != 0); }
int month_length(int y, int m) {
    const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : len[m - 1];
}
// Counting days from Monday 1900-01-01.
int weekday_by_counting(int y, int m, int d) {
    long days = 0;
    for (int yy = 1900; yy < y; ++yy) days += leap(yy) ? 366 : 365;
    for (int mm = 1; mm < m; ++mm) days += month_length(y, mm);
    days += d - 1;
    return int(days % 7);  // 0 = Monday
}

const char* const month_names[] = {"january", "february", "march",     "april",   "may",      "june",
                                   "july",    "august",   "september", "october", "november", "december"};
const char* const weekday_names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

struct ReadDate {
    int year = 0, month = 0, day = 0, weekday = -1;
    std::string suffix;  // "th" of "24th"
};

// The convention of dates.hpp, read naively: a month name, else the year first, else slashes month
// first unless the first number is over 12, else day first; 8 digits YYYYMMDD, 6 digits MMDDYY.
ReadDate read_human_date(std::string s) {
    const bool slashes = s.find('/') != std::string::npos;
    std::string spaced;  // "24NOV2026" -> "24 nov 2026", "24th" -> "24 th", separators -> spaces
    for (char c : s) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
        if (c == ',' || c == '/' || c == '.' || c == '-') c = ' ';
        if (!spaced.empty() && c != ' ' && spaced.back() != ' ' &&
            bool(std::isdigit(static_cast<unsigned char>(c))) !=
                bool(std::isdigit(static_cast<unsigned char>(spaced.back()))))
            spaced += ' ';
        spaced += c;
    }
    ReadDate r;
    std::vector<std::string> numbers;
    std::istringstream words(spaced);
    std::string w;
    while (words >> w) {
        bool named = false;
        for (int m = 0; m < 12; ++m)
            if (w == month_names[m] || w == std::string(month_names[m]).substr(0, 3)) r.month = m + 1, named = true;
        for (int k = 0; k < 7; ++k)
            if (w == weekday_names[k] || w == std::string(weekday_names[k]).substr(0, 3)) r.weekday = k, named = true;
        if (named || w == "the" || w == "of") continue;
        if (w == "st" || w == "nd" || w == "rd" || w == "th") {
            r.suffix = w;
            r.day = std::stoi(numbers.back());
            numbers.pop_back();
            continue;
        }
        REQUIRE(std::isdigit(static_cast<unsigned char>(w[0])));
        numbers.push_back(w);
    }
    auto year_of = [](const std::string& n) {
        const int v = std::stoi(n);
        return n.size() == 4 ? v : v < 50 ? 2000 + v : 1900 + v;  // the stated two-digit rule
    };
    if (r.month > 0) {  // a month name: the day, then the year (four digits, or two after the day)
        if (r.day == 0) r.day = std::stoi(numbers[0]), numbers.erase(numbers.begin());
        if (!numbers.empty()) r.year = year_of(numbers[0]);
    } else if (numbers.size() == 1 && numbers[0].size() == 8) {
        const std::string& n = numbers[0];
        r.year = std::stoi(n.substr(0, 4)), r.month = std::stoi(n.substr(4, 2)), r.day = std::stoi(n.substr(6, 2));
    } else if (numbers.size() == 1 && numbers[0].size() == 6) {
        const std::string& n = numbers[0];
        r.month = std::stoi(n.substr(0, 2)), r.day = std::stoi(n.substr(2, 2)), r.year = year_of(n.substr(4, 2));
    } else {
        REQUIRE(numbers.size() == 3);
        if (numbers[0].size() == 4) {
            r.year = std::stoi(numbers[0]), r.month = std::stoi(numbers[1]), r.day = std::stoi(numbers[2]);
        } else if (slashes && std::stoi(numbers[0]) <= 12) {
            r.month = std::stoi(numbers[0]), r.day = std::stoi(numbers[1]), r.year = year_of(numbers[2]);
        } else {
            r.day = std::stoi(numbers[0]), r.month = std::stoi(numbers[1]), r.year = year_of(numbers[2]);
        }
    }
    return r;
}

std::string iso_by_hand(int y, int m, int d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

// FNV-1a over every source and target of the splits.
std::uint64_t fingerprint(const TaskSplits& s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const auto* split : {&s.train, &s.valid, &s.test})
        for (const Example& e : *split)
            for (const std::string* text : {&e.source, &e.target}) {
                for (unsigned char c : *text) h = (h ^ c) * 0x100000001b3ull;
                h = (h ^ 0xFF) * 0x100000001b3ull;
            }
    return h;
}

}  // namespace

TEST_CASE("task registry: names, descriptions, levels, and an error listing the known tasks") {
    CHECK(task_names() == std::vector<std::string>{"toy-en-fr", "toy-en-zh", "dates", "copy", "reverse"});
    for (const auto& name : task_names()) CHECK(!task_description(name).empty());
    CHECK(task_level("dates") == "char");
    CHECK(task_level("toy-en-fr") == "word");
    CHECK(task_level("reverse") == "word");
    const std::string msg = error_of([] { make_task("en-de", 1, small_sizes()); });
    CHECK(msg.find("unknown task \"en-de\"") != std::string::npos);
    CHECK(msg.find("toy-en-fr, toy-en-zh, dates, copy, reverse") != std::string::npos);
    CHECK(error_of([] { task_description("nope"); }).find("known tasks") != std::string::npos);
}

TEST_CASE("every task: the same seed gives identical splits, another seed different ones") {
    for (const auto& name : task_names()) {
        CAPTURE(name);
        const TaskSplits a = make_task(name, 7, small_sizes());
        const TaskSplits b = make_task(name, 7, small_sizes());
        const TaskSplits c = make_task(name, 8, small_sizes());
        CHECK(a.train.size() == 2000);
        CHECK(a.valid.size() == 200);
        CHECK(a.test.size() == 200);
        CHECK(same_examples(a.train, b.train));
        CHECK(same_examples(a.valid, b.valid));
        CHECK(same_examples(a.test, b.test));
        CHECK(!same_examples(a.train, c.train));
        CHECK(!same_examples(a.test, c.test));
        // Different seeds draw mostly different examples, not a reshuffle.
        CHECK(overlap(sources(a.test), sources(c.test)) < 100);
    }
}

TEST_CASE("every task: seed 1 gives the same data on every platform (natively and in wasm)") {
    // Fingerprints recorded from a native build; the wasm build must reproduce them.
    struct Expected {
        const char* name;
        std::uint64_t fingerprint;
        const char* first_train_source;
    };
    const Expected expected[] = {
        {"toy-en-fr", 9116184025470355099ull,
         "these white books are very white when you watch my cold plane but his actress is very expensive ."},
        {"toy-en-zh", 15457798893813323555ull, "three beautiful boys are very green because you are friendly ."},
        {"dates", 8134858837482662766ull, "2005-05-20"},
        {"copy", 8314442397422643349ull, "2 6 7 8 2 9"},
        {"reverse", 5782033367410127085ull, "2 6 7 8 2 9"}};
    for (const auto& e : expected) {
        const std::string name = e.name;
        CAPTURE(name);
        const TaskSplits s = make_task(name, 1, small_sizes());
        CHECK(s.train[0].source == e.first_train_source);
        CHECK(fingerprint(s) == e.fingerprint);
    }
}

TEST_CASE("every task: splits are disjoint and hold no duplicate") {
    for (const auto& name : task_names()) {
        CAPTURE(name);
        const TaskSplits s = make_task(name, 3, small_sizes());
        const auto train = sources(s.train), valid = sources(s.valid), test = sources(s.test);
        CHECK(train.size() == s.train.size());
        CHECK(valid.size() == s.valid.size());
        CHECK(test.size() == s.test.size());
        CHECK(overlap(train, valid) == 0);
        CHECK(overlap(train, test) == 0);
        CHECK(overlap(valid, test) == 0);
    }
}

TEST_CASE("every task: max_train_words keeps exactly the short training pairs and leaves valid and test as drawn") {
    // A length in the middle of each task's range, so that some training pairs go and some stay.
    const std::map<std::string, std::size_t> limit = {
        {"toy-en-fr", 10}, {"toy-en-zh", 10}, {"dates", 12}, {"copy", 10}, {"reverse", 10}};
    for (const auto& name : task_names()) {
        CAPTURE(name);
        const TaskSizes all = small_sizes();
        TaskSizes short_only = all;
        short_only.max_train_words = limit.at(name);
        const TaskSplits full = make_task(name, 3, all), cut = make_task(name, 3, short_only);
        CHECK(same_examples(cut.valid, full.valid));
        CHECK(same_examples(cut.test, full.test));
        std::vector<Example> expected;
        for (const Example& e : full.train)
            if (sentence_tokens(name, e.source) <= limit.at(name)) expected.push_back(e);
        CHECK(same_examples(cut.train, expected));
        CHECK(cut.train.size() > 0);
        CHECK(cut.train.size() < full.train.size());
        for (const Example& e : cut.train) CHECK(sentence_tokens(name, e.source) <= limit.at(name));
        CHECK(overlap(sources(cut.train), sources(cut.test)) == 0);
        CHECK(overlap(sources(cut.train), sources(cut.valid)) == 0);
    }
}

TEST_CASE("sentence_tokens counts words of a word-level task and characters of a character-level one") {
    CHECK(sentence_tokens("toy-en-fr", "the small cat eats .") == 5);
    CHECK(sentence_tokens("reverse", "3 1 4") == 3);
    CHECK(sentence_tokens("dates", "24 nov 2026") == 11);
    CHECK(sentence_tokens("dates", "24 févr") == 7);  // é is one character (two bytes)
}

TEST_CASE("max_train_words: a limit that leaves no training pair, or is over the sentence limit, is a one-line error") {
    TaskSizes s = small_sizes();
    s.max_train_words = 1;
    CHECK(error_of([&] { make_task("toy-en-fr", 3, s); }) ==
          "toy-en-fr: max_train_words 1 leaves none of the 2000 training examples");
    s.max_train_words = task_max_sentence_tokens + 1;
    CHECK(error_of([&] { make_task("copy", 3, s); }) == "max_train_words 201 is more than the limit of 200 tokens");
}

TEST_CASE("config.json's data block carries max_train_words (only when set) and reads back every size") {
    TaskSizes s;
    s.train = 40000;
    s.valid = 200;
    s.test = 1000;
    CHECK_FALSE(task_data_json(5, s).contains("max_train_words"));
    s.max_train_words = 12;
    const nlohmann::json data = task_data_json(5, s);
    CHECK(data["seed"] == 5);
    CHECK(data["max_train_words"] == 12);
    const TaskSizes back = task_sizes_from_json(data, "m/config.json");
    CHECK(back.train == 40000);
    CHECK(back.valid == 200);
    CHECK(back.test == 1000);
    CHECK(back.max_train_words == 12);
    CHECK(error_of([&] {
              task_sizes_from_json({{"max_train_words", 500}}, "m/config.json");
          }) == "m/config.json: data.max_train_words must be a whole number ≤ 200 (tokens), got 500");
}

TEST_CASE("lexicon: loads from ATTNLAB_DATA_DIR and from text, is large enough, and rejects bad input") {
    const Lexicon& lex = default_lexicon();
    const Lexicon from_text = parse_lexicon(read_file(std::string(ATTNLAB_DATA_DIR) + "/toy_en_fr/lexicon.json"));
    CHECK(from_text.nouns.size() == lex.nouns.size());
    CHECK(lex.nouns.size() >= 60);
    CHECK(lex.adjectives.size() >= 30);
    CHECK(lex.verbs.size() >= 40);
    CHECK(english_vocabulary(lex).size() >= 120);
    CHECK(french_vocabulary(lex).size() >= 120);
    // a few entries read as written in the file
    CHECK(lex.nouns[0].en == "cat");
    CHECK(lex.nouns[0].fr_pl == "chats");
    CHECK(lex.adjectives[0].fr[3] == "petites");
    CHECK(lex.adjectives[0].before_noun);
    CHECK(lex.verbs[0].fr[third_plural] == "mangent");

    CHECK(error_of([] {
              load_lexicon("/nonexistent");
          }).find("cannot read /nonexistent/toy_en_fr/lexicon.json: no such file") != std::string::npos);
    CHECK(error_of([] { parse_lexicon("{"); }).find("not valid JSON") != std::string::npos);
    std::string text = read_file(std::string(ATTNLAB_DATA_DIR) + "/toy_en_fr/lexicon.json");
    std::string twice = text;
    twice.replace(
        twice.find("{\"en\": \"cat\""), 0,
        "{\"en\": \"red\", \"en_pl\": \"reds\", \"fr\": \"rouge\", \"fr_pl\": \"rouges\", \"gender\": \"m\"},\n");
    CHECK(error_of([&] { parse_lexicon(twice); }).find("\"red\" is both a noun and an adjective") != std::string::npos);
    std::string no_plural = text;
    no_plural.replace(no_plural.find("\"en_pl\": \"cats\", "), 17, "");
    CHECK(error_of([&] { parse_lexicon(no_plural); }).find("noun #1 needs a string 'en_pl'") != std::string::npos);
}

TEST_CASE("toy-en-fr reference translator gives hand-checked French") {
    const std::pair<const char*, const char*> cases[] = {
        // adjective order: petit before, rouge after
        {"the small cat eats the red apple .", "le petit chat mange la pomme rouge ."},
        // plural agreement of article, adjectives and verb
        {"the small cats eat the red apples .", "les petits chats mangent les pommes rouges ."},
        // vieux/beau before a vowel; un/une
        {"an old man sees a beautiful bird .", "un vieil homme voit un bel oiseau ."},
        // negation splits; un -> de after a negated verb
        {"the cat does not eat a cake .", "le chat ne mange pas de gâteau ."},
        // plural negation, n' before a vowel, feminine plural adjective
        {"the girls do not like the old cars .", "les filles n' aiment pas les vieilles voitures ."},
        // j' and cet before a vowel
        {"i like this tree .", "j' aime cet arbre ."},
        // predicate adjective agreement, très, copula negation
        {"she is very tired but the cars are not expensive .",
         "elle est très fatiguée mais les voitures ne sont pas chères ."},
        // au/aux contractions, parce qu'
        {"my sister talks to the king and the boys go to the market because they like the cheese .",
         "ma sœur parle au roi et les garçons vont au marché parce qu' ils aiment le fromage ."},
        // relative clause, "look at" -> regarder, près des
        {"the dog that sleeps in the garden looks at the birds near the houses .",
         "le chien qui dort dans le jardin regarde les oiseaux près des maisons ."},
        // a long coordinated sentence: adverb moves after the verb, feminine plural before-adjective
        {"the young women write the long letters quickly in the kitchen but the children do not help "
         "the old father and he is very sad .",
         "les jeunes femmes écrivent vite les longues lettres dans la cuisine mais les enfants n' aident pas "
         "le vieux père et il est très triste ."},
        // l' before a vowel, de l' (no contraction), entrer dans
        {"we come from the island and you enter the hotel .", "nous venons de l' île et vous entrez dans l' hôtel ."},
        // un -> de -> d' before a vowel
        {"he does not look for an egg .", "il ne cherche pas d' œuf ."},
        // feminine noun with an invariable plural; predicate agreement
        {"the mice are small .", "les souris sont petites ."},
        // ma -> mon before a vowel; pendant qu' elle
        {"my school is clean while she eats a cake .", "mon école est propre pendant qu' elle mange un gâteau ."},
    };
    for (const auto& c : cases) {
        const std::string en = c.first;
        CAPTURE(en);
        CHECK(translate_en_fr(en) == c.second);
    }
}

TEST_CASE("toy-en-fr reference translator rejects sentences outside the grammar") {
    const std::pair<const char*, const char*> bad[] = {
        {"the cat eat the apple .", "verb form does not agree"},
        {"a old man sleeps .", "determiner 'a' does not go with singular 'old'"},
        {"these cat sleeps .", "determiner 'these' does not go with singular 'cat'"},
        {"the cat sleeps", "expected a conjunction or the final '.'"},
        {"the cat flies .", "expected a verb"},
        {"i am tired .", "needs a third-person subject"},
        {"the cats is red .", "'is' does not agree with its subject"},
        {"he does eat .", "expected 'not'"},
        {"the dog looks the cat .", "expected 'at' after 'looks'"},
        {"the cat sleeps . the dog", "words after the final '.'"},
        {"", "empty sentence"},
        {"sleeps the cat .", "expected a subject"},
        {"she eats .", "expected an object of 'eats'"},  // "eat" takes an object in this grammar
    };
    for (const auto& c : bad) {
        const std::string en = c.first;
        CAPTURE(en);
        const std::string msg = error_of([&] { translate_en_fr(en); });
        CHECK(msg.find(c.second) != std::string::npos);
        CHECK(msg.rfind("translate_en_fr: ", 0) == 0);
    }
}

TEST_CASE("toy-en-fr rejects sizes it cannot honour") {
    TaskSizes sizes = small_sizes();
    sizes.max_words = 12;
    CHECK(error_of([&] { make_task("toy-en-fr", 1, sizes); }).find("max_words must be at least 18") !=
          std::string::npos);
    sizes = small_sizes();
    sizes.held_out_pairs = 0;
    CHECK(error_of([&] { make_task("toy-en-fr", 1, sizes); }).find("held_out_pairs") != std::string::npos);
}

TEST_CASE("toy-en-fr: the reference translator reproduces the generator's French on every split") {
    const ToyEnFrTask& task = default_en_fr();
    const Lexicon& lex = default_lexicon();
    std::size_t mismatches = 0;
    for (const auto* split : {&task.splits.train, &task.splits.valid, &task.splits.test})
        for (const Example& e : *split)
            if (translate_en_fr(lex, e.source) != e.target) {
                if (++mismatches < 5) MESSAGE(e.source);
            }
    CHECK(mismatches == 0);
}

TEST_CASE("toy-en-fr: held-out combinations appear in every test sentence and never in train/valid") {
    const ToyEnFrTask& task = default_en_fr();
    const Lexicon& lex = default_lexicon();
    CHECK(task.splits.train.size() == 30000);
    CHECK(task.splits.valid.size() == 1000);
    CHECK(task.splits.test.size() == 1000);
    CHECK(task.held_out.adjective_noun.size() == 40);
    CHECK(task.held_out.subject_verb.size() == 40);
    const std::set<std::pair<std::string, std::string>> an(task.held_out.adjective_noun.begin(),
                                                           task.held_out.adjective_noun.end());
    const std::set<std::pair<std::string, std::string>> sv(task.held_out.subject_verb.begin(),
                                                           task.held_out.subject_verb.end());
    auto held_out_count = [&](const Example& e) {
        const WordCombinations c = combinations(lex, parse_english(lex, e.source));
        std::size_t n = 0;
        for (const auto& p : c.adjective_noun) n += an.count(p);
        for (const auto& p : c.subject_verb) n += sv.count(p);
        return n;
    };
    std::size_t train_hits = 0, valid_hits = 0, test_misses = 0;
    for (const Example& e : task.splits.train) train_hits += held_out_count(e);
    for (const Example& e : task.splits.valid) valid_hits += held_out_count(e);
    for (const Example& e : task.splits.test) test_misses += held_out_count(e) == 0;
    CHECK(train_hits == 0);
    CHECK(valid_hits == 0);
    CHECK(test_misses == 0);

    // A naive second look at attributive pairs: "red car(s)" never appears as adjacent words in train.
    std::map<std::string, std::string> plural_of;
    for (const Noun& n : lex.nouns) plural_of[n.en] = n.en_pl;
    std::size_t adjacent = 0, adjacent_in_test = 0;
    for (const auto* split : {&task.splits.train, &task.splits.test})
        for (const Example& e : *split) {
            const std::string padded = " " + e.source + " ";
            for (const auto& [adj, noun] : an) {
                const bool hit = padded.find(" " + adj + " " + noun + " ") != std::string::npos ||
                                 padded.find(" " + adj + " " + plural_of[noun] + " ") != std::string::npos;
                (split == &task.splits.train ? adjacent : adjacent_in_test) += hit;
            }
        }
    CHECK(adjacent == 0);
    CHECK(adjacent_in_test > 100);  // the test split does use them

    // Every single word of the held-out pairs still appears in train.
    std::set<std::string> train_words;
    for (const Example& e : task.splits.train)
        for (const auto& w : split_tokens(e.source)) train_words.insert(w);
    for (const auto& [adj, noun] : an) CHECK((train_words.count(adj) && train_words.count(noun)));
}

TEST_CASE("toy-en-fr: every test word occurs in train, and test covers the longest sentences") {
    const ToyEnFrTask& task = default_en_fr();
    std::set<std::string> en_words, fr_words;
    for (const Example& e : task.splits.train) {
        for (const auto& w : split_tokens(e.source)) en_words.insert(w);
        for (const auto& w : split_tokens(e.target)) fr_words.insert(w);
    }
    std::size_t unknown = 0, long_ones = 0, longest = 0;
    for (const Example& e : task.splits.test) {
        const auto en = split_tokens(e.source);
        for (const auto& w : en) unknown += en_words.count(w) == 0;
        for (const auto& w : split_tokens(e.target)) unknown += fr_words.count(w) == 0;
        long_ones += en.size() >= 18;
        longest = std::max(longest, en.size());
    }
    CHECK(unknown == 0);
    CHECK(longest == 25);
    CHECK(long_ones >= 333);
    std::size_t train_longest = 0;
    for (const Example& e : task.splits.train) train_longest = std::max(train_longest, split_tokens(e.source).size());
    CHECK(train_longest <= 25);
    // Train uses the whole vocabulary the grammar can produce, and nothing else.
    const auto en_vocab = english_vocabulary(default_lexicon()), fr_vocab = french_vocabulary(default_lexicon());
    CHECK(std::vector<std::string>(en_words.begin(), en_words.end()) == en_vocab);
    CHECK(std::vector<std::string>(fr_words.begin(), fr_words.end()) == fr_vocab);
}

TEST_CASE("dates: hand-checked formats and weekdays") {
    CHECK(day_of_week({2026, 11, 25}) == 2);  // Wednesday
    CHECK(day_of_week({2000, 2, 29}) == 1);   // Tuesday
    CHECK(day_of_week({1900, 1, 1}) == 0);    // Monday
    CHECK(day_of_week({2099, 12, 31}) == 3);  // Thursday
    CHECK(format_date({2026, 11, 24}, 0) == "24 nov 2026");
    CHECK(format_date({2026, 11, 24}, 1, LetterCase::capitalized) == "November 24, 2026");
    CHECK(format_date({2026, 11, 24}, 2) == "24/11/26");
    CHECK(format_date({2026, 11, 25}, 3) == "wednesday the 25th of november 2026");
    CHECK(format_date({2026, 11, 24}, 4) == "24.11.2026");
    CHECK(format_date({2026, 11, 24}, 5) == "2026/11/24");
    CHECK(format_date({2026, 11, 24}, 6, LetterCase::upper) == "NOV 24 2026");
    CHECK(format_date({2026, 11, 24}, 7, LetterCase::capitalized) == "Tue, 24 Nov 2026");
    CHECK(format_date({2026, 11, 24}, 8) == "24 november 2026");
    CHECK(format_date({2000, 2, 29}, 9, LetterCase::capitalized) == "Tuesday, February 29, 2000");
    CHECK(format_date({2001, 3, 1}, 3, LetterCase::upper) == "THURSDAY THE 1ST OF MARCH 2001");
    CHECK(format_date({1999, 12, 22}, 3) == "wednesday the 22nd of december 1999");
    CHECK(format_date({2013, 1, 13}, 3) == "sunday the 13th of january 2013");
    CHECK(format_date({1950, 1, 15}, 2) == "15/01/50");
    CHECK(format_date({2049, 7, 24}, 2) == "24/07/49");
    CHECK(iso_date({1905, 3, 7}) == "1905-03-07");
    CHECK(error_of([] {
              format_date({1949, 1, 1}, 2);
          }).find("two-digit years cover only 1950-2049") != std::string::npos);
    CHECK(error_of([] { format_date({2023, 2, 29}, 0); }).find("not a date") != std::string::npos);
    CHECK(error_of([] { format_date({2023, 1, 1}, 32); }).find("format 32 out of 0-31") != std::string::npos);
    CHECK(error_of([] {
              format_date({2023, 1, 5}, 28);
          }).find("day-first slash dates have a day over 12") != std::string::npos);
    // the formats of the TensorFlow.js date-conversion-attention example, for 2019-01-20 and 2019-01-05
    const std::pair<const char*, const char*> tfjs[] = {
        {"DDMMMYYYY", "20JAN2019"},     {"MMDDYY", "012019"},         {"MM/DD/YY", "01/20/19"},
        {"MM/DD/YYYY", "01/20/2019"},   {"M/D/YYYY", "1/20/2019"},    {"DD-MM-YYYY", "20-01-2019"},
        {"D-M-YYYY", "20-1-2019"},      {"MMM DD YY", "JAN 20 19"},   {"M/D/YY", "1/20/19"},
        {"MMM DD YYYY", "JAN 20 2019"}, {"MMM DD, YY", "JAN 20, 19"}, {"MMM DD, YYYY", "JAN 20, 2019"},
        {"DD.MM.YYYY", "20.01.2019"},   {"D.M.YYYY", "20.1.2019"},    {"YYYY.MM.DD", "2019.01.20"},
        {"YYYY.M.D", "2019.1.20"},      {"YYYYMMDD", "20190120"},     {"YYYY-M-D", "2019-1-20"},
        {"D MMM YYYY", "20 JAN 2019"},  {"YYYY-MM-DD", "2019-01-20"}};
    std::set<std::string> covered;
    for (const auto& [pattern, text] : tfjs)
        for (std::size_t f = 0; f < date_format_count(); ++f)
            if (date_format_pattern(f) == std::string(pattern)) {
                CHECK(format_date({2019, 1, 20}, f, LetterCase::upper) == text);
                covered.insert(pattern);
            }
    CHECK(covered.size() == 20);
    auto pattern_index = [](const std::string& p) {
        for (std::size_t f = 0; f < date_format_count(); ++f)
            if (date_format_pattern(f) == p) return f;
        return date_format_count();
    };
    CHECK(format_date({2019, 1, 5}, pattern_index("D-M-YYYY")) == "5-1-2019");
    CHECK(format_date({2019, 1, 5}, pattern_index("MMM DD YY")) == "jan 05 19");
    CHECK(format_date({2019, 1, 5}, pattern_index("DD MM YYYY")) == "05 01 2019");
    CHECK(format_date({2019, 1, 22}, pattern_index("MMMM Do, YYYY"), LetterCase::capitalized) == "January 22nd, 2019");
    CHECK(format_date({2019, 1, 23}, pattern_index("Do MMMM YYYY"), LetterCase::upper) == "23RD JANUARY 2019");
}

TEST_CASE(
    "dates: every target is the ISO form of its source, read back by a naive parser following the stated convention") {
    const TaskSplits s = make_task("dates", 11, TaskSizes{});
    std::set<std::size_t> shapes;
    std::size_t wrong = 0, wrong_weekday = 0, wrong_suffix = 0, weekdays = 0;
    std::set<std::string> train_dates;
    for (const Example& e : s.train) train_dates.insert(e.target);
    for (const auto* split : {&s.train, &s.valid, &s.test})
        for (const Example& e : *split) {
            const ReadDate r = read_human_date(e.source);
            wrong += iso_by_hand(r.year, r.month, r.day) != e.target;
            if (r.weekday >= 0) {
                ++weekdays;
                wrong_weekday += r.weekday != weekday_by_counting(r.year, r.month, r.day);
            }
            if (!r.suffix.empty()) {
                const int d = r.day;
                const char* want = (d == 1 || d == 21 || d == 31) ? "st"
                                   : (d == 2 || d == 22)          ? "nd"
                                   : (d == 3 || d == 23)          ? "rd"
                                                                  : "th";
                wrong_suffix += r.suffix != want;
            }
            // letter case: all lower, all upper, or only the names capitalised
            std::string lower = e.source, upper = e.source;
            for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
            for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
            shapes.insert(e.source == lower ? 0 : e.source == upper ? 1 : 2);
        }
    CHECK(wrong == 0);
    CHECK(wrong_weekday == 0);
    CHECK(wrong_suffix == 0);
    CHECK(weekdays > 2500);  // 3 of the 32 formats name the weekday
    CHECK(shapes.size() == 3);
    // held-out dates: no valid or test date occurs in train
    std::size_t seen = 0;
    for (const auto* split : {&s.valid, &s.test})
        for (const Example& e : *split) seen += train_dates.count(e.target);
    CHECK(seen == 0);
}

TEST_CASE("dates: every format is used, and years span 1900-2099") {
    const TaskSplits s = make_task("dates", 5, small_sizes());
    // The shape of a source: digit runs -> "9" ("Y" for four digits), letter runs -> "a" (up to
    // three letters) or "A" (longer). Each of the 10 formats has its own shape.
    std::set<std::string> shapes;
    int lo = 3000, hi = 0;
    for (const Example& e : s.train) {
        std::string k;
        for (std::size_t i = 0; i < e.source.size();) {
            std::size_t j = i;
            const auto kind = [&](std::size_t at) {
                const unsigned char c = static_cast<unsigned char>(e.source[at]);
                return std::isdigit(c) ? 1 : std::isalpha(c) ? 2 : 0;
            };
            while (j < e.source.size() && kind(j) == kind(i) && kind(i) != 0) ++j;
            if (j == i)
                k += e.source[j++];
            else if (kind(i) == 1)
                k += j - i == 4 ? 'Y' : '9';
            else
                k += j - i <= 3 ? 'a' : 'A';
            i = j;
        }
        shapes.insert(k);
        const int y = std::stoi(e.target.substr(0, 4));
        lo = std::min(lo, y), hi = std::max(hi, y);
    }
    for (const char* shape :
         {"9 a Y", "A 9, Y", "9/9/9", "A a 9a a A Y", "9.9.Y", "Y/9/9", "a 9 Y", "a, 9 a Y", "9 A Y", "A, A 9, Y"}) {
        CAPTURE(shape);
        CHECK(shapes.count(shape) == 1);
    }
    CHECK(lo < 1905);
    CHECK(hi > 2094);
    // every format is some example's group, and the group is the format the source is written in
    std::set<std::string> groups;
    for (const Example& e : s.train) groups.insert(e.group);
    CHECK(groups.size() == date_format_count());
    for (const Example& e : s.test) {
        std::size_t f = 0;
        while (date_format_pattern(f) != e.group) ++f;
        const Date d{std::stoi(e.target.substr(0, 4)), std::stoi(e.target.substr(5, 2)),
                     std::stoi(e.target.substr(8, 2))};
        std::string lower = e.source;
        for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
        CHECK(format_date(d, f) == lower);
    }
}

TEST_CASE("dates: ambiguous slash dates follow the convention; day-first slash formats never hold a day of 1-12") {
    // the generator: no day-first slash example could be read month first
    const TaskSplits s = make_task("dates", 3, TaskSizes{});
    std::size_t day_first = 0;
    for (const auto* split : {&s.train, &s.valid, &s.test})
        for (const Example& e : *split)
            if (e.group.rfind("DD/MM/", 0) == 0) {
                ++day_first;
                CHECK(std::stoi(e.target.substr(8, 2)) > 12);
            }
    CHECK(day_first > 500);
    for (int day = 1; day <= 12; ++day) CHECK(!date_format_fits(28, {2026, 3, day}));
    CHECK(date_format_fits(28, {2026, 3, 13}));
}

TEST_CASE("copy and reverse: targets are exact, digits one per token, lengths in range") {
    TaskSizes sizes = small_sizes();
    sizes.min_digits = 3;
    sizes.max_digits = 12;
    for (bool reverse : {false, true}) {
        CAPTURE(reverse);
        const TaskSplits s = make_task(reverse ? "reverse" : "copy", 4, sizes);
        std::set<std::size_t> lengths;
        std::size_t wrong = 0;
        for (const auto* split : {&s.train, &s.valid, &s.test})
            for (const Example& e : *split) {
                auto tokens = split_tokens(e.source);
                for (const auto& t : tokens) wrong += !(t.size() == 1 && t[0] >= '0' && t[0] <= '9');
                if (reverse) std::reverse(tokens.begin(), tokens.end());
                wrong += join_tokens(tokens) != e.target;
                lengths.insert(tokens.size());
            }
        CHECK(wrong == 0);
        CHECK(*lengths.begin() == 3);
        CHECK(*lengths.rbegin() == 12);
        CHECK(lengths.size() == 10);
    }
    const TaskSplits r = make_task("reverse", 1, small_sizes());
    CHECK(r.test[0].target.size() == r.test[0].source.size());
    sizes.min_digits = sizes.max_digits = 2;  // only 100 strings for 2400 examples
    CHECK(error_of([&] { make_task("copy", 1, sizes); }).find("not enough distinct strings") != std::string::npos);
    sizes.min_digits = 0;
    CHECK(error_of([&] { make_task("copy", 1, sizes); }).find("min_digits") != std::string::npos);
}
