#include "attnlab/data/task_codecs.hpp"

namespace attnlab {

TaskCodecs task_codecs(const std::string& task, const std::vector<Example>& train) {
    const TokenizerKind level = task_level(task) == "char" ? TokenizerKind::Char : TokenizerKind::Word;
    const bool lowercase = level == TokenizerKind::Word;
    std::vector<std::string> src_text, tgt_text;
    for (const Example& e : train) {
        src_text.push_back(e.source);
        tgt_text.push_back(e.target);
    }
    return {TextCodec::build(level, lowercase, src_text), TextCodec::build(level, lowercase, tgt_text)};
}

}  // namespace attnlab
