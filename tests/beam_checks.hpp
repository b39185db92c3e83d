// "A wider beam never finds a less likely translation", on any SequenceModel. An untrained model
// rarely emits <eos>, so greedy decoding would never finish and the property would never be checked:
// the model is wrapped so that its <eos> gets a bonus growing with the step (log-probabilities
// renormalised), raised until greedy finishes after at least two tokens. The check REQUIREs that it did.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <memory>

#include <nlohmann/json.hpp>

#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab::testing {

// model with log p(<eos>) raised by bonus · t at step t (1, 2, …) before renormalising.
class EosBonus final : public SequenceModel {
public:
    EosBonus(const SequenceModel& model, float bonus) : model_(model), bonus_(bonus) {}
    NamedVars parameters() const override { return model_.parameters(); }
    std::size_t target_vocab_size() const override { return model_.target_vocab_size(); }
    Var forward(const Batch& batch, const ForwardOptions& options) const override {
        return model_.forward(batch, options);
    }
    nlohmann::json config() const override { return model_.config(); }
    std::unique_ptr<DecoderSession> start(const IntTensor& source, const IntTensor& lengths) const override {
        return std::make_unique<Session>(model_.start(source, lengths), bonus_);
    }

private:
    class Session final : public DecoderSession {
    public:
        Session(std::unique_ptr<DecoderSession> inner, float bonus) : inner_(std::move(inner)), bonus_(bonus) {}
        Tensor step(const std::vector<std::int32_t>& last) override {
            Tensor logp = inner_->step(last);
            ++steps_;
            for (std::size_t k = 0; k < logp.shape(0); ++k) logp(k, kEos) += bonus_ * float(steps_);
            return log_softmax(logp);
        }
        void reorder(const std::vector<std::size_t>& parents) override { inner_->reorder(parents); }
        const StepAttention& last_attention() const override { return inner_->last_attention(); }
        const StepAttention& last_scores() const override { return inner_->last_scores(); }
        StepAttention source_attention() const override { return inner_->source_attention(); }
        StepAttention source_scores() const override { return inner_->source_scores(); }

    private:
        std::unique_ptr<DecoderSession> inner_;
        float bonus_;
        std::size_t steps_ = 0;
    };
    const SequenceModel& model_;
    float bonus_;
};

// For each source, the smallest bonus (0, 0.1, 0.2, …) at which greedy finishes with ≥ 2 tokens:
// beam 4 (ranking by log p, α = 0, up to 40 tokens) must finish too, with log p ≥ greedy's. On at least one source it
// must find a strictly more likely translation (else a "beam" that is greedy would pass).
inline void check_wider_beam_never_less_likely(const SequenceModel& model) {
    std::size_t checked = 0, better = 0;
    for (const IntTensor& src :
         {IntTensor{{4, 5, 6, 2}}, IntTensor{{7, 8, 2}}, IntTensor{{5, 2}}, IntTensor{{6, 4, 7, 5, 2}}}) {
        const IntTensor len = {std::int32_t(src.shape(1))};
        for (int tenths = 0; tenths <= 80; ++tenths) {
            const float bonus = 0.1f * float(tenths);
            const EosBonus m(model, bonus);
            const Hypothesis g = greedy_decode(m, src, len, 12)[0];
            if (!g.finished() || g.tokens.size() < 2) continue;
            INFO("source of " << src.shape(1) << " tokens, <eos> bonus " << bonus);
            // room to finish: the bonus grows with the step, so by step 40 <eos> all but certainly wins
            const Hypothesis b4 = beam_search(m, src, len, {4, 40, 0.0});
            INFO("greedy " << g.tokens.size() << " tokens, log p " << g.log_prob << "; beam " << b4.tokens.size()
                           << " tokens, log p " << b4.log_prob);
            REQUIRE(b4.finished());
            CHECK(b4.log_prob >= g.log_prob - 1e-5);
            better += b4.log_prob > g.log_prob + 1e-4;
            ++checked;
            break;
        }
    }
    REQUIRE(checked == 4);  // greedy finished on every source: the property was checked four times
    CHECK(better >= 1);
}

}  // namespace attnlab::testing
