#include "attnlab/eval/evaluate.hpp"

#include <algorithm>
#include <map>

#include "attnlab/decode/translate.hpp"
#include "attnlab/eval/bleu.hpp"

namespace attnlab {

nlohmann::json EvalReport::to_json(bool with_outputs) const {
    nlohmann::json b = nlohmann::json::array();
    for (const auto& k : buckets)
        b.push_back({{"min_len", k.min_len},
                     {"max_len", k.max_len},
                     {"count", k.count},
                     {"exact_match", k.count ? double(k.exact) / double(k.count) : 0.0},
                     {"bleu", k.bleu}});
    nlohmann::json j{{"count", count}, {"exact_match", exact_match()}, {"token_accuracy", token_accuracy()},
                     {"bleu", bleu},   {"bleu_unit", bleu_unit},       {"buckets", b}};
    if (!by_format.empty()) {
        nlohmann::json f = nlohmann::json::array();
        for (const auto& g : by_format)
            f.push_back({{"format", g.name}, {"count", g.count}, {"exact_match", double(g.exact) / double(g.count)}});
        j["by_format"] = f;
    }
    if (with_outputs) j["outputs"] = outputs;
    return j;
}

std::size_t length_bucket_width(const std::string& task) { return task_level(task) == "char" ? 10 : 5; }

EvalReport evaluate(const SequenceModel& model, const TextCodec& source, const TextCodec& target,
                    const std::vector<Example>& examples, const std::string& task) {
    const std::size_t bucket_width = length_bucket_width(task);
    std::vector<std::vector<std::int32_t>> sources;
    std::vector<Tokens> refs, hyps, bleu_refs;
    std::vector<std::size_t> lengths;
    for (const Example& e : examples) {
        const TextEncoding enc = source.encode(e.source);
        sources.push_back(enc.ids);
        lengths.push_back(enc.ids.size());
        refs.push_back(target.tokenize(e.target));
    }
    const auto outputs = translate_ids_greedy(model, sources);
    EvalReport r;
    r.count = examples.size();
    r.bleu_unit = task_bleu_unit(task);
    auto bleu_units = [&](const Tokens& t) { return r.bleu_unit == "characters" ? characters(t) : t; };
    std::size_t max_len = 0;
    for (auto n : lengths) max_len = std::max(max_len, n);
    for (std::size_t lo = 1; lo <= max_len; lo += bucket_width) r.buckets.push_back({lo, lo + bucket_width - 1});
    std::vector<std::vector<Tokens>> bucket_hyps(r.buckets.size()), bucket_refs(r.buckets.size());
    std::map<std::string, EvalGroup> groups;
    for (std::size_t i = 0; i < examples.size(); ++i) {
        Tokens hyp;
        for (auto id : outputs[i]) hyp.push_back(target.vocab().token(id));
        r.outputs.push_back(target.decode(outputs[i]));
        const Tokens& ref = refs[i];
        const bool exact = hyp == ref;
        r.exact += exact;
        for (std::size_t k = 0; k < std::min(hyp.size(), ref.size()); ++k) r.token_matches += hyp[k] == ref[k];
        r.token_total += std::max(hyp.size(), ref.size());
        const std::size_t b = (std::max<std::size_t>(1, lengths[i]) - 1) / bucket_width;
        r.buckets[b].count++;
        r.buckets[b].exact += exact;
        if (!examples[i].group.empty()) {
            EvalGroup& g = groups[examples[i].group];
            g.name = examples[i].group;
            g.count++;
            g.exact += exact;
        }
        bucket_hyps[b].push_back(bleu_units(hyp));
        bucket_refs[b].push_back(bleu_units(ref));
        hyps.push_back(bucket_hyps[b].back());
        bleu_refs.push_back(bucket_refs[b].back());
    }
    r.bleu = corpus_bleu(hyps, bleu_refs).bleu;
    for (std::size_t b = 0; b < r.buckets.size(); ++b)
        if (r.buckets[b].count) r.buckets[b].bleu = corpus_bleu(bucket_hyps[b], bucket_refs[b]).bleu;
    for (const auto& [name, g] : groups) r.by_format.push_back(g);
    r.buckets.erase(
        std::remove_if(r.buckets.begin(), r.buckets.end(), [](const EvalBucket& k) { return k.count == 0; }),
        r.buckets.end());
    return r;
}

}  // namespace attnlab
