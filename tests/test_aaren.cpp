// Aaren as a trainable layer and a model: the training form (every prefix at once) against the
// recurrent form, the prefix scan and causal softmax attention computed directly; its gradient;
// multi-head Aaren against nn.MultiheadAttention with a learned query and a causal mask; the decoding
// state that does not grow; the "aaren" model (the Transformer with Aaren decoder self-attention):
// incremental decoding against the teacher-forced forward, gradients, names, configs, bundles, learning.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/nn/aaren_attention.hpp"
#include "attnlab/nn/aaren_prefix_attention.hpp"
#include "attnlab/nn/causal_mask.hpp"
#include "attnlab/nn/multi_head_aaren.hpp"
#include "attnlab/tensor/softmax.hpp"
#include "attnlab/train/cross_entropy.hpp"
#include "attnlab/train/trainer.hpp"
#include "test_util.hpp"
#include "toy_sequences.hpp"
#include "transformer_checks.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::closeness;
using attnlab::testing::random_tensor;
using attnlab::testing::reverse_data;
using attnlab::testing::tiny_batch;

namespace {

const float inf = std::numeric_limits<float>::infinity();

Tensor rnd(const Shape& s, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    return random_tensor(s, seed, lo, hi);
}

// Row n of a (N, T, …) tensor.
Tensor row_of(const Tensor& t, std::size_t n) { return Tensor(xt::view(t, n)); }

// Causal softmax attention of every prefix of one row, computed directly in double: for each t the
// softmax of s_1 … s_t (shifted by their max; −inf hides a token), times the values.
// scores (T), V (T, dv) -> {outputs (T, dv), weights (T, T)}
std::pair<Tensor, Tensor> direct(const Tensor& scores, const Tensor& V) {
    const std::size_t T = V.shape(0), dv = V.shape(1);
    Tensor out = xt::zeros<float>({T, dv}), weights = xt::zeros<float>({T, T});
    for (std::size_t t = 0; t < T; ++t) {
        double m = -INFINITY, z = 0.0;
        for (std::size_t i = 0; i <= t; ++i) m = std::max(m, double(scores(i)));
        if (std::isinf(m)) continue;  // every token so far hidden
        for (std::size_t i = 0; i <= t; ++i) z += std::exp(double(scores(i)) - m);
        for (std::size_t i = 0; i <= t; ++i) {
            const double p = std::exp(double(scores(i)) - m) / z;
            weights(t, i) = float(p);
            for (std::size_t c = 0; c < dv; ++c) out(t, c) += float(p * V(i, c));
        }
    }
    return {out, weights};
}

// The same through the existing ops: scores broadcast to (N, T, T), causal masked softmax, times V.
Var masked_softmax_attention(const Var& scores, const Var& V) {
    const std::size_t N = scores.shape(0), T = scores.shape(1);
    const Var rows = add(reshape(scores, {N, 1, T}), constant(xt::zeros<float>({N, T, T})));
    return bmm(softmax(rows, causal_mask(T)), V);
}

using attnlab::testing::tiny;
using attnlab::testing::with_aaren;

// The query token repeated at every position of x: (B, T, d)
Var query_everywhere(const Var& query, const Var& x) {
    return add(reshape(query, {1, 1, query.size()}), constant(xt::zeros<float>(x.shape())));
}

}  // namespace

// ---- the training form -------------------------------------------------------------------------

TEST_CASE("the training form equals the recurrent form, the prefix scan and causal softmax computed directly") {
    const std::size_t N = 6, dv = 5;
    for (std::size_t T : {1, 2, 7, 19}) {
        CAPTURE(T);
        Tensor scores = rnd({N, T}, 100 + T, -3, 3);
        if (T > 2) {
            scores(1, 0) = -inf;  // a hidden first token
            scores(2, T / 2) = -inf;
            for (std::size_t t = 0; t < T; ++t) scores(3, t) = -inf;  // a row with nothing visible
        }
        const Tensor V = rnd({N, T, dv}, 200 + T);
        const Tensor out = aaren_prefix_attention(constant(scores), constant(V)).value();
        const Tensor weights = aaren_prefix_weights(scores);
        REQUIRE(out.shape() == Shape{N, T, dv});
        REQUIRE(weights.shape() == Shape{N, T, T});
        for (std::size_t n = 0; n < N; ++n) {
            CAPTURE(n);
            const auto want = direct(row_of(scores, n), row_of(V, n));
            CHECK_CLOSE(row_of(out, n), want.first, 0.0, 1e-5);
            CHECK_CLOSE(row_of(weights, n), want.second, 0.0, 1e-6);
            CHECK_CLOSE(row_of(out, n), aaren_recurrent(row_of(scores, n), row_of(V, n)), 0.0, 1e-5);
            CHECK_CLOSE(row_of(out, n), aaren_scan(row_of(scores, n), row_of(V, n)), 0.0, 1e-5);
        }
    }
}

TEST_CASE("the training form stays exact for scores around 1000, where a naive exp overflows") {
    const std::size_t T = 24, dv = 4;
    Tensor scores = rnd({2, T}, 300, 900, 1100);
    for (std::size_t i = 0; i < T; i += 3) scores(0, i) = 1000.0f + float(i);  // a rising max: rescaled each time
    scores(1, 4) = -inf;
    const Tensor V = rnd({2, T, dv}, 301);
    REQUIRE(std::isinf(std::exp(scores(0, 0))));
    const Tensor out = aaren_prefix_attention(constant(scores), constant(V)).value();
    CHECK(std::all_of(out.begin(), out.end(), [](float v) { return std::isfinite(v); }));
    for (std::size_t n = 0; n < 2; ++n) {
        CHECK_CLOSE(row_of(out, n), direct(row_of(scores, n), row_of(V, n)).first, 0.0, 1e-5);
        CHECK_CLOSE(row_of(out, n), aaren_recurrent(row_of(scores, n), row_of(V, n)), 0.0, 1e-5);
    }
    // and its gradient too: finite, and equal to that of the masked softmax (which shifts by each row's max)
    Var s(scores, true), v(V, true);
    backward(sum(aaren_prefix_attention(s, v)));
    CHECK(std::all_of(s.grad().begin(), s.grad().end(), [](float g) { return std::isfinite(g); }));
    CHECK(s.grad()(1, 4) == 0.0f);  // a hidden token gets no gradient
}

TEST_CASE("the training form's gradient matches finite differences and the gradient of masked softmax attention") {
    check_gradients([](auto& v) { return aaren_prefix_attention(v[0], v[1]); },
                    {rnd({3, 6}, 400, -2, 2), rnd({3, 6, 4}, 401)});
    check_gradients([](auto& v) { return aaren_prefix_attention(v[0], v[1]); },  // leading axes (B, h)
                    {rnd({2, 2, 5}, 402, -4, 4), rnd({2, 2, 5, 3}, 403)});
    Tensor with_hidden = rnd({2, 7}, 404, -2, 2);
    with_hidden(0, 0) = with_hidden(1, 3) = -inf;
    const Tensor V = rnd({2, 7, 3}, 405), R = rnd({2, 7, 3}, 406);
    for (const Tensor& scores : {rnd({2, 7}, 407, -2, 2), with_hidden, Tensor(rnd({2, 7}, 408, -30, 30))}) {
        Var s1(scores, true), v1(V, true), s2(scores, true), v2(V, true);
        backward(sum(mul(aaren_prefix_attention(s1, v1), constant(R))));
        backward(sum(mul(masked_softmax_attention(s2, v2), constant(R))));
        CHECK_CLOSE(s1.grad(), s2.grad(), 1e-4, 1e-5);
        CHECK_CLOSE(v1.grad(), v2.grad(), 1e-4, 1e-5);
    }
    CHECK_THROWS_AS(aaren_prefix_attention(constant(rnd({2, 5}, 1)), constant(rnd({2, 4, 3}, 2))), Error);
    CHECK_THROWS_AS(aaren_prefix_attention(constant(rnd({2, 5}, 1)), constant(rnd({3, 5, 3}, 2))), Error);
}

// ---- multi-head Aaren --------------------------------------------------------------------------

TEST_CASE("multi-head Aaren equals multi-head attention with the learned query at every position and a causal mask") {
    const std::size_t d = 8, h = 2, B = 3, T = 6;
    Rng rng(7);
    MultiHeadAttention m = make_multi_head_attention(d, h, rng);
    m.in_proj_bias = Var(rnd({3 * d}, 500), true);  // non-zero biases: b_K folds into the score map too
    const Var query(rnd({d}, 501, -2, 2), true), x(rnd({B, T, d}, 502), true);
    const AttentionOutput a = multi_head_aaren(m, query, x);
    const AttentionOutput want = multi_head_attention(m, query_everywhere(query, x), x, x, Tensor(), causal_mask(T));
    CHECK_CLOSE(a.output.value(), want.output.value(), 1e-5, 1e-6);
    CHECK_CLOSE(a.weights.value(), want.weights.value(), 1e-5, 1e-7);
    CHECK(multi_head_aaren(m, query, x, false).weights.size() == 0);
    check_gradients(  // through the query, the inputs and the projections
        [&](auto& v) {
            MultiHeadAttention p = m;
            p.in_proj_weight = v[2];
            p.in_proj_bias = v[3];
            return multi_head_aaren(p, v[0], v[1], false).output;
        },
        {query.value(), rnd({2, 4, d}, 503), m.in_proj_weight.value(), m.in_proj_bias.value()});
    CHECK_THROWS_AS(multi_head_aaren(m, Var(rnd({d + 1}, 1)), x), Error);
    CHECK_THROWS_AS(multi_head_aaren(make_multi_head_attention(d, h, rng, false), query, x), Error);
}

TEST_CASE("multi-head Aaren's recurrent step gives the training form's rows, with a state that does not grow") {
    const std::size_t d = 8, h = 2, B = 3, T = 9;
    Rng rng(8);
    const MultiHeadAttention m = make_multi_head_attention(d, h, rng);
    const Var query(rnd({d}, 510, -2, 2)), x(rnd({B, T, d}, 511));
    const AttentionOutput full = multi_head_aaren(m, query, x);
    MultiHeadAarenState with_maps = start_multi_head_aaren(m, query, B),
                        without = start_multi_head_aaren(m, query, B, false);
    const std::size_t bytes = recurrent_state_bytes(without);
    CHECK(bytes == B * h * (2 + d / h) * sizeof(float));
    for (std::size_t t = 0; t < T; ++t) {
        CAPTURE(t);
        const Var xt_ = constant(Tensor(xt::view(x.value(), xt::all(), xt::range(t, t + 1))));
        const AttentionOutput a = multi_head_aaren_step(m, xt_, with_maps);
        const AttentionOutput b = multi_head_aaren_step(m, xt_, without);
        CHECK_CLOSE(a.output.value(), Tensor(xt::view(full.output.value(), xt::all(), xt::range(t, t + 1))), 1e-5,
                    1e-6);
        CHECK(b.output.value() == a.output.value());
        REQUIRE(a.weights.shape() == Shape{B, h, 1, t + 1});
        CHECK_CLOSE(
            a.weights.value(),
            Tensor(xt::view(full.weights.value(), xt::all(), xt::all(), xt::range(t, t + 1), xt::range(0, t + 1))),
            1e-5, 1e-7);
        CHECK(b.weights.size() == 0);
        CHECK(recurrent_state_bytes(without) == bytes);  // O(1) in the prefix length
    }
    // Reordering keeps each hypothesis's whole history: continuing equals the full form on reordered rows.
    reorder_multi_head_aaren(with_maps, {2, 0, 0});
    const Tensor xr = take(x.value(), {2, 0, 0}, 0);
    const Tensor next = rnd({B, 1, d}, 512);
    const Var extended = constant(Tensor(xt::concatenate(xt::xtuple(xr, next), 1)));
    const AttentionOutput a = multi_head_aaren_step(m, constant(next), with_maps);
    CHECK_CLOSE(a.output.value(),
                Tensor(xt::view(multi_head_aaren(m, query, extended).output.value(), xt::all(), xt::range(T, T + 1))),
                1e-5, 1e-6);
    CHECK_THROWS_AS(reorder_multi_head_aaren(with_maps, {3}), Error);
    CHECK_THROWS_AS(multi_head_aaren_step(m, constant(rnd({B + 1, 1, d}, 1)), with_maps), Error);
}

// ---- the aaren model ---------------------------------------------------------------------------

TEST_CASE("the aaren model's incremental decoding gives the teacher-forced logits and attention at every step") {
    const Batch batch = tiny_batch();
    for (bool pre : {false, true}) {
        CAPTURE(pre);
        const Transformer m(with_aaren(tiny(pre)), 5);
        const Transformer::Encoded enc = m.encode(batch.source, batch.source_lengths, {});
        const Transformer::Decoded full = m.decode(enc, batch.target_in, {});
        CHECK(m.forward(batch, {}).value() == full.logits.value());
        auto session = m.start(batch.source, batch.source_lengths);
        auto bare = m.start_session(batch.source, batch.source_lengths, false);
        testing::check_steps_match_teacher_forced(full, *session, batch, bare.get());
    }
}

TEST_CASE("the aaren model's gradient matches finite differences through the whole model, query tokens included") {
    const Batch batch = tiny_batch();
    for (bool pre : {false, true}) {
        CAPTURE(pre);
        const Transformer base(with_aaren(tiny(pre, pre)), 3);
        check_gradients(
            [&](auto& p) {
                Transformer m = base;
                m.decoder_layers[0].aaren_query = p[0];
                m.decoder_layers[1].aaren_query = p[1];
                m.decoder_layers[0].self_attn.in_proj_weight = p[2];
                m.decoder_layers[1].multihead_attn.in_proj_weight = p[3];
                m.decoder_layers[0].norm1.weight = p[4];
                m.tgt_embedding.weight = p[5];
                m.src_embedding.weight = p[6];
                return cross_entropy(m.forward(batch, {}), batch.target_out).loss;
            },
            {base.decoder_layers[0].aaren_query.value(), base.decoder_layers[1].aaren_query.value(),
             base.decoder_layers[0].self_attn.in_proj_weight.value(),
             base.decoder_layers[1].multihead_attn.in_proj_weight.value(), base.decoder_layers[0].norm1.weight.value(),
             base.tgt_embedding.weight.value(), base.src_embedding.weight.value()},
            1e-2, 3e-2, 2e-3, 12);
    }
}

TEST_CASE(
    "the aaren model has the Transformer's parameters, names and initial weights plus one query per decoder layer") {
    const TransformerConfig c = tiny(false);
    const NamedVars t = Transformer(c, 4).parameters(), a = Transformer(with_aaren(c), 4).parameters();
    REQUIRE(a.size() == t.size() + 2);
    std::size_t k = 0;
    for (const auto& named : a) {
        if (named.first == "decoder.layers.0.self_attn.query" || named.first == "decoder.layers.1.self_attn.query") {
            CHECK(named.second.shape() == Shape{6});
            continue;
        }
        CHECK(named.first == t[k].first);                    // the same names in the same order …
        CHECK(named.second.value() == t[k].second.value());  // … and the same initial weights
        ++k;
    }
    CHECK(a[0].first == "src_embedding.weight");
    CHECK(std::find_if(a.begin(), a.end(), [](const auto& p) {
              return p.first == "decoder.layers.1.self_attn.query";
          }) < std::find_if(a.begin(), a.end(), [](const auto& p) {
              return p.first == "decoder.layers.1.self_attn.in_proj_weight";
          }));
    CHECK(Transformer(with_aaren(c), 4).decoder_layers[0].aaren_query.value() !=
          Transformer(with_aaren(c), 5).decoder_layers[0].aaren_query.value());
}

TEST_CASE(
    "aaren configs round-trip through JSON and make_model, and bad configurations are one-line errors naming aaren") {
    const TransformerConfig c = with_aaren(tiny(true, true));
    const nlohmann::json j = transformer_config_to_json(c);
    CHECK(j["architecture"] == "aaren");
    CHECK(transformer_config_to_json(transformer_config_from_json(j)) == j);
    const auto model = make_model(j, 1);
    CHECK(model->config() == j);
    const auto* built = dynamic_cast<const Transformer*>(model.get());
    REQUIRE(built != nullptr);
    CHECK(built->cfg.self_attention == DecoderSelfAttention::aaren);
    CHECK(built->decoder_layers[1].self_attention == DecoderSelfAttention::aaren);
    auto with = [&](const char* key, nlohmann::json v) {
        nlohmann::json k = j;
        k[key] = v;
        return k;
    };
    auto message = [](const nlohmann::json& bad) {
        try {
            transformer_config_from_json(bad);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK(message(with("num_heads", 4)).rfind("aaren config: ", 0) == 0);  // 4 does not divide 6
    CHECK(message(with("dropout", 1.5)).rfind("aaren config: ", 0) == 0);
    CHECK(message(with("d_modle", 8)).find("d_modle") != std::string::npos);  // unknown field named
    CHECK(message(with("architecture", "seq2seq")).find("architecture must be \"transformer\" or \"aaren\"") !=
          std::string::npos);
    CHECK(transformer_config_from_json(with("architecture", "transformer")).self_attention ==
          DecoderSelfAttention::masked);
    for (const char* key : {"num_heads", "dropout", "d_modle", "max_length"})
        CHECK(message(with(key, -1)).find('\n') == std::string::npos);
    TransformerConfig bad = c;
    bad.num_heads = 4;
    CHECK_THROWS_WITH_AS(Transformer(bad, 1), doctest::Contains("aaren config"), Error);
    const Transformer m(c, 1);
    Rng rng(1);
    CHECK_THROWS_AS(m.forward(tiny_batch(), {{true, &rng}, 0.5f}), Error);  // teacher forcing < 1 unsupported
    auto session = m.start(IntTensor{{4, 2}}, IntTensor{2});
    CHECK_THROWS_AS(session->step({1, 1}), Error);
    CHECK_THROWS_AS(session->reorder({3}), Error);
}

TEST_CASE(
    "beam 1 equals greedy, the maps have the Transformer's shapes, and a wider beam never finds a less likely "
    "translation") {
    const Transformer m(with_aaren(tiny(true, true)), 11);
    testing::check_beam_one_is_greedy(m);
}

TEST_CASE("a decoder layer's cache is its key/value cache or its Aaren state, and a step refuses the other's") {
    const Transformer masked(tiny(false), 3), aaren(with_aaren(tiny(false)), 3);
    const Var memory = constant(rnd({2, 3, 6}, 61)), x = constant(rnd({2, 1, 6}, 62));
    const Tensor mask = xt::zeros<float>({2, 3});  // no source padding
    DecoderLayerCache kv = start_decoder_layer_cache(masked.decoder_layers[0], memory),
                      state = start_decoder_layer_cache(aaren.decoder_layers[0], memory);
    CHECK(std::holds_alternative<KeyValueCache>(kv.self));
    CHECK(std::holds_alternative<MultiHeadAarenState>(state.self));
    CHECK_ERROR_CONTAINS(decoder_layer_step(aaren.decoder_layers[0], x, kv, mask, {}), "other kind of self-attention");
    CHECK_ERROR_CONTAINS(decoder_layer_step(masked.decoder_layers[0], x, state, mask, {}),
                         "other kind of self-attention");
    CHECK(decoder_layer_step(aaren.decoder_layers[0], x, state, mask, {}).output.shape() == Shape{2, 1, 6});
    CHECK(std::get<MultiHeadAarenState>(state.self).length == 1);
}

TEST_CASE("an aaren bundle saved and loaded translates the same, with every attention map") {
    const std::vector<std::string> src_text{"abc", "cab", "bca a"}, tgt_text{"xyz", "zyx"};
    const TextCodec src = TextCodec::build(TokenizerKind::Char, false, src_text),
                    tgt = TextCodec::build(TokenizerKind::Char, false, tgt_text);
    TransformerConfig c = with_aaren(tiny(false));
    c.source_vocab_size = src.vocab().size();
    c.target_vocab_size = tgt.vocab().size();
    const Transformer m(c, 2);
    const std::string dir = (std::filesystem::temp_directory_path() / "attnlab-test-aaren-bundle").string();
    std::filesystem::remove_all(dir);
    save_bundle(dir, m, src, tgt, {{"task", "copy"}});
    const Bundle b = load_bundle(dir);
    std::filesystem::remove_all(dir);
    CHECK(b.config["model"]["architecture"] == "aaren");
    const IntTensor ids{{4, 5, 6, 2}};
    const Hypothesis want = greedy_decode(m, ids, IntTensor{4}, 8)[0],
                     got = greedy_decode(*b.model, ids, IntTensor{4}, 8)[0];
    CHECK(got.tokens == want.tokens);
    CHECK(got.log_prob == want.log_prob);
    CHECK(got.attention("decoder_self") == want.attention("decoder_self"));
    const Translation t = translate(b, "cab", {1, 6});
    const std::size_t To = t.output_tokens.size(), Ts = t.source_tokens.size();
    CHECK(t.attention.at("decoder_self").shape() == Shape{2, 2, To, To});
    CHECK(t.attention.at("cross").shape() == Shape{2, 2, To, Ts});
    CHECK(t.attention.at("encoder_self").shape() == Shape{2, 2, Ts, Ts});
}

TEST_CASE("a tiny aaren model learns to reverse digit strings") {
    testing::check_learns_to_reverse(DecoderSelfAttention::aaren);
}
