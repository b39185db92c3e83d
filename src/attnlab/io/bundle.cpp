#include "attnlab/io/bundle.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "attnlab/io/safetensors.hpp"
#include "attnlab/models/model_factory.hpp"

namespace attnlab {

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw Error("cannot read " + p.string() + (std::filesystem::exists(p) ? "" : ": no such file"));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    if (!out) throw Error("cannot write " + p.string());
}

nlohmann::json parse_json(const std::string& text, const std::string& what) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error(what + ": not valid JSON (" + std::string(e.what()) + ")");
    }
}

}  // namespace

std::string Bundle::task() const { return config.value("task", ""); }
std::string Bundle::description() const { return config.value("description", ""); }

Bundle load_bundle_from_memory(const std::string& config_json, const std::string& safetensors,
                               const std::string& vocab_json, const std::string& origin) {
    nlohmann::json config = parse_json(config_json, origin + "/config.json");
    if (!config.is_object() || config.value("format", "") != "attnlab-bundle")
        throw Error(origin + "/config.json: not an attnlab bundle (\"format\" must be \"attnlab-bundle\")");
    if (config.value("version", 0) != 1)
        throw Error(origin + "/config.json: unsupported bundle version " + config.value("version", nlohmann::json()).dump());
    if (!config.contains("model")) throw Error(origin + "/config.json: missing \"model\"");
    const nlohmann::json vocab = parse_json(vocab_json, origin + "/vocab.json");
    if (!vocab.is_object() || !vocab.contains("source") || !vocab.contains("target"))
        throw Error(origin + "/vocab.json: needs \"source\" and \"target\" codecs");
    Bundle b = [&] {
        try {
            return Bundle{config, make_model(config["model"], 0), TextCodec::from_json(vocab["source"]),
                          TextCodec::from_json(vocab["target"])};
        } catch (const Error& e) {
            throw Error(origin + ": " + e.what());
        }
    }();
    const auto& m = b.config["model"];
    if (m.value("source_vocab_size", std::size_t(0)) != b.source.vocab().size() ||
        m.value("target_vocab_size", std::size_t(0)) != b.target.vocab().size())
        throw Error(origin + ": the model's vocabulary sizes (" + m.value("source_vocab_size", nlohmann::json()).dump() +
                    ", " + m.value("target_vocab_size", nlohmann::json()).dump() + ") differ from vocab.json's (" +
                    std::to_string(b.source.vocab().size()) + ", " + std::to_string(b.target.vocab().size()) + ")");
    NamedVars params = b.model->parameters();
    std::vector<std::pair<std::string, Tensor*>> expected;
    for (auto& [name, var] : params) {
        var.set_requires_grad(false);
        expected.push_back({name, &var.value()});
    }
    try {
        assign_tensors(read_safetensors(safetensors), expected);
    } catch (const Error& e) {
        throw Error(origin + "/model.safetensors: " + e.what());
    }
    return b;
}

Bundle load_bundle(const std::string& dir) {
    const std::filesystem::path d(dir);
    if (!std::filesystem::is_directory(d)) throw Error("model " + dir + ": not a folder");
    return load_bundle_from_memory(read_file(d / "config.json"), read_file(d / "model.safetensors"),
                                   read_file(d / "vocab.json"), dir);
}

void save_bundle(const std::string& dir, const SequenceModel& model, const TextCodec& source,
                 const TextCodec& target, const nlohmann::json& info) {
    const std::filesystem::path d(dir);
    std::filesystem::create_directories(d);
    nlohmann::json config = {{"format", "attnlab-bundle"}, {"version", 1}};
    for (auto it = info.begin(); it != info.end(); ++it) config[it.key()] = it.value();
    config["model"] = model.config();
    SafeTensors st;
    for (const auto& [name, var] : model.parameters()) st.tensors[name] = var.value();
    st.metadata["format"] = "pt";
    write_file(d / "config.json", config.dump(2) + "\n");
    write_file(d / "model.safetensors", write_safetensors(st));
    write_file(d / "vocab.json", nlohmann::json{{"source", source.to_json()}, {"target", target.to_json()}}.dump(1) + "\n");
}

}  // namespace attnlab
