#include "attnlab/models/seq2seq.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/models/config_fields.hpp"
#include "attnlab/models/model_limits.hpp"
#include "attnlab/nn/padding_mask.hpp"
#include "attnlab/tensor/softmax.hpp"

namespace attnlab {

namespace {

std::size_t directions(const Seq2SeqConfig& c) { return c.bidirectional ? 2 : 1; }

// The dot scores compare s_t with h_j directly: one size on both sides.
void check_score_sizes(const Seq2SeqConfig& c) {
    if ((c.score == ScoreKind::dot || c.score == ScoreKind::scaled_dot) && directions(c) != 1)
        throw Error("seq2seq: the \"" + std::string(name_of(score_names, c.score)) +
                    "\" score needs decoder and encoder states of one size; "
                    "use a unidirectional encoder or the general/additive/concat score");
}

Var linear_init(std::size_t out, std::size_t in, Rng& rng) { return uniform_parameter({out, in}, in, rng); }
Var bias_init(std::size_t out, std::size_t in, Rng& rng) { return uniform_parameter({out}, in, rng); }

// (L·D, B, H) final states -> (L, B, H): per layer, tanh(W [→h; ←h] + b)
Var bridge(const Var& final, const Var& w, const Var& b, std::size_t L, std::size_t D) {
    std::vector<Var> layers;
    for (std::size_t l = 0; l < L; ++l) {
        std::vector<Var> dirs;
        for (std::size_t d = 0; d < D; ++d) dirs.push_back(select(final, 0, l * D + d));
        layers.push_back(tanh(linear(concat(dirs, 1), w, b)));
    }
    return stack(layers, 0);
}

// The id of the most likely token of each row of logits (B, V).
std::vector<std::int32_t> argmax_rows(const Tensor& logits) {
    const std::size_t V = logits.shape(1);
    std::vector<std::int32_t> ids(logits.shape(0));
    for (std::size_t b = 0; b < ids.size(); ++b) {
        const float* row = logits.data() + b * V;
        ids[b] = std::int32_t(std::max_element(row, row + V) - row);
    }
    return ids;
}

}  // namespace

Var input_feeding(const Var& embedding, const Var& previous_attentional) {
    return concat({embedding, previous_attentional}, 1);
}

nlohmann::json seq2seq_config_to_json(const Seq2SeqConfig& c) {
    return {{"architecture", "seq2seq"},
            {"cell", name_of(cell_names, c.cell)},
            {"source_vocab_size", c.source_vocab_size},
            {"target_vocab_size", c.target_vocab_size},
            {"embedding_dim", c.embedding_dim},
            {"hidden_size", c.hidden_size},
            {"num_layers", c.num_layers},
            {"bidirectional", c.bidirectional},
            {"attention", name_of(attention_names, c.attention)},
            {"score", name_of(score_names, c.score)},
            {"attention_size", c.attention_size},
            {"input_feeding", c.input_feeding},
            {"dropout", std::round(double(c.dropout) * 1e6) / 1e6}};
}

Seq2SeqConfig seq2seq_config_from_json(const nlohmann::json& j) {
    ConfigFields f(j, "seq2seq config");
    Seq2SeqConfig c;
    c.cell = f.choice("cell", cell_names);
    c.source_vocab_size = f.count("source_vocab_size", 5, model_max_vocab_size);
    c.target_vocab_size = f.count("target_vocab_size", 5, model_max_vocab_size);
    c.embedding_dim = f.count("embedding_dim", 1, model_max_width);
    c.hidden_size = f.count("hidden_size", 1, model_max_width);
    c.num_layers = f.count("num_layers", 1, model_max_layers);
    c.bidirectional = f.flag("bidirectional");
    c.attention = f.choice("attention", attention_names);
    c.score = f.choice("score", score_names);
    c.attention_size = f.count("attention_size", 1, model_max_width);
    c.input_feeding = f.flag("input_feeding");
    c.dropout = f.number("dropout", 0.0, 0.99);
    f.allow_only({"architecture", "cell", "source_vocab_size", "target_vocab_size", "embedding_dim", "hidden_size",
                  "num_layers", "bidirectional", "attention", "score", "attention_size", "input_feeding", "dropout"});
    return c;
}

ParameterShapes seq2seq_parameter_shapes(const Seq2SeqConfig& c) {
    const std::size_t E = c.embedding_dim, H = c.hidden_size, L = c.num_layers, D = directions(c), A = c.attention_size;
    const RecurrentKind kind = c.cell;
    const std::size_t G = (kind == RecurrentKind::rnn ? 1 : kind == RecurrentKind::lstm ? 4 : 3) * H;
    ParameterShapes p;
    // nn.GRU/LSTM/RNN(input, H, L, bidirectional): weight_ih (G·H, input of the layer), weight_hh (G·H, H), two biases
    auto rnn = [&](const std::string& prefix, std::size_t input, std::size_t dirs) {
        for (std::size_t l = 0; l < L; ++l)
            for (std::size_t d = 0; d < dirs; ++d) {
                const std::string suffix = "_l" + std::to_string(l) + (d ? "_reverse" : "");
                p.push_back({prefix + ".weight_ih" + suffix, {G, l == 0 ? input : H * dirs}});
                p.push_back({prefix + ".weight_hh" + suffix, {G, H}});
                p.push_back({prefix + ".bias_ih" + suffix, {G}});
                p.push_back({prefix + ".bias_hh" + suffix, {G}});
            }
    };
    p.push_back({"encoder.embedding.weight", {c.source_vocab_size, E}});
    rnn("encoder.rnn", E, D);
    p.push_back({"bridge.weight", {H, D * H}});
    p.push_back({"bridge.bias", {H}});
    if (kind == RecurrentKind::lstm) {
        p.push_back({"bridge_cell.weight", {H, D * H}});
        p.push_back({"bridge_cell.bias", {H}});
    }
    const bool luong = c.attention == DecoderAttention::luong;
    p.push_back({"decoder.embedding.weight", {c.target_vocab_size, E}});
    rnn("decoder.rnn", E + (luong ? (c.input_feeding ? H : 0) : D * H), 1);
    if (c.attention != DecoderAttention::none) {
        check_score_sizes(c);
        if (c.score == ScoreKind::additive) {
            p.push_back({"decoder.attention.W.weight", {A, H}});
            p.push_back({"decoder.attention.U.weight", {A, D * H}});
            p.push_back({"decoder.attention.U.bias", {A}});
            p.push_back({"decoder.attention.v.weight", {1, A}});
        } else if (c.score == ScoreKind::general) {
            p.push_back({"decoder.attention.W.weight", {H, D * H}});
        } else if (c.score == ScoreKind::concat) {
            p.push_back({"decoder.attention.W_a.weight", {A, H + D * H}});
            p.push_back({"decoder.attention.v_a.weight", {1, A}});
        }
    }
    p.push_back({"decoder.combine.weight", {H, D * H + H}});
    p.push_back({"decoder.out.weight", {c.target_vocab_size, H}});
    p.push_back({"decoder.out.bias", {c.target_vocab_size}});
    return p;
}

Seq2Seq::Seq2Seq(const Seq2SeqConfig& config, std::optional<std::uint64_t> seed) : cfg(config) {
    Rng rng = seed ? Rng(*seed) : Rng::zeros();
    const std::size_t E = cfg.embedding_dim, H = cfg.hidden_size, L = cfg.num_layers, D = directions(cfg);
    const RecurrentKind kind = cfg.cell;
    encoder_embedding = make_embedding(cfg.source_vocab_size, E, rng);
    encoder_rnn = make_recurrent_layer({kind, E, H, L, cfg.bidirectional, cfg.dropout}, rng);
    bridge_weight = linear_init(H, D * H, rng);
    bridge_bias = bias_init(H, D * H, rng);
    if (kind == RecurrentKind::lstm) {
        bridge_cell_weight = linear_init(H, D * H, rng);
        bridge_cell_bias = bias_init(H, D * H, rng);
    }
    const bool luong = cfg.attention == DecoderAttention::luong;
    const std::size_t extra = luong ? (cfg.input_feeding ? H : 0) : D * H;  // h̃_{t-1}, or c / c_t
    decoder_embedding = make_embedding(cfg.target_vocab_size, E, rng);
    decoder_rnn = make_recurrent_layer({kind, E + extra, H, L, false, cfg.dropout}, rng);
    if (cfg.attention != DecoderAttention::none) {
        check_score_sizes(cfg);
        score = make_attention_score(cfg.score, H, D * H, cfg.attention_size, rng);
    }
    combine_weight = linear_init(H, D * H + H, rng);
    out_weight = linear_init(cfg.target_vocab_size, H, rng);
    out_bias = bias_init(cfg.target_vocab_size, H, rng);
}

NamedVars Seq2Seq::parameters() const {
    NamedVars p;
    add_parameters(p, "encoder.embedding", encoder_embedding);
    add_parameters(p, "encoder.rnn", encoder_rnn);
    p.push_back({"bridge.weight", bridge_weight});
    p.push_back({"bridge.bias", bridge_bias});
    if (bridge_cell_weight.size()) {
        p.push_back({"bridge_cell.weight", bridge_cell_weight});
        p.push_back({"bridge_cell.bias", bridge_cell_bias});
    }
    add_parameters(p, "decoder.embedding", decoder_embedding);
    add_parameters(p, "decoder.rnn", decoder_rnn);
    if (cfg.attention != DecoderAttention::none) add_parameters(p, "decoder.attention", score);
    p.push_back({"decoder.combine.weight", combine_weight});
    p.push_back({"decoder.out.weight", out_weight});
    p.push_back({"decoder.out.bias", out_bias});
    return p;
}

nlohmann::json Seq2Seq::config() const { return seq2seq_config_to_json(cfg); }

std::pair<Seq2Seq::Encoded, Seq2Seq::DecoderState> Seq2Seq::encode(const IntTensor& source, const IntTensor& lengths,
                                                                   const Run& run) const {
    if (source.dimension() != 2 || lengths.dimension() != 1 || lengths.shape(0) != source.shape(0))
        throw Error("seq2seq: source must be (B, T) with lengths (B), got " + shape_str(source) + " and " +
                    shape_str(lengths));
    const std::size_t L = cfg.num_layers, D = directions(cfg), Ts = source.shape(1);
    Var x = dropout(embedding_forward(encoder_embedding, source), cfg.dropout, run);
    RecurrentOutput r = recurrent_forward(encoder_rnn, x, lengths, {}, run);
    Encoded enc;
    enc.outputs = r.output;
    enc.mask = padding_mask(lengths, Ts);
    if (cfg.attention != DecoderAttention::none) enc.keys = attention_keys(score, enc.outputs);
    std::vector<Var> top;
    for (std::size_t d = 0; d < D; ++d) top.push_back(select(r.final.h, 0, (L - 1) * D + d));
    enc.fixed_context = concat(top, 1);
    DecoderState s;
    s.rnn.h = bridge(r.final.h, bridge_weight, bridge_bias, L, D);
    if (bridge_cell_weight.size()) s.rnn.c = bridge(r.final.c, bridge_cell_weight, bridge_cell_bias, L, D);
    if (cfg.attention == DecoderAttention::luong && cfg.input_feeding)
        s.feed = constant(xt::zeros<float>({source.shape(0), cfg.hidden_size}));
    return {enc, s};
}

Seq2Seq::Step Seq2Seq::decoder_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                                    const Run& run) const {
    switch (cfg.attention) {
        case DecoderAttention::none:
            return fixed_context_step(enc, state, prev_tokens, run);
        case DecoderAttention::bahdanau:
            return attend_before_step(enc, state, prev_tokens, run);
        case DecoderAttention::luong:
            return attend_after_step(enc, state, prev_tokens, run);
    }
    throw Error("seq2seq: invalid attention variant");
}

ContextVector Seq2Seq::attend(const Encoded& enc, const Var& query) const {
    return context_vector(attention_scores(score, query, enc.keys), enc.outputs, enc.mask);
}

Var Seq2Seq::read_out(const Var& context, const RecurrentStepOutput& r, const Run& run, Step& out) const {
    const Var attentional = tanh(matmul_nt(concat({context, r.output}, 1), combine_weight));  // h̃_t
    out.logits = linear(dropout(attentional, cfg.dropout, run), out_weight, out_bias);
    out.state.rnn = r.state;
    return attentional;
}

Seq2Seq::Step Seq2Seq::fixed_context_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                                          const Run& run) const {
    const Var y = dropout(embedding_forward(decoder_embedding, prev_tokens), cfg.dropout, run);  // (B, E)
    const RecurrentStepOutput r = recurrent_step(decoder_rnn, concat({y, enc.fixed_context}, 1), state.rnn, run);
    Step out;
    read_out(enc.fixed_context, r, run, out);
    return out;
}

Seq2Seq::Step Seq2Seq::attend_before_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                                          const Run& run) const {
    const Var y = dropout(embedding_forward(decoder_embedding, prev_tokens), cfg.dropout, run);  // (B, E)
    const ContextVector c = attend(enc, select(state.rnn.h, 0, cfg.num_layers - 1));             // with s_{t-1}
    const RecurrentStepOutput r = recurrent_step(decoder_rnn, concat({y, c.context}, 1), state.rnn, run);
    Step out;
    read_out(c.context, r, run, out);
    out.attention = c.weights;
    out.scores = c.scores;
    out.context = c.context.value();
    return out;
}

Seq2Seq::Step Seq2Seq::attend_after_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                                         const Run& run) const {
    const Var y = dropout(embedding_forward(decoder_embedding, prev_tokens), cfg.dropout, run);  // (B, E)
    const Var input = cfg.input_feeding ? input_feeding(y, state.feed) : y;
    const RecurrentStepOutput r = recurrent_step(decoder_rnn, input, state.rnn, run);
    const ContextVector c = attend(enc, r.output);  // with s_t
    Step out;
    const Var attentional = read_out(c.context, r, run, out);
    out.attention = c.weights;
    out.scores = c.scores;
    out.context = c.context.value();
    if (cfg.input_feeding) out.state.feed = attentional;
    return out;
}

Var Seq2Seq::forward(const Batch& batch, const ForwardOptions& o) const {
    auto [enc, state] = encode(batch.source, batch.source_lengths, o.run);
    const std::size_t B = batch.target_in.shape(0), T = batch.target_in.shape(1);
    if (o.teacher_forcing < 1.0f && !o.run.rng) throw Error("seq2seq: teacher forcing below 1 needs an Rng");
    std::vector<Var> logits;
    std::vector<std::int32_t> predicted;
    for (std::size_t t = 0; t < T; ++t) {
        IntTensor prev = xt::view(batch.target_in, xt::all(), t);
        // The primer's training problem: fed its own (possibly wrong) previous output some of the time.
        if (t > 0 && o.teacher_forcing < 1.0f)
            for (std::size_t b = 0; b < B; ++b)
                if (!o.run.rng->bernoulli(o.teacher_forcing)) prev(b) = predicted[b];
        Step step = decoder_step(enc, state, prev, o.run);
        if (o.teacher_forcing < 1.0f) predicted = argmax_rows(step.logits.value());
        logits.push_back(step.logits);
        state = step.state;
    }
    return stack(logits, 1);  // (B, T, V)
}

namespace {

class Seq2SeqSession final : public DecoderSession {
public:
    Seq2SeqSession(const Seq2Seq& m, const IntTensor& source, const IntTensor& lengths) : model_(m) {
        NoGrad no_grad;
        std::tie(enc_, state_) = model_.encode(source, lengths, {});
    }
    Tensor step(const std::vector<std::int32_t>& last_tokens) override {
        NoGrad no_grad;
        if (prev_.size() != last_tokens.size()) prev_ = IntTensor::from_shape({last_tokens.size()});
        std::copy(last_tokens.begin(), last_tokens.end(), prev_.begin());
        Seq2Seq::Step s = model_.decoder_step(enc_, state_, prev_, {});
        state_ = s.state;
        if (s.attention.size()) {  // the same names every step: assigned in place, the maps' nodes kept
            attention_["cross"] = s.attention.value();
            scores_["cross"] = s.scores;
            context_["cross"] = s.context;
        }
        return attnlab::log_softmax(Tensor(s.logits.value()));
    }
    void reorder(const std::vector<std::size_t>& parents) override {
        auto rows = [&](const Var& v, std::size_t axis) {
            return v.size() ? constant(take(v.value(), parents, axis)) : v;
        };
        enc_.outputs = rows(enc_.outputs, 0);
        enc_.keys = rows(enc_.keys, 0);
        enc_.fixed_context = rows(enc_.fixed_context, 0);
        enc_.mask = take(enc_.mask, parents, 0);
        state_.rnn.h = rows(state_.rnn.h, 1);
        state_.rnn.c = rows(state_.rnn.c, 1);
        state_.feed = rows(state_.feed, 0);
        for (auto& [name, a] : attention_) a = take(a, parents, 0);
        for (auto& [name, a] : scores_) a = take(a, parents, 0);
        for (auto& [name, a] : context_) a = take(a, parents, 0);
    }
    const StepAttention& last_attention() const override { return attention_; }
    const StepAttention& last_scores() const override { return scores_; }
    const StepAttention& last_context() const override { return context_; }
    StepAttention attended_states() const override {
        if (model_.cfg.attention == DecoderAttention::none) return {};
        return {{"cross", enc_.outputs.value()}};  // the encoder states h_i (K, Ts, D·H)
    }

private:
    const Seq2Seq& model_;
    Seq2Seq::Encoded enc_;
    Seq2Seq::DecoderState state_;
    StepAttention attention_, scores_, context_;
    IntTensor prev_ = IntTensor::from_shape({0});  // the last tokens, (K): kept, a step allocates none
};

}  // namespace

std::unique_ptr<DecoderSession> Seq2Seq::start(const IntTensor& source, const IntTensor& lengths) const {
    return std::make_unique<Seq2SeqSession>(*this, source, lengths);
}

}  // namespace attnlab
