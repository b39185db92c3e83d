// `attnlab eval` by format: exact match counted for each example's group (the dates task's format).
#include <doctest/doctest.h>

#include "attnlab/data/dates.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/eval/evaluate.hpp"
#include "attnlab/io/bundle.hpp"

using namespace attnlab;

TEST_CASE("eval by format: each group's count and exact matches, sorted by name, and in the JSON report") {
    const Bundle b = load_bundle(std::string(ATTNLAB_DATA_DIR) + "/../models/dates-transformer");
    // Targets are the model's own outputs, so every example is an exact match until one is spoilt.
    const char* sources[] = {"24 nov 2026", "2026-11-24", "05.03.2026", "1 jan 1999", "12/13/2026"};
    const char* groups[] = {"D MMM YYYY", "YYYY-MM-DD", "DD.MM.YYYY", "D MMM YYYY", "M/D/YYYY"};
    std::vector<Example> examples;
    for (int i = 0; i < 5; ++i) examples.push_back({sources[i], translate(b, sources[i]).text, groups[i]});
    examples[3].target = "x";  // one of the two "D MMM YYYY" examples now fails
    const EvalReport r = evaluate(*b.model, b.source, b.target, examples, "dates");
    REQUIRE(r.by_format.size() == 4);
    CHECK(r.by_format[0].name == "D MMM YYYY");
    CHECK(r.by_format[0].count == 2);
    CHECK(r.by_format[0].exact == 1);
    CHECK(r.by_format[1].name == "DD.MM.YYYY");
    CHECK(r.by_format[1].exact == 1);
    CHECK(r.by_format[3].name == "YYYY-MM-DD");
    CHECK(r.exact == 4);
    const nlohmann::json j = r.to_json();
    REQUIRE(j.contains("by_format"));
    CHECK(j["by_format"][0]["format"] == "D MMM YYYY");
    CHECK(j["by_format"][0]["exact_match"].get<double>() == doctest::Approx(0.5));
    // without groups (other tasks) there is no table
    for (Example& e : examples) e.group.clear();
    const EvalReport none = evaluate(*b.model, b.source, b.target, examples, "dates");
    CHECK(none.by_format.empty());
    CHECK(!none.to_json().contains("by_format"));
}
