#include "attnlab/decode/translate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/text/utf8.hpp"
#include "attnlab/text/vocab.hpp"
#include "attnlab/text/word_tokenizer.hpp"

namespace attnlab {

namespace {
// Something to translate, and nothing a terminal would act on: whitespace only is empty for word and
// character models alike (a character model reads spaces as tokens), and a control character (NUL,
// U+0001–U+001F and U+007F–U+009F except the whitespace \t \n \v \f \r U+0085) is refused.
// Invalid UTF-8 throws utf8_decode's Error, naming the byte.
void check_sentence_text(const std::string& sentence) {
    const std::vector<char32_t> cps = utf8_decode(sentence);
    bool blank = true;
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const char32_t cp = cps[i];
        if ((cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) && !is_space(cp)) {
            char code[16];
            std::snprintf(code, sizeof code, "U+%04X", unsigned(cp));
            throw Error(std::string("the sentence contains the control character ") + code + " at character " +
                        std::to_string(i + 1));
        }
        blank = blank && is_space(cp);
    }
    if (blank) throw Error("nothing to translate: the sentence is empty");
}

// One padded source batch: ids + <eos>, lengths.
std::pair<IntTensor, IntTensor> source_batch(const std::vector<const std::vector<std::int32_t>*>& rows) {
    std::size_t T = 0;
    for (auto* r : rows) T = std::max(T, r->size() + 1);
    IntTensor src = xt::zeros<std::int32_t>({rows.size(), T}), len = IntTensor::from_shape({rows.size()});
    for (std::size_t b = 0; b < rows.size(); ++b) {
        std::copy(rows[b]->begin(), rows[b]->end(), &src(b, 0));
        src(b, rows[b]->size()) = kEos;
        len(b) = std::int32_t(rows[b]->size() + 1);
    }
    return {src, len};
}
}  // namespace

void check_translate_options(double beam, double max_length) {
    const auto number = [](double v) {
        char text[40];
        std::snprintf(text, sizeof text, "%.17g", v);
        return std::string(text);
    };
    if (!(beam >= 0) || beam != std::floor(beam)) throw Error("beam must be a whole number ≥ 1, got " + number(beam));
    if (beam > double(translate_max_beam))
        throw Error("beam " + number(beam) + " is wider than the limit of " + std::to_string(translate_max_beam));
    if (!(max_length >= 0) || max_length != std::floor(max_length))
        throw Error("max-length must be a whole number ≥ 0, got " + number(max_length));
    if (max_length > double(translate_max_output_tokens))
        throw Error("max-length " + number(max_length) + " is more than the limit of " +
                    std::to_string(translate_max_output_tokens) + " output tokens");
}

Translation translate(const Translator& bundle, const std::string& sentence, const TranslateOptions& options) {
    check_translate_options(double(options.beam), double(options.max_length));
    const InputLimits limits{options.max_chars, options.max_source_tokens};
    const InputLength length = measure_input(bundle.source, sentence, limits);  // invalid UTF-8 throws here
    if (length.too_long) throw Error(input_limit_message(length, limits));
    check_sentence_text(sentence);
    const TextEncoding enc = bundle.source.encode(sentence);
    if (enc.ids.empty()) throw Error("nothing to translate: the sentence is empty");
    Translation t;
    t.source_tokens = enc.tokens;
    t.source_tokens.push_back(kSpecialTokens[kEos]);
    t.source_unknown.assign(t.source_tokens.size(), false);
    for (const UnknownWord& u : enc.unknown) {
        t.source_unknown[u.position] = true;
        t.unknown_words.push_back(u.token);
    }
    auto [src, len] = source_batch({&enc.ids});
    DecodeOptions d{std::max<std::size_t>(1, options.beam),
                    options.max_length ? options.max_length : 2 * enc.ids.size() + 10, options.length_alpha,
                    options.states};
    const Hypothesis h = d.beam == 1 ? greedy_decode(*bundle.model, src, len, d.max_length, d.head_sums)[0]
                                     : beam_search(*bundle.model, src, len, d);
    for (std::int32_t id : h.tokens) t.output_tokens.push_back(bundle.target.vocab().token(id));
    t.text = bundle.target.decode(h.tokens);
    t.log_prob = h.log_prob;
    for (const auto& [name, rows] : h.attention_rows) t.attention[name] = h.attention(name);
    for (const auto& [name, a] : h.source_attention) t.attention[name] = a;
    for (const auto& [name, rows] : h.score_rows) t.scores[name] = h.attention_scores(name);
    for (const auto& [name, s] : h.source_scores) t.scores[name] = s;
    if (options.states) {
        t.states = h.attended_states;
        for (const auto& [name, rows] : h.context_rows) t.context[name] = h.context_vectors(name);
        t.values = h.head_values();
        t.head_context = h.head_context();
    }
    return t;
}

std::vector<std::vector<std::int32_t>> translate_ids_greedy(const SequenceModel& model,
                                                            const std::vector<std::vector<std::int32_t>>& sources,
                                                            std::size_t batch_size) {
    // Sorted by length so batches carry little padding; results go back in the original order.
    std::vector<std::size_t> order(sources.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return sources[a].size() < sources[b].size(); });
    std::vector<std::vector<std::int32_t>> out(sources.size());
    for (std::size_t i = 0; i < order.size(); i += batch_size) {
        std::vector<const std::vector<std::int32_t>*> rows;
        for (std::size_t k = i; k < std::min(order.size(), i + batch_size); ++k) rows.push_back(&sources[order[k]]);
        auto [src, len] = source_batch(rows);
        const auto hyps = greedy_decode(model, src, len, 2 * src.shape(1) + 10);
        for (std::size_t k = 0; k < rows.size(); ++k) {
            auto tokens = hyps[k].tokens;
            if (!tokens.empty() && tokens.back() == kEos) tokens.pop_back();
            out[order[i + k]] = std::move(tokens);
        }
    }
    return out;
}

}  // namespace attnlab
