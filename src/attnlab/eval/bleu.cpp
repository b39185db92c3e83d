#include "attnlab/eval/bleu.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/utf8.hpp"

namespace attnlab {

namespace {
std::map<Tokens, std::size_t> ngram_counts(const Tokens& s, std::size_t n) {
    std::map<Tokens, std::size_t> counts;
    for (std::size_t i = 0; i + n <= s.size(); ++i)
        ++counts[Tokens(s.begin() + std::ptrdiff_t(i), s.begin() + std::ptrdiff_t(i + n))];
    return counts;
}
}  // namespace

BleuScore corpus_bleu(const std::vector<Tokens>& hyps, const std::vector<Tokens>& refs) {
    if (hyps.size() != refs.size())
        throw Error("bleu: " + std::to_string(hyps.size()) + " hypotheses for " + std::to_string(refs.size()) +
                    " references");
    BleuScore s{};
    std::size_t matched[4] = {}, total[4] = {};
    for (std::size_t k = 0; k < hyps.size(); ++k) {
        s.hypothesis_length += hyps[k].size();
        s.reference_length += refs[k].size();
        for (std::size_t n = 1; n <= 4; ++n) {
            const auto h = ngram_counts(hyps[k], n), r = ngram_counts(refs[k], n);
            for (const auto& [gram, count] : h) {
                auto it = r.find(gram);
                matched[n - 1] += std::min(count, it == r.end() ? std::size_t(0) : it->second);
                total[n - 1] += count;
            }
        }
    }
    double log_sum = 0.0;
    bool zero = false;
    for (std::size_t n = 0; n < 4; ++n) {
        s.precisions[n] = total[n] ? double(matched[n]) / double(total[n]) : 0.0;
        if (matched[n] == 0)
            zero = true;
        else
            log_sum += std::log(s.precisions[n]) / 4.0;
    }
    const double c = double(s.hypothesis_length), r = double(s.reference_length);
    s.brevity_penalty = c == 0 ? 0.0 : (c >= r ? 1.0 : std::exp(1.0 - r / c));
    s.bleu = zero ? 0.0 : 100.0 * s.brevity_penalty * std::exp(log_sum);
    return s;
}

Tokens characters(const Tokens& tokens) {
    Tokens out;
    for (const std::string& t : tokens)
        for (char32_t cp : utf8_decode(t))
            if (cp != U' ') out.push_back(utf8_encode(cp));
    return out;
}

}  // namespace attnlab
