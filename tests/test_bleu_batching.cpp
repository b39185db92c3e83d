// Corpus BLEU against hand-counted n-grams, and length-bucketed, padded training batches.
#include <cmath>
#include <set>
#include <sstream>

#include "attnlab/eval/bleu.hpp"
#include "attnlab/train/batching.hpp"
#include "test_util.hpp"

using namespace attnlab;

namespace {
Tokens words(const std::string& s) {
    std::istringstream in(s);
    Tokens t;
    for (std::string w; in >> w;) t.push_back(w);
    return t;
}
}  // namespace

TEST_CASE("corpus BLEU matches hand-counted clipped n-gram precisions") {
    // Sentence 1 matches 5/6 unigrams, 3/5 bigrams, 1/4 trigrams, 0/3 4-grams; sentence 2 matches all.
    std::vector<Tokens> hyp{words("the cat sat on the mat"), words("a b c d e")};
    std::vector<Tokens> ref{words("the cat is on the mat"), words("a b c d e")};
    BleuScore s = corpus_bleu(hyp, ref);
    CHECK(s.precisions[0] == doctest::Approx(10.0 / 11));
    CHECK(s.precisions[1] == doctest::Approx(7.0 / 9));
    CHECK(s.precisions[2] == doctest::Approx(4.0 / 7));
    CHECK(s.precisions[3] == doctest::Approx(2.0 / 5));
    CHECK(s.brevity_penalty == 1.0);
    CHECK(s.bleu == doctest::Approx(100.0 * std::pow(10.0 / 11 * 7.0 / 9 * 4.0 / 7 * 2.0 / 5, 0.25)));
}

TEST_CASE("BLEU is 100 for identical corpora, 0 with no 4-gram match, and clips repeated words") {
    std::vector<Tokens> same{words("le chat mange la pomme rouge")};
    CHECK(corpus_bleu(same, same).bleu == doctest::Approx(100.0));
    CHECK(corpus_bleu({words("the cat sat on the mat")}, {words("the cat is on the mat")}).bleu == 0.0);
    // "the the the the" against "the cat": unigram precision clipped to 1/4 (the appears once in ref)
    BleuScore s = corpus_bleu({words("the the the the")}, {words("the cat")});
    CHECK(s.precisions[0] == doctest::Approx(0.25));
}

TEST_CASE("the brevity penalty punishes short hypotheses: exp(1 - r/c)") {
    BleuScore s = corpus_bleu({words("a b c d")}, {words("a b c d e f g h")});
    CHECK(s.brevity_penalty == doctest::Approx(std::exp(1.0 - 8.0 / 4.0)));
    CHECK(s.bleu == doctest::Approx(100.0 * std::exp(-1.0)));
    CHECK(corpus_bleu({Tokens{}}, {words("a")}).bleu == 0.0);
    CHECK_THROWS_AS(corpus_bleu({Tokens{}}, {}), Error);
}

TEST_CASE("a batch pads with 0, ends sources with <eos>, and shifts the target for teacher forcing") {
    std::vector<TokenPair> data{{{5, 6, 7}, {8, 9}}, {{10}, {11, 12, 13}}};
    Batch b = make_batch(data, {0, 1});
    CHECK(b.source == IntTensor{{5, 6, 7, 2}, {10, 2, 0, 0}});
    CHECK(b.source_lengths == IntTensor{4, 2});
    CHECK(b.target_in == IntTensor{{1, 8, 9, 0}, {1, 11, 12, 13}});
    CHECK(b.target_out == IntTensor{{8, 9, 2, 0}, {11, 12, 13, 2}});
    CHECK(b.target_tokens() == 7);
}

TEST_CASE("length-bucketed batches cover every pair once, respect the token budget, and depend only on the seed") {
    std::vector<TokenPair> data;
    attnlab::testing::TestRng trng(1);
    for (int i = 0; i < 300; ++i) {
        TokenPair p;
        p.source.assign(1 + trng.next() % 20, 4);
        p.target.assign(1 + trng.next() % 20, 5);
        data.push_back(p);
    }
    Rng rng(7), rng2(7);
    auto batches = make_batches(data, 200, 64, rng, true), again = make_batches(data, 200, 64, rng2, true);
    std::multiset<std::size_t> seen;
    std::size_t padded = 0, real = 0;
    REQUIRE(batches.size() == again.size());
    for (std::size_t k = 0; k < batches.size(); ++k) {
        const Batch& b = batches[k];
        CHECK(b.indices == again[k].indices);
        CHECK(b.indices.size() <= 64);
        if (b.indices.size() > 1) CHECK(b.indices.size() * (b.source.shape(1) + b.target_in.shape(1)) <= 200);
        seen.insert(b.indices.begin(), b.indices.end());
        padded += b.source.size();
        for (auto i : b.indices) real += data[i].source.size() + 1;
    }
    CHECK(seen.size() == data.size());
    CHECK(std::set<std::size_t>(seen.begin(), seen.end()).size() == data.size());
    CHECK(double(real) / double(padded) > 0.8);  // sorting by length keeps padding low
}
