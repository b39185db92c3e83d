// attnlab — train, run and evaluate the primer's sequence models from the terminal.
//   attnlab train --task toy-en-fr --model bahdanau-gru --out models/NAME [options]
//   attnlab translate --model DIR [--beam K] [--json] "the small cat does not eat the red apple"
//   attnlab eval --model DIR [--split test|valid] [--json]
//   attnlab tasks
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>
#include <xtensor/xmath.hpp>

#include "attnlab/data/date_reader.hpp"
#include "attnlab/data/task.hpp"
#include "attnlab/data/task_codecs.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/models/model_factory.hpp"
#include "attnlab/models/seq2seq.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/text/bounded_json.hpp"
#include "attnlab/eval/evaluate.hpp"
#include "attnlab/train/presets.hpp"
#include "attnlab/train/trainer.hpp"
#include "data_command.hpp"
#include "forward.hpp"
#include "heatmap.hpp"

using namespace attnlab;

namespace {

const char* kUsage = R"(usage:
  attnlab train --task TASK --model PRESET --out DIR [options]
      TASK: toy-en-fr | toy-en-zh | dates | copy | reverse
      PRESET: context-gru | bahdanau-gru | luong-general-gru | luong-dot-gru | luong-concat-gru
              | luong-scaled-dot-gru (any of them with -lstm or -rnn instead of -gru)
              | transformer (post-LN, as in the paper) | transformer-preln
              | aaren | aaren-preln (the Transformer with Aaren decoder self-attention: attention as an RNN)
      options: --epochs N --seed N --data-seed N --train-size N --dropout P --lr X --max-tokens N
               --label-smoothing P --schedule warmup-linear|warmup-cosine|constant|noam --warmup N
               --quiet
        RNN:   --embedding N --hidden N --layers N --attention-size N --teacher-forcing P[:P_END]
               --no-bidirectional --no-input-feeding
        Transformer, Aaren: --d-model N --heads N --layers N (each side) --ffn N --tie-embeddings
               (noam uses --lr as its factor: lr · d^-0.5 · min(step^-0.5, step · warmup^-1.5))
  attnlab translate --model DIR [--beam K] [--max-length N] [--json [--states]] [--layer L --head H] SENTENCE
      (a Transformer's heatmap: cross-attention of layer L, default the last, head H, default the mean)
      (a dates model: a "warning: ..." line on stderr when the input or output is not a date, an
       impossible date or a year out of 1900-2099, or the output is not the input's date; exit 0;
       --json: the same line as date_warning, "" when none)
  attnlab eval --model DIR [--split test|valid] [--json]
  attnlab forward --model DIR (--source S --target T | --pairs FILE) [--gradients] --json
  attnlab tasks
  attnlab data --task TASK [--split train|valid|test|all] [--data-seed N] [--{train,valid,test}-size N] --json
)";

// --name value pairs and --flags, then positional words.
struct Args {
    std::map<std::string, std::string> options;
    std::vector<std::string> words;
    std::vector<std::string> used;

    std::string get(const std::string& name, const std::string& fallback = "") {
        used.push_back(name);
        auto it = options.find(name);
        return it == options.end() ? fallback : it->second;
    }
    std::string need(const std::string& name) {
        const std::string v = get(name);
        if (v.empty()) throw Error("missing --" + name + " (see attnlab --help)");
        return v;
    }
    bool flag(const std::string& name) { return get(name) == "1"; }
    long number(const std::string& name, long fallback) {
        const std::string v = get(name);
        if (v.empty()) return fallback;
        try {
            std::size_t end = 0;
            const long n = std::stol(v, &end);
            if (end == v.size() && n >= 0) return n;
        } catch (const std::exception&) {
        }
        throw Error("--" + name + " must be a whole number ≥ 0, not \"" + v + "\"");
    }
    double real(const std::string& name, double fallback) {
        const std::string v = get(name);
        if (v.empty()) return fallback;
        try {
            std::size_t end = 0;
            const double x = std::stod(v, &end);
            if (end == v.size() && std::isfinite(x)) return x;
        } catch (const std::exception&) {
        }
        throw Error("--" + name + " must be a number, not \"" + v + "\"");
    }
    void reject_unused() const {
        for (const auto& [name, value] : options)
            if (std::find(used.begin(), used.end(), name) == used.end()) throw Error("unknown option --" + name);
    }
};

Args parse_args(int argc, char** argv, int first, const std::vector<std::string>& flags) {
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string s = argv[i];
        if (s.rfind("--", 0) == 0 && s.size() > 2) {
            s = s.substr(2);
            if (auto eq = s.find('='); eq != std::string::npos) {
                a.options[s.substr(0, eq)] = s.substr(eq + 1);
            } else if (std::find(flags.begin(), flags.end(), s) != flags.end()) {
                a.options[s] = "1";
            } else {
                if (i + 1 >= argc) throw Error("--" + s + " needs a value");
                a.options[s] = argv[++i];
            }
        } else {
            a.words.push_back(s);
        }
    }
    return a;
}

std::vector<TokenPair> encode_pairs(const std::vector<Example>& examples, const TextCodec& src, const TextCodec& tgt) {
    std::vector<TokenPair> out;
    for (const Example& e : examples) out.push_back({src.encode(e.source).ids, tgt.encode(e.target).ids});
    return out;
}

std::string format_seconds(double s) {
    char buf[32];
    const long t = long(s + 0.5);
    if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    return buf;
}

// config.json's "data" sizes (each optional), checked before the splits are regenerated.
TaskSizes sizes_from(const nlohmann::json& data, const std::string& config_file) {
    TaskSizes s;
    const std::pair<const char*, std::size_t*> fields[] = {
        {"train_size", &s.train}, {"valid_size", &s.valid}, {"test_size", &s.test}};
    for (const auto& [name, out] : fields) {
        if (!data.contains(name)) continue;
        const nlohmann::json& v = data[name];
        if (!v.is_number_unsigned() || v.get<std::uint64_t>() > task_max_examples)
            throw Error(config_file + ": data." + name + " must be a whole number ≤ " + std::to_string(task_max_examples) +
                        " (examples), got " + brief_json(v));
        *out = std::size_t(v.get<std::uint64_t>());
    }
    return s;
}

// A float to 7 significant digits, as it was written (0.9f -> 0.9, not 0.8999999761581421).
double decimal(float x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", double(x));
    return std::strtod(buf, nullptr);
}

// The preset's options as given on the command line.
PresetOptions preset_options(Args& a) {
    PresetOptions o;
    auto size = [&](const char* name, std::optional<std::size_t>& out) {
        if (a.options.count(name)) out = std::size_t(a.number(name, 0));
    };
    size("embedding", o.embedding);
    size("hidden", o.hidden);
    size("attention-size", o.attention_size);
    size("d-model", o.d_model);
    size("heads", o.heads);
    size("ffn", o.ffn);
    size("layers", o.layers);
    if (a.options.count("dropout")) o.dropout = float(a.real("dropout", 0.1));
    o.no_bidirectional = a.flag("no-bidirectional");
    o.no_input_feeding = a.flag("no-input-feeding");
    o.tie_embeddings = a.flag("tie-embeddings");
    if (a.options.count("teacher-forcing")) {
        const std::string tf = a.get("teacher-forcing");
        const auto colon = tf.find(':');
        try {
            o.teacher_forcing_start = std::stof(tf.substr(0, colon));
            o.teacher_forcing_end = colon == std::string::npos ? *o.teacher_forcing_start : std::stof(tf.substr(colon + 1));
        } catch (const std::exception&) {
            throw Error("--teacher-forcing takes P or P_START:P_END, not \"" + tf + "\"");
        }
    }
    return o;
}

int cmd_train(Args a) {
    const std::string task = a.need("task"), out = a.need("out"), preset_name = a.need("model");
    const std::uint64_t seed = std::uint64_t(a.number("seed", 1)), data_seed = std::uint64_t(a.number("data-seed", 1));
    TaskSizes sizes;
    sizes.train = std::size_t(a.number("train-size", long(sizes.train)));
    const bool quiet = a.flag("quiet");
    const Preset preset = make_preset(preset_name, preset_options(a));
    nlohmann::json mc = preset.model;
    TrainConfig tc = preset.train;
    tc.epochs = std::size_t(a.number("epochs", 10));
    tc.seed = seed;
    tc.lr = float(a.real("lr", 2e-3));
    tc.max_tokens = std::size_t(a.number("max-tokens", 2000));
    tc.label_smoothing = float(a.real("label-smoothing", 0.0));
    tc.schedule = a.get("schedule", tc.schedule);
    tc.warmup_steps = a.number("warmup", tc.warmup_steps);
    if (tc.schedule != "constant" && tc.schedule != "warmup-linear" && tc.schedule != "warmup-cosine" && tc.schedule != "noam")
        throw Error("--schedule must be constant, warmup-linear, warmup-cosine or noam, not \"" + tc.schedule + "\"");
    if (tc.schedule == "noam" && tc.warmup_steps < 1) throw Error("--schedule noam needs --warmup ≥ 1");
    a.reject_unused();

    const TaskSplits splits = make_task(task, data_seed, sizes);
    const TaskCodecs codecs = task_codecs(task, splits.train);
    const TextCodec &src = codecs.source, &tgt = codecs.target;
    mc["source_vocab_size"] = src.vocab().size();
    mc["target_vocab_size"] = tgt.vocab().size();
    const std::unique_ptr<SequenceModel> built = make_model(mc, seed);
    SequenceModel& model = *built;
    const auto train = encode_pairs(splits.train, src, tgt), valid = encode_pairs(splits.valid, src, tgt);
    std::size_t n_params = 0;
    for (const auto& [name, v] : model.parameters()) n_params += v.size();
    std::printf("training %s on %s: %zu parameters, %zu train / %zu valid pairs, vocab %zu → %zu\n",
                preset_name.c_str(), task.c_str(), n_params, train.size(), valid.size(),
                src.vocab().size(), tgt.vocab().size());
    const bool tty = isatty(fileno(stdout));
    long last_line = 0;
    auto progress = [&](const TrainProgress& p) {
        if (quiet && !p.epoch_end) return;
        if (p.epoch_end) {
            if (tty) std::printf("\r\033[K");
            std::printf("epoch %zu/%zu  step %ld  train loss %.4f  valid loss %.4f  %.0f tok/s  ETA %s\n", p.epoch,
                        p.epochs, p.step, p.loss, p.valid_loss, p.tokens_per_second, format_seconds(p.eta_seconds).c_str());
        } else if (tty) {
            const int width = 30, filled = int(double(width) * double(p.step) / double(std::max(1L, p.total_steps)));
            std::printf("\r\033[K[%s%s] step %ld/%ld  loss %.4f  %.0f tok/s  ETA %s", std::string(std::size_t(filled), '#').c_str(),
                        std::string(std::size_t(width - filled), '.').c_str(), p.step, p.total_steps, p.loss,
                        p.tokens_per_second, format_seconds(p.eta_seconds).c_str());
        } else if (p.step - last_line >= 100) {
            last_line = p.step;
            std::printf("step %ld/%ld  loss %.4f  %.0f tok/s  ETA %s\n", p.step, p.total_steps, p.loss,
                        p.tokens_per_second, format_seconds(p.eta_seconds).c_str());
        }
        std::fflush(stdout);
    };
    Trainer trainer(model, train, valid, tc);
    while (!trainer.done()) progress(trainer.step());
    const TrainSummary s = trainer.summary();
    nlohmann::json info = {
        {"task", task},
        {"description", task_description(task)},
        {"data", {{"seed", data_seed}, {"train_size", sizes.train}, {"valid_size", sizes.valid}, {"test_size", sizes.test}}},
        {"training", {{"preset", preset_name}, {"seed", seed}, {"epochs", tc.epochs}, {"lr", tc.lr},
                      {"schedule", tc.schedule}, {"warmup_steps", tc.warmup_steps},
                      {"adam", {{"beta1", decimal(tc.adam.beta1)}, {"beta2", decimal(tc.adam.beta2)},
                                {"eps", decimal(tc.adam.eps)}, {"weight_decay", decimal(tc.adam.weight_decay)}}},
                      {"max_tokens", tc.max_tokens}, {"label_smoothing", tc.label_smoothing},
                      {"teacher_forcing", {tc.teacher_forcing_start, tc.teacher_forcing_end}},
                      {"steps", s.steps}, {"seconds", std::round(s.seconds)},
                      {"final_train_loss", s.final_train_loss}, {"final_valid_loss", s.final_valid_loss}}}};
    save_bundle(out, model, src, tgt, info);
    std::printf("saved %s (%ld steps in %s)\n", out.c_str(), s.steps, format_seconds(s.seconds).c_str());
    return 0;
}

nlohmann::json tensor_json(const Tensor& t) {
    return {{"shape", Shape(t.shape().begin(), t.shape().end())}, {"data", std::vector<float>(t.begin(), t.end())}};
}

int cmd_translate(Args a) {
    const std::string dir = a.need("model");
    TranslateOptions o;
    o.beam = std::size_t(a.number("beam", 1));
    o.max_length = std::size_t(a.number("max-length", 0));
    const bool json = a.flag("json");
    o.states = a.flag("states");  // §5: the encoder states h_i and each step's context vector c_t
    if (o.states && !json) throw Error("--states is printed with --json only");
    const long head = a.number("head", 0);  // 0: the mean over heads
    const long layer_option = a.number("layer", 0);  // 0: the last layer
    a.reject_unused();
    if (a.words.empty()) throw Error("nothing to translate: give a sentence (see attnlab --help)");
    std::string sentence;
    for (const auto& w : a.words) sentence += (sentence.empty() ? "" : " ") + w;
    const Bundle bundle = load_bundle(dir);
    const Translation t = translate(bundle, sentence, o);
    // The dates task's one check of the translation: a warning line on stderr, exit status 0.
    const std::string warning = bundle.task() == "dates" ? check_date_translation(sentence, t.text).warning : "";
    if (!warning.empty()) std::cerr << "warning: " << warning << "\n";
    long layer = 1;
    if (auto it = t.attention.find("cross"); it != t.attention.end() && it->second.dimension() == 4)
        layer = layer_option == 0 ? long(it->second.shape(0)) : layer_option;
    if (json) {
        nlohmann::json att = nlohmann::json::object(), scores = nlohmann::json::object();
        for (const auto& [name, m] : t.attention) att[name] = tensor_json(m);
        for (const auto& [name, m] : t.scores) scores[name] = tensor_json(m);  // −inf is written as null
        nlohmann::json out{{"source_tokens", t.source_tokens}, {"source_unknown", t.source_unknown},
                           {"unknown_words", t.unknown_words}, {"output_tokens", t.output_tokens},
                           {"translation", t.text}, {"log_prob", t.log_prob}, {"attention", att},
                           {"scores", scores}};
        if (o.states) {
            nlohmann::json states = nlohmann::json::object(), context = nlohmann::json::object();
            for (const auto& [name, m] : t.states) states[name] = tensor_json(m);
            for (const auto& [name, m] : t.context) context[name] = tensor_json(m);
            out["states"] = states;
            out["context"] = context;
            nlohmann::json values = nlohmann::json::object(), head_context = nlohmann::json::object();
            for (const auto& [name, m] : t.values) values[name] = tensor_json(m);  // §10: per head
            for (const auto& [name, m] : t.head_context) head_context[name] = tensor_json(m);
            out["values"] = values;
            out["head_context"] = head_context;
        }
        if (bundle.task() == "dates") out["date_warning"] = warning;
        std::cout << out.dump() << "\n";
        return 0;
    }
    std::string heatmap;  // built first, so that a bad --layer/--head fails before anything is printed
    if (auto it = t.attention.find("cross"); it != t.attention.end()) {
        Tensor map = it->second;
        if (map.dimension() == 4) {  // a Transformer's (layers, heads, To, Ts): one layer, one head or their mean
            const std::size_t layers = map.shape(0), heads = map.shape(1);
            if (layer < 1 || std::size_t(layer) > layers || std::size_t(head) > heads)
                throw Error("this model has " + std::to_string(layers) + " layers and " + std::to_string(heads) +
                            " heads: --layer takes 1.." + std::to_string(layers) + ", --head 1.." + std::to_string(heads));
            const Tensor in_layer = xt::view(map, layer - 1);
            map = head == 0 ? Tensor(xt::mean(in_layer, {0})) : Tensor(xt::view(in_layer, head - 1));
            heatmap = "\ncross-attention of layer " + std::to_string(layer) + "/" + std::to_string(layers) + ", " +
                      (head == 0 ? "mean of " + std::to_string(heads) + " heads" : "head " + std::to_string(head)) +
                      " (--layer, --head pick another)\n";
        }
        heatmap += "\n" + render_heatmap(map, t.source_tokens, t.output_tokens, t.source_unknown, isatty(fileno(stdout)));
    }
    std::cout << t.text << "\n";
    if (!t.unknown_words.empty()) {
        std::cout << "unknown words (read as <unk>):";
        for (const auto& w : t.unknown_words) std::cout << " " << w;
        std::cout << "\n";
    }
    std::cout << heatmap;
    return 0;
}

int cmd_eval(Args a) {
    const std::string dir = a.need("model"), split = a.get("split", "test");
    const bool json = a.flag("json");
    a.reject_unused();
    if (split != "test" && split != "valid") throw Error("--split must be test or valid");
    const Bundle bundle = load_bundle(dir);
    const nlohmann::json data = bundle.config.value("data", nlohmann::json::object());
    if (!data.is_object()) throw Error(dir + "/config.json: \"data\" must be an object, got " + brief_json(data));
    const TaskSizes sizes = sizes_from(data, dir + "/config.json");
    if (data.contains("seed") && !data["seed"].is_number_unsigned())
        throw Error(dir + "/config.json: data.seed must be a whole number ≥ 0, got " + brief_json(data["seed"]));
    const TaskSplits splits = make_task(bundle.task(), data.value("seed", std::uint64_t(1)), sizes);
    const auto& examples = split == "test" ? splits.test : splits.valid;
    const EvalReport r = evaluate(*bundle.model, bundle.source, bundle.target, examples, bundle.task());
    if (json) {
        nlohmann::json j = r.to_json();
        j["model"] = dir;
        j["split"] = split;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf("%s on %s/%s (%zu sentences)\n", dir.c_str(), bundle.task().c_str(), split.c_str(), r.count);
    std::printf("  exact match     %6.2f%%\n  token accuracy  %6.2f%%\n  corpus BLEU     %6.2f (on %s)\n",
                100 * r.exact_match(), 100 * r.token_accuracy(), r.bleu, r.bleu_unit.c_str());
    std::printf("  by source length (%s):\n", task_level(bundle.task()) == "char" ? "characters" : "tokens");
    for (const auto& b : r.buckets)
        std::printf("    %3zu-%-3zu  n=%-5zu exact %6.2f%%  BLEU %6.2f\n", b.min_len, b.max_len, b.count,
                    100.0 * double(b.exact) / double(b.count), b.bleu);
    if (!r.by_format.empty()) std::printf("  by format:\n");
    for (const auto& g : r.by_format)
        std::printf("    %-26s n=%-5zu exact %6.2f%%\n", g.name.c_str(), g.count, 100.0 * double(g.exact) / double(g.count));
    return 0;
}

int cmd_tasks() {
    for (const auto& t : task_names()) std::printf("%-10s %s\n", t.c_str(), task_description(t).c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    try {
        const std::vector<std::string> flags{"json", "states", "quiet", "no-bidirectional", "no-input-feeding", "tie-embeddings"};
        if (cmd == "train") return cmd_train(parse_args(argc, argv, 2, flags));
        if (cmd == "translate") return cmd_translate(parse_args(argc, argv, 2, flags));
        if (cmd == "eval") return cmd_eval(parse_args(argc, argv, 2, flags));
        if (cmd == "tasks") return cmd_tasks();
        if (cmd == "forward") return forward_main(argc, argv, 2);
        if (cmd == "data") return data_main(argc, argv, 2);
        std::fprintf(stderr, "attnlab: unknown command \"%s\"\n%s", cmd.c_str(), kUsage);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "attnlab %s: %s\n", cmd.c_str(), e.what());
        return 1;
    }
}
