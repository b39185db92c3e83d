// Toy sequence-to-sequence tasks, generated from a seed (no downloads): a source sentence and the
// target the model should produce, split into train / valid / test.
//   "toy-en-fr"  English -> French, word level (see toy_en_fr.hpp)
//   "toy-en-zh"  English -> Chinese, word level, Chinese word-segmented (see toy_en_zh.hpp)
//   "dates"      a date in a human format -> its ISO form, character level (see dates.hpp)
//   "copy"       digit string -> the same string, word level (see digit_sequences.hpp)
//   "reverse"    digit string -> the string reversed, word level
// The same seed gives the same splits natively and in wasm (all randomness is attnlab::Rng).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace attnlab {

// One pair: tokens are separated by single spaces in word-level tasks; character-level tasks are
// read one character at a time.
struct Example {
    std::string source, target;
    std::string group = {};  // dates: the source's format (its pattern, e.g. "DD.MM.YYYY"); else empty
};

struct TaskSplits {
    std::vector<Example> train, valid, test;
};

struct TaskSizes {
    std::size_t train = 30000, valid = 1000, test = 1000;  // examples per split
    std::size_t max_words = 25;                   // toy-en-fr: longest English sentence, in tokens (with the '.')
    std::size_t held_out_pairs = 40;              // toy-en-fr: (adjective, noun) and (subject noun, verb) pairs
                                                  // kept out of train/valid, this many of each kind
    std::size_t min_digits = 1, max_digits = 20;  // copy / reverse: length range of the strings
    std::size_t max_train_words = 0;  // > 0: after all three splits are drawn, keep only the training pairs whose
                                      // source has at most this many tokens (characters for a character-level
                                      // task); valid and test stay exactly as drawn (a short-sentence curriculum)
};

// The most examples a split may ask for (the shipped models use 30 000; `attnlab eval` regenerates the
// splits from config.json's sizes, where 10^9 ran forever), and the longest generated sentence.
constexpr std::size_t task_max_examples = 200'000;
constexpr std::size_t task_max_sentence_tokens = 200;  // max_words, max_digits (translate's source limit)

// Error naming the first size over its limit: "train_size 1000000000 is more than the limit of 200000".
void check_task_sizes(const TaskSizes& sizes);

struct Lexicon;

// The names make_task knows: {"toy-en-fr", "toy-en-zh", "dates", "copy", "reverse"}.
std::vector<std::string> task_names();
// One line saying what the task is.
std::string task_description(const std::string& name);
// "word" (tokens separated by spaces) or "char" (one token per character).
std::string task_level(const std::string& name);
// What BLEU counts n-grams of: "characters" for Chinese targets (toy-en-zh; the usual figure for
// Chinese, independent of the word segmentation), "tokens" otherwise.
std::string task_bleu_unit(const std::string& name);

// The number of tokens of a task's sentence as its tokenizer cuts it: words (word_tokenize), or characters
// (code points, char_tokenize) for a character-level task.
std::size_t sentence_tokens(const std::string& task, const std::string& sentence);

// Builds the splits of a task; an unknown name throws Error listing the known ones. toy-en-fr reads
// its lexicon from ATTNLAB_DATA_DIR (see default_lexicon); the second form takes a lexicon the
// caller parsed (e.g. from text handed to the wasm build).
TaskSplits make_task(const std::string& name, std::uint64_t seed, const TaskSizes& sizes = {});
TaskSplits make_task(const std::string& name, std::uint64_t seed, const TaskSizes& sizes, const Lexicon& lexicon);

}  // namespace attnlab
