// The attention score function, picked by kind, so one decoder serves every variant of the primer
// (§6, §7); config.json's names for the kinds are in models/seq2seq.hpp:
//   additive    vᵀ tanh(W s + U h_j)        (Bahdanau)         additive_score.hpp
//   dot         sᵀ h_j                       (Luong dot)        dot_score.hpp
//   general     sᵀ W h_j                     (Luong general)    general_score.hpp
//   concat      v_aᵀ tanh(W_a [s; h_j])      (Luong concat)     concat_score.hpp
//   scaled_dot  sᵀ h_j / √d_k                (Vaswani et al.)   scaled_dot_score.hpp
// Use: keys = attention_keys(score, h) once per source sentence, then
//      scores = attention_scores(score, s, keys) at every decoder step.
#pragma once

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/additive_score.hpp"
#include "attnlab/nn/concat_score.hpp"
#include "attnlab/nn/general_score.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

enum class ScoreKind { additive, dot, general, concat, scaled_dot };

struct AttentionScore {
    ScoreKind kind = ScoreKind::dot;
    AdditiveScore additive;  // filled only for kind == additive
    GeneralScore general;    // filled only for kind == general
    ConcatScore concat;      // filled only for kind == concat
};

// Fresh parameters (PyTorch nn.Linear init) for the score of that kind. attention_size (A) is used by
// additive and concat only; dot and scaled_dot need decoder_size == encoder_size.
AttentionScore make_attention_score(ScoreKind kind, std::size_t decoder_size, std::size_t encoder_size,
                                    std::size_t attention_size, Rng& rng);

// h: (B, Ts, He) -> keys (B, Ts, ·): the step-independent part (U h + b, W h, W_a[:, Hd:] h, or h itself)
Var attention_keys(const AttentionScore& score, const Var& h);
// s: (B, Hd), keys: (B, Ts, ·) from attention_keys -> scores (B, Ts)
Var attention_scores(const AttentionScore& score, const Var& s, const Var& keys);

// The chosen score's parameters under prefix (dot and scaled_dot have none).
void add_parameters(NamedVars& out, const std::string& prefix, const AttentionScore& score);

}  // namespace attnlab
