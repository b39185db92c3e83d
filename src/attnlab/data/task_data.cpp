#include "attnlab/data/task_data.hpp"

#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/bounded_json.hpp"

namespace attnlab {

nlohmann::json task_data_json(std::uint64_t seed, const TaskSizes& sizes) {
    nlohmann::json data = {
        {"seed", seed}, {"train_size", sizes.train}, {"valid_size", sizes.valid}, {"test_size", sizes.test}};
    if (sizes.max_train_words > 0) data["max_train_words"] = sizes.max_train_words;
    return data;
}

TaskSizes task_sizes_from_json(const nlohmann::json& data, const std::string& config_file) {
    TaskSizes s;
    const std::tuple<const char*, std::size_t*, std::size_t, const char*> fields[] = {
        {"train_size", &s.train, task_max_examples, "examples"},
        {"valid_size", &s.valid, task_max_examples, "examples"},
        {"test_size", &s.test, task_max_examples, "examples"},
        {"max_train_words", &s.max_train_words, task_max_sentence_tokens, "tokens"}};
    for (const auto& [name, out, limit, unit] : fields) {
        if (!data.contains(name)) continue;
        const nlohmann::json& v = data[name];
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() > limit)
            throw Error(config_file + ": data." + name + " must be a whole number ≤ " + std::to_string(limit) + " (" +
                        unit + "), got " + brief_json(v));
        *out = std::size_t(v.get<std::uint64_t>());
    }
    return s;
}

}  // namespace attnlab
