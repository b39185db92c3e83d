#include "attnlab/data/task.hpp"

#include "attnlab/data/dates.hpp"
#include "attnlab/data/digit_sequences.hpp"
#include "attnlab/data/lexicon.hpp"
#include "attnlab/data/toy_en_fr.hpp"
#include "attnlab/data/toy_en_zh.hpp"
#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/char_tokenizer.hpp"
#include "attnlab/text/word_tokenizer.hpp"

namespace attnlab {

namespace {

struct TaskInfo {
    const char* name;
    const char* level;
    const char* description;
};

const TaskInfo kTasks[] = {
    {"toy-en-fr", "word",
     "English -> French sentences of a small grammar (agreement, adjective order, ne...pas, clauses); "
     "test holds unseen word combinations"},
    {"toy-en-zh", "word",
     "English -> Chinese (word-segmented): time and place before the verb, measure words, 的, aspect, "
     "不/没, 吗; test holds unseen word combinations"},
    {"dates", "char",
     "a date as people type it (32 formats: names, ordinals, weekdays, / . - space or nothing; 1900-2099) -> "
     "ISO yyyy-mm-dd; test dates unseen in train"},
    {"copy", "word", "a string of digits -> the same string (ideal attention: the diagonal)"},
    {"reverse", "word", "a string of digits -> the string reversed (ideal attention: the anti-diagonal)"},
};

const TaskInfo& find_task(const std::string& name) {
    for (const TaskInfo& t : kTasks)
        if (name == t.name) return t;
    std::string known;
    for (const TaskInfo& t : kTasks) known += std::string(known.empty() ? "" : ", ") + t.name;
    throw Error("unknown task \"" + name + "\"; known tasks: " + known);
}

// sizes.max_train_words > 0: only the training pairs with a source that short; valid and test untouched.
TaskSplits keep_short_training(const std::string& task, TaskSplits splits, const TaskSizes& sizes) {
    if (sizes.max_train_words == 0) return splits;
    std::vector<Example> kept;
    for (Example& e : splits.train)
        if (sentence_tokens(task, e.source) <= sizes.max_train_words) kept.push_back(std::move(e));
    if (kept.empty())
        throw Error(task + ": max_train_words " + std::to_string(sizes.max_train_words) + " leaves none of the " +
                    std::to_string(splits.train.size()) + " training examples");
    splits.train = std::move(kept);
    return splits;
}

}  // namespace

std::size_t sentence_tokens(const std::string& task, const std::string& sentence) {
    return task_level(task) == "char" ? char_tokenize(sentence).size() : word_tokenize(sentence).size();
}

std::vector<std::string> task_names() {
    std::vector<std::string> names;
    for (const TaskInfo& t : kTasks) names.push_back(t.name);
    return names;
}

std::string task_description(const std::string& name) { return find_task(name).description; }

std::string task_level(const std::string& name) { return find_task(name).level; }

std::string task_bleu_unit(const std::string& name) {
    return std::string(find_task(name).name) == "toy-en-zh" ? "characters" : "tokens";
}

void check_task_sizes(const TaskSizes& sizes) {
    const std::pair<const char*, std::size_t> examples[] = {
        {"train_size", sizes.train}, {"valid_size", sizes.valid}, {"test_size", sizes.test}};
    for (const auto& [name, n] : examples)
        if (n > task_max_examples)
            throw Error(std::string(name) + " " + std::to_string(n) + " is more than the limit of " +
                        std::to_string(task_max_examples) + " examples");
    const std::pair<const char*, std::size_t> lengths[] = {
        {"max_words", sizes.max_words}, {"max_digits", sizes.max_digits}, {"max_train_words", sizes.max_train_words}};
    for (const auto& [name, n] : lengths)
        if (n > task_max_sentence_tokens)
            throw Error(std::string(name) + " " + std::to_string(n) + " is more than the limit of " +
                        std::to_string(task_max_sentence_tokens) + " tokens");
}

TaskSplits make_task(const std::string& name, std::uint64_t seed, const TaskSizes& sizes) {
    find_task(name);
    check_task_sizes(sizes);
    if (name == "toy-en-fr") return make_task(name, seed, sizes, default_lexicon());
    if (name == "toy-en-zh")
        return keep_short_training(name, make_toy_en_zh(en_zh::default_lexicon(), seed, sizes).splits, sizes);
    if (name == "dates") return keep_short_training(name, make_dates(seed, sizes), sizes);
    return keep_short_training(name, make_digit_sequences(name == "reverse", seed, sizes), sizes);
}

TaskSplits make_task(const std::string& name, std::uint64_t seed, const TaskSizes& sizes, const Lexicon& lexicon) {
    find_task(name);
    check_task_sizes(sizes);
    if (name == "toy-en-fr") return keep_short_training(name, make_toy_en_fr(lexicon, seed, sizes).splits, sizes);
    return make_task(name, seed, sizes);
}

}  // namespace attnlab
