// The Seq2Seq family: gradients through whole models, attention rows, decoding, and learning.
#include <cmath>

#include <nlohmann/json.hpp>
#include <xtensor/xsort.hpp>

#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/tensor/softmax.hpp"
#include "attnlab/train/cross_entropy.hpp"
#include "attnlab/train/trainer.hpp"
#include "beam_checks.hpp"
#include "test_util.hpp"
#include "toy_sequences.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::reverse_data;
using attnlab::testing::tiny_batch;

namespace {

Seq2SeqConfig tiny(RecurrentKind cell, DecoderAttention attention, ScoreKind score, bool bidir) {
    return testing::tiny_seq2seq(cell, attention, score, bidir);
}

}  // namespace

TEST_CASE("every Seq2Seq variant's gradient matches finite differences through the whole model") {
    struct Variant {
        RecurrentKind cell;
        DecoderAttention attention;
        ScoreKind score;
        bool bidir;
    };
    const Variant variants[] = {{RecurrentKind::gru, DecoderAttention::none, ScoreKind::dot, true},
                                {RecurrentKind::lstm, DecoderAttention::bahdanau, ScoreKind::additive, true},
                                {RecurrentKind::gru, DecoderAttention::luong, ScoreKind::general, true},
                                {RecurrentKind::rnn, DecoderAttention::luong, ScoreKind::concat, false},
                                {RecurrentKind::gru, DecoderAttention::luong, ScoreKind::dot, false},
                                {RecurrentKind::lstm, DecoderAttention::luong, ScoreKind::scaled_dot, false}};
    const Batch batch = tiny_batch();
    for (const Variant& v : variants) {
        INFO(name_of(cell_names, v.cell) << " " << name_of(attention_names, v.attention) << " "
                                         << name_of(score_names, v.score));
        const Seq2Seq base(tiny(v.cell, v.attention, v.score, v.bidir), 3);
        check_gradients(
            [&](auto& p) {
                Seq2Seq m = base;
                m.encoder_embedding.weight = p[0];
                m.encoder_rnn.weights[0].w_hh = p[1];
                m.combine_weight = p[2];
                m.decoder_rnn.weights[1].w_ih = p[3];
                return cross_entropy(m.forward(batch, {}), batch.target_out).loss;
            },
            {base.encoder_embedding.weight.value(), base.encoder_rnn.weights[0].w_hh.value(),
             base.combine_weight.value(), base.decoder_rnn.weights[1].w_ih.value()},
            1e-2, 3e-2, 2e-3, 12);
    }
}

TEST_CASE("attention rows sum to one and are zero on padding, at every decoder step") {
    for (DecoderAttention attention : {DecoderAttention::bahdanau, DecoderAttention::luong}) {
        const Seq2Seq m(tiny(RecurrentKind::gru, attention, ScoreKind::general, true), 5);
        const Batch batch = tiny_batch();
        auto session = m.start(batch.source, batch.source_lengths);
        for (int t = 0; t < 4; ++t) {
            session->step({1, 1, 1});
            const Tensor& a = session->last_attention().at("cross");
            REQUIRE(a.shape() == Shape{3, 5});
            for (std::size_t b = 0; b < 3; ++b) {
                double s = 0;
                for (std::size_t j = 0; j < 5; ++j) {
                    s += a(b, j);
                    if (j >= std::size_t(batch.source_lengths(b))) CHECK(a(b, j) == 0.0f);
                }
                CHECK(s == doctest::Approx(1.0).epsilon(1e-5));
            }
        }
    }
}

TEST_CASE("the context-vector model has no attention, and its output does not depend on padding") {
    const Seq2Seq m(tiny(RecurrentKind::gru, DecoderAttention::none, ScoreKind::dot, true), 7);
    const Batch batch = tiny_batch();
    auto session = m.start(batch.source, batch.source_lengths);
    const Tensor batched = session->step({1, 1, 1});
    CHECK(session->last_attention().empty());
    // sentence 1 alone, without padding, gives the same distribution
    IntTensor one = {{8, 2}};
    const Tensor alone = m.start(one, IntTensor{2})->step({1});
    CHECK_CLOSE(Tensor(xt::view(batched, xt::range(1, 2), xt::all())), alone, 1e-5, 1e-6);
}

TEST_CASE("beam 1 equals greedy, and a wider beam never finds a less likely finished translation") {
    const Seq2Seq m(tiny(RecurrentKind::lstm, DecoderAttention::luong, ScoreKind::general, true), 11);
    for (const IntTensor& src : {IntTensor{{4, 5, 6, 2}}, IntTensor{{7, 8, 2}}, IntTensor{{5, 2}}}) {
        const IntTensor len = {std::int32_t(src.shape(1))};
        const Hypothesis g = greedy_decode(m, src, len, 12)[0];
        const Hypothesis b1 = beam_search(m, src, len, {1, 12, 1.0});
        CHECK(g.tokens == b1.tokens);
        CHECK(g.log_prob == doctest::Approx(b1.log_prob));
        CHECK(g.attention("cross") == b1.attention("cross"));
    }
    attnlab::testing::check_wider_beam_never_less_likely(m);
}

TEST_CASE("greedy decoding of a batch equals decoding each sentence alone") {
    const Seq2Seq m(tiny(RecurrentKind::gru, DecoderAttention::bahdanau, ScoreKind::additive, true), 13);
    const Batch batch = tiny_batch();
    const auto all = greedy_decode(m, batch.source, batch.source_lengths, 10);
    for (std::size_t b = 0; b < 3; ++b) {
        const std::size_t n = std::size_t(batch.source_lengths(b));
        IntTensor one = xt::view(batch.source, xt::range(b, b + 1), xt::range(0, n));
        const auto alone = greedy_decode(m, one, IntTensor{std::int32_t(n)}, 10)[0];
        CHECK(alone.tokens == all[b].tokens);
        CHECK_CLOSE(alone.attention("cross"), Tensor(xt::view(all[b].attention("cross"), xt::all(), xt::range(0, n))),
                    1e-5, 1e-6);
    }
}

TEST_CASE("bad configurations are clear errors") {
    CHECK_THROWS_AS(Seq2Seq(tiny(RecurrentKind::gru, DecoderAttention::luong, ScoreKind::dot, true), 1),
                    Error);  // dot needs equal sizes
    CHECK_THROWS_AS(seq2seq_config_from_json(nlohmann::json{{"cell", "gru"}}), Error);
}

TEST_CASE("a bad cell, attention or score in config.json is a one-line error naming the field and its names") {
    const nlohmann::json good =
        seq2seq_config_to_json(tiny(RecurrentKind::gru, DecoderAttention::luong, ScoreKind::dot, false));
    REQUIRE_NOTHROW(seq2seq_config_from_json(good));
    struct Bad {
        const char* field;
        nlohmann::json value;
        std::string message;
    };
    const Bad bad[] = {
        {"cell", "tree", "seq2seq config: cell must be \"rnn\", \"lstm\" or \"gru\", got \"tree\""},
        {"attention", "psychic",
         "seq2seq config: attention must be \"none\", \"bahdanau\" or \"luong\", got \"psychic\""},
        {"score", "cosine",
         "seq2seq config: score must be \"additive\", \"dot\", \"general\", \"concat\" or \"scaled-dot\", got "
         "\"cosine\""},
        {"score", "scaled_dot",  // the enum's spelling is not a config name
         "seq2seq config: score must be \"additive\", \"dot\", \"general\", \"concat\" or \"scaled-dot\", got "
         "\"scaled_dot\""},
        {"cell", 3, "seq2seq config: cell must be a string, got 3"}};
    for (const auto& [field, value, message] : bad) {
        nlohmann::json j = good;
        j[field] = value;
        CHECK_THROWS_WITH_AS(seq2seq_config_from_json(j), message.c_str(), Error);
    }
}

TEST_CASE("every cell, attention and score is written to config.json by its name and read back to itself") {
    for (const auto& cell : cell_names)
        for (const auto& attention : attention_names)
            for (const auto& score : score_names) {
                INFO(cell.second << " " << attention.second << " " << score.second);
                const Seq2SeqConfig c = tiny(cell.first, attention.first, score.first, false);
                const nlohmann::json j = seq2seq_config_to_json(c);
                CHECK(j["cell"] == cell.second);
                CHECK(j["attention"] == attention.second);
                CHECK(j["score"] == score.second);
                const Seq2SeqConfig back = seq2seq_config_from_json(j);
                CHECK(back.cell == cell.first);
                CHECK(back.attention == attention.first);
                CHECK(back.score == score.first);
                CHECK(seq2seq_config_to_json(back) == j);
            }
}

TEST_CASE("a Bahdanau GRU learns to reverse digit strings, with an anti-diagonal attention map") {
    Seq2SeqConfig c = tiny(RecurrentKind::gru, DecoderAttention::bahdanau, ScoreKind::additive, true);
    c.source_vocab_size = c.target_vocab_size = 12;
    c.num_layers = 1;
    c.embedding_dim = 16;
    c.hidden_size = 32;
    c.attention_size = 32;
    Seq2Seq m(c, 1);
    const auto run = attnlab::testing::train_on_reverse(m, 6, 20);
    CHECK(run.valid_loss < 0.1f);
    std::size_t exact = 0;
    for (const TokenPair& p : run.test) {
        const auto d = attnlab::testing::decode_alone(m, p, 20);
        exact += d.exact;
        if (d.exact && p.source.size() >= 4) {  // output k attends most to source n-1-k
            const Tensor a = d.hypothesis.attention("cross");
            const std::size_t n = p.source.size();
            std::size_t on_anti_diagonal = 0;
            for (std::size_t k = 0; k < n; ++k) {
                const auto row = xt::view(a, k, xt::all());
                on_anti_diagonal += std::size_t(xt::argmax(row)()) == n - 1 - k;
            }
            CHECK(on_anti_diagonal + 1 >= n);
        }
    }
    CHECK(exact >= 95);
}

TEST_CASE("the same seed and data give bit-identical weights; another seed gives others") {
    auto train_once = [](std::uint64_t seed) {
        Seq2SeqConfig c = tiny(RecurrentKind::lstm, DecoderAttention::luong, ScoreKind::general, true);
        c.source_vocab_size = c.target_vocab_size = 12;
        c.dropout = 0.2f;
        Seq2Seq m(c, seed);
        TrainConfig tc;
        tc.epochs = 2;
        tc.seed = seed;
        tc.teacher_forcing_start = 0.5f;
        train_model(m, reverse_data(200, 3, 8), reverse_data(20, 4, 8), tc);
        return m.parameters();
    };
    const NamedVars a = train_once(5), b = train_once(5), c = train_once(6);
    REQUIRE(a.size() == b.size());
    bool any_different = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].second.value() == b[i].second.value());
        any_different = any_different || a[i].second.value() != c[i].second.value();
    }
    CHECK(any_different);
}

TEST_CASE("teacher forcing 0 feeds the decoder its own previous prediction, as greedy decoding does") {
    const Seq2Seq m(tiny(RecurrentKind::gru, DecoderAttention::bahdanau, ScoreKind::additive, true), 17);
    const Batch batch = tiny_batch();
    Rng rng(1);
    const Tensor logits = m.forward(batch, {{false, &rng}, 0.0f}).value();  // (B, T, V)
    auto session = m.start(batch.source, batch.source_lengths);
    std::vector<std::int32_t> last(3, 1);
    for (std::size_t t = 0; t < batch.target_in.shape(1); ++t) {
        const Tensor logp = session->step(last);
        for (std::size_t b = 0; b < 3; ++b) {
            const Tensor row = xt::view(logits, b, t, xt::all());
            const Tensor expected = xt::view(logp, b, xt::all());
            CHECK_CLOSE(log_softmax(row), expected, 1e-5, 1e-5);
            last[b] = std::int32_t(xt::argmax(row)());
        }
    }
}
