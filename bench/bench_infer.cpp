// bench_infer: CPU time to translate one sentence greedily with each given bundle, as the page does
// (translate(): tokenise, encode, greedy decoding, attention maps, detokenise), one thread.
// The sentence: per task, the first test sentence (data seed 1) with --tokens source tokens (or the
// closest in length if the task has none), unless --sentence gives one for all. First every model translates it untimed
// for about --warmup-ms of CPU (in wasm node compiles optimised code meanwhile); then per model as many translations as
// fill about
// --sample-ms of CPU, timed together; prints one JSON line per model with the mean CPU time per
// sentence. The same source is the wasm build (NODERAWFS, under node), so both read the same files.
// Usage: bench_infer [--tokens 10] [--sentence TEXT] [--sample-ms 200] [--warmup-ms 300] DIR...
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "attnlab/data/task.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "bench_common.hpp"

using namespace attnlab;

namespace {

int run(int argc, char** argv) {
    std::size_t tokens = 10;
    double warmup_ms = 300;
    double sample_ms = 200;
    std::string sentence;
    std::vector<std::string> dirs;
    CLI::App app("bench_infer: CPU time to translate one sentence greedily with each bundle", "bench_infer");
    app.add_option("--tokens", tokens, "source tokens of the test sentence picked per task")->capture_default_str();
    app.add_option("--sentence", sentence, "one sentence for every model instead");
    app.add_option("--sample-ms", sample_ms, "CPU time timed per model")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("--warmup-ms", warmup_ms, "untimed translations per model first")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("DIR", dirs, "bundle folders")->required();
    CLI11_PARSE(app, argc, argv);
    std::vector<Bundle> bundles;
    std::map<std::string, std::string> sentences;  // per task: the test sentence every model of it gets
    for (const std::string& dir : dirs) {
        bundles.push_back(load_bundle(dir));
        const Bundle& bundle = bundles.back();
        std::string& text = sentences[bundle.task()];
        if (!sentence.empty()) text = sentence;
        if (!text.empty()) continue;
        TaskSizes sizes;
        sizes.train = 3000;  // as bench_train; the sentence is printed with the results
        // The first test sentence with --tokens source tokens, or (a task without one) the closest in length.
        std::size_t best = SIZE_MAX;
        for (const Example& e : make_task(bundle.task(), 1, sizes).test) {
            const std::size_t n = bundle.source.encode(e.source).ids.size(), off = n > tokens ? n - tokens : tokens - n;
            if (off < best) {
                best = off;
                text = e.source;
            }
            if (off == 0) break;
        }
        if (text.empty()) throw Error(dir + ": its task has no test sentence");
    }
    auto sentence_of = [&](const Bundle& b) { return sentences.at(b.task()); };
    // Warm every model up before timing any (in wasm, node compiles the optimised code on helper
    // threads whose CPU time process.cpuUsage() counts): translations for about --warmup-ms each.
    for (const Bundle& bundle : bundles)
        for (const double t0 = cpu_seconds(); cpu_seconds() - t0 < warmup_ms * 1e-3;)
            translate(bundle, sentence_of(bundle));
    for (std::size_t m = 0; m < bundles.size(); ++m) {
        // Calibrate: repetitions for about sample_ms of CPU.
        double t0 = cpu_seconds();
        Translation t = translate(bundles[m], sentence_of(bundles[m]));
        const double one = std::max(cpu_seconds() - t0, 1e-6);
        const long reps = std::max(1L, long(sample_ms * 1e-3 / one));
        t0 = cpu_seconds();
        for (long i = 0; i < reps; ++i) t = translate(bundles[m], sentence_of(bundles[m]));
        const double per = (cpu_seconds() - t0) / double(reps);
        std::printf("%s\n", nlohmann::json{{"build", build_name()},
                                           {"clock", cpu_clock_name()},
                                           {"model", dirs[m]},
                                           {"task", bundles[m].task()},
                                           {"sentence", sentence_of(bundles[m])},
                                           {"source_tokens", t.source_tokens.size() - 1},
                                           {"output", t.text},
                                           {"output_tokens", t.output_tokens.size()},
                                           {"repetitions", reps},
                                           {"ms_per_sentence", per * 1e3}}
                                .dump()
                                .c_str());
        std::fflush(stdout);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return main_with_errors("bench_infer", run, argc, argv); }
