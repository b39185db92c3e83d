// The page's step-through of greedy decoding (primer §3) against greedy decoding itself, on shipped bundles.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "attnlab/decode/greedy_steps.hpp"
#include "attnlab/decode/translate.hpp"

using namespace attnlab;

namespace {
const std::string kModels = std::string(ATTNLAB_DATA_DIR) + "/../models/";
bool shipped(const std::string& name) { return std::ifstream(kModels + name + "/config.json").good(); }
}  // namespace

TEST_CASE("greedy steps: the tokens, the attention rows and the probabilities are greedy decoding's, step by step") {
    for (const std::string name : {"toy-en-fr-bahdanau-gru", "toy-en-fr-transformer", "dates-bahdanau-gru"}) {
        if (!shipped(name)) continue;
        CAPTURE(name);
        const Bundle b = load_bundle(kModels + name);
        const std::string sentence = b.task() == "dates" ? "24 nov 2026" : "the small cat does not eat the red apple .";
        const Translation t = translate(b, sentence);
        const GreedySteps g = greedy_steps(b, sentence, 5);
        REQUIRE(g.steps.size() == t.output_tokens.size());
        CHECK(g.source_tokens == t.source_tokens);
        double log_prob = 0;
        for (std::size_t i = 0; i < g.steps.size(); ++i) {
            const GreedyStep& s = g.steps[i];
            CHECK(s.output_token == t.output_tokens[i]);
            CHECK(s.input_token == (i == 0 ? std::string("<bos>") : t.output_tokens[i - 1]));
            CHECK(s.top.size() == 5);
            for (std::size_t k = 1; k < s.top.size(); ++k) CHECK(s.top[k].probability <= s.top[k - 1].probability);
            CHECK(s.top[0].token == s.output_token);
            log_prob += std::log(s.top[0].probability);
            CHECK_FALSE(s.input_embedding.empty());
            // this step's cross-attention is row i of the whole map
            const Tensor& cross = t.attention.at("cross");
            const std::vector<float>& row = s.attention.at("cross");
            const std::size_t Ts = cross.shape(cross.dimension() - 1), To = cross.shape(cross.dimension() - 2);
            REQUIRE(row.size() == cross.size() / To);
            for (std::size_t j = 0; j < row.size(); ++j) {
                const std::size_t block = j / Ts, col = j % Ts;  // (L, H) blocks of a Transformer's map
                CHECK(row[j] == doctest::Approx(cross.data()[(block * To + i) * Ts + col]).epsilon(1e-5));
            }
        }
        CHECK(log_prob == doctest::Approx(t.log_prob).epsilon(1e-4));
    }
}

TEST_CASE("greedy steps: bad input is an error, as for translate()") {
    if (!shipped("toy-en-fr-bahdanau-gru")) return;
    const Bundle b = load_bundle(kModels + "toy-en-fr-bahdanau-gru");
    CHECK_THROWS_AS(greedy_steps(b, "   "), Error);
    std::string many;
    for (int i = 0; i < 201; ++i) many += "a ";
    CHECK_THROWS_AS(greedy_steps(b, many), Error);
}
