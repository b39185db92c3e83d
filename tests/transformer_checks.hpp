// What the Transformer's and the Aaren model's tests share: a tiny config, and checks that hold for
// both — stepwise decoding equals the teacher-forced pass, beam 1 equals greedy, a small one learns
// to reverse digit strings.
#pragma once

#include <doctest/doctest.h>

#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/tensor/softmax.hpp"
#include "attnlab/train/batching.hpp"
#include "beam_checks.hpp"
#include "test_util.hpp"
#include "toy_sequences.hpp"

namespace attnlab::testing {

// 2+2 layers, 2 heads, d 6: small enough for finite differences.
inline TransformerConfig tiny(bool norm_first, bool tie = false) {
    TransformerConfig c;
    c.source_vocab_size = 9;
    c.target_vocab_size = 8;
    c.d_model = 6;
    c.num_heads = 2;
    c.num_encoder_layers = 2;
    c.num_decoder_layers = 2;
    c.dim_feedforward = 7;
    c.dropout = 0.0f;
    c.norm_first = norm_first;
    c.tie_embeddings = tie;
    c.max_length = 16;
    return c;
}

// The same config with Aaren as each decoder layer's self-attention (architecture "aaren").
inline TransformerConfig with_aaren(TransformerConfig c) {
    c.self_attention = DecoderSelfAttention::aaren;
    return c;
}

// full: the teacher-forced decode of batch.target_in; session: started on batch.source. Each step's
// log-probabilities equal log_softmax of full's logits, and its decoder_self (B, L, h, t+1) and cross
// (B, L, h, Ts) maps equal row t of full's per-layer maps. `bare`, if given, is a session that keeps
// no maps: it must give the same numbers and no attention.
inline void check_steps_match_teacher_forced(const Transformer::Decoded& full, DecoderSession& session,
                                             const Batch& batch, DecoderSession* bare = nullptr) {
    const Tensor logits = full.logits.value();
    const std::size_t B = batch.source.shape(0), Ts = batch.source.shape(1), L = full.self_weights.size();
    for (std::size_t t = 0; t < batch.target_in.shape(1); ++t) {
        CAPTURE(t);
        std::vector<std::int32_t> prev;
        for (std::size_t b = 0; b < B; ++b) prev.push_back(batch.target_in(b, t));
        const Tensor logp = session.step(prev);
        if (bare) {
            CHECK(bare->step(prev) == logp);
            CHECK(bare->last_attention().empty());
        }
        const Tensor& self = session.last_attention().at("decoder_self");
        const Tensor& cross = session.last_attention().at("cross");
        REQUIRE(self.dimension() == 4);
        const std::size_t heads = self.shape(2);
        REQUIRE(self.shape() == Shape{B, L, heads, t + 1});
        REQUIRE(cross.shape() == Shape{B, L, heads, Ts});
        for (std::size_t b = 0; b < B; ++b) {
            CHECK_CLOSE(Tensor(xt::view(logp, b, xt::all())), log_softmax(Tensor(xt::view(logits, b, t, xt::all()))),
                        1e-4, 1e-5);
            for (std::size_t l = 0; l < L; ++l) {
                const Tensor fs = full.self_weights[l].value(), fc = full.cross_weights[l].value();
                CHECK_CLOSE(Tensor(xt::view(self, b, l, xt::all(), xt::all())),
                            Tensor(xt::view(fs, b, xt::all(), t, xt::range(0, t + 1))), 1e-4, 1e-6);
                CHECK_CLOSE(Tensor(xt::view(cross, b, l, xt::all(), xt::all())),
                            Tensor(xt::view(fc, b, xt::all(), t, xt::all())), 1e-4, 1e-6);
            }
        }
    }
}

// For a model of 2 layers and 2 heads each side: beam 1 gives greedy's tokens, log-probability and
// maps, the maps have the Transformer's shapes (layers, heads, rows, cols), and a wider beam never
// finishes with a less likely translation than greedy.
inline void check_beam_one_is_greedy(const SequenceModel& m) {
    for (const IntTensor& src : {IntTensor{{4, 5, 6, 2}}, IntTensor{{7, 8, 2}}, IntTensor{{5, 2}}}) {
        const IntTensor len = {std::int32_t(src.shape(1))};
        const Hypothesis g = greedy_decode(m, src, len, 12)[0];
        const Hypothesis b1 = beam_search(m, src, len, {1, 12, 1.0});
        CHECK(g.tokens == b1.tokens);
        CHECK(g.log_prob == doctest::Approx(b1.log_prob));
        CHECK(g.attention("cross") == b1.attention("cross"));
        CHECK(g.attention("decoder_self") == b1.attention("decoder_self"));
        const std::size_t To = g.tokens.size(), Ts = src.shape(1);
        CHECK(g.attention("decoder_self").shape() == Shape{2, 2, To, To});
        CHECK(g.attention("cross").shape() == Shape{2, 2, To, Ts});
        CHECK(g.source_attention.at("encoder_self").shape() == Shape{2, 2, Ts, Ts});
    }
    check_wider_beam_never_less_likely(m);
}

// A Transformer (its decoder self-attention masked or Aaren's) of d 32, 4 heads, 2+2 layers trained for
// 10 epochs on 1500 digit strings reverses at least 90 of 100 held-out ones.
inline void check_learns_to_reverse(DecoderSelfAttention self_attention) {
    TransformerConfig c = tiny(false);
    c.self_attention = self_attention;
    c.source_vocab_size = c.target_vocab_size = 12;
    c.d_model = 32;
    c.num_heads = 4;
    c.num_encoder_layers = c.num_decoder_layers = 2;
    c.dim_feedforward = 64;
    c.dropout = 0.0f;
    Transformer m(c, 1);
    const ReverseRun run = train_on_reverse(m, 10, 30);
    INFO("valid loss " << run.valid_loss);
    CHECK(run.valid_loss < 0.1f);
    std::size_t exact = 0;
    for (const TokenPair& p : run.test) exact += decode_alone(m, p, 12).exact;
    CHECK(exact >= 90);
}

}  // namespace attnlab::testing
