// A decoded output sentence with the attention that produced it: what greedy and beam search return.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "attnlab/models/sequence_model.hpp"

namespace attnlab {

struct Hypothesis {
    std::vector<std::int32_t> tokens;  // generated ids, ending with <eos> if it was emitted
    double log_prob = 0.0;             // Σ log p of the tokens
    double score = 0.0;                // what beam search ranks by (length-normalised log_prob)
    // name -> one attention row per generated token, e.g. "cross": each (Ts), or (L, h, Ts)
    std::map<std::string, std::vector<Tensor>> attention_rows;
    // attention computed once per source (e.g. the Transformer encoder's self-attention), this
    // sentence's slice: name -> e.g. (L, h, Ts, Ts)
    std::map<std::string, Tensor> source_attention;
    // the raw scores behind attention_rows and source_attention (before the softmax, −inf where masked)
    std::map<std::string, std::vector<Tensor>> score_rows;
    std::map<std::string, Tensor> source_scores;
    // §5's weighted sum (see DecoderSession::last_context): one context vector c_t per generated token,
    // e.g. "cross": each (D·H), and the states h_i they average, this sentence's: e.g. (Ts, D·H)
    std::map<std::string, std::vector<Tensor>> context_rows;
    std::map<std::string, Tensor> attended_states;
    // §10's weighted sum per head (see DecoderSession::keep_head_sums), each map's rows per generated
    // token, e.g. "cross": each (L, h, d/h), and the maps of the source, e.g. "encoder_self" (L, h, Ts, d/h)
    std::map<std::string, std::vector<Tensor>> head_value_rows, head_context_rows;
    std::map<std::string, Tensor> source_head_values, source_head_context;

    bool finished() const;  // ended with <eos>
    // The rows of one kind stacked into a matrix, the token axis just before the last axis:
    // rows (Ts) -> (To, Ts); rows (L, h, Ts) -> (L, h, To, Ts). Rows that grow with the output (the
    // decoder's self-attention) are zero-padded to the longest.
    Tensor attention(const std::string& name) const;
    // The score rows of one kind stacked the same way, padded with −inf (a masked future position).
    Tensor attention_scores(const std::string& name) const;
    // The context vectors of one kind stacked: rows (D·H) -> (To, D·H); empty if none.
    Tensor context_vectors(const std::string& name) const;
    // Each map's head values and head outputs, the source's or the rows stacked: rows (L, h, d/h) ->
    // (L, h, To, d/h)
    std::map<std::string, Tensor> head_values() const;
    std::map<std::string, Tensor> head_context() const;
    // Appends row k of each map of `step` (the hypothesis's row in a batch of hypotheses).
    void add_attention(const StepAttention& step, std::size_t k);
    void add_scores(const StepAttention& step, std::size_t k);
    // Keeps row k of each of the session's source-attention maps (or scores).
    void set_source_attention(const StepAttention& maps, std::size_t k);
    void set_source_scores(const StepAttention& maps, std::size_t k);
    void set_attended_states(const StepAttention& maps, std::size_t k);
    void set_source_head_sums(const StepAttention& values, const StepAttention& context, std::size_t k);
    // The session's last step (attention, scores and context vectors), row k.
    void add_step(const DecoderSession& session, std::size_t k);
    // The session's source maps (attention, scores and attended states), row k.
    void set_source(const DecoderSession& session, std::size_t k);
};

struct DecodeOptions {
    std::size_t beam = 1;          // 1: greedy
    std::size_t max_length = 100;  // tokens, <eos> included; a guard against endless outputs
    double length_alpha = 1.0;     // beam ranks by log_prob / length^alpha (0: no normalisation)
    bool head_sums = false;        // keep each head's values and weighted sum (DecoderSession::keep_head_sums)
};

}  // namespace attnlab
