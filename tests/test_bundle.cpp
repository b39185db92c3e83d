// A bundle read and written again is the same bundle, byte for byte; the model a loader builds draws nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "attnlab/io/bundle.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/text/regular_file.hpp"

using namespace attnlab;

TEST_CASE("every shipped bundle is written back byte for byte: config.json, weights (F16 or F32, as read) and vocab") {
    const std::filesystem::path models = std::filesystem::path(ATTNLAB_DATA_DIR) / ".." / "models";
    std::size_t bundles = 0, half = 0;
    for (const auto& entry : std::filesystem::directory_iterator(models)) {
        if (!entry.is_directory()) continue;
        const std::filesystem::path d = entry.path();
        CAPTURE(d.string());
        const Bundle b = load_bundle(d.string());
        const BundleFiles files = bundle_files(*b.model, b.source, b.target, b.config, b.weights_dtype);
        const std::string shipped = read_regular_file((d / "config.json").string(), bundle_max_config_bytes);
        // One older bundle wrote the float dropout at full double width (0.10000000149011612); the
        // writer now rounds it (0.1). The value must agree as a float; every other byte must be equal.
        nlohmann::json written = nlohmann::json::parse(files.config_json);
        const nlohmann::json& dropout = b.config["model"]["dropout"];
        CHECK(written["model"]["dropout"].get<float>() == dropout.get<float>());
        written["model"]["dropout"] = dropout;
        CHECK(written.dump(2) + "\n" == shipped);
        CHECK(files.safetensors == read_regular_file((d / "model.safetensors").string(), bundle_max_weights_bytes));
        CHECK(files.vocab_json == read_regular_file((d / "vocab.json").string(), bundle_max_vocab_bytes));
        ++bundles;
        half += b.weights_dtype == WriteDType::f16;
    }
    CHECK(bundles >= 12);  // the models/ folder holds the shipped bundles
    CHECK(half >= 10);     // of which all but the two context-vector GRUs are F16
}

TEST_CASE("a model built for a loader (no seed) draws nothing: each weight a seed draws starts at zero instead") {
    const std::filesystem::path models = std::filesystem::path(ATTNLAB_DATA_DIR) / ".." / "models";
    for (const char* name :
         {"toy-en-fr-bahdanau-gru", "toy-en-fr-luong-general-gru", "toy-en-fr-transformer", "toy-en-fr-aaren"}) {
        CAPTURE(name);
        const nlohmann::json config =
            nlohmann::json::parse(read_regular_file((models / name / "config.json").string(), bundle_max_config_bytes));
        const NamedVars blank = make_model(config["model"], std::nullopt)->parameters();
        const NamedVars drawn = make_model(config["model"], 7)->parameters();
        REQUIRE(blank.size() == drawn.size());
        std::size_t zero = 0;
        for (std::size_t i = 0; i < blank.size(); ++i) {
            const std::string& what = blank[i].first;
            CAPTURE(what);
            if (blank[i].second.value() == drawn[i].second.value()) {
                // not drawn, the same either way: a layer norm's ones and zeros, attention's zero biases
                CHECK((what.find("norm") != std::string::npos || what.find("bias") != std::string::npos));
            } else {
                CHECK(xt::all(xt::equal(blank[i].second.value(), 0.0f)));
                ++zero;
            }
        }
        CHECK(zero >= 10);
    }
}
