// What training and decoding need from an encoder-decoder model (the RNN Seq2Seq family and the
// Transformer alike): named parameters, teacher-forced logits for a batch, and a decoding session
// that produces one next-token distribution per call.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/autograd/var.hpp"
#include "attnlab/models/batch.hpp"
#include "attnlab/nn/parameters.hpp"
#include "attnlab/tensor/random.hpp"

namespace attnlab {

struct ForwardOptions {
    Run run;                       // training: dropout, and the teacher-forcing draws from run.rng
    float teacher_forcing = 1.0f;  // probability the decoder is fed the gold previous token
};

// Attention maps (or their raw scores) of one decoding step, each with the hypotheses as first axis:
// e.g. "cross": (K, Ts).
using StepAttention = std::map<std::string, Tensor>;

// A decoding in progress for K hypotheses (a batch of sentences for greedy decoding, the beam for
// beam search). Each step takes the last token of every hypothesis.
class DecoderSession {
public:
    virtual ~DecoderSession() = default;
    // last_tokens: K ids -> log-probabilities of the next token (K, V)
    virtual Tensor step(const std::vector<std::int32_t>& last_tokens) = 0;
    // Keeps the hypotheses `parents` (indices into the current K, repeats allowed) in this order.
    virtual void reorder(const std::vector<std::size_t>& parents) = 0;
    // The attention of the last step.
    virtual const StepAttention& last_attention() const = 0;
    // Attention computed once per source (e.g. the Transformer's encoder self-attention), batch first.
    virtual StepAttention source_attention() const { return {}; }
    // The raw scores behind last_attention() and source_attention() — the same names and shapes, each
    // row exactly what went into the softmax (−inf where masked): softmax(scores row) = attention row.
    virtual const StepAttention& last_scores() const = 0;
    virtual StepAttention source_scores() const { return {}; }
    // §5's weighted sum c_t = Σ_i α_{t,i} h_i, for the maps whose weights average states the model
    // keeps whole (the RNN's "cross"): the context vectors of the last step, e.g. (K, D·H), and the
    // states h_i they average, e.g. (K, Ts, D·H). None by default (a Transformer's heads average their
    // own values, below).
    virtual const StepAttention& last_context() const;
    virtual StepAttention attended_states() const { return {}; }
    // Primer §10, the weighted sum inside each head of multi-head attention, as the layers computed it,
    // kept only after keep_head_sums() is called before the first step (none by default): per map, layer
    // and head the value vectors v_i = W^V x_i + b^V restricted to the head and the head's output
    // o_t = Σ_i α_{t,i} v_i (before the heads are concatenated and W^O applied). Of the last step:
    // last_head_values() the newest position's values ("decoder_self" (K, L, h, d/h)) and
    // last_head_context() ("decoder_self", "cross": (K, L, h, d/h)); of the sources as given to start():
    // source_head_values() ("encoder_self", "cross": (B, L, h, Ts, d/h)) and source_head_context()
    // ("encoder_self": (B, L, h, Ts, d/h)).
    virtual void keep_head_sums() {}
    virtual const StepAttention& last_head_values() const;
    virtual const StepAttention& last_head_context() const;
    virtual StepAttention source_head_values() const { return {}; }
    virtual StepAttention source_head_context() const { return {}; }

protected:
    static const StepAttention& no_maps() {
        static const StepAttention none;
        return none;
    }
};

inline const StepAttention& DecoderSession::last_context() const { return no_maps(); }
inline const StepAttention& DecoderSession::last_head_values() const { return no_maps(); }
inline const StepAttention& DecoderSession::last_head_context() const { return no_maps(); }

class SequenceModel {
public:
    virtual ~SequenceModel() = default;
    virtual NamedVars parameters() const = 0;
    virtual std::size_t target_vocab_size() const = 0;
    // Decoder logits (B, Tt, V) for batch.target_in given batch.source.
    virtual Var forward(const Batch& batch, const ForwardOptions& options) const = 0;
    // source: (B, Ts) ids ending in <eos>, lengths (B)
    virtual std::unique_ptr<DecoderSession> start(const IntTensor& source, const IntTensor& lengths) const = 0;
    // The architecture part of config.json.
    virtual nlohmann::json config() const = 0;
};

}  // namespace attnlab
