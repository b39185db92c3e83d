// Primer §10: the weighted sum inside each head of multi-head attention, as translate(…, states)
// returns it — each head's values v_i and its output o_t = Σ_i α_{t,i} v_i — against the weights it
// returns and against the layers of the model that produced them.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/decode/greedy.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/text/vocab.hpp"

using namespace attnlab;

namespace {
const std::string kModels = std::string(ATTNLAB_DATA_DIR) + "/../models/";
// Every bundle named here is in models/: a missing one fails the test rather than skipping it.
bool shipped(const std::string& name) { return std::ifstream(kModels + name + "/config.json").good(); }
const std::string kSentence = "the small cat does not eat the red apple .";

// The largest |a − b| over two tensors of one shape.
double max_difference(const Tensor& a, const Tensor& b) {
    REQUIRE(a.shape() == b.shape());
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(double(a.data()[i]) - double(b.data()[i])));
    return worst;
}

// weights (L, h, Tq, Tk), values (L, h, Tk, dh) -> Σ_i α_{t,i} v_i (L, h, Tq, dh), in double
Tensor weighted_sum(const Tensor& weights, const Tensor& values) {
    const std::size_t L = weights.shape(0), H = weights.shape(1), Tq = weights.shape(2), Tk = weights.shape(3);
    const std::size_t dh = values.shape(3);
    Tensor out = xt::zeros<float>({L, H, Tq, dh});
    for (std::size_t l = 0; l < L; ++l)
        for (std::size_t h = 0; h < H; ++h)
            for (std::size_t t = 0; t < Tq; ++t)
                for (std::size_t d = 0; d < dh; ++d) {
                    double sum = 0;
                    for (std::size_t i = 0; i < Tk; ++i)
                        sum += double(weights(l, h, t, i)) * double(values(l, h, i, d));
                    out(l, h, t, d) = float(sum);
                }
    return out;
}

// Layer `layer` of a per-layer map (L, h, T, dh), with a batch axis: (1, h, T, dh)
Var layer_of(const Tensor& m, std::size_t layer) {
    Tensor one = xt::view(m, layer);
    one.reshape({1, m.shape(1), m.shape(2), m.shape(3)});
    return constant(one);
}

// The model's own layers, run again over the translation (the decoder teacher-forced on the output it
// produced): each layer's actual output against the same layer with its attention replaced by the returned
// head outputs, concatenated and put through W^O — and the returned values against the layer's W^V.
void check_against_layers(const Transformer& m, const std::vector<std::int32_t>& source_ids, const Hypothesis& hyp) {
    NoGrad no_grad;
    const std::map<std::string, Tensor> values = hyp.head_values(), context = hyp.head_context();
    IntTensor src = IntTensor::from_shape({1, source_ids.size()}), len = {std::int32_t(source_ids.size())};
    std::copy(source_ids.begin(), source_ids.end(), src.begin());
    const Run run{};
    const auto input = [](const LayerNormParams& n, bool first, const Var& x) {
        return first ? layer_norm_forward(n, x) : x;
    };
    const auto returned = [](const MultiHeadAttention& a, const Tensor& heads, std::size_t layer) {
        return combine_heads(a, layer_of(heads, layer));  // [o_1; …; o_h] W^Oᵀ + b^O
    };

    const Transformer::Encoded enc = m.encode(src, len, run);
    Var x = m.embed(m.src_embedding, src, 0, run);
    for (std::size_t i = 0; i < m.encoder_layers.size(); ++i) {
        CAPTURE(i);
        const TransformerEncoderLayer& l = m.encoder_layers[i];
        const Var actual = encoder_layer_forward(l, x, enc.mask, run).output;
        const Var y = residual_sublayer(x, l.norm1, l.norm_first, 0.0f, run, [&](const Var&) {
            return returned(l.self_attn, context.at("encoder_self"), i);
        });
        const Var rebuilt = residual_sublayer(y, l.norm2, l.norm_first, 0.0f, run,
                                              [&](const Var& v) { return feed_forward(l.ff, v, 0.0f, run); });
        CHECK(max_difference(rebuilt.value(), actual.value()) < 1e-5);
        CHECK(max_difference(layer_of(values.at("encoder_self"), i).value(),
                             project_heads(l.self_attn, input(l.norm1, l.norm_first, x), 2).value()) < 1e-5);
        x = actual;
    }

    IntTensor target_in = IntTensor::from_shape({1, hyp.tokens.size()});
    target_in(0, 0) = kBos;
    std::copy(hyp.tokens.begin(), hyp.tokens.end() - 1, target_in.begin() + 1);
    Var y = m.embed(m.tgt_embedding, target_in, 0, run);
    for (std::size_t i = 0; i < m.decoder_layers.size(); ++i) {
        CAPTURE(i);
        const TransformerDecoderLayer& l = m.decoder_layers[i];
        const Var actual = decoder_layer_forward(l, y, enc.memory, enc.mask, run).output;
        const Var z1 = residual_sublayer(y, l.norm1, l.norm_first, 0.0f, run, [&](const Var&) {
            return returned(l.self_attn, context.at("decoder_self"), i);
        });
        const Var z2 = residual_sublayer(z1, l.norm2, l.norm_first, 0.0f, run, [&](const Var&) {
            return returned(l.multihead_attn, context.at("cross"), i);
        });
        const Var rebuilt = residual_sublayer(z2, l.norm3, l.norm_first, 0.0f, run,
                                              [&](const Var& v) { return feed_forward(l.ff, v, 0.0f, run); });
        CHECK(max_difference(rebuilt.value(), actual.value()) < 1e-5);
        CHECK(max_difference(layer_of(values.at("decoder_self"), i).value(),
                             project_heads(l.self_attn, input(l.norm1, l.norm_first, y), 2).value()) < 1e-5);
        CHECK(max_difference(layer_of(values.at("cross"), i).value(),
                             project_heads(l.multihead_attn, enc.memory, 2).value()) < 1e-5);
        y = actual;
    }
}
}  // namespace

TEST_CASE(
    "translate with states: each head's returned output is the weighted sum Σ α_i v_i of its returned values, every "
    "map, layer and head") {
    int checked = 0;
    for (const std::string name : {"toy-en-fr-transformer", "dates-transformer", "toy-en-fr-aaren"}) {
        CAPTURE(name);
        REQUIRE(shipped(name));
        const Bundle b = load_bundle(kModels + name);
        const bool aaren = b.config["model"]["architecture"] == "aaren";
        const std::string sentence = b.task() == "dates" ? "24 nov 2026" : kSentence;
        for (std::size_t beam : {1, 3}) {
            CAPTURE(beam);
            TranslateOptions o;
            o.beam = beam;
            const Translation light = translate(b, sentence, o);
            CHECK(light.values.empty());  // kept only when asked
            CHECK(light.head_context.empty());
            o.states = true;
            const Translation t = translate(b, sentence, o);
            CHECK(t.output_tokens == light.output_tokens);
            // Aaren's decoder self-attention folds its values into its O(1) state: no values to show
            const std::vector<std::string> maps =
                aaren ? std::vector<std::string>{"cross", "encoder_self"}
                      : std::vector<std::string>{"cross", "decoder_self", "encoder_self"};
            std::vector<std::string> returned;
            for (const auto& [map, v] : t.values) returned.push_back(map);
            CHECK(returned == maps);
            for (const std::string& map : maps) {
                CAPTURE(map);
                const Tensor &a = t.attention.at(map), &v = t.values.at(map), &c = t.head_context.at(map);
                const std::size_t L = a.shape(0), H = a.shape(1), Tq = a.shape(2), Tk = a.shape(3);
                const std::size_t dh = std::size_t(b.config["model"]["d_model"]) / H;
                CHECK(v.shape() == Shape{L, H, Tk, dh});
                CHECK(c.shape() == Shape{L, H, Tq, dh});
                CHECK(max_difference(weighted_sum(a, v), c) < 1e-5);
                ++checked;
            }
        }
    }
    CHECK(checked == 2 * (3 + 3 + 2));
    // an RNN has no heads
    TranslateOptions o;
    o.states = true;
    CHECK(translate(load_bundle(kModels + "toy-en-fr-bahdanau-gru"), kSentence, o).values.empty());
}

TEST_CASE(
    "the returned head outputs, concatenated and put through W^O, are each attention block's output in the model's own "
    "layers; the values are W^V x + b^V") {
    SUBCASE("a shipped post-LN Transformer, from its translation") {
        REQUIRE(shipped("toy-en-fr-transformer"));
        const Bundle b = load_bundle(kModels + "toy-en-fr-transformer");
        std::vector<std::int32_t> ids = b.source.encode(kSentence).ids;
        ids.push_back(kEos);
        IntTensor src = IntTensor::from_shape({1, ids.size()}), len = {std::int32_t(ids.size())};
        std::copy(ids.begin(), ids.end(), src.begin());
        const Hypothesis h = greedy_decode(*b.model, src, len, 30, true)[0];
        REQUIRE(h.finished());
        check_against_layers(dynamic_cast<const Transformer&>(*b.model), ids, h);
    }
    SUBCASE("a fresh pre-LN Transformer of 3 layers and 2 heads") {
        TransformerConfig c;
        c.source_vocab_size = c.target_vocab_size = 12;
        c.d_model = 16;
        c.num_heads = 2;
        c.num_encoder_layers = c.num_decoder_layers = 3;
        c.dim_feedforward = 24;
        c.norm_first = true;
        const Transformer m(c, 7);
        const std::vector<std::int32_t> ids{5, 9, 6, 11, 7, kEos};
        IntTensor src = IntTensor::from_shape({1, ids.size()}), len = {std::int32_t(ids.size())};
        std::copy(ids.begin(), ids.end(), src.begin());
        const Hypothesis h = greedy_decode(m, src, len, 6, true)[0];  // 6 tokens, <eos> or not
        REQUIRE(h.tokens.size() >= 2);
        check_against_layers(m, ids, h);
    }
}
