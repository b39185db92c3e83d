// attnlab translate --model DIR [--beam K] [--max-length N] [--json [--states]] [--layer L --head H] SENTENCE:
// the translation and its attention map as a Unicode heatmap, or every map, score and (with --states)
// §5's states and context vectors as JSON; a dates model's check as a warning line on stderr.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xtensor/xmath.hpp>

#include "attnlab/data/date_reader.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "commands.hpp"
#include "heatmap.hpp"
#include "options.hpp"
#include "tensor_json.hpp"

namespace attnlab {

namespace {

struct TranslateCommand {
    std::string model;
    TranslateOptions options;
    bool json = false;
    long head = 0, layer = 0;  // 0: the mean over heads, the last layer
    std::vector<std::string> words;
};

void run_translate(const TranslateCommand& a) {
    const std::string& dir = a.model;
    const TranslateOptions& o = a.options;
    const bool json = a.json;
    if (o.states && !json) throw Error("--states is printed with --json only");
    const long head = a.head;           // 0: the mean over heads
    const long layer_option = a.layer;  // 0: the last layer
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
        nlohmann::json out{{"source_tokens", t.source_tokens},
                           {"source_unknown", t.source_unknown},
                           {"unknown_words", t.unknown_words},
                           {"output_tokens", t.output_tokens},
                           {"translation", t.text},
                           {"log_prob", t.log_prob},
                           {"attention", att},
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
        return;
    }
    std::string heatmap;  // built first, so that a bad --layer/--head fails before anything is printed
    if (auto it = t.attention.find("cross"); it != t.attention.end()) {
        Tensor map = it->second;
        if (map.dimension() == 4) {  // a Transformer's (layers, heads, To, Ts): one layer, one head or their mean
            const std::size_t layers = map.shape(0), heads = map.shape(1);
            if (layer < 1 || std::size_t(layer) > layers || std::size_t(head) > heads)
                throw Error("this model has " + std::to_string(layers) + " layers and " + std::to_string(heads) +
                            " heads: --layer takes 1.." + std::to_string(layers) + ", --head 1.." +
                            std::to_string(heads));
            const Tensor in_layer = xt::view(map, layer - 1);
            map = head == 0 ? Tensor(xt::mean(in_layer, {0})) : Tensor(xt::view(in_layer, head - 1));
            heatmap = "\ncross-attention of layer " + std::to_string(layer) + "/" + std::to_string(layers) + ", " +
                      (head == 0 ? "mean of " + std::to_string(heads) + " heads" : "head " + std::to_string(head)) +
                      " (--layer, --head pick another)\n";
        }
        heatmap +=
            "\n" + render_heatmap(map, t.source_tokens, t.output_tokens, t.source_unknown, isatty(fileno(stdout)));
    }
    std::cout << t.text << "\n";
    if (!t.unknown_words.empty()) {
        std::cout << "unknown words (read as <unk>):";
        for (const auto& w : t.unknown_words) std::cout << " " << w;
        std::cout << "\n";
    }
    std::cout << heatmap;
}

}  // namespace

void register_translate(CLI::App& app) {
    auto c = std::make_shared<TranslateCommand>();
    CLI::App* cmd = app.add_subcommand("translate", "translate a sentence and show where the model looked");
    cmd->add_option("--model", c->model, "a bundle's folder")->required();
    cmd->add_option("--beam", c->options.beam, "beam width (1: greedy)")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_option("--max-length", c->options.max_length, "output tokens (0: 2 × source tokens + 10)")
        ->transform(whole_number)
        ->capture_default_str();
    cmd->add_flag("--json", c->json, "every attention map and its raw scores as JSON");
    // §5: the encoder states h_i and each step's context vector c_t
    cmd->add_flag("--states", c->options.states, "with --json: the encoder states and each step's context vector");
    cmd->add_option("--layer", c->layer,
                    "a Transformer's heatmap: the cross-attention of this layer (default the last)")
        ->transform(whole_number);
    cmd->add_option("--head", c->head, "… of this head (default the mean of the heads)")->transform(whole_number);
    cmd->add_option("sentence", c->words, "the words to translate (joined by spaces)");
    cmd->footer(R"(A dates model: a "warning: ..." line on stderr when the input or output is not a date, an
impossible date or a year out of 1900-2099, or the output is not the input's date; exit 0;
--json: the same line as date_warning, "" when none.)");
    cmd->callback([c] { run_translate(*c); });
}

}  // namespace attnlab
