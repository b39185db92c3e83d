#include "attnlab/decode/greedy_steps.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "attnlab/decode/translate.hpp"
#include "attnlab/tensor/recycling_allocator.hpp"
#include "attnlab/text/vocab.hpp"

namespace attnlab {

namespace {
// The decoder's embedding matrix (V_tgt, E): the RNN's decoder.embedding.weight, the Transformer's
// tgt_embedding.weight.
const Tensor* decoder_embedding(const NamedVars& params) {
    for (const auto& [name, var] : params)
        if (name == "decoder.embedding.weight" || name == "tgt_embedding.weight") return &var.value();
    return nullptr;
}
}  // namespace

GreedySteps greedy_steps(const Translator& bundle, const std::string& sentence, std::size_t top_k,
                         std::size_t max_length) {
    const InputLength length = measure_input(bundle.source, sentence);  // translate()'s limits and message
    if (length.too_long) throw Error(input_limit_message(length));
    const TextEncoding enc = bundle.source.encode(sentence);
    if (enc.ids.empty()) throw Error("nothing to translate: the sentence is empty");
    GreedySteps out;
    out.source_tokens = enc.tokens;
    out.source_tokens.push_back(kSpecialTokens[kEos]);
    IntTensor src = IntTensor::from_shape({1, enc.ids.size() + 1}), len = IntTensor::from_shape({1});
    std::copy(enc.ids.begin(), enc.ids.end(), &src(0, 0));
    src(0, enc.ids.size()) = kEos;
    len(0) = std::int32_t(enc.ids.size() + 1);

    const NamedVars params = bundle.model->parameters();
    const Tensor* embedding = decoder_embedding(params);
    const Vocab& vocab = bundle.target.vocab();
    const RecyclingScope recycle;  // each step reuses the tensor blocks of the step before
    auto session = bundle.model->start(src, len);
    std::int32_t last = kBos;
    const std::size_t limit = max_length ? max_length : 2 * enc.ids.size() + 10;
    for (std::size_t t = 0; t < limit; ++t) {
        GreedyStep step;
        step.input_token = vocab.token(last);
        if (embedding) {
            const std::size_t E = embedding->shape(1);
            step.input_embedding.assign(embedding->data() + std::size_t(last) * E,
                                        embedding->data() + (std::size_t(last) + 1) * E);
        }
        const Tensor logp = session->step({last});
        for (const auto& [name, a] : session->last_attention()) {  // (1, ...) -> its one row
            step.attention[name].assign(a.data(), a.data() + a.size());
            step.attention_shape[name].assign(a.shape().begin() + 1, a.shape().end());
        }
        for (const auto& [name, e] : session->last_scores()) step.scores[name].assign(e.data(), e.data() + e.size());
        const std::size_t V = logp.shape(1);
        std::vector<std::int32_t> ids(V);
        std::iota(ids.begin(), ids.end(), 0);
        const std::size_t k = std::min(top_k == 0 ? std::size_t(1) : top_k, V);
        // ties: the lower id first, as std::max_element picks it in greedy_decode
        std::partial_sort(ids.begin(), ids.begin() + k, ids.end(), [&](std::int32_t a, std::int32_t b) {
            return logp.data()[a] > logp.data()[b] || (logp.data()[a] == logp.data()[b] && a < b);
        });
        for (std::size_t i = 0; i < k; ++i)
            step.top.push_back({vocab.token(ids[i]), std::exp(double(logp.data()[ids[i]]))});
        step.output_token = step.top[0].token;
        out.steps.push_back(step);
        last = ids[0];
        if (last == kEos) break;
    }
    return out;
}

}  // namespace attnlab
