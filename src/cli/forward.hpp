// attnlab forward — teacher-forced logits and attention of a bundle (RNN Seq2Seq or Transformer), as
// JSON, so other implementations (the PyTorch reference, scripts/torch_reference.py) can be compared
// number by number.
//   attnlab forward --model DIR --source "SENTENCE" --target "SENTENCE" [--json]
//   attnlab forward --model DIR --pairs FILE [--json]     FILE: [["source", "target"], …], one padded batch
//   … --gradients   also one training step's loss and its gradient for every parameter
#pragma once

#include <string>
#include <vector>

namespace attnlab {

// One padded batch of sentence pairs through the model's teacher-forced forward (inference mode).
// Prints {"source": (B, Ts) ids, "source_lengths": (B), "target_in": (B, Tt) ids, "target_out": (B, Tt) ids,
//         "logits": {"shape": [B, Tt, V], "data"}, "attention": …}, each tensor as {"shape", "data"}
// (row-major), where "attention" is
//   RNN Seq2Seq:  (B, Tt, Ts), or null without attention;
//   Transformer:  {"encoder_self": (B, L, h, Ts, Ts), "decoder_self": (B, L, h, Tt, Tt),
//                  "cross": (B, L, h, Tt, Ts)}, L the layers and h the heads (the decoder's self-attention
//                  is causal; no mask on target padding, as in training).
// With gradients also "loss" (the training loss: cross-entropy of target_out, mean over the real tokens,
// no label smoothing, no dropout) and "gradients": {parameter name: its gradient, shaped as the parameter}.
int forward_command(const std::string& model_dir, const std::vector<std::pair<std::string, std::string>>& pairs,
                    bool gradients = false);

// argv[first..]: --model DIR (--source S --target T | --pairs FILE) [--gradients] [--json] -> forward_command.
int forward_main(int argc, char** argv, int first);

}  // namespace attnlab
