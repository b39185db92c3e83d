// The raw attention scores that decoding keeps beside the weights: exactly what goes into each softmax
// (additive, general, dot, concat, scaled-dot for the RNNs; q·k/√d_k per layer and head for the
// Transformers), −inf where masked.
#include <algorithm>
#include <cmath>
#include <limits>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/models/transformer.hpp"
#include "test_util.hpp"
#include "toy_sequences.hpp"
#include "transformer_checks.hpp"

using namespace attnlab;
using attnlab::testing::tiny_batch;

namespace {

Seq2SeqConfig rnn(DecoderAttention attention, ScoreKind score, bool bidir) {
    return testing::tiny_seq2seq(RecurrentKind::gru, attention, score, bidir);
}

// The cells a map masks, for hypothesis b of a batch with source lengths `len`: padding columns of
// the source for "cross" and "encoder_self", the future (column > row) for "decoder_self".
bool masked_cell(const std::string& name, std::size_t row, std::size_t col, std::size_t source_length) {
    if (name == "decoder_self") return col > row;
    return col >= source_length;
}

// scores and weights (…, rows, cols) of one map: each row's softmax equals the weights to 1e-6,
// masked cells are −inf and the others finite.
void check_scores_give_weights(const std::string& name, const Tensor& scores, const Tensor& weights,
                               std::size_t source_length) {
    INFO("map " << name);
    REQUIRE(scores.shape() == weights.shape());
    REQUIRE(scores.dimension() >= 2);
    const std::size_t cols = scores.shape(scores.dimension() - 1), rows = scores.shape(scores.dimension() - 2);
    const std::size_t maps = scores.size() / (rows * cols);
    for (std::size_t m = 0; m < maps; ++m)
        for (std::size_t r = 0; r < rows; ++r) {
            const float* s = scores.data() + (m * rows + r) * cols;
            const float* w = weights.data() + (m * rows + r) * cols;
            double top = -INFINITY;
            for (std::size_t j = 0; j < cols; ++j) {
                const bool hidden = masked_cell(name, r, j, source_length);
                CHECK(std::isinf(s[j]) == hidden);
                if (hidden) CHECK(s[j] < 0);
                top = std::max(top, double(s[j]));
            }
            double sum = 0.0;
            for (std::size_t j = 0; j < cols; ++j) sum += std::exp(double(s[j]) - top);
            for (std::size_t j = 0; j < cols; ++j) CHECK(std::abs(std::exp(double(s[j]) - top) / sum - w[j]) < 1e-6);
        }
}

// Greedy on the padded tiny batch (sentences 1 and 2 are padded) and beam 3 on its first sentence: every kept map's
// scores give its weights, with the masks in place.
void check_model(const SequenceModel& m, const std::vector<std::string>& expected_maps) {
    const Batch batch = tiny_batch();
    const auto hyps = greedy_decode(m, batch.source, batch.source_lengths, 6);
    for (std::size_t b = 0; b < hyps.size(); ++b) {
        const Hypothesis& h = hyps[b];
        const std::size_t len = std::size_t(batch.source_lengths(b));
        std::vector<std::string> seen;
        for (const auto& [name, rows] : h.score_rows) {
            seen.push_back(name);
            check_scores_give_weights(name, h.attention_scores(name), h.attention(name), len);
        }
        for (const auto& [name, s] : h.source_scores) {
            seen.push_back(name);
            check_scores_give_weights(name, s, h.source_attention.at(name), len);
        }
        std::sort(seen.begin(), seen.end());
        CHECK(seen == expected_maps);
    }
    const std::size_t n = std::size_t(batch.source_lengths(0));
    const IntTensor one = xt::view(batch.source, xt::range(0, 1), xt::range(0, n));
    const Hypothesis beam = beam_search(m, one, IntTensor{std::int32_t(n)}, {3, 6, 1.0});
    REQUIRE(!beam.score_rows.empty());
    for (const auto& [name, rows] : beam.score_rows)
        check_scores_give_weights(name, beam.attention_scores(name), beam.attention(name), n);
}

}  // namespace

TEST_CASE("every RNN score's raw scores give the attention weights through the softmax, −inf on padding") {
    struct Variant {
        DecoderAttention attention;
        ScoreKind score;
        bool bidirectional;
    };
    for (const Variant& v : std::vector<Variant>{{DecoderAttention::bahdanau, ScoreKind::additive, true},
                                                 {DecoderAttention::luong, ScoreKind::general, true},
                                                 {DecoderAttention::luong, ScoreKind::dot, false},
                                                 {DecoderAttention::luong, ScoreKind::concat, true},
                                                 {DecoderAttention::luong, ScoreKind::scaled_dot, false}}) {
        INFO(name_of(attention_names, v.attention) << " " << name_of(score_names, v.score));
        check_model(Seq2Seq(rnn(v.attention, v.score, v.bidirectional), 3), {"cross"});
    }
}

TEST_CASE("the context-vector model keeps no attention scores") {
    const Batch batch = tiny_batch();
    const auto hyps = greedy_decode(Seq2Seq(rnn(DecoderAttention::none, ScoreKind::dot, true), 3), batch.source,
                                    batch.source_lengths, 4);
    for (const Hypothesis& h : hyps) CHECK(h.score_rows.empty());
}

TEST_CASE(
    "the Transformer's and Aaren's per-layer, per-head scores give their weights, −inf on padding and the future") {
    for (bool pre : {false, true}) {
        INFO("norm_first " << pre);
        const std::vector<std::string> maps{"cross", "decoder_self", "encoder_self"};
        check_model(Transformer(attnlab::testing::tiny(pre), 5), maps);
        check_model(Transformer(attnlab::testing::with_aaren(attnlab::testing::tiny(pre)), 5), maps);
    }
}

TEST_CASE("a Luong general and dot model's score row is sᵀ W h_j and sᵀ h_j, recomputed from the decoder state") {
    for (ScoreKind score : {ScoreKind::general, ScoreKind::dot}) {
        INFO(name_of(score_names, score));
        const Seq2Seq m(rnn(DecoderAttention::luong, score, score == ScoreKind::general), 7);
        const Batch batch = tiny_batch();
        const auto hyps = greedy_decode(m, batch.source, batch.source_lengths, 5);
        // Replays the greedy tokens through encode / decoder_step: s_t is the decoder's top state after
        // step t (Luong attends after the step), h_j the encoder states.
        NoGrad no_grad;
        auto [enc, state] = m.encode(batch.source, batch.source_lengths, {});
        const std::size_t B = batch.source.shape(0), Ts = batch.source.shape(1), L = m.cfg.num_layers;
        const std::size_t He = enc.outputs.shape(2), Hd = m.cfg.hidden_size;
        IntTensor prev = IntTensor::from_shape({B});
        std::fill(prev.begin(), prev.end(), kBos);
        for (std::size_t t = 0; t < 3; ++t) {
            const Seq2Seq::Step step = m.decoder_step(enc, state, prev, {});
            const Tensor s = select(step.state.rnn.h, 0, L - 1).value();  // (B, Hd)
            const Tensor h = enc.outputs.value();                         // (B, Ts, He)
            for (std::size_t b = 0; b < B; ++b) {
                if (hyps[b].score_rows.at("cross").size() <= t) continue;
                const Tensor& row = hyps[b].score_rows.at("cross")[t];  // (Ts)
                REQUIRE(row.size() == Ts);
                for (std::size_t j = 0; j < Ts; ++j) {
                    if (j >= std::size_t(batch.source_lengths(b))) {
                        CHECK(row(j) == -std::numeric_limits<float>::infinity());
                        continue;
                    }
                    double expected = 0.0;  // sᵀ W h_j, or sᵀ h_j
                    for (std::size_t i = 0; i < Hd; ++i) {
                        double wh = 0.0;
                        if (score == ScoreKind::general)
                            for (std::size_t k = 0; k < He; ++k)
                                wh += double(m.score.general.W_weight.value()(i, k)) * h(b, j, k);
                        else
                            wh = h(b, j, i);
                        expected += double(s(b, i)) * wh;
                    }
                    CHECK(row(j) == doctest::Approx(expected).epsilon(1e-5));
                }
                prev(b) = hyps[b].tokens[t];
            }
            state = step.state;
        }
    }
}
