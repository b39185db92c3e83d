#include "attnlab/data/digit_sequences.hpp"

#include <unordered_set>
#include <vector>

#include "attnlab/tensor/random.hpp"

namespace attnlab {

namespace {

// FNV-1a over the string, started from the seed: which split a string belongs to.
std::uint64_t string_hash(const std::string& s, std::uint64_t seed) {
    std::uint64_t h = 0xcbf29ce484222325ull ^ (seed * 0x9E3779B97F4A7C15ull);
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

}  // namespace

TaskSplits make_digit_sequences(bool reverse, std::uint64_t seed, const TaskSizes& sizes) {
    if (sizes.min_digits < 1 || sizes.min_digits > sizes.max_digits || sizes.max_digits > 1000)
        throw Error("copy/reverse: need 1 <= min_digits <= max_digits <= 1000 (got " +
                    std::to_string(sizes.min_digits) + ", " + std::to_string(sizes.max_digits) + ")");
    const std::uint64_t total = sizes.train + sizes.valid + sizes.test;
    if (total == 0) return {};
    // A string is in test if its hash mod total < test, in valid if < test + valid, else in train.
    auto split_of = [&](const std::string& s) {
        const std::uint64_t r = string_hash(s, seed) % total;
        return r < sizes.test ? 2 : r < sizes.test + sizes.valid ? 1 : 0;
    };
    Rng rng(seed);
    TaskSplits splits;
    std::vector<Example>* out[3] = {&splits.train, &splits.valid, &splits.test};
    const std::size_t want[3] = {sizes.train, sizes.valid, sizes.test};
    const std::size_t n_lengths = sizes.max_digits - sizes.min_digits + 1;
    for (int k = 0; k < 3; ++k) {
        std::unordered_set<std::string> seen;
        std::vector<std::size_t> failures(n_lengths, 0);  // consecutive misses at each length
        std::vector<std::size_t> open;                    // lengths not yet exhausted
        for (std::size_t i = 0; i < n_lengths; ++i) open.push_back(i);
        while (out[k]->size() < want[k]) {
            if (open.empty())
                throw Error("copy/reverse: not enough distinct strings of " + std::to_string(sizes.min_digits) + "-" +
                            std::to_string(sizes.max_digits) + " digits for the splits asked");
            const std::size_t slot = rng.below(std::uint32_t(open.size()));
            const std::size_t length = sizes.min_digits + open[slot];
            std::string source;
            for (std::size_t i = 0; i < length; ++i) {
                if (i) source += ' ';
                source += char('0' + rng.below(10));
            }
            if (split_of(source) != k || !seen.insert(source).second) {
                if (++failures[open[slot]] > 2000) open.erase(open.begin() + std::ptrdiff_t(slot));
                continue;
            }
            failures[open[slot]] = 0;
            std::string target = source;
            if (reverse) target.assign(source.rbegin(), source.rend());  // single-character tokens
            out[k]->push_back({std::move(source), std::move(target)});
        }
    }
    return splits;
}

}  // namespace attnlab
