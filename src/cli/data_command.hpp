// attnlab data — a toy task's splits and vocabularies as JSON, so other programs (the PyTorch example,
// scripts/torch_train_example.py) train on exactly the data `attnlab train` and `attnlab eval` use.
//   attnlab data --task TASK [--split train|valid|test|all] [--data-seed N] [--train-size N]
//                [--valid-size N] [--test-size N] [--json]
#pragma once

namespace attnlab {

// Prints {"task", "description", "level": "word"|"char",
//         "data": {"seed", "train_size", "valid_size", "test_size"}   (config.json's "data" for these splits),
//         "vocab": {"source": codec, "target": codec}   (vocab.json as `attnlab train` builds it from train),
//         "splits": {"train"|"valid"|"test": [{"source", "target", "source_ids", "target_ids"}, …]}}
// ids without <bos>/<eos>; --split picks one split (default all). Errors throw attnlab::Error.
int data_main(int argc, char** argv, int first);

}  // namespace attnlab
