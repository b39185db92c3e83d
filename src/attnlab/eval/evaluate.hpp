// Evaluating a model on a task split (`attnlab eval`, the page): exact match, token accuracy and corpus
// BLEU, also by source length.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/models/sequence_model.hpp"
#include "attnlab/text/text_codec.hpp"

namespace attnlab {

struct EvalBucket {
    std::size_t min_len, max_len;  // source tokens, inclusive
    std::size_t count = 0, exact = 0;
    double bleu = 0.0;
};

struct EvalGroup {
    std::string name;  // an Example's group: the dates task's format, e.g. "DD.MM.YYYY"
    std::size_t count = 0, exact = 0;
};

struct EvalReport {
    std::size_t count = 0, exact = 0;
    std::size_t token_matches = 0, token_total = 0;
    double bleu = 0.0;
    std::string bleu_unit = "tokens";  // "characters" for Chinese targets (task_bleu_unit)
    std::vector<EvalBucket> buckets;
    std::vector<EvalGroup> by_format;  // by Example::group, sorted by name; empty when no example has one
    std::vector<std::string> outputs;  // each example's greedy output, decoded, in the split's order
    double exact_match() const { return count ? double(exact) / double(count) : 0.0; }
    double token_accuracy() const { return token_total ? double(token_matches) / double(token_total) : 0.0; }
    // with_outputs: also "outputs", every example's output (`attnlab eval --outputs`)
    nlohmann::json to_json(bool with_outputs = false) const;
};

// Greedy-decodes every example of `task`; exact match also by format (Example::group); source lengths (in source
// tokens, <eos> not counted) are grouped by length_bucket_width(task) and BLEU counts task_bleu_unit(task).
EvalReport evaluate(const SequenceModel& model, const TextCodec& source, const TextCodec& target,
                    const std::vector<Example>& examples, const std::string& task);
// The bucket width for a task: 10 characters for a character-level task, 5 tokens for a word-level one.
std::size_t length_bucket_width(const std::string& task);

}  // namespace attnlab
