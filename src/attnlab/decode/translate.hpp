// Translating a sentence with a bundle: text -> tokens -> ids -> decoding -> text, keeping what the
// page and the terminal show: the tokens on both sides, which source words were unknown, and every
// attention map.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "attnlab/decode/hypothesis.hpp"
#include "attnlab/decode/input_limits.hpp"
#include "attnlab/decode/translator.hpp"

namespace attnlab {

// The widest beam and the longest output translate() accepts (a beam costs memory and time per
// hypothesis; a model that never emits <eos> stops at max_length).
constexpr std::size_t translate_max_beam = 64;
constexpr std::size_t translate_max_output_tokens = 1000;

struct TranslateOptions {
    std::size_t beam = 1;        // 1: greedy
    std::size_t max_length = 0;  // output tokens; 0: 2 × source tokens + 10
    double length_alpha = 1.0;
    std::size_t max_chars = InputLimits{}.max_chars;  // the sentence's characters (code points)
    std::size_t max_source_tokens = InputLimits{}.max_tokens;
    bool states = false;  // also return §5's states h_i and context vectors c_t, or §10's
                          // per-head values and head outputs (see below)
};

struct Translation {
    std::vector<std::string> source_tokens;  // as the model reads them, ending with "<eos>"
    std::vector<bool> source_unknown;        // per source token: mapped to <unk>
    std::vector<std::string> unknown_words;  // the unknown words, in order
    std::vector<std::string> output_tokens;  // generated, ending with "<eos>" when emitted
    std::string text;                        // the output sentence, detokenized, without <eos>
    double log_prob = 0.0;
    // "cross": (To, Ts) for the RNN models; the Transformer adds per-layer, per-head maps.
    std::map<std::string, Tensor> attention;
    // The raw scores before each softmax, the same keys and shapes as `attention`: additive, general,
    // dot, concat or scaled-dot scores for the RNNs, q·k/√d_k per layer and head for the Transformers;
    // −inf where masked (padding, the future), so softmax over each row gives `attention`'s row.
    std::map<std::string, Tensor> scores;
    // With TranslateOptions::states, §5's weighted sum as the model computed it, for the maps whose
    // weights average whole states (the RNN's "cross"; none for the Transformers): `states` the
    // encoder states h_i (Ts, D·H), `context` the context vector c_t = Σ_i α_{t,i} h_i of each output
    // token (To, D·H) — the one the decoder used, taken from the model, not recomputed.
    std::map<std::string, Tensor> states;
    std::map<std::string, Tensor> context;
    // With TranslateOptions::states, §10's weighted sum inside each head of a Transformer (and Aaren's
    // encoder and cross-attention), per map, layer and head, as the layers computed it (the decoder's from
    // its key/value cache): `values` the value vectors v_i = W^V x_i + b^V of the head, (L, h, keys, d/h),
    // and `head_context` the head's output o_t = Σ_i α_{t,i} v_i, (L, h, queries, d/h) — before the heads
    // are concatenated and W^O applied. Maps: "encoder_self", "decoder_self" (Transformer only), "cross";
    // "cross" values are the encoder output's, "decoder_self" values those of the decoder's positions.
    std::map<std::string, Tensor> values;
    std::map<std::string, Tensor> head_context;
};

// Errors (one line, never a crash): empty or whitespace-only sentence, invalid UTF-8, too many
// characters or tokens (input_limit_message), a beam or max_length over the limits above.
// The beam and max_length checks of translate() on the numbers as a caller has them (JavaScript's are
// doubles, beyond size_t in wasm32): Error unless each is a whole number within its limit (0 ≤ max_length,
// 0 ≤ beam; 0 picks the default).
void check_translate_options(double beam, double max_length);

Translation translate(const Translator& bundle, const std::string& sentence, const TranslateOptions& options = {});

// Many sentences at once, greedy, for evaluation: the output ids (without <eos>) of each.
std::vector<std::vector<std::int32_t>> translate_ids_greedy(const SequenceModel& model,
                                                            const std::vector<std::vector<std::int32_t>>& sources,
                                                            std::size_t batch_size = 64);

}  // namespace attnlab
