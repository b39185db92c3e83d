// Corpus BLEU (Papineni et al. 2002): the geometric mean of modified n-gram precisions (n = 1…4),
// clipped by the reference counts and summed over the whole corpus before dividing, times the brevity
// penalty BP = min(1, e^{1 − r/c}). One reference per sentence; no smoothing; reported as 0…100.
#pragma once

#include <string>
#include <vector>

namespace attnlab {

struct BleuScore {
    double bleu;           // 0…100
    double precisions[4];  // modified n-gram precisions, 0…1
    double brevity_penalty;
    std::size_t hypothesis_length, reference_length;
};

using Tokens = std::vector<std::string>;
BleuScore corpus_bleu(const std::vector<Tokens>& hypotheses, const std::vector<Tokens>& references);

// The characters (UTF-8 code points) of a token sequence, spaces dropped: {"花园", "里"} ->
// {"花", "园", "里"}. BLEU on characters is the usual figure for Chinese: it does not depend on how
// the text was cut into words.
Tokens characters(const Tokens& tokens);

}  // namespace attnlab
