// The Transformer: a naive second implementation, gradients through the whole model, incremental
// decoding against the teacher-forced forward, attention rows, decoding, configs, and learning.
#include <algorithm>
#include <cmath>
#include <functional>

#include <nlohmann/json.hpp>
#include <xtensor/xsort.hpp>

#include "attnlab/decode/beam_search.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/tensor/softmax.hpp"
#include "attnlab/train/cross_entropy.hpp"
#include "attnlab/train/trainer.hpp"
#include "test_util.hpp"
#include "toy_sequences.hpp"
#include "transformer_checks.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::closeness;
using attnlab::testing::reverse_data;
using attnlab::testing::tiny_batch;

namespace {

using attnlab::testing::tiny;

// ---- a naive Transformer for one sentence, in plain loops over (T, d) matrices ----------------
using Mat = std::vector<std::vector<double>>;

Mat lin(const Mat& x, const Tensor& w, const Tensor& b, std::size_t row0, std::size_t rows) {
    Mat y(x.size(), std::vector<double>(rows));
    for (std::size_t t = 0; t < x.size(); ++t)
        for (std::size_t o = 0; o < rows; ++o) {
            double s = b.size() ? b(row0 + o) : 0.0;
            for (std::size_t i = 0; i < x[t].size(); ++i) s += double(w(row0 + o, i)) * x[t][i];
            y[t][o] = s;
        }
    return y;
}

Mat ln(const Mat& x, const LayerNormParams& n) {
    Mat y = x;
    for (auto& row : y) {
        double mean = 0, var = 0;
        for (double v : row) mean += v;
        mean /= double(row.size());
        for (double v : row) var += (v - mean) * (v - mean);
        var /= double(row.size());
        for (std::size_t i = 0; i < row.size(); ++i)
            row[i] = (row[i] - mean) / std::sqrt(var + 1e-5) * n.weight.value()(i) + n.bias.value()(i);
    }
    return y;
}

Mat plus(const Mat& a, const Mat& b) {
    Mat y = a;
    for (std::size_t t = 0; t < a.size(); ++t)
        for (std::size_t i = 0; i < a[t].size(); ++i) y[t][i] += b[t][i];
    return y;
}

// Multi-head attention of queries x over keys/values m; visible(i, j) says whether query i sees key j.
Mat mha(const MultiHeadAttention& a, const Mat& x, const Mat& m,
        const std::function<bool(std::size_t, std::size_t)>& visible) {
    const std::size_t d = a.embed_dim, h = a.num_heads, dh = d / h;
    const Tensor &W = a.in_proj_weight.value(), &b = a.in_proj_bias.value();
    const Mat q = lin(x, W, b, 0, d), k = lin(m, W, b, d, d), v = lin(m, W, b, 2 * d, d);
    Mat heads(x.size(), std::vector<double>(d, 0.0));
    for (std::size_t hd = 0; hd < h; ++hd)
        for (std::size_t i = 0; i < x.size(); ++i) {
            std::vector<double> w(m.size(), 0.0);
            double mx = -1e300, z = 0;
            for (std::size_t j = 0; j < m.size(); ++j) {
                if (!visible(i, j)) continue;
                double s = 0;
                for (std::size_t c = 0; c < dh; ++c) s += q[i][hd * dh + c] * k[j][hd * dh + c];
                w[j] = s / std::sqrt(double(dh));
                mx = std::max(mx, w[j]);
            }
            for (std::size_t j = 0; j < m.size(); ++j) z += visible(i, j) ? std::exp(w[j] - mx) : 0.0;
            for (std::size_t j = 0; j < m.size(); ++j)
                if (visible(i, j))
                    for (std::size_t c = 0; c < dh; ++c)
                        heads[i][hd * dh + c] += std::exp(w[j] - mx) / z * v[j][hd * dh + c];
        }
    return lin(heads, a.out_proj_weight.value(), a.out_proj_bias.value(), 0, d);
}

Mat ffn(const FeedForward& f, const Mat& x) {
    Mat hdn = lin(x, f.linear1_weight.value(), f.linear1_bias.value(), 0, f.linear1_bias.size());
    for (auto& row : hdn)
        for (double& v : row) v = std::max(0.0, v);
    return lin(hdn, f.linear2_weight.value(), f.linear2_bias.value(), 0, f.linear2_bias.size());
}

// LN(x + f(x)) or x + f(LN(x))
Mat sublayer(const Mat& x, const LayerNormParams& n, bool pre, const std::function<Mat(const Mat&)>& f) {
    return pre ? plus(x, f(ln(x, n))) : ln(plus(x, f(x)), n);
}

Mat embed_naive(const Tensor& table, const std::vector<std::int32_t>& ids, std::size_t d) {
    Mat x(ids.size(), std::vector<double>(d));
    for (std::size_t t = 0; t < ids.size(); ++t)
        for (std::size_t i = 0; i < d; ++i) {
            const double angle = double(t) / std::pow(10000.0, double(2 * (i / 2)) / double(d));
            x[t][i] =
                std::sqrt(double(d)) * table(std::size_t(ids[t]), i) + (i % 2 ? std::cos(angle) : std::sin(angle));
        }
    return x;
}

// source ids (no padding), target_in ids -> logits (Tt, V)
Mat naive_logits(const Transformer& m, const std::vector<std::int32_t>& src, const std::vector<std::int32_t>& tgt) {
    const bool pre = m.cfg.norm_first;
    const std::size_t d = m.cfg.d_model;
    auto all = [](std::size_t, std::size_t) { return true; };
    auto past = [](std::size_t i, std::size_t j) { return j <= i; };
    Mat x = embed_naive(m.src_embedding.weight.value(), src, d);
    for (const auto& l : m.encoder_layers) {
        x = sublayer(x, l.norm1, pre, [&](const Mat& v) { return mha(l.self_attn, v, v, all); });
        x = sublayer(x, l.norm2, pre, [&](const Mat& v) { return ffn(l.ff, v); });
    }
    if (pre) x = ln(x, m.encoder_norm);
    Mat y = embed_naive(m.tgt_embedding.weight.value(), tgt, d);
    for (const auto& l : m.decoder_layers) {
        y = sublayer(y, l.norm1, pre, [&](const Mat& v) { return mha(l.self_attn, v, v, past); });
        y = sublayer(y, l.norm2, pre, [&](const Mat& v) { return mha(l.multihead_attn, v, x, all); });
        y = sublayer(y, l.norm3, pre, [&](const Mat& v) { return ffn(l.ff, v); });
    }
    if (pre) y = ln(y, m.decoder_norm);
    const Tensor& W = m.cfg.tie_embeddings ? m.tgt_embedding.weight.value() : m.generator_weight.value();
    return lin(y, W, m.generator_bias.value(), 0, m.cfg.target_vocab_size);
}

Tensor to_tensor(const Mat& x) {
    Tensor t = Tensor::from_shape({x.size(), x[0].size()});
    for (std::size_t i = 0; i < x.size(); ++i)
        for (std::size_t j = 0; j < x[i].size(); ++j) t(i, j) = float(x[i][j]);
    return t;
}

}  // namespace

TEST_CASE("the Transformer's logits equal a naive loop implementation, post-LN and pre-LN, tied or not") {
    const Batch batch = tiny_batch();
    for (bool pre : {false, true})
        for (bool tie : {false, true}) {
            CAPTURE(pre);
            CAPTURE(tie);
            const Transformer m(tiny(pre, tie), 21);
            const Tensor logits = m.forward(batch, {}).value();  // (B, Tt, V), the source padded
            for (std::size_t b = 0; b < 3; ++b) {
                std::vector<std::int32_t> src, tgt;
                for (std::size_t j = 0; j < std::size_t(batch.source_lengths(b)); ++j)
                    src.push_back(batch.source(b, j));
                for (std::size_t t = 0; t < batch.target_in.shape(1); ++t) tgt.push_back(batch.target_in(b, t));
                const Tensor want = to_tensor(naive_logits(m, src, tgt));
                CHECK_CLOSE(Tensor(xt::view(logits, b, xt::all(), xt::all())), want, 1e-4, 1e-5);
            }
        }
}

TEST_CASE("the Transformer's gradient matches finite differences through the whole model, post-LN and pre-LN") {
    const Batch batch = tiny_batch();
    for (bool pre : {false, true}) {
        CAPTURE(pre);
        const Transformer base(tiny(pre, pre), 3);
        check_gradients(
            [&](auto& p) {
                Transformer m = base;
                m.src_embedding.weight = p[0];
                m.encoder_layers[0].self_attn.in_proj_weight = p[1];
                m.encoder_layers[1].ff.linear1_weight = p[2];
                m.decoder_layers[0].norm2.weight = p[3];
                m.decoder_layers[1].multihead_attn.in_proj_weight = p[4];
                m.decoder_layers[0].self_attn.out_proj_weight = p[5];
                m.tgt_embedding.weight = p[6];
                return cross_entropy(m.forward(batch, {}), batch.target_out).loss;
            },
            {base.src_embedding.weight.value(), base.encoder_layers[0].self_attn.in_proj_weight.value(),
             base.encoder_layers[1].ff.linear1_weight.value(), base.decoder_layers[0].norm2.weight.value(),
             base.decoder_layers[1].multihead_attn.in_proj_weight.value(),
             base.decoder_layers[0].self_attn.out_proj_weight.value(), base.tgt_embedding.weight.value()},
            1e-2, 3e-2, 2e-3, 12);
    }
}

TEST_CASE("cached incremental decoding gives the teacher-forced logits and attention at every step") {
    const Batch batch = tiny_batch();
    for (bool pre : {false, true}) {
        CAPTURE(pre);
        const Transformer m(tiny(pre), 5);
        const Transformer::Encoded enc = m.encode(batch.source, batch.source_lengths, {});
        const Transformer::Decoded full = m.decode(enc, batch.target_in, {});
        auto session = m.start(batch.source, batch.source_lengths);
        testing::check_steps_match_teacher_forced(full, *session, batch);
    }
}

TEST_CASE("every attention row sums to one and is zero on source padding and on future positions") {
    const Batch batch = tiny_batch();
    const Transformer m(tiny(false), 7);
    const Transformer::Encoded enc = m.encode(batch.source, batch.source_lengths, {});
    const Transformer::Decoded dec = m.decode(enc, batch.target_in, {});
    auto check_rows = [&](const Tensor& w, const std::function<bool(std::size_t, std::size_t, std::size_t)>& hidden) {
        for (std::size_t b = 0; b < w.shape(0); ++b)
            for (std::size_t h = 0; h < w.shape(1); ++h)
                for (std::size_t i = 0; i < w.shape(2); ++i) {
                    double s = 0;
                    for (std::size_t j = 0; j < w.shape(3); ++j) {
                        s += w(b, h, i, j);
                        if (hidden(b, i, j)) CHECK(w(b, h, i, j) == 0.0f);
                    }
                    CHECK(s == doctest::Approx(1.0).epsilon(1e-5));
                }
    };
    auto padding = [&](std::size_t b, std::size_t, std::size_t j) { return j >= std::size_t(batch.source_lengths(b)); };
    auto future = [](std::size_t, std::size_t i, std::size_t j) { return j > i; };
    for (std::size_t l = 0; l < 2; ++l) {
        check_rows(enc.self_weights[l].value(), padding);
        check_rows(dec.self_weights[l].value(), future);
        check_rows(dec.cross_weights[l].value(), padding);
    }
    auto session = m.start(batch.source, batch.source_lengths);
    for (int t = 0; t < 4; ++t) {
        session->step({1, 1, 1});
        const Tensor& cross = session->last_attention().at("cross");  // (K, L, h, Ts)
        for (std::size_t l = 0; l < 2; ++l)
            check_rows(Tensor(xt::view(cross, xt::all(), l, xt::all(), xt::newaxis(), xt::all())), padding);
        const Tensor& self = session->last_attention().at("decoder_self");
        for (std::size_t l = 0; l < 2; ++l)
            check_rows(Tensor(xt::view(self, xt::all(), l, xt::all(), xt::newaxis(), xt::all())),
                       [](std::size_t, std::size_t, std::size_t) { return false; });
    }
    const Tensor enc_self = session->source_attention().at("encoder_self");
    CHECK(enc_self.shape() == Shape{3, 2, 2, 5, 5});
    CHECK(Tensor(xt::view(enc_self, xt::all(), 1)) == enc.self_weights[1].value());
}

TEST_CASE("padding in the source does not change a sentence's output") {
    for (bool pre : {false, true}) {
        const Transformer m(tiny(pre), 13);
        const Batch batch = tiny_batch();
        const Tensor logits = m.forward(batch, {}).value();
        const auto all = greedy_decode(m, batch.source, batch.source_lengths, 10);
        for (std::size_t b = 0; b < 3; ++b) {
            const std::size_t n = std::size_t(batch.source_lengths(b));
            Batch one;
            one.source = xt::view(batch.source, xt::range(b, b + 1), xt::range(0, n));
            one.source_lengths = IntTensor{std::int32_t(n)};
            one.target_in = xt::view(batch.target_in, xt::range(b, b + 1), xt::all());
            CHECK_CLOSE(Tensor(xt::view(m.forward(one, {}).value(), 0)), Tensor(xt::view(logits, b)), 1e-4, 1e-5);
            const auto alone = greedy_decode(m, one.source, one.source_lengths, 10)[0];
            CHECK(alone.tokens == all[b].tokens);
            const Tensor cross = all[b].attention("cross");  // (L, h, To, Ts)
            CHECK_CLOSE(alone.attention("cross"),
                        Tensor(xt::view(cross, xt::all(), xt::all(), xt::all(), xt::range(0, n))), 1e-4, 1e-6);
        }
    }
}

TEST_CASE(
    "beam 1 equals greedy, the maps have the Transformer's shapes, and a wider beam never finds a less likely "
    "translation") {
    const Transformer m(tiny(true, true), 11);
    testing::check_beam_one_is_greedy(m);
}

TEST_CASE("parameters carry PyTorch's nn.Transformer names") {
    TransformerConfig c = tiny(false);
    c.num_encoder_layers = c.num_decoder_layers = 1;
    std::vector<std::string> names;
    for (const auto& [name, v] : Transformer(c, 1).parameters()) names.push_back(name);
    const std::vector<std::string> attn = {"in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"};
    std::vector<std::string> want = {"src_embedding.weight", "tgt_embedding.weight"};
    for (const auto& a : attn) want.push_back("encoder.layers.0.self_attn." + a);
    for (const char* n : {"linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight",
                          "norm1.bias", "norm2.weight", "norm2.bias"})
        want.push_back(std::string("encoder.layers.0.") + n);
    for (const auto& a : attn) want.push_back("decoder.layers.0.self_attn." + a);
    for (const auto& a : attn) want.push_back("decoder.layers.0.multihead_attn." + a);
    for (const char* n : {"linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight",
                          "norm1.bias", "norm2.weight", "norm2.bias", "norm3.weight", "norm3.bias"})
        want.push_back(std::string("decoder.layers.0.") + n);
    want.push_back("generator.weight");
    want.push_back("generator.bias");
    CHECK(names == want);

    c.norm_first = c.tie_embeddings = true;
    const Transformer pre(c, 1);
    names.clear();
    for (const auto& [name, v] : pre.parameters()) names.push_back(name);
    CHECK(std::count(names.begin(), names.end(), "encoder.norm.weight") == 1);
    CHECK(std::count(names.begin(), names.end(), "decoder.norm.bias") == 1);
    CHECK(std::count(names.begin(), names.end(), "generator.weight") == 0);
    CHECK(names.back() == "generator.bias");
}

TEST_CASE("configs round-trip through JSON, and bad configurations are clear errors") {
    const TransformerConfig c = tiny(true, true);
    const nlohmann::json j = transformer_config_to_json(c);
    CHECK(transformer_config_to_json(transformer_config_from_json(j)) == j);
    CHECK(make_model(j, 1)->config() == j);
    auto with = [&](const char* key, nlohmann::json v) {
        nlohmann::json k = j;
        k[key] = v;
        return k;
    };
    CHECK_THROWS_AS(transformer_config_from_json(with("num_heads", 4)), Error);  // 4 does not divide 6
    CHECK_THROWS_AS(transformer_config_from_json(with("dropout", 1.5)), Error);
    CHECK_THROWS_AS(transformer_config_from_json(with("norm_first", "yes")), Error);
    CHECK_THROWS_AS(transformer_config_from_json(with("d_modle", 8)), Error);  // unknown field
    CHECK_THROWS_AS(transformer_config_from_json(with("num_encoder_layers", 0)), Error);
    nlohmann::json missing = j;
    missing.erase("max_length");
    CHECK_THROWS_AS(transformer_config_from_json(missing), Error);
    TransformerConfig bad = c;
    bad.num_heads = 4;
    CHECK_THROWS_AS(Transformer(bad, 1), Error);
    const Transformer m(c, 1);
    Rng rng(1);
    CHECK_THROWS_AS(m.forward(tiny_batch(), {{true, &rng}, 0.5f}), Error);  // teacher forcing < 1 unsupported
    IntTensor too_long = xt::ones<std::int32_t>({std::size_t(1), std::size_t(17)});
    CHECK_THROWS_AS(m.start(too_long, IntTensor{17}), Error);  // beyond max_length 16
    auto session = m.start(IntTensor{{4, 2}}, IntTensor{2});
    CHECK_THROWS_AS(session->step({1, 1}), Error);  // 2 tokens for 1 hypothesis
    CHECK_THROWS_AS(session->reorder({3}), Error);
}

TEST_CASE("dropout acts in training only") {
    TransformerConfig c = tiny(false);
    c.dropout = 0.3f;
    const Transformer m(c, 9);
    const Batch batch = tiny_batch();
    Rng rng(1);
    const Tensor eval1 = m.forward(batch, {}).value(), eval2 = m.forward(batch, {{false, &rng}, 1.0f}).value();
    CHECK(eval1 == eval2);
    const Tensor train = m.forward(batch, {{true, &rng}, 1.0f}).value();
    CHECK(closeness(train, eval1, 1e-3, 1e-3) > 1.0);
    CHECK_THROWS_AS(m.forward(batch, {{true, nullptr}, 1.0f}), Error);  // dropout needs an Rng
}

TEST_CASE("a tiny Transformer learns to reverse digit strings") {
    testing::check_learns_to_reverse(DecoderSelfAttention::masked);
}
