// The steppable Trainer (stop, save, resume) and the presets that configure it.
#include <nlohmann/json.hpp>

#include "attnlab/models/seq2seq.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/train/presets.hpp"
#include "attnlab/train/trainer.hpp"
#include "test_util.hpp"
#include "toy_sequences.hpp"

using namespace attnlab;
using attnlab::testing::reverse_data;

namespace {

// A small LSTM with dropout and teacher forcing below 1, so every step draws from the Rng.
Seq2SeqConfig small_rnn() {
    Seq2SeqConfig c;
    c.cell = RecurrentKind::lstm;
    c.source_vocab_size = c.target_vocab_size = 12;
    c.embedding_dim = 4;
    c.hidden_size = 5;
    c.attention = DecoderAttention::luong;
    c.score = ScoreKind::general;
    c.attention_size = 3;
    c.dropout = 0.2f;
    return c;
}

TrainConfig small_training() {
    TrainConfig tc;
    tc.epochs = 3;
    tc.seed = 9;
    tc.max_tokens = 200;
    tc.warmup_steps = 5;
    tc.teacher_forcing_start = 0.5f;
    tc.adam.weight_decay = 0.01f;
    return tc;
}

void check_same_weights(const NamedVars& a, const NamedVars& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(a[i].first);
        CHECK(a[i].second.value() == b[i].second.value());
    }
}

}  // namespace

TEST_CASE("a Trainer resumed from a saved state ends with bit-identical weights to an uninterrupted run") {
    const auto train = reverse_data(120, 3, 8), valid = reverse_data(20, 4, 8);
    Seq2Seq whole(small_rnn(), 1);
    const TrainSummary uninterrupted = train_model(whole, train, valid, small_training());

    Seq2Seq first(small_rnn(), 1);
    Trainer t(first, train, valid, small_training());
    const long per_epoch = t.steps_per_epoch();
    REQUIRE(per_epoch > 3);
    for (long i = 0; i < per_epoch + 2; ++i) t.step();  // stop in the middle of the second epoch
    const TrainerState saved = t.save();
    t.step();  // the first trainer goes on: the saved state must not follow it

    Seq2Seq second(small_rnn(), 77);  // other initial weights: all of them must come from the state
    Trainer resumed(second, train, valid, small_training());
    resumed.resume(saved);
    CHECK(resumed.progress().step == per_epoch + 2);
    CHECK(resumed.progress().epoch == 2);
    while (!resumed.done()) resumed.step();
    check_same_weights(second.parameters(), whole.parameters());
    CHECK(resumed.summary().steps == uninterrupted.steps);
    CHECK(resumed.summary().final_valid_loss == uninterrupted.final_valid_loss);
}

TEST_CASE(
    "stepping a Trainer to the end gives train_model's weights; every epoch's last step reports the held-out loss") {
    const auto train = reverse_data(120, 3, 8), valid = reverse_data(20, 4, 8);
    Seq2Seq a(small_rnn(), 1), b(small_rnn(), 1);
    train_model(a, train, valid, small_training());
    Trainer t(b, train, valid, small_training());
    long steps = 0, epoch_ends = 0;
    while (!t.done()) {
        const TrainProgress& p = t.step();
        ++steps;
        CHECK(p.step == steps);
        CHECK(p.epoch_end == (steps % t.steps_per_epoch() == 0));
        if (p.epoch_end) {
            ++epoch_ends;
            CHECK(p.valid_loss == t.evaluate());
        } else {
            CHECK(std::isnan(p.valid_loss));
        }
    }
    CHECK(epoch_ends == 3);
    CHECK(steps == 3 * t.steps_per_epoch());
    CHECK_THROWS_AS(t.step(), Error);
    check_same_weights(a.parameters(), b.parameters());
}

TEST_CASE("a saved state from another model is a clear error") {
    const auto train = reverse_data(40, 3, 8);
    Seq2Seq a(small_rnn(), 1);
    Seq2SeqConfig other = small_rnn();
    other.hidden_size = 6;
    Seq2Seq b(other, 1);
    Trainer ta(a, train, {}, small_training()), tb(b, train, {}, small_training());
    CHECK_THROWS_AS(tb.resume(ta.save()), Error);
}

TEST_CASE("presets set the optimiser per architecture and reject the other family's options") {
    const Preset rnn = make_preset("luong-dot-lstm");
    CHECK(rnn.model["attention"] == "luong");
    CHECK(rnn.model["score"] == "dot");
    CHECK(rnn.model["cell"] == "lstm");
    CHECK(rnn.model["bidirectional"] == false);  // dot needs equal sizes
    CHECK(rnn.train.adam.beta2 == 0.999f);
    CHECK(rnn.train.adam.eps == 1e-8f);
    PresetOptions o;
    o.d_model = 32;
    o.heads = 2;
    const Preset tf = make_preset("transformer-preln", o);
    CHECK(tf.model["architecture"] == "transformer");
    CHECK(tf.model["norm_first"] == true);
    CHECK(tf.model["dim_feedforward"] == 128);
    CHECK(tf.train.model_dim == 32);
    CHECK(tf.train.adam.beta2 == 0.98f);
    CHECK(tf.train.adam.eps == 1e-9f);
    CHECK(make_preset("aaren").model["architecture"] == "aaren");
    PresetOptions hidden;
    hidden.hidden = 16;
    CHECK_THROWS_WITH_AS(make_preset("transformer", hidden), doctest::Contains("is an option of the RNN presets"),
                         Error);
    CHECK_THROWS_WITH_AS(make_preset("bahdanau-gru", o), doctest::Contains("is an option of the transformer presets"),
                         Error);
    CHECK_THROWS_AS(make_preset("transformer-xl"), Error);
    CHECK_THROWS_AS(make_preset("bahdanau-tree"), Error);
}
