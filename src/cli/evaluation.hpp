// `attnlab eval`: exact match, token accuracy and corpus BLEU on a task split, also by source length.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/io/bundle.hpp"

namespace attnlab {

struct EvalBucket {
    std::size_t min_len, max_len;  // source tokens, inclusive
    std::size_t count = 0, exact = 0;
    double bleu = 0.0;
};

struct EvalReport {
    std::size_t count = 0, exact = 0;
    std::size_t token_matches = 0, token_total = 0;
    double bleu = 0.0;
    std::string bleu_unit = "tokens";  // "characters" for Chinese targets (task_bleu_unit)
    std::vector<EvalBucket> buckets;
    double exact_match() const { return count ? double(exact) / double(count) : 0.0; }
    double token_accuracy() const { return token_total ? double(token_matches) / double(token_total) : 0.0; }
    nlohmann::json to_json() const;
};

// Greedy-decodes every example; bucket_width groups source lengths (in source tokens, <eos> not counted).
EvalReport evaluate(const Bundle& bundle, const std::vector<Example>& examples, std::size_t bucket_width);

}  // namespace attnlab
