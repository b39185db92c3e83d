// The primer's recurrent cells (Elman RNN, LSTM, GRU) and the multi-layer, bidirectional recurrent
// layer over padded batches: values against naive scalar code, gate order, padding, gradients, errors.
#include <cmath>
#include <utility>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/nn/gru_cell.hpp"
#include "attnlab/nn/lstm_cell.hpp"
#include "attnlab/nn/recurrent_layer.hpp"
#include "attnlab/nn/rnn_cell.hpp"
#include "test_util.hpp"

using namespace attnlab;
using attnlab::testing::check_gradients;
using attnlab::testing::random_tensor;
using attnlab::testing::TestRng;

namespace {

Tensor rnd(const Shape& s, std::uint64_t seed, float lo = -1.0f, float hi = 1.0f) {
    return random_tensor(s, seed, lo, hi);
}

// ---- a naive scalar implementation of the three cells, one sample at a time, in double ----------
using Vec = std::vector<double>;

Vec row(const Tensor& t, std::size_t r) {  // row r of a (rows, n) tensor
    const std::size_t n = t.shape(1);
    return Vec(t.data() + r * n, t.data() + (r + 1) * n);
}
// W x + b for W (rows, cols)
Vec affine(const Tensor& W, const Tensor& b, const Vec& x) {
    Vec y(W.shape(0));
    for (std::size_t i = 0; i < y.size(); ++i) {
        double s = b(i);
        for (std::size_t j = 0; j < x.size(); ++j) s += double(W(i, j)) * x[j];
        y[i] = s;
    }
    return y;
}
double sigm(double v) { return 1.0 / (1.0 + std::exp(-v)); }

Vec naive_rnn(const RNNCell& c, const Vec& x, const Vec& h) {
    const Vec a = affine(c.w_ih.value(), c.b_ih.value(), x), b = affine(c.w_hh.value(), c.b_hh.value(), h);
    Vec out(h.size());
    for (std::size_t k = 0; k < h.size(); ++k) {
        const double pre = a[k] + b[k];
        out[k] = c.nonlinearity == RNNNonlinearity::relu ? std::max(0.0, pre) : std::tanh(pre);
    }
    return out;
}

std::pair<Vec, Vec> naive_lstm(const LSTMCell& c, const Vec& x, const Vec& h, const Vec& cell) {
    const std::size_t H = h.size();
    const Vec a = affine(c.w_ih.value(), c.b_ih.value(), x), b = affine(c.w_hh.value(), c.b_hh.value(), h);
    Vec h2(H), c2(H);
    for (std::size_t k = 0; k < H; ++k) {
        const double i = sigm(a[k] + b[k]);
        const double f = sigm(a[H + k] + b[H + k]);
        const double g = std::tanh(a[2 * H + k] + b[2 * H + k]);
        const double o = sigm(a[3 * H + k] + b[3 * H + k]);
        c2[k] = f * cell[k] + i * g;
        h2[k] = o * std::tanh(c2[k]);
    }
    return {h2, c2};
}

Vec naive_gru(const GRUCell& c, const Vec& x, const Vec& h) {
    const std::size_t H = h.size();
    const Vec a = affine(c.w_ih.value(), c.b_ih.value(), x), b = affine(c.w_hh.value(), c.b_hh.value(), h);
    Vec out(H);
    for (std::size_t k = 0; k < H; ++k) {
        const double r = sigm(a[k] + b[k]);
        const double z = sigm(a[H + k] + b[H + k]);
        const double n = std::tanh(a[2 * H + k] + r * b[2 * H + k]);
        out[k] = (1 - z) * n + z * h[k];
    }
    return out;
}

void check_row(const Tensor& got, std::size_t r, const Vec& expected, double tol = 1e-6) {
    for (std::size_t k = 0; k < expected.size(); ++k) {
        CAPTURE(r);
        CAPTURE(k);
        CHECK(got(r, k) == doctest::Approx(expected[k]).epsilon(tol).scale(1.0));
    }
}

Var flat(const Var& v) { return reshape(v, {v.size()}); }

// Hand-chosen tiny weights: in = 2, H = 2.
const Tensor x_batch = {{1.0f, 2.0f}, {-0.5f, 0.3f}};
const Tensor h_batch = {{0.2f, -0.1f}, {0.7f, 0.4f}};
const Tensor c_batch = {{0.3f, -0.5f}, {-0.8f, 0.6f}};

RNNCell hand_rnn(RNNNonlinearity nl) {
    return {Var(Tensor{{0.5f, -0.3f}, {0.8f, 0.2f}}), Var(Tensor{{0.1f, 0.4f}, {-0.6f, 0.3f}}),
            Var(Tensor{0.1f, -0.2f}), Var(Tensor{0.05f, 0.3f}), nl};
}
LSTMCell hand_lstm() {
    return {Var(Tensor{{0.5f, -0.3f},
                       {0.8f, 0.2f},
                       {-0.4f, 0.6f},
                       {0.1f, 0.9f},  // i
                       {0.3f, 0.3f},
                       {-0.7f, 0.5f},
                       {0.2f, -0.2f},
                       {0.6f, 0.1f}}),  // …  o
            Var(Tensor{{0.1f, 0.4f},
                       {-0.6f, 0.3f},
                       {0.2f, 0.2f},
                       {0.5f, -0.1f},
                       {-0.3f, 0.7f},
                       {0.4f, 0.4f},
                       {0.9f, -0.5f},
                       {-0.2f, 0.3f}}),
            Var(Tensor{0.1f, -0.2f, 0.3f, 0.0f, -0.1f, 0.2f, 0.05f, -0.3f}),
            Var(Tensor{0.05f, 0.3f, -0.1f, 0.2f, 0.15f, -0.25f, 0.1f, 0.4f})};
}
GRUCell hand_gru() {
    return {Var(Tensor{{0.5f, -0.3f}, {0.8f, 0.2f}, {-0.4f, 0.6f}, {0.1f, 0.9f}, {0.3f, 0.3f}, {-0.7f, 0.5f}}),
            Var(Tensor{{0.1f, 0.4f}, {-0.6f, 0.3f}, {0.2f, 0.2f}, {0.5f, -0.1f}, {-0.3f, 0.7f}, {0.4f, 0.4f}}),
            Var(Tensor{0.1f, -0.2f, 0.3f, 0.0f, -0.1f, 0.2f}), Var(Tensor{0.05f, 0.3f, -0.1f, 0.2f, 0.15f, -0.25f})};
}

// Biases that set each gate block to a chosen constant pre-activation (weights zero).
Tensor block_bias(const std::vector<float>& per_gate, std::size_t H) {
    Tensor b = Tensor::from_shape({per_gate.size() * H});
    for (std::size_t g = 0; g < per_gate.size(); ++g)
        for (std::size_t k = 0; k < H; ++k) b(g * H + k) = per_gate[g];
    return b;
}

}  // namespace

// ---- cells ----------------------------------------------------------------------------------------

TEST_CASE("RNN cell matches a hand-computed step, with tanh and with relu") {
    // Row 0 by hand: W_ih x + b_ih = [0.5 − 0.6 + 0.1, 0.8 + 0.4 − 0.2] = [0, 1];
    // W_hh h + b_hh = [0.02 − 0.04 + 0.05, −0.12 − 0.03 + 0.3] = [0.03, 0.15]; sum [0.03, 1.15].
    Var h = rnn_step(hand_rnn(RNNNonlinearity::tanh), Var(x_batch), Var(h_batch));
    REQUIRE(h.value().shape() == Shape{2, 2});
    CHECK(h.value()(0, 0) == doctest::Approx(0.0299910027));  // tanh(0.03)
    CHECK(h.value()(0, 1) == doctest::Approx(0.8177540779));  // tanh(1.15)
    for (auto nl : {RNNNonlinearity::tanh, RNNNonlinearity::relu}) {
        RNNCell cell = hand_rnn(nl);
        Tensor got = rnn_step(cell, Var(x_batch), Var(h_batch)).value();
        for (std::size_t r = 0; r < 2; ++r) check_row(got, r, naive_rnn(cell, row(x_batch, r), row(h_batch, r)));
    }
    Tensor relu_out = rnn_step(hand_rnn(RNNNonlinearity::relu), Var(x_batch), Var(h_batch)).value();
    CHECK(relu_out(0, 1) == doctest::Approx(1.15));
}

TEST_CASE("LSTM cell matches a naive scalar step") {
    LSTMCell cell = hand_lstm();
    LSTMState s = lstm_step(cell, Var(x_batch), {Var(h_batch), Var(c_batch)});
    for (std::size_t r = 0; r < 2; ++r) {
        auto [h2, c2] = naive_lstm(cell, row(x_batch, r), row(h_batch, r), row(c_batch, r));
        check_row(s.h.value(), r, h2);
        check_row(s.c.value(), r, c2);
    }
}

TEST_CASE("LSTM gates are stacked i, f, g, o") {
    const std::size_t H = 2;
    auto cell_with = [&](std::vector<float> gate_bias) {
        return LSTMCell{Var(xt::zeros<float>({4 * H, std::size_t(2)})), Var(xt::zeros<float>({4 * H, H})),
                        Var(block_bias(gate_bias, H)), Var(xt::zeros<float>({4 * H}))};
    };
    // Forget gate open, input gate shut: c' = c (swapping i and f would give c' = tanh(1)).
    // Output gate open: h' = tanh(c) (swapping g and o would give σ(1)·tanh(c)).
    LSTMState keep = lstm_step(cell_with({-20, 20, 1, 20}), Var(x_batch), {Var(h_batch), Var(c_batch)});
    CHECK_CLOSE(keep.c.value(), c_batch, 0, 1e-6);
    CHECK_CLOSE(keep.h.value(), Tensor(xt::tanh(c_batch)), 0, 1e-6);
    // Input gate open, forget gate shut: c' = g = tanh(1), whatever c was.
    LSTMState write = lstm_step(cell_with({20, -20, 1, 20}), Var(x_batch), {Var(h_batch), Var(c_batch)});
    CHECK_CLOSE(write.c.value(), Tensor(xt::ones<float>({2, 2}) * std::tanh(1.0f)), 0, 1e-6);
}

TEST_CASE("GRU cell matches a naive scalar step") {
    GRUCell cell = hand_gru();
    Tensor got = gru_step(cell, Var(x_batch), Var(h_batch)).value();
    for (std::size_t r = 0; r < 2; ++r) check_row(got, r, naive_gru(cell, row(x_batch, r), row(h_batch, r)));
}

TEST_CASE("GRU gates are stacked r, z, n and the reset gate applies after the hidden matmul") {
    const std::size_t H = 2;
    GRUCell base = hand_gru();
    auto cell_with = [&](std::vector<float> ih_bias, std::vector<float> hh_bias) {
        return GRUCell{base.w_ih, base.w_hh, Var(block_bias(ih_bias, H)), Var(block_bias(hh_bias, H))};
    };
    // Update gate shut open (z ≈ 1): h' = h. Swapping r and z would give z = σ(0) = ½.
    Tensor kept = gru_step(cell_with({0, 20, 0}, {0, 0, 0}), Var(x_batch), Var(h_batch)).value();
    CHECK_CLOSE(kept, h_batch, 0, 1e-6);
    // z ≈ 0 and r ≈ 0: h' = n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) = tanh(W_in x) — b_hn = 5 is
    // reset away with W_hn h. Resetting before the matmul, W_hn (r ⊙ h) + b_hn, would keep b_hn.
    GRUCell cell = cell_with({-20, -20, 0}, {0, 0, 5});
    Tensor got = gru_step(cell, Var(x_batch), Var(h_batch)).value();
    for (std::size_t r = 0; r < 2; ++r) {
        Vec expected(H);
        for (std::size_t k = 0; k < H; ++k)
            expected[k] = std::tanh(double(base.w_ih.value()(2 * H + k, 0)) * x_batch(r, 0) +
                                    double(base.w_ih.value()(2 * H + k, 1)) * x_batch(r, 1));
        check_row(got, r, expected, 1e-5);
    }
}

TEST_CASE("cells list PyTorch's parameter names and are initialised uniform(-1/sqrt(H), 1/sqrt(H))") {
    Rng rng(3);
    GRUCell gru = make_gru_cell(5, 4, rng);
    LSTMCell lstm = make_lstm_cell(5, 4, rng);
    RNNCell rnn = make_rnn_cell(5, 4, rng);
    CHECK(gru.w_ih.value().shape() == Shape{12, 5});
    CHECK(lstm.w_hh.value().shape() == Shape{16, 4});
    CHECK(rnn.b_ih.value().shape() == Shape{4});
    for (const Var* v : {&gru.w_ih, &gru.w_hh, &gru.b_ih, &lstm.w_ih, &lstm.b_hh, &rnn.w_hh}) {
        CHECK(v->requires_grad());
        CHECK(xt::amax(xt::abs(v->value()))() <= 0.5f);
        CHECK(xt::amax(xt::abs(v->value()))() > 0.3f);  // spread over the range, not all tiny
    }
    NamedVars params;
    add_parameters(params, "decoder.cell", gru);
    REQUIRE(params.size() == 4);
    CHECK(params[0].first == "decoder.cell.weight_ih");
    CHECK(params[1].first == "decoder.cell.weight_hh");
    CHECK(params[2].first == "decoder.cell.bias_ih");
    CHECK(params[3].first == "decoder.cell.bias_hh");
    CHECK(params[3].second.node() == gru.b_hh.node());
}

TEST_CASE("cell steps have finite-difference gradients w.r.t. x, h, c and all weights") {
    const Tensor x = rnd({2, 3}, 1), h = rnd({2, 2}, 2), c = rnd({2, 2}, 3);
    check_gradients(
        [](auto& v) {
            return rnn_step(RNNCell{v[2], v[3], v[4], v[5]}, v[0], v[1]);
        },
        {x, h, rnd({2, 3}, 4), rnd({2, 2}, 5), rnd({2}, 6), rnd({2}, 7)});
    check_gradients(
        [](auto& v) {
            return gru_step(GRUCell{v[2], v[3], v[4], v[5]}, v[0], v[1]);
        },
        {x, h, rnd({6, 3}, 8), rnd({6, 2}, 9), rnd({6}, 10), rnd({6}, 11)});
    check_gradients(
        [](auto& v) {
            LSTMState s = lstm_step(LSTMCell{v[3], v[4], v[5], v[6]}, v[0], {v[1], v[2]});
            return concat({s.h, s.c}, 1);
        },
        {x, h, c, rnd({8, 3}, 12), rnd({8, 2}, 13), rnd({8}, 14), rnd({8}, 15)});
}

TEST_CASE("cell steps reject inputs of the wrong shape") {
    GRUCell gru = hand_gru();
    CHECK_THROWS_WITH_AS(gru_step(gru, Var(rnd({2, 3}, 1)), Var(h_batch)), "gru_step: input (2, 3) is not (2, 2)",
                         Error);
    CHECK_THROWS_AS(gru_step(gru, Var(x_batch), Var(rnd({2, 3}, 2))), Error);
    CHECK_THROWS_AS(gru_step(gru, Var(x_batch), Var(rnd({3, 2}, 2))), Error);  // batch sizes differ
    CHECK_THROWS_AS(lstm_step(hand_lstm(), Var(x_batch), {Var(h_batch), Var(rnd({2, 3}, 3))}), Error);
    CHECK_THROWS_AS(rnn_step(hand_rnn(RNNNonlinearity::tanh), Var(rnd({2}, 4)), Var(h_batch)), Error);
}

// ---- the recurrent layer --------------------------------------------------------------------------

namespace {

const char* kind_name(RecurrentKind k) {
    return k == RecurrentKind::rnn ? "rnn" : k == RecurrentKind::lstm ? "lstm" : "gru";
}

// A sequence run alone, unpadded, with the cell step functions: layer by layer, each direction a plain
// loop over the sequence's own steps (the reverse one from its last step to its first).
struct Reference {
    Tensor output;             // (len, D·H)
    std::vector<Tensor> h, c;  // per layer·direction: (1, H)
};

Reference reference_run(const RecurrentLayer& layer, const Tensor& x /*(len, in)*/, const Tensor& h0,
                        const Tensor& c0 /* (L·D, H) each, or empty */) {
    NoGrad no_grad;
    const RecurrentConfig& cfg = layer.config;
    const std::size_t len = x.shape(0), H = cfg.hidden_size, D = num_directions(cfg);
    Reference ref;
    Tensor input = x;
    for (std::size_t l = 0; l < cfg.num_layers; ++l) {
        Tensor out = Tensor::from_shape({len, D * H});
        for (std::size_t d = 0; d < D; ++d) {
            const std::size_t idx = l * D + d;
            const RecurrentWeights& w = layer.weights[idx];
            Var h(h0.dimension() != 0 ? Tensor(xt::view(h0, xt::range(idx, idx + 1), xt::all()))
                                      : Tensor(xt::zeros<float>({std::size_t(1), H})));
            Var c(c0.dimension() != 0 ? Tensor(xt::view(c0, xt::range(idx, idx + 1), xt::all()))
                                      : Tensor(xt::zeros<float>({std::size_t(1), H})));
            for (std::size_t k = 0; k < len; ++k) {
                const std::size_t t = d == 1 ? len - 1 - k : k;
                Var xt_(Tensor(xt::view(input, xt::range(t, t + 1), xt::all())));  // (1, in)
                switch (cfg.kind) {
                    case RecurrentKind::rnn:
                        h = rnn_step(RNNCell{w.w_ih, w.w_hh, w.b_ih, w.b_hh, cfg.nonlinearity}, xt_, h);
                        break;
                    case RecurrentKind::lstm: {
                        LSTMState s = lstm_step(LSTMCell{w.w_ih, w.w_hh, w.b_ih, w.b_hh}, xt_, {h, c});
                        h = s.h;
                        c = s.c;
                        break;
                    }
                    case RecurrentKind::gru:
                        h = gru_step(GRUCell{w.w_ih, w.w_hh, w.b_ih, w.b_hh}, xt_, h);
                        break;
                }
                for (std::size_t j = 0; j < H; ++j) out(t, d * H + j) = h.value()(0, j);
            }
            ref.h.push_back(h.value());
            ref.c.push_back(c.value());
        }
        input = out;
    }
    ref.output = input;
    return ref;
}

RecurrentConfig config_for(RecurrentKind kind, std::size_t in, std::size_t H, std::size_t L, bool bidi,
                           RNNNonlinearity nl = RNNNonlinearity::tanh) {
    RecurrentConfig c;
    c.kind = kind;
    c.input_size = in;
    c.hidden_size = H;
    c.num_layers = L;
    c.bidirectional = bidi;
    c.nonlinearity = nl;
    return c;
}

// Rows of a (count, B, H) state for sequence b -> (count, H)
Tensor state_of(const Tensor& s, std::size_t b) { return xt::view(s, xt::all(), b, xt::all()); }

}  // namespace

TEST_CASE("padded bidirectional 2-layer RNN, LSTM and GRU equal each sequence run alone") {
    struct Batch {
        std::size_t T;
        IntTensor lengths;
        bool initial_state;
    };
    const Batch batches[] = {{5, {5, 2, 4}, false}, {7, {1, 6, 3, 1}, true}, {1, {1, 1}, true}};
    const std::size_t in = 3, H = 4, L = 2;
    std::uint64_t seed = 100;
    for (const auto& kind_nl :
         {std::pair{RecurrentKind::rnn, RNNNonlinearity::tanh}, std::pair{RecurrentKind::rnn, RNNNonlinearity::relu},
          std::pair{RecurrentKind::lstm, RNNNonlinearity::tanh},
          std::pair{RecurrentKind::gru, RNNNonlinearity::tanh}}) {
        const RecurrentKind kind = kind_nl.first;
        const RNNNonlinearity nl = kind_nl.second;
        for (const Batch& batch : batches) {
            INFO("kind: " << kind_name(kind));
            CAPTURE(batch.T);
            Rng rng(seed++);
            RecurrentLayer layer = make_recurrent_layer(config_for(kind, in, H, L, true, nl), rng);
            const std::size_t B = batch.lengths.size(), T = batch.T;
            Tensor x = rnd({B, T, in}, seed++);
            RecurrentState init;
            if (batch.initial_state) {
                init.h = Var(rnd({2 * L, B, H}, seed++));
                if (kind == RecurrentKind::lstm) init.c = Var(rnd({2 * L, B, H}, seed++));
            }
            RecurrentOutput out = recurrent_forward(layer, Var(x), batch.lengths, init);
            REQUIRE(out.output.value().shape() == Shape{B, T, 2 * H});
            REQUIRE(out.final.h.value().shape() == Shape{2 * L, B, H});
            if (kind == RecurrentKind::lstm)
                CHECK(out.final.c.value().shape() == Shape{2 * L, B, H});
            else
                CHECK(out.final.c.size() == 0);  // no cell state
            for (std::size_t b = 0; b < B; ++b) {
                CAPTURE(b);
                const std::size_t len = std::size_t(batch.lengths(b));
                Tensor xb = xt::view(x, b, xt::range(0, len), xt::all());  // (len, in)
                Tensor h0 = batch.initial_state ? state_of(init.h.value(), b) : Tensor();
                Tensor c0 = batch.initial_state && kind == RecurrentKind::lstm ? state_of(init.c.value(), b) : Tensor();
                Reference ref = reference_run(layer, xb, h0, c0);
                Tensor got = xt::view(out.output.value(), b, xt::range(0, len), xt::all());
                CHECK_CLOSE(got, ref.output, 1e-5, 1e-6);
                for (std::size_t t = len; t < T; ++t)  // padded steps: exactly zero
                    for (std::size_t j = 0; j < 2 * H; ++j) CHECK(out.output.value()(b, t, j) == 0.0f);
                for (std::size_t i = 0; i < 2 * L; ++i) {
                    CAPTURE(i);
                    CHECK_CLOSE(Tensor(xt::view(out.final.h.value(), i, xt::range(b, b + 1), xt::all())), ref.h[i],
                                1e-5, 1e-6);
                    if (kind == RecurrentKind::lstm)
                        CHECK_CLOSE(Tensor(xt::view(out.final.c.value(), i, xt::range(b, b + 1), xt::all())), ref.c[i],
                                    1e-5, 1e-6);
                }
                // The same layer on the sequence alone, as a batch of one with no padding.
                RecurrentState init_b;
                if (batch.initial_state)
                    init_b.h = Var(Tensor(xt::view(init.h.value(), xt::all(), xt::range(b, b + 1), xt::all())));
                if (batch.initial_state && kind == RecurrentKind::lstm)
                    init_b.c = Var(Tensor(xt::view(init.c.value(), xt::all(), xt::range(b, b + 1), xt::all())));
                Tensor x1 = xt::view(x, xt::range(b, b + 1), xt::range(0, len), xt::all());
                RecurrentOutput alone = recurrent_forward(layer, Var(x1), IntTensor{int(len)}, init_b);
                Tensor alone_out = xt::view(alone.output.value(), 0, xt::all(), xt::all());
                CHECK_CLOSE(alone_out, ref.output, 1e-5, 1e-6);
                CHECK_CLOSE(Tensor(xt::view(alone.final.h.value(), xt::all(), 0, xt::all())),
                            state_of(out.final.h.value(), b), 1e-5, 1e-6);
            }
        }
    }
}

TEST_CASE("recurrent layer parameters carry PyTorch's names and shapes, l1 reading both directions") {
    Rng rng(7);
    RecurrentLayer layer = make_recurrent_layer(config_for(RecurrentKind::lstm, 3, 4, 2, true), rng);
    NamedVars params;
    add_parameters(params, "encoder.rnn", layer);
    const std::vector<std::pair<std::string, Shape>> expected = {{"encoder.rnn.weight_ih_l0", {16, 3}},
                                                                 {"encoder.rnn.weight_hh_l0", {16, 4}},
                                                                 {"encoder.rnn.bias_ih_l0", {16}},
                                                                 {"encoder.rnn.bias_hh_l0", {16}},
                                                                 {"encoder.rnn.weight_ih_l0_reverse", {16, 3}},
                                                                 {"encoder.rnn.weight_hh_l0_reverse", {16, 4}},
                                                                 {"encoder.rnn.bias_ih_l0_reverse", {16}},
                                                                 {"encoder.rnn.bias_hh_l0_reverse", {16}},
                                                                 {"encoder.rnn.weight_ih_l1", {16, 8}},
                                                                 {"encoder.rnn.weight_hh_l1", {16, 4}},
                                                                 {"encoder.rnn.bias_ih_l1", {16}},
                                                                 {"encoder.rnn.bias_hh_l1", {16}},
                                                                 {"encoder.rnn.weight_ih_l1_reverse", {16, 8}},
                                                                 {"encoder.rnn.weight_hh_l1_reverse", {16, 4}},
                                                                 {"encoder.rnn.bias_ih_l1_reverse", {16}},
                                                                 {"encoder.rnn.bias_hh_l1_reverse", {16}}};
    REQUIRE(params.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(params[i].first == expected[i].first);
        CHECK(params[i].second.value().shape() == expected[i].second);
        CHECK(params[i].second.requires_grad());
        CHECK(xt::amax(xt::abs(params[i].second.value()))() <= 0.5f);  // 1/√4
    }
    CHECK(params[9].second.node() == layer.weights[2].w_hh.node());
    RecurrentLayer gru = make_recurrent_layer(config_for(RecurrentKind::gru, 3, 4, 1, false), rng);
    NamedVars gp;
    add_parameters(gp, "", gru);
    REQUIRE(gp.size() == 4);
    CHECK(gp[0].first == "weight_ih_l0");
    CHECK(gp[0].second.value().shape() == Shape{12, 3});
}

TEST_CASE("stepping a unidirectional stack one step at a time equals running it over the sequence") {
    const std::size_t B = 2, T = 4, in = 3, H = 5, L = 2;
    for (RecurrentKind kind : {RecurrentKind::rnn, RecurrentKind::lstm, RecurrentKind::gru}) {
        INFO("kind: " << kind_name(kind));
        Rng rng(11);
        RecurrentLayer layer = make_recurrent_layer(config_for(kind, in, H, L, false), rng);
        Tensor x = rnd({B, T, in}, 12);
        RecurrentState init{Var(rnd({L, B, H}, 13)), kind == RecurrentKind::lstm ? Var(rnd({L, B, H}, 14)) : Var()};
        RecurrentOutput full = recurrent_forward(layer, Var(x), IntTensor{int(T), int(T)}, init);
        RecurrentState state = init;
        for (std::size_t t = 0; t < T; ++t) {
            RecurrentStepOutput step = recurrent_step(layer, Var(Tensor(xt::view(x, xt::all(), t, xt::all()))), state);
            CHECK_CLOSE(step.output.value(), Tensor(xt::view(full.output.value(), xt::all(), t, xt::all())), 1e-5,
                        1e-6);
            state = step.state;
        }
        CHECK_CLOSE(state.h.value(), full.final.h.value(), 1e-5, 1e-6);
        if (kind == RecurrentKind::lstm) CHECK_CLOSE(state.c.value(), full.final.c.value(), 1e-5, 1e-6);
        // No state means zeros.
        Tensor x0 = xt::view(x, xt::all(), 0, xt::all());
        RecurrentState zeros{Var(Tensor(xt::zeros<float>({L, B, H}))),
                             kind == RecurrentKind::lstm ? Var(Tensor(xt::zeros<float>({L, B, H}))) : Var()};
        CHECK(recurrent_step(layer, Var(x0)).output.value() == recurrent_step(layer, Var(x0), zeros).output.value());
    }
}

TEST_CASE("dropout acts between layers in training only") {
    Rng rng(21);
    RecurrentConfig cfg = config_for(RecurrentKind::gru, 3, 4, 2, true);
    cfg.dropout = 0.5f;
    RecurrentLayer layer = make_recurrent_layer(cfg, rng);
    Var x(rnd({2, 3, 3}, 22));
    IntTensor lengths{3, 2};
    Tensor eval = recurrent_forward(layer, x, lengths).output.value();
    CHECK(recurrent_forward(layer, x, lengths).output.value() == eval);
    Rng drop(23);
    Tensor train = recurrent_forward(layer, x, lengths, {}, Run{true, &drop}).output.value();
    CHECK(attnlab::testing::closeness(train, eval, 0, 1e-3) > 1.0);  // differs
    CHECK_THROWS_AS(recurrent_forward(layer, x, lengths, {}, Run{true, nullptr}), Error);
    // A single layer has nothing between layers: training changes nothing.
    cfg.num_layers = 1;
    RecurrentLayer one = make_recurrent_layer(cfg, rng);
    CHECK(recurrent_forward(one, x, lengths, {}, Run{true, &drop}).output.value() ==
          recurrent_forward(one, x, lengths).output.value());
}

TEST_CASE("padded 2-layer bidirectional GRU and LSTM have finite-difference gradients") {
    const std::size_t in = 2, H = 3, B = 3, T = 3;
    const IntTensor lengths{3, 1, 2};
    for (RecurrentKind kind : {RecurrentKind::gru, RecurrentKind::lstm}) {
        INFO("kind: " << kind_name(kind));
        Rng rng(31);
        const RecurrentLayer layer = make_recurrent_layer(config_for(kind, in, H, 2, true), rng);
        const bool lstm = kind == RecurrentKind::lstm;
        auto f = [&](const std::vector<Var>& v) {
            RecurrentLayer l = layer;
            l.weights[1].w_hh = v[1];  // weight_hh_l0_reverse
            l.weights[2].w_ih = v[2];  // weight_ih_l1
            RecurrentState init{v[3], lstm ? v[4] : Var()};
            RecurrentOutput out = recurrent_forward(l, v[0], lengths, init);
            std::vector<Var> parts{flat(out.output), flat(out.final.h)};
            if (lstm) parts.push_back(flat(out.final.c));
            return concat(parts, 0);
        };
        std::vector<Tensor> inputs{rnd({B, T, in}, 32), layer.weights[1].w_hh.value(), layer.weights[2].w_ih.value(),
                                   rnd({4, B, H}, 33)};
        if (lstm) inputs.push_back(rnd({4, B, H}, 34));
        check_gradients(f, inputs);
    }
}

TEST_CASE("the recurrent layer rejects bad lengths, input sizes and initial states") {
    Rng rng(41);
    RecurrentLayer lstm = make_recurrent_layer(config_for(RecurrentKind::lstm, 3, 4, 2, true), rng);
    RecurrentLayer gru = make_recurrent_layer(config_for(RecurrentKind::gru, 3, 4, 2, false), rng);
    Var x(rnd({2, 5, 3}, 42));
    CHECK_THROWS_WITH_AS(recurrent_forward(gru, x, IntTensor{0, 5}),
                         "recurrent_forward: length 0 of sequence 0 is outside 1..5", Error);
    CHECK_THROWS_WITH_AS(recurrent_forward(gru, x, IntTensor{3, 6}),
                         "recurrent_forward: length 6 of sequence 1 is outside 1..5", Error);
    CHECK_THROWS_AS(recurrent_forward(gru, x, IntTensor{-1, 2}), Error);
    CHECK_THROWS_AS(recurrent_forward(gru, x, IntTensor{3, 2, 1}), Error);  // one length per sequence
    CHECK_THROWS_WITH_AS(recurrent_forward(gru, Var(rnd({2, 5, 4}, 43)), IntTensor{5, 5}),
                         "recurrent_forward: input (2, 5, 4) has 4 features per step, expected input_size = 3", Error);
    CHECK_THROWS_AS(recurrent_forward(gru, Var(rnd({2, 3}, 44)), IntTensor{3, 3}), Error);  // not (B, T, in)
    // Initial states: (num_layers · num_directions, B, H), and both h and c for the LSTM.
    CHECK_THROWS_WITH_AS(recurrent_forward(gru, x, IntTensor{5, 5}, {Var(rnd({2, 2, 5}, 45)), Var()}),
                         "recurrent_forward: initial h is (2, 2, 5), expected (2, 2, 4)", Error);
    CHECK_THROWS_AS(recurrent_forward(gru, x, IntTensor{5, 5}, {Var(rnd({1, 2, 4}, 46)), Var()}), Error);
    CHECK_THROWS_AS(recurrent_forward(gru, x, IntTensor{5, 5}, {Var(rnd({2, 2, 4}, 47)), Var(rnd({2, 2, 4}, 48))}),
                    Error);
    CHECK_THROWS_AS(recurrent_forward(lstm, x, IntTensor{5, 5}, {Var(rnd({4, 2, 4}, 49)), Var()}), Error);
    CHECK_THROWS_AS(recurrent_forward(lstm, x, IntTensor{5, 5}, {Var(rnd({4, 2, 4}, 50)), Var(rnd({4, 3, 4}, 51))}),
                    Error);
    CHECK_NOTHROW(recurrent_forward(lstm, x, IntTensor{5, 5}, {Var(rnd({4, 2, 4}, 52)), Var(rnd({4, 2, 4}, 53))}));
    // Single steps: unidirectional only, x (B, input_size), state (num_layers, B, H).
    CHECK_THROWS_AS(recurrent_step(lstm, Var(rnd({2, 3}, 54))), Error);
    CHECK_THROWS_AS(recurrent_step(gru, Var(rnd({2, 4}, 55))), Error);
    CHECK_THROWS_AS(recurrent_step(gru, Var(rnd({2, 3}, 56)), {Var(rnd({2, 3, 4}, 57)), Var()}), Error);
    // Weights that do not fit the configuration (e.g. a wrong checkpoint) are named.
    RecurrentLayer broken = gru;
    broken.weights[1].w_ih = Var(rnd({12, 3}, 58));
    CHECK_THROWS_WITH_AS(recurrent_forward(broken, x, IntTensor{5, 5}),
                         "recurrent layer: weight_ih_l1 is (12, 3), expected (12, 4)", Error);
    RecurrentConfig bad = config_for(RecurrentKind::gru, 3, 0, 1, false);
    CHECK_THROWS_AS(make_recurrent_layer(bad, rng), Error);
}
