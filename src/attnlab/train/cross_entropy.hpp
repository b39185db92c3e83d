// The training loss: cross-entropy of the next token, averaged over the real (non-padding) tokens of
// a padded batch, with optional label smoothing exactly as PyTorch's
//   F.cross_entropy(logits, targets, ignore_index=pad, label_smoothing=ε)
//   loss_t = (1 − ε) · (−log p_t[y_t]) + ε · mean_j (−log p_t[j])
#pragma once

#include "attnlab/autograd/var.hpp"

namespace attnlab {

struct CrossEntropy {
    Var loss;            // 0-d: mean over counted tokens
    std::size_t tokens;  // how many targets counted (not ignore_index)
};

// logits: (…, V), targets: (…) ints in [0, V) or ignore_index -> mean loss over counted targets.
CrossEntropy cross_entropy(const Var& logits, const IntTensor& targets, int ignore_index = 0,
                           float label_smoothing = 0.0f);

}  // namespace attnlab
