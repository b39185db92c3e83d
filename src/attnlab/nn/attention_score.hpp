// The attention score function, picked by name (e.g. from a model's config.json), so one decoder
// serves every variant of the primer (§6, §7):
//   "additive"   vᵀ tanh(W s + U h_j)        (Bahdanau)         additive_score.hpp
//   "dot"        sᵀ h_j                       (Luong dot)        dot_score.hpp
//   "general"    sᵀ W h_j                     (Luong general)    general_score.hpp
//   "concat"     v_aᵀ tanh(W_a [s; h_j])      (Luong concat)     concat_score.hpp
//   "scaled-dot" sᵀ h_j / √d_k                (Vaswani et al.)   scaled_dot_score.hpp
// Use: keys = attention_keys(score, h) once per source sentence, then
//      scores = attention_scores(score, s, keys) at every decoder step.
#pragma once

#include <string>

#include "attnlab/autograd/var.hpp"
#include "attnlab/nn/additive_score.hpp"
#include "attnlab/nn/concat_score.hpp"
#include "attnlab/nn/general_score.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

enum class ScoreKind { additive, dot, general, concat, scaled_dot };

// "additive" | "dot" | "general" | "concat" | "scaled-dot"; anything else throws Error listing these.
ScoreKind score_kind_from_name(const std::string& name);
std::string score_kind_name(ScoreKind kind);

struct AttentionScore {
    ScoreKind kind = ScoreKind::dot;
    AdditiveScore additive;  // filled only for kind == additive
    GeneralScore general;    // filled only for kind == general
    ConcatScore concat;      // filled only for kind == concat
};

// Fresh parameters (PyTorch nn.Linear init) for the named score. attention_size (A) is used by
// "additive" and "concat" only; "dot" and "scaled-dot" need decoder_size == encoder_size.
AttentionScore make_attention_score(const std::string& name, std::size_t decoder_size, std::size_t encoder_size,
                                    std::size_t attention_size, Rng& rng);

// h: (B, Ts, He) -> keys (B, Ts, ·): the step-independent part (U h + b, W h, W_a[:, Hd:] h, or h itself)
Var attention_keys(const AttentionScore& score, const Var& h);
// s: (B, Hd), keys: (B, Ts, ·) from attention_keys -> scores (B, Ts)
Var attention_scores(const AttentionScore& score, const Var& s, const Var& keys);

// The chosen score's parameters under prefix ("dot" and "scaled-dot" have none).
void add_parameters(NamedVars& out, const std::string& prefix, const AttentionScore& score);

}  // namespace attnlab
