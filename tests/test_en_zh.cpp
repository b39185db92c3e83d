// The toy English -> Chinese task: each rule of the grammar against hand-written sentence pairs, the
// parser's errors, the lexicon, the splits (held-out combinations, long test sentences), the
// tokenizer for word-segmented Chinese and BLEU on characters.
#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "attnlab/data/en_zh_grammar.hpp"
#include "attnlab/data/en_zh_lexicon.hpp"
#include "attnlab/data/task.hpp"
#include "attnlab/data/task_codecs.hpp"
#include "attnlab/data/toy_en_zh.hpp"
#include "attnlab/eval/bleu.hpp"
#include "attnlab/text/word_tokenizer.hpp"
#include "test_util.hpp"

using namespace attnlab;

namespace {

using testing::error_of;

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

using Pairs = std::vector<std::pair<const char*, const char*>>;

// Every English sentence translates to the hand-written Chinese.
void check_translations(const Pairs& pairs) {
    for (const auto& pair : pairs) {
        const std::string en = pair.first;
        CAPTURE(en);
        CHECK(translate_en_zh(en) == pair.second);
    }
}

// The default-size task, built once for the tests that inspect it.
const ToyEnZhTask& default_en_zh() {
    static const ToyEnZhTask task = make_toy_en_zh(en_zh::default_lexicon(), 2026, TaskSizes{});
    return task;
}

}  // namespace

TEST_CASE("toy-en-zh: place phrases move before the verb (在 X 里/上/下/附近/后面/前面, 跟 X 一起)") {
    check_translations({
        {"i eat an apple in the garden .", "我 在 花园 里 吃 一 个 苹果 。"},
        {"the cat rests under the table .", "猫 在 桌子 下 休息 。"},
        {"the dog waits in front of the school .", "狗 在 学校 前面 等 。"},
        {"she draws a tree behind the house .", "她 在 房子 后面 画 一 棵 树 。"},
        {"we work with a friend .", "我们 跟 一 个 朋友 一起 工作 。"},
    });
}

TEST_CASE("toy-en-zh: time phrases move after the subject, before place and verb") {
    check_translations({
        {"he ate the cake yesterday .", "他 昨天 吃 了 蛋糕 。"},
        {"i eat an apple in the garden every day .", "我 每天 在 花园 里 吃 一 个 苹果 。"},
        {"they will travel next year .", "他们 明年 会 旅行 。"},
        {"the boys washed the shirts last week .", "男孩 上 个 星期 洗 了 衬衫 。"},
    });
}

TEST_CASE(
    "toy-en-zh: determiners take the noun's measure word (一 只 猫, 两 本 书, 这 辆 汽车), plurals 这些, 'the' is "
    "dropped") {
    check_translations({
        {"a cat laughs .", "一 只 猫 笑 。"},
        {"i have two books .", "我 有 两 本 书 。"},
        {"this car is red .", "这 辆 汽车 很 红 。"},
        {"these cats are red .", "这些 猫 很 红 。"},
        {"three horses eat the flowers .", "三 匹 马 吃 花 。"},
        {"my cat eats your apples .", "我 的 猫 吃 你 的 苹果 。"},
    });
}

TEST_CASE("toy-en-zh: one-character adjectives attach directly, longer ones take 的") {
    check_translations({
        {"i eat a red apple .", "我 吃 一 个 红 苹果 。"},
        {"the beautiful flower is small .", "漂亮 的 花 很 小 。"},
        {"our clever teacher draws a big cow .", "我们 的 聪明 的 老师 画 一 头 大 牛 。"},
    });
}

TEST_CASE("toy-en-zh: relative clauses come before the noun with 的, after the measure word and before the adjective") {
    check_translations({
        {"the cat that eats the eggs laughs .", "吃 鸡蛋 的 猫 笑 。"},
        {"i feed a small cat that eats the eggs .", "我 喂 一 只 吃 鸡蛋 的 小 猫 。"},
        {"the dogs that do not like the cats cry .", "不 喜欢 猫 的 狗 哭 。"},
        {"a bird that is very small laughs .", "一 只 非常 小 的 鸟 笑 。"},
    });
}

TEST_CASE("toy-en-zh: predicative adjectives take 很, 非常 (very), 不, 不 太 (not very)") {
    check_translations({
        {"the cat is small .", "猫 很 小 。"},
        {"the cat is very small .", "猫 非常 小 。"},
        {"the cat is not small .", "猫 不 小 。"},
        {"the cats are not very small .", "猫 不 太 小 。"},
        {"i am happy .", "我 很 快乐 。"},
    });
}

TEST_CASE(
    "toy-en-zh: negation is 不 in the present and future, 没 with 有 and the completed past; the indefinite is "
    "dropped") {
    check_translations({
        {"she does not like the dogs .", "她 不 喜欢 狗 。"},
        {"i do not have a car .", "我 没 有 汽车 。"},
        {"he did not eat an apple .", "他 没 吃 苹果 。"},
        {"you will not buy the bike .", "你 不 会 买 自行车 。"},
        {"he does not eat a red apple .", "他 不 吃 红 苹果 。"},
    });
}

TEST_CASE("toy-en-zh: aspect — 了 completed, 在 progressive (正在 with a place), 会 future, 过 experiential") {
    check_translations({
        {"we ate an apple .", "我们 吃 了 一 个 苹果 。"},
        {"he laughed .", "他 笑 了 。"},
        {"she is washing the shirts .", "她 在 洗 衬衫 。"},
        {"she is washing the shirts in the kitchen .", "她 正在 厨房 里 洗 衬衫 。"},
        {"she is not washing the shirts in the kitchen .", "她 没 在 厨房 里 洗 衬衫 。"},
        {"they are working with a friend now .", "他们 现在 在 跟 一 个 朋友 一起 工作 。"},
        {"you will buy a bike tomorrow .", "你 明天 会 买 一 辆 自行车 。"},
        {"i have eaten a cake before .", "我 以前 吃 过 一 块 蛋糕 。"},
        {"i have never eaten a cake .", "我 从来 没 吃 过 蛋糕 。"},
        {"the teacher has traveled in the park before .", "老师 以前 在 公园 里 旅行 过 。"},
    });
}

TEST_CASE("toy-en-zh: yes/no questions are the statement with 吗 and ？") {
    check_translations({
        {"do you like the cat ?", "你 喜欢 猫 吗 ？"},
        {"did he eat the apple yesterday ?", "他 昨天 吃 了 苹果 吗 ？"},
        {"is the cat small ?", "猫 很 小 吗 ？"},
        {"have you ever eaten a cake ?", "你 吃 过 一 块 蛋糕 吗 ？"},
        {"is she working now ?", "她 现在 在 工作 吗 ？"},
        {"will they travel next year ?", "他们 明年 会 旅行 吗 ？"},
        {"does the cat that eats the eggs laugh ?", "吃 鸡蛋 的 猫 笑 吗 ？"},
    });
}

TEST_CASE("toy-en-zh: clauses are joined by a comma (and), ， 但是 (but), ， 因为 (because)") {
    check_translations({
        {"i laugh and he cries .", "我 笑 ， 他 哭 。"},
        {"i laugh but he cries .", "我 笑 ， 但是 他 哭 。"},
        {"i cry because he laughed .", "我 哭 ， 因为 他 笑 了 。"},
        {"the dog is big but the cats are small and i like the cats .", "狗 很 大 ， 但是 猫 很 小 ， 我 喜欢 猫 。"},
    });
}

TEST_CASE("toy-en-zh: verbs with a particle translate as one verb (look at -> 看, listen to -> 听)") {
    check_translations({
        {"he looks at the tree .", "他 看 树 。"},
        {"the teacher listens to the birds .", "老师 听 鸟 。"},
        {"are you looking at my photo ?", "你 在 看 我 的 照片 吗 ？"},
    });
}

TEST_CASE("toy-en-zh reference translator rejects sentences outside the grammar, naming the word") {
    const std::pair<const char*, const char*> cases[] = {
        {"he eat the apple .", "word 2 ('eat')"},
        {"i will like the cat .", "'like' takes the present tense only"},
        {"he ate the cake tomorrow .", "'tomorrow' does not go with the past"},
        {"my cat that laughs cries .", "no relative clause after a possessive"},
        {"i have eaten a cake .", "expected 'before'"},
        {"a cats laugh .", "does not go with a plural noun"},
        {"two cat laughs .", "does not go with singular"},
        {"is he happy .", "expected '?'"},
        {"he laughs", "expected a conjunction or the final '.'"},
        {"", "empty sentence"},
    };
    for (const auto& c : cases) {
        const std::string en = c.first, msg = c.second;
        CAPTURE(en);
        const std::string e = error_of([&] { translate_en_zh(en); });
        CHECK(e.find("translate_en_zh") != std::string::npos);
        CHECK(e.find(msg) != std::string::npos);
    }
}

TEST_CASE("toy-en-zh lexicon: loads, keeps a modest vocabulary, and rejects bad input") {
    const en_zh::Lexicon& lex = en_zh::default_lexicon();
    CHECK(lex.nouns.size() == 36);
    CHECK(lex.nouns[0].zh == "猫");
    CHECK(lex.nouns[0].measure == "只");
    const std::string text = read_text(std::string(ATTNLAB_DATA_DIR) + "/toy_en_zh/lexicon.json");
    CHECK(en_zh::parse_lexicon(text).verbs.size() == lex.verbs.size());
    CHECK(error_of([] {
              en_zh::load_lexicon("/nonexistent");
          }).find("cannot read /nonexistent/toy_en_zh/lexicon.json: no such file") != std::string::npos);
    std::string no_measure = text;
    no_measure.replace(no_measure.find("\"measure\": \"只\""), std::string("\"measure\"").size(), "\"measures\"");
    CHECK(error_of([&] { en_zh::parse_lexicon(no_measure); }).find("noun #1 needs a string 'measure'") !=
          std::string::npos);
    std::string two_roles = text;
    two_roles.replace(two_roles.find("{\"en\": \"big\""), 0, "{\"en\": \"cat\", \"zh\": \"猫\"},\n");
    CHECK(error_of([&] { en_zh::parse_lexicon(two_roles); }).find("\"cat\" is both a noun and an adjective") !=
          std::string::npos);
    std::string bad_time = text;
    bad_time.replace(bad_time.find("\"tense\": \"past\""), std::string("\"tense\": \"past\"").size(),
                     "\"tense\": \"later\"");
    CHECK(error_of([&] { en_zh::parse_lexicon(bad_time); }).find("tense \"later\"") != std::string::npos);
}

TEST_CASE("toy-en-zh: the source vocabulary is modest (150-250 English words) and targets are Chinese words") {
    const ToyEnZhTask& task = default_en_zh();
    const TaskCodecs codecs = task_codecs("toy-en-zh", task.splits.train);
    CHECK(codecs.source.vocab().size() >= 150);
    CHECK(codecs.source.vocab().size() <= 254);  // + <pad> <bos> <eos> <unk>
    // Targets are read as words: 花园 is one token, not 花 园.
    CHECK(codecs.target.vocab().id("花园") != codecs.target.vocab().id("<unk>"));
    CHECK(codecs.target.vocab().id("园") == codecs.target.vocab().id("<unk>"));
}

TEST_CASE("toy-en-zh: the reference translator reproduces the generator's Chinese on every split") {
    const ToyEnZhTask& task = default_en_zh();
    std::size_t mismatches = 0, questions = 0, because = 0;
    for (const auto* split : {&task.splits.train, &task.splits.valid, &task.splits.test})
        for (const Example& e : *split) {
            if (translate_en_zh(e.source) != e.target && ++mismatches < 5) MESSAGE(e.source);
            questions += e.target.find("吗 ？") != std::string::npos;
            because += e.target.find("， 因为") != std::string::npos;
        }
    CHECK(mismatches == 0);
    CHECK(questions > 3000);  // the generator does use its rules
    CHECK(because > 3000);
}

TEST_CASE("toy-en-zh: held-out combinations appear in every test sentence and never in train/valid") {
    const ToyEnZhTask& task = default_en_zh();
    const en_zh::Lexicon& lex = en_zh::default_lexicon();
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
        const WordCombinations c = en_zh::combinations(lex, en_zh::parse_english(lex, e.source));
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
    for (const auto& n : lex.nouns) plural_of[n.en] = n.en_pl;
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
    CHECK(adjacent_in_test > 100);
}

TEST_CASE("toy-en-zh: every test word occurs in train, and a third of test is 18-25 tokens long") {
    const ToyEnZhTask& task = default_en_zh();
    std::set<std::string> en_words, zh_words;
    for (const Example& e : task.splits.train) {
        for (const auto& w : split_tokens(e.source)) en_words.insert(w);
        for (const auto& w : split_tokens(e.target)) zh_words.insert(w);
    }
    std::size_t unknown = 0, long_ones = 0, longest = 0;
    for (const Example& e : task.splits.test) {
        const auto en = split_tokens(e.source);
        for (const auto& w : en) unknown += en_words.count(w) == 0;
        for (const auto& w : split_tokens(e.target)) unknown += zh_words.count(w) == 0;
        long_ones += en.size() >= 18;
        longest = std::max(longest, en.size());
    }
    CHECK(unknown == 0);
    CHECK(longest == 25);
    CHECK(long_ones >= 333);
    std::size_t train_longest = 0;
    for (const Example& e : task.splits.train) train_longest = std::max(train_longest, split_tokens(e.source).size());
    CHECK(train_longest <= 25);
}

TEST_CASE("word_tokenize keeps a run of Han characters as one word; word_detokenize joins Chinese without spaces") {
    using Tokens = std::vector<std::string>;
    CHECK(word_tokenize("我 在 花园 里 吃 苹果 。") == Tokens{"我", "在", "花园", "里", "吃", "苹果", "。"});
    CHECK(word_tokenize("上 个 星期，他") == Tokens{"上", "个", "星期", "，", "他"});
    CHECK(word_tokenize("猫cat") == Tokens{"猫", "cat"});
    CHECK(word_detokenize({"我", "在", "花园", "里", "吃", "苹果", "。"}) == "我在花园里吃苹果。");
    CHECK(word_detokenize({"你", "喜欢", "猫", "吗", "？"}) == "你喜欢猫吗？");
    CHECK(word_detokenize({"我", "喜欢", "paris", "。"}) == "我喜欢 paris 。");  // only between Chinese tokens
    CHECK(word_detokenize({"le", "chat", "."}) == "le chat.");
}

TEST_CASE(
    "BLEU on characters: splits tokens into characters, so another word segmentation of the same text scores 100") {
    using Tokens = std::vector<std::string>;
    CHECK(characters({"花园", "里", "。"}) == Tokens{"花", "园", "里", "。"});
    CHECK(characters({"上 个"}) == Tokens{"上", "个"});
    const Tokens ref = {"我", "在", "花园", "里", "吃", "苹果", "。"};
    const Tokens hyp = {"我", "在", "花", "园", "里", "吃", "苹果", "。"};  // same characters, other words
    CHECK(corpus_bleu({hyp}, {ref}).bleu < 50.0);
    CHECK(corpus_bleu({characters(hyp)}, {characters(ref)}).bleu == doctest::Approx(100.0));
    CHECK(task_bleu_unit("toy-en-zh") == "characters");
    CHECK(task_bleu_unit("toy-en-fr") == "tokens");
}
