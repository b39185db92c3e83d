// The RNN Seq2Seq family of the primer (§2–§7), one decoder with the variants selectable by config:
//
//   attention = "none"      the context-vector Seq2Seq (§2): the encoder's final states are the one
//                           context vector c; the decoder starts from it and sees it at every step.
//   attention = "bahdanau"  additive attention (§6) BEFORE the decoder step: the previous decoder
//                           state s_{t-1} attends over all encoder states h_j, and c_t joins the input.
//   attention = "luong"     attention (§7) AFTER the decoder step: s_t attends, scores dot | general |
//                           concat (or scaled-dot); with input feeding, h̃_{t-1} joins the input of t.
//
// Every variant then reads out through the attentional hidden state and the output layer:
//   h̃_t = tanh(W_c [c_t; s_t]),   p(y_t | y_<t, x) = softmax(W_out h̃_t + b_out)
//
// Parameters (PyTorch names; E embedding, H hidden, D = 2 if bidirectional, L layers, A attention):
//   encoder.embedding.weight (V_src, E)        encoder.rnn.*   nn.GRU/LSTM/RNN(E, H, L, bidirectional)
//   bridge.weight (H, D·H), bridge.bias (H)    decoder state s_0 = tanh(bridge [→h; ←h]) per layer
//   bridge_cell.weight/bias (LSTM only)        the same for the LSTM cell state
//   decoder.embedding.weight (V_tgt, E)        decoder.rnn.*   nn.GRU/LSTM/RNN(E + extra, H, L)
//     extra = D·H (none, bahdanau: c_t), H (luong with input feeding: h̃_{t-1}), 0 otherwise
//   decoder.attention.*                        the score's parameters (see nn/attention_score.hpp)
//   decoder.combine.weight (H, D·H + H)        W_c, no bias
//   decoder.out.weight (V_tgt, H), decoder.out.bias (V_tgt)
#pragma once

#include <optional>
#include <string>

#include "attnlab/models/config_fields.hpp"
#include "attnlab/models/sequence_model.hpp"
#include "attnlab/nn/attention_score.hpp"
#include "attnlab/nn/context_vector.hpp"
#include "attnlab/nn/embedding.hpp"
#include "attnlab/nn/recurrent_layer.hpp"

namespace attnlab {

// The decoder variant: the context-vector Seq2Seq, or attention before or after the decoder step.
enum class DecoderAttention { none, bahdanau, luong };

struct Seq2SeqConfig {
    RecurrentKind cell = RecurrentKind::gru;
    std::size_t source_vocab_size = 0, target_vocab_size = 0;
    std::size_t embedding_dim = 64, hidden_size = 128, num_layers = 1;
    bool bidirectional = true;
    DecoderAttention attention = DecoderAttention::bahdanau;
    ScoreKind score = ScoreKind::additive;  // unused when attention == none
    std::size_t attention_size = 128;       // A, for additive and concat
    bool input_feeding = true;              // luong only
    float dropout = 0.1f;
};

// The names config.json (and the preset names) give the three choices: read by
// seq2seq_config_from_json, written by seq2seq_config_to_json, compared nowhere else.
inline constexpr NameTable<RecurrentKind, 3> cell_names = {
    {RecurrentKind::rnn, "rnn"}, {RecurrentKind::lstm, "lstm"}, {RecurrentKind::gru, "gru"}};
inline constexpr NameTable<DecoderAttention, 3> attention_names = {
    {DecoderAttention::none, "none"}, {DecoderAttention::bahdanau, "bahdanau"}, {DecoderAttention::luong, "luong"}};
inline constexpr NameTable<ScoreKind, 5> score_names = {{ScoreKind::additive, "additive"},
                                                        {ScoreKind::dot, "dot"},
                                                        {ScoreKind::general, "general"},
                                                        {ScoreKind::concat, "concat"},
                                                        {ScoreKind::scaled_dot, "scaled-dot"}};

nlohmann::json seq2seq_config_to_json(const Seq2SeqConfig& c);
Seq2SeqConfig seq2seq_config_from_json(const nlohmann::json& j);  // validates, Error names the field
// Every parameter's name and shape in parameters() order, from the config alone (nothing allocated):
// make_model and the bundle loader check these against the limits and the weight file first.
ParameterShapes seq2seq_parameter_shapes(const Seq2SeqConfig& c);

struct Seq2Seq final : SequenceModel {
    Seq2SeqConfig cfg;
    Embedding encoder_embedding, decoder_embedding;
    RecurrentLayer encoder_rnn, decoder_rnn;
    Var bridge_weight, bridge_bias, bridge_cell_weight, bridge_cell_bias;
    AttentionScore score;  // unused when attention == "none"
    Var combine_weight, out_weight, out_bias;

    // Fresh weights, PyTorch-style init drawn from `seed`; with no seed all zero, nothing drawn (for a
    // loader that overwrites them at once).
    Seq2Seq(const Seq2SeqConfig& config, std::optional<std::uint64_t> seed);

    NamedVars parameters() const override;
    std::size_t target_vocab_size() const override { return cfg.target_vocab_size; }
    Var forward(const Batch& batch, const ForwardOptions& options) const override;
    std::unique_ptr<DecoderSession> start(const IntTensor& source, const IntTensor& lengths) const override;
    nlohmann::json config() const override;

    // The pieces, for the session and the tests.
    struct Encoded {
        Var outputs;        // (B, Ts, D·H) encoder states h_j
        Var keys;           // (B, Ts, ·) the step-independent part of the score
        Tensor mask;        // (B, Ts) 0 / −inf on padding
        Var fixed_context;  // (B, D·H) §2's one context vector c: the top layer's final states
    };
    struct DecoderState {
        RecurrentState rnn;  // (L, B, H)
        Var feed;            // h̃_{t-1} (B, H), for input feeding
    };
    struct Step {
        Var logits;      // (B, V)
        Var attention;   // (B, Ts), empty for attention == "none"
        Tensor scores;   // (B, Ts) the raw scores before the softmax, −inf on padding
        Tensor context;  // (B, D·H) c_t = Σ_i α_{t,i} h_i, empty for attention == "none"
        DecoderState state;
    };
    // source: (B, Ts), lengths (B) -> encoder states and the decoder's first state s_0
    std::pair<Encoded, DecoderState> encode(const IntTensor& source, const IntTensor& lengths, const Run& run) const;
    // One decoder step for prev_tokens (B), by the variant: one of the three below.
    Step decoder_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                      const Run& run) const;
    // §2: s_t = RNN([y_{t-1}; c], s_{t-1}) with the same c at every step
    Step fixed_context_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                            const Run& run) const;
    // §6 Bahdanau: c_t = attention(s_{t-1}, h), then s_t = RNN([y_{t-1}; c_t], s_{t-1})
    Step attend_before_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                            const Run& run) const;
    // §7 Luong: s_t = RNN([y_{t-1}; h̃_{t-1}], s_{t-1}) (h̃_{t-1} only with input feeding), then
    // c_t = attention(s_t, h)
    Step attend_after_step(const Encoded& enc, const DecoderState& state, const IntTensor& prev_tokens,
                           const Run& run) const;
    // The attention over the encoder states for query (B, H): c_t, α_t and the raw scores (§5).
    ContextVector attend(const Encoded& enc, const Var& query) const;
    // The read-out of every variant: h̃_t = tanh(W_c [c_t; s_t]), logits = W_out dropout(h̃_t) + b_out;
    // fills out.logits and out.state.rnn, and returns h̃_t.
    Var read_out(const Var& context, const RecurrentStepOutput& r, const Run& run, Step& out) const;
};

// §7 input feeding: the previous attentional state h̃_{t-1} (B, H) joins the embedding y_{t-1} (B, E)
// as the decoder's input (B, E + H).
Var input_feeding(const Var& embedding, const Var& previous_attentional);

}  // namespace attnlab
