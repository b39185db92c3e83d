#include "attnlab/io/bundle.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "attnlab/io/safetensors.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/text/regular_file.hpp"

namespace attnlab {

namespace {

void write_file(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    if (!out) throw Error("cannot write " + p.string());
}

// A file's contents in memory (the wasm module is handed bytes) checked against its limit.
void check_size(const std::string& bytes, std::uint64_t max_bytes, const std::string& what) {
    if (bytes.size() > max_bytes)
        throw Error(what + " is " + std::to_string(bytes.size()) + " bytes, more than the " +
                    std::to_string(max_bytes) + "-byte limit for this file");
}

nlohmann::json parse_json(const std::string& text, std::uint64_t max_bytes, const std::string& what) {
    check_size(text, max_bytes, what);
    JsonLimits limits;
    limits.max_depth = bundle_max_json_depth;
    return parse_json_bounded(text, what, limits);
}

// The first weight that is NaN or infinite, as "name[i] = nan"; empty if all are finite.
// Not inlined: in wasm, V8 optimises a function as a whole once it has run enough, and this loop over every
// weight inside load_bundle_from_memory made all of that 14 KB loader "hot" at a model's first load (about
// 100 ms of compiling in the background while the page waited for its first translation). On its own, only
// the loop is optimised. (The wasm link keeps single-caller functions this size apart too: CMakeLists.txt.)
[[gnu::noinline]] std::string first_non_finite(const NamedVars& params) {
    for (const auto& [name, var] : params) {
        const Tensor& t = var.value();
        for (std::size_t i = 0; i < t.size(); ++i)
            if (!std::isfinite(t.data()[i]))
                return name + "[" + std::to_string(i) + "] = " +
                       (std::isnan(t.data()[i]) ? "nan"
                        : t.data()[i] < 0       ? "-inf"
                                                : "inf");
    }
    return {};
}

// "a, b, c and 7 more": at most `shown` names, so that an error stays one short line.
std::string brief_names(const std::vector<std::string>& names, std::size_t shown = 4) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < shown; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > shown) s += " and " + std::to_string(names.size() - shown) + " more";
    return s;
}

// The weight file must hold exactly the tensors the config implies, each of its shape: checked on
// the header alone, before the model is built.
void check_weights_match(const ParameterShapes& expected, const std::string& safetensors, const std::string& origin) {
    std::map<std::string, Shape> file;
    try {
        file = read_safetensors_shapes(safetensors);
    } catch (const Error& e) {
        throw Error(origin + "/model.safetensors: " + e.what());
    }
    std::vector<std::string> missing, extra, mismatched;
    std::set<std::string> names;
    for (const auto& [name, shape] : expected) {
        names.insert(name);
        const auto it = file.find(name);
        if (it == file.end())
            missing.push_back(name);
        else if (it->second != shape)
            mismatched.push_back(name + " " + shape_str(it->second) + " where config.json implies " + shape_str(shape));
    }
    for (const auto& entry : file)
        if (!names.count(entry.first)) extra.push_back(entry.first);
    if (missing.empty() && extra.empty() && mismatched.empty()) return;
    std::string what;
    if (!mismatched.empty()) what += "; shapes differ: " + brief_names(mismatched, 2);
    if (!missing.empty()) what += "; missing tensors: " + brief_names(missing);
    if (!extra.empty()) what += "; unexpected tensors: " + brief_names(extra);
    throw Error(origin + "/model.safetensors does not hold the weights config.json describes" + what);
}

}  // namespace

std::string Bundle::task() const { return config.value("task", ""); }
std::string Bundle::description() const { return config.value("description", ""); }

Bundle load_bundle_from_memory(const std::string& config_json, const std::string& safetensors,
                               const std::string& vocab_json, const std::string& origin) {
    check_size(safetensors, bundle_max_weights_bytes, origin + "/model.safetensors");
    nlohmann::json config = parse_json(config_json, bundle_max_config_bytes, origin + "/config.json");
    if (!config.is_object() || !config.contains("format") || config["format"] != "attnlab-bundle")
        throw Error(origin + "/config.json: not an attnlab bundle (\"format\" must be \"attnlab-bundle\")");
    if (!config.contains("version") || !config["version"].is_number_integer() || config["version"] != 1)
        throw Error(origin + "/config.json: unsupported bundle version " +
                    (config.contains("version") ? brief_json(config["version"]) : "(none)") +
                    " (attnlab reads version 1)");
    for (const char* field : {"task", "description"})
        if (config.contains(field) && !config[field].is_string())
            throw Error(origin + "/config.json: \"" + field + "\" must be a string, not " + brief_json(config[field]));
    if (!config.contains("model") || !config["model"].is_object())
        throw Error(origin + "/config.json: missing \"model\" (an object)");
    const nlohmann::json vocab = parse_json(vocab_json, bundle_max_vocab_bytes, origin + "/vocab.json");
    if (!vocab.is_object() || !vocab.contains("source") || !vocab.contains("target"))
        throw Error(origin + "/vocab.json: needs \"source\" and \"target\" codecs");
    // What the config implies, checked against the limits and against the weight file's header
    // before anything is allocated.
    const ParameterShapes shapes = [&] {
        try {
            return parameter_shapes(config["model"]);
        } catch (const Error& e) {
            throw Error(origin + "/config.json: " + e.what());
        }
    }();
    check_weights_match(shapes, safetensors, origin);
    auto codec = [&](const char* side) {
        try {
            return TextCodec::from_json(vocab[side]);
        } catch (const Error& e) {
            throw Error(origin + "/vocab.json: " + side + ": " + e.what());
        }
    };
    TextCodec source = codec("source"), target = codec("target");
    const auto& m = config["model"];
    if (m.value("source_vocab_size", std::size_t(0)) != source.vocab().size() ||
        m.value("target_vocab_size", std::size_t(0)) != target.vocab().size())
        throw Error(origin + ": the model's vocabulary sizes (" +
                    m.value("source_vocab_size", nlohmann::json()).dump() + ", " +
                    m.value("target_vocab_size", nlohmann::json()).dump() + ") differ from vocab.json's (" +
                    std::to_string(source.vocab().size()) + ", " + std::to_string(target.vocab().size()) + ")");
    SafeTensors weights;
    try {
        weights = read_safetensors(safetensors);
    } catch (const Error& e) {
        throw Error(origin + "/model.safetensors: " + e.what());
    }
    const bool all_f16 = !weights.dtypes.empty() && std::all_of(weights.dtypes.begin(), weights.dtypes.end(),
                                                                [](const auto& d) { return d.second == "F16"; });
    Bundle b = [&] {
        try {
            return Bundle{{make_model(config["model"], std::nullopt), std::move(source), std::move(target)},
                          config,
                          all_f16 ? WriteDType::f16 : WriteDType::f32};
        } catch (const Error& e) {
            throw Error(origin + ": " + e.what());
        }
    }();
    NamedVars params = b.model->parameters();
    std::vector<std::pair<std::string, Tensor*>> expected;
    for (auto& [name, var] : params) {
        var.set_requires_grad(false);
        expected.push_back({name, &var.value()});
    }
    try {
        assign_tensors(weights, expected);
    } catch (const Error& e) {
        throw Error(origin + "/model.safetensors: " + e.what());
    }
    const std::string bad = first_non_finite(params);
    if (!bad.empty()) throw Error(origin + "/model.safetensors: weight " + bad + " is not a finite number");
    return b;
}

Bundle load_bundle(const std::string& dir) {
    const std::filesystem::path d(dir);
    if (!std::filesystem::is_directory(d)) throw Error("model " + dir + ": not a folder");
    return load_bundle_from_memory(read_regular_file((d / "config.json").string(), bundle_max_config_bytes),
                                   read_regular_file((d / "model.safetensors").string(), bundle_max_weights_bytes),
                                   read_regular_file((d / "vocab.json").string(), bundle_max_vocab_bytes), dir);
}

BundleFiles bundle_files(const SequenceModel& model, const TextCodec& source, const TextCodec& target,
                         const nlohmann::json& info, WriteDType dtype) {
    nlohmann::json config = {{"format", "attnlab-bundle"}, {"version", 1}};
    for (auto it = info.begin(); it != info.end(); ++it) config[it.key()] = it.value();
    config["model"] = model.config();
    SafeTensors st;
    for (const auto& [name, var] : model.parameters()) st.tensors[name] = var.value();
    st.metadata["format"] = "pt";
    return {config.dump(2) + "\n", write_safetensors(st, dtype),
            nlohmann::json{{"source", source.to_json()}, {"target", target.to_json()}}.dump(1) + "\n"};
}

void save_bundle(const std::string& dir, const SequenceModel& model, const TextCodec& source, const TextCodec& target,
                 const nlohmann::json& info) {
    write_bundle_files(dir, bundle_files(model, source, target, info));
}

void write_bundle_files(const std::string& dir, const BundleFiles& files) {
    const std::filesystem::path d(dir);
    std::filesystem::create_directories(d);
    write_file(d / "config.json", files.config_json);
    write_file(d / "model.safetensors", files.safetensors);
    write_file(d / "vocab.json", files.vocab_json);
}

}  // namespace attnlab
