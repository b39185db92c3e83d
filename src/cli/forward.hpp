// attnlab forward — teacher-forced logits and attention of an RNN Seq2Seq bundle, as JSON, so other
// implementations (the PyTorch reference, scripts/torch_reference.py) can be compared number by number.
//   attnlab forward --model DIR --source "SENTENCE" --target "SENTENCE" [--json]
//   attnlab forward --model DIR --pairs FILE [--json]     FILE: [["source", "target"], …], one padded batch
#pragma once

#include <string>
#include <vector>

namespace attnlab {

// One padded batch of sentence pairs through Seq2Seq::forward (teacher forcing, inference mode).
// Prints {"source": (B, Ts) ids, "source_lengths": (B), "target_in": (B, Tt) ids,
//         "logits": {"shape": [B, Tt, V], "data"}, "attention": {"shape": [B, Tt, Ts], "data"} | null}.
int forward_command(const std::string& model_dir, const std::vector<std::pair<std::string, std::string>>& pairs);

// argv[first..]: --model DIR (--source S --target T | --pairs FILE) [--json] -> forward_command.
int forward_main(int argc, char** argv, int first);

}  // namespace attnlab
