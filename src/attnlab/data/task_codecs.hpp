// The tokenizers and vocabularies of a task, built from its training split exactly as `attnlab train`
// builds them (word tasks lower-cased, character tasks as written), so that every tool that needs
// them (train, data, the PyTorch example) gets the same ids.
#pragma once

#include <string>
#include <vector>

#include "attnlab/data/task.hpp"
#include "attnlab/text/text_codec.hpp"

namespace attnlab {

struct TaskCodecs {
    TextCodec source, target;
};

TaskCodecs task_codecs(const std::string& task, const std::vector<Example>& train);

}  // namespace attnlab
