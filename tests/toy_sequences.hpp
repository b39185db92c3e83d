// Small sequence-to-sequence fixtures shared by the model tests.
#pragma once

#include <vector>

#include "attnlab/decode/greedy.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/tensor/random.hpp"
#include "attnlab/train/batching.hpp"
#include "attnlab/train/trainer.hpp"

namespace attnlab::testing {

// A two-layer Seq2Seq small enough to check by hand (vocabularies 9 → 8, embedding 4, hidden 5,
// attention 3, input feeding on, no dropout).
inline Seq2SeqConfig tiny_seq2seq(RecurrentKind cell, DecoderAttention attention, ScoreKind score, bool bidir) {
    Seq2SeqConfig c;
    c.cell = cell;
    c.source_vocab_size = 9;
    c.target_vocab_size = 8;
    c.embedding_dim = 4;
    c.hidden_size = 5;
    c.num_layers = 2;
    c.bidirectional = bidir;
    c.attention = attention;
    c.score = score;
    c.attention_size = 3;
    c.input_feeding = true;
    c.dropout = 0.0f;
    return c;
}

// Three pairs of different lengths: a padded batch.
inline Batch tiny_batch() {
    std::vector<TokenPair> data{{{4, 5, 6, 7}, {4, 5}}, {{8}, {6, 7, 5}}, {{5, 4}, {7}}};
    return make_batch(data, {0, 1, 2});
}

// The digits task: reverse a string of 1-6 "digits" with ids 4..(4+digits).
inline std::vector<TokenPair> reverse_data(std::size_t count, std::uint64_t seed, std::size_t digits) {
    Rng rng(seed);
    std::vector<TokenPair> out;
    for (std::size_t i = 0; i < count; ++i) {
        TokenPair p;
        const std::size_t n = 1 + rng.below(6);
        for (std::size_t k = 0; k < n; ++k) p.source.push_back(std::int32_t(4 + rng.below(std::uint32_t(digits))));
        p.target.assign(p.source.rbegin(), p.source.rend());
        out.push_back(p);
    }
    return out;
}

// Greedy-decodes one pair's source alone; `exact` says whether it produced target + <eos>.
struct Decoded {
    Hypothesis hypothesis;
    bool exact;
};
inline Decoded decode_alone(const SequenceModel& model, const TokenPair& p, std::size_t max_length) {
    IntTensor src = IntTensor::from_shape({1, p.source.size() + 1});
    for (std::size_t k = 0; k < p.source.size(); ++k) src(0, k) = p.source[k];
    src(0, p.source.size()) = kEos;
    Hypothesis h = greedy_decode(model, src, IntTensor{std::int32_t(p.source.size() + 1)}, max_length)[0];
    std::vector<std::int32_t> want = p.target;
    want.push_back(2);
    const bool exact = h.tokens == want;
    return {std::move(h), exact};
}

// Trains `model` for `epochs` on 1500 reversed strings of 8 digits (lr 5e-3 after `warmup_steps`,
// 600 tokens a batch) and returns the 100 held-out pairs it was validated on, with the final valid loss.
struct ReverseRun {
    std::vector<TokenPair> test;
    float valid_loss;
};
inline ReverseRun train_on_reverse(SequenceModel& model, std::size_t epochs, long warmup_steps) {
    TrainConfig tc;
    tc.epochs = epochs;
    tc.lr = 5e-3f;
    tc.warmup_steps = warmup_steps;
    tc.max_tokens = 600;
    const auto train = reverse_data(1500, 1, 8), test = reverse_data(100, 2, 8);
    return {test, train_model(model, train, test, tc).final_valid_loss};
}

}  // namespace attnlab::testing
