// The page's step-through of greedy decoding (primer §3) against greedy decoding itself, on shipped bundles.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>

#include "attnlab/decode/greedy_steps.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"

using namespace attnlab;

namespace {
const std::string kModels = std::string(ATTNLAB_DATA_DIR) + "/../models/";
// Every bundle named here is in models/: a missing one fails the test rather than skipping it.
bool shipped(const std::string& name) { return std::ifstream(kModels + name + "/config.json").good(); }
}  // namespace

TEST_CASE("greedy steps: the tokens, the attention rows and the probabilities are greedy decoding's, step by step") {
    for (const std::string name : {"toy-en-fr-bahdanau-gru", "toy-en-fr-transformer", "dates-bahdanau-gru"}) {
        CAPTURE(name);
        REQUIRE(shipped(name));
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
            // and its raw scores are row i of translate()'s score map (−inf where masked)
            const Tensor& scores = t.scores.at("cross");
            const std::vector<float>& srow = s.scores.at("cross");
            REQUIRE(srow.size() == row.size());
            for (std::size_t j = 0; j < srow.size(); ++j) {
                const float want = scores.data()[((j / Ts) * To + i) * Ts + j % Ts];
                if (std::isinf(want))
                    CHECK(srow[j] == want);
                else
                    CHECK(srow[j] == doctest::Approx(want).epsilon(1e-5));
            }
        }
        CHECK(log_prob == doctest::Approx(t.log_prob).epsilon(1e-4));
    }
}

TEST_CASE("greedy steps: bad input is an error, as for translate()") {
    REQUIRE(shipped("toy-en-fr-bahdanau-gru"));
    const Bundle b = load_bundle(kModels + "toy-en-fr-bahdanau-gru");
    CHECK_THROWS_AS(greedy_steps(b, "   "), Error);
    std::string many;
    for (int i = 0; i < 201; ++i) many += "a ";
    CHECK_THROWS_AS(greedy_steps(b, many), Error);
}

TEST_CASE(
    "translate with states: each context vector the decoder used is the weighted sum Σ α_i h_i of the returned encoder "
    "states") {
    int checked = 0;
    for (const std::string name : {"toy-en-fr-bahdanau-gru", "toy-en-fr-luong-general-gru", "dates-bahdanau-gru"}) {
        CAPTURE(name);
        REQUIRE(shipped(name));
        const Bundle b = load_bundle(kModels + name);
        const std::string sentence = b.task() == "dates" ? "24 nov 2026" : "the small cat does not eat the red apple .";
        for (std::size_t beam : {1, 3}) {
            CAPTURE(beam);
            TranslateOptions o;
            o.beam = beam;
            CHECK(translate(b, sentence, o).context.empty());  // light unless asked
            o.states = true;
            const Translation t = translate(b, sentence, o);
            const Tensor &a = t.attention.at("cross"), &h = t.states.at("cross"), &c = t.context.at("cross");
            const std::size_t To = a.shape(0), Ts = a.shape(1), D = h.shape(1);
            REQUIRE(h.shape(0) == Ts);
            REQUIRE(c.shape(0) == To);
            REQUIRE(c.shape(1) == D);
            for (std::size_t i = 0; i < To; ++i)
                for (std::size_t d = 0; d < D; ++d) {
                    double sum = 0;
                    for (std::size_t j = 0; j < Ts; ++j) sum += double(a(i, j)) * double(h(j, d));
                    CHECK(std::abs(sum - double(c(i, d))) < 1e-5);
                }
            ++checked;
        }
    }
    // the context-vector model has no weighted sum to show
    REQUIRE(shipped("toy-en-fr-context-gru"));
    TranslateOptions o;
    o.states = true;
    CHECK(translate(load_bundle(kModels + "toy-en-fr-context-gru"), "the cat .", o).context.empty());
    CHECK(checked > 0);
}
