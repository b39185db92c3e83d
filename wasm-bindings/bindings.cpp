// The JavaScript face of attnlab: embind bindings that only convert types. Errors never escape as
// wasm exceptions: each call returns {error: "message"} instead, and the JS library (web/src/lib)
// turns that into a rejected promise.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "attnlab/data/date_reader.hpp"
#include "attnlab/data/en_fr_grammar.hpp"
#include "attnlab/data/lexicon.hpp"
#include "attnlab/decode/greedy_steps.hpp"
#include "attnlab/decode/input_limits.hpp"
#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/nn/softmax_saturation.hpp"
#include "attnlab/session/training_session.hpp"
#include "attnlab/tensor/gemm.hpp"

using emscripten::val;

namespace {

std::map<int, std::unique_ptr<attnlab::Bundle>> g_models;
int g_next_id = 1;
std::optional<attnlab::Lexicon> g_lexicon;             // the toy English -> French lexicon, for reference translations
std::unique_ptr<attnlab::TrainingSession> g_training;  // the one training run of the page

val error(const std::string& message) {
    val r = val::object();
    r.set("error", message);
    return r;
}

// A Float32Array copy of t with its shape.
val tensor_to_js(const attnlab::Tensor& t) {
    val r = val::object();
    val shape = val::array();
    for (auto s : t.shape()) shape.call<void>("push", unsigned(s));
    r.set("shape", shape);
    r.set("data",
          val::global("Float32Array").new_(emscripten::typed_memory_view(t.size(), t.data())).call<val>("slice"));
    return r;
}

template <class T>
val array_to_js(const std::vector<T>& v) {
    val a = val::array();
    for (const auto& x : v) a.call<void>("push", x);
    return a;
}

// {name: Tensor} -> {name: {shape, data}}
val tensors_to_js(const std::map<std::string, attnlab::Tensor>& maps) {
    val r = val::object();
    for (const auto& [name, m] : maps) r.set(name, tensor_to_js(m));
    return r;
}

// A Translation -> {sourceTokens, sourceUnknown, unknownWords, outputTokens, translation, logProb,
//                    attention: {name: {shape, data}}, scores: the same names and shapes,
//                    with states: states: {cross: (Ts, D·H)}, context: {cross: (To, D·H)} (RNNs),
//                    values, headContext: {encoder_self, decoder_self, cross: (L, h, keys|queries, d/h)}}
val translation_to_js(const attnlab::Translation& t, bool states = false) {
    val r = val::object();
    r.set("sourceTokens", array_to_js(t.source_tokens));
    val unknown = val::array();
    for (bool u : t.source_unknown) unknown.call<void>("push", u);
    r.set("sourceUnknown", unknown);
    r.set("unknownWords", array_to_js(t.unknown_words));
    r.set("outputTokens", array_to_js(t.output_tokens));
    r.set("translation", t.text);
    r.set("logProb", t.log_prob);
    r.set("attention", tensors_to_js(t.attention));
    r.set("scores", tensors_to_js(t.scores));  // the raw scores before each softmax, -Infinity where masked
    if (states) {  // §5: the encoder states h_i and the context vectors c_t the decoder used
        r.set("states", tensors_to_js(t.states));
        r.set("context", tensors_to_js(t.context));
        r.set("values", tensors_to_js(t.values));  // §10: each head's values v_i and output Σ α_i v_i
        r.set("headContext", tensors_to_js(t.head_context));
    }
    return r;
}

// A Uint8Array's bytes, copied by one TypedArray.set: embind's own conversion to std::string copies a
// typed array a byte at a time in JavaScript (a fifth of a model's load once optimised, far more cold).
std::string bytes_of(const val& array) {
    const std::size_t n = array["length"].as<std::size_t>();
    std::string bytes(n, '\0');
    val(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(bytes.data()))).call<void>("set", array);
    return bytes;
}

// bundle files' contents (safetensors: a Uint8Array) -> {id, task, description, config} or {error}
val load_model(const std::string& config_json, const val& safetensors, const std::string& vocab_json,
               const std::string& name) {
    if (!safetensors.instanceof (val::global("Uint8Array")))
        return error(name + "/model.safetensors: expected its bytes as a Uint8Array");
    try {
        auto b = std::make_unique<attnlab::Bundle>(
            attnlab::load_bundle_from_memory(config_json, bytes_of(safetensors), vocab_json, name));
        val r = val::object();
        r.set("id", g_next_id);
        r.set("task", b->task());
        r.set("description", b->description());
        r.set("config", val::global("JSON").call<val>("parse", b->config.dump()));
        g_models[g_next_id++] = std::move(b);
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

val unload_model(int id) { return val(g_models.erase(id) == 1); }

// -> {sourceTokens, sourceUnknown, unknownWords, outputTokens, translation, logProb, attention: {name: {shape, data}},
//     scores: the same names and shapes, and with `states` also states and context (translation_to_js)}
// beam and max_length are JavaScript numbers, checked whole (a 10¹² is refused, not wrapped to an int).
val translate(int id, const std::string& sentence, double beam, double max_length, bool states) {
    try {
        auto it = g_models.find(id);
        if (it == g_models.end()) return error("no model loaded with id " + std::to_string(id));
        const attnlab::InputLength length = attnlab::measure_input(it->second->source, sentence);
        if (length.too_long) {
            val r = error(attnlab::input_limit_message(length));
            val n = val::object();
            n.set("chars", unsigned(length.chars));
            n.set("tokens", unsigned(length.tokens));
            r.set("tooLong", n);
            return r;
        }
        attnlab::check_translate_options(beam, max_length);
        attnlab::TranslateOptions o;
        o.beam = std::max<std::size_t>(1, std::size_t(beam));
        o.max_length = std::size_t(max_length);
        o.states = states;
        const attnlab::Translation t = attnlab::translate(*it->second, sentence, o);
        return translation_to_js(t, states);
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// A std::vector<float> -> a Float32Array copy.
val floats_to_js(const std::vector<float>& v) {
    return val::global("Float32Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

// -> {sourceTokens, steps: [{inputToken, inputEmbedding, attention: {name: {shape, data}}, scores: the same
//     names and shapes (before the softmax, -Infinity where masked), top: [{token, probability}], outputToken}]}
val greedy_steps(int id, const std::string& sentence, int top_k) {
    try {
        auto it = g_models.find(id);
        if (it == g_models.end()) return error("no model loaded with id " + std::to_string(id));
        const attnlab::InputLength length = attnlab::measure_input(it->second->source, sentence);
        if (length.too_long) return error(attnlab::input_limit_message(length));
        const attnlab::GreedySteps g = attnlab::greedy_steps(*it->second, sentence, std::size_t(std::max(1, top_k)));
        val steps = val::array();
        for (const attnlab::GreedyStep& s : g.steps) {
            val o = val::object();
            o.set("inputToken", s.input_token);
            o.set("inputEmbedding", floats_to_js(s.input_embedding));
            auto rows_to_js = [&](const std::map<std::string, std::vector<float>>& rows) {
                val maps = val::object();
                for (const auto& [name, row] : rows) {
                    val m = val::object();
                    m.set("shape", array_to_js(std::vector<unsigned>(s.attention_shape.at(name).begin(),
                                                                     s.attention_shape.at(name).end())));
                    m.set("data", floats_to_js(row));
                    maps.set(name, m);
                }
                return maps;
            };
            o.set("attention", rows_to_js(s.attention));
            o.set("scores", rows_to_js(s.scores));
            val top = val::array();
            for (const auto& c : s.top) {
                val x = val::object();
                x.set("token", c.token);
                x.set("probability", c.probability);
                top.call<void>("push", x);
            }
            o.set("top", top);
            o.set("outputToken", s.output_token);
            steps.call<void>("push", o);
        }
        val r = val::object();
        r.set("sourceTokens", array_to_js(g.source_tokens));
        r.set("steps", steps);
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// The dates task's view of an input and an output, from the library's one check of a translation:
// {input: {iso, format, pattern} or null, inputProblem, outputIsDate, outputProblem, warning,
//  formats: [{pattern, example}]}; a problem is "none" | "not_a_date" | "impossible_date" | "year_out_of_range".
val read_dates(const std::string& input, const std::string& output) {
    try {
        val r = val::object();
        const attnlab::DateTranslationCheck check = attnlab::check_date_translation(input, output);
        if (check.input.reading) {
            val in = val::object();
            in.set("iso", attnlab::iso_date(check.input.reading->date));
            in.set("format", unsigned(check.input.reading->format));
            in.set("pattern", std::string(attnlab::date_format_pattern(check.input.reading->format)));
            r.set("input", in);
        } else {
            r.set("input", val::null());
        }
        r.set("inputProblem", std::string(attnlab::date_problem_name(check.input.problem)));
        r.set("outputIsDate", check.output.problem == attnlab::DateProblem::none);
        r.set("outputProblem", std::string(attnlab::date_problem_name(check.output.problem)));
        r.set("warning", check.warning);
        val formats = val::array();
        const auto examples = attnlab::date_format_examples();
        for (std::size_t f = 0; f < examples.size(); ++f) {
            val x = val::object();
            x.set("pattern", std::string(attnlab::date_format_pattern(f)));
            x.set("example", examples[f]);
            formats.call<void>("push", x);
        }
        r.set("formats", formats);
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// A random date of the dates task in a random format, from a seed: {text, iso, pattern}.
val random_date(double seed) {
    try {
        const attnlab::Example e = attnlab::random_date_example(std::uint64_t(seed));
        val r = val::object();
        r.set("text", e.source);
        r.set("iso", e.target);
        r.set("pattern", e.group);
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// -> {maxChars, maxTokens}: the limits translate() enforces (its {error, tooLong: {chars, tokens}} beyond them)
val limits() {
    const attnlab::InputLimits l;
    val r = val::object();
    r.set("maxChars", unsigned(l.max_chars));
    r.set("maxTokens", unsigned(l.max_tokens));
    return r;
}

// The text of data/toy_en_fr/lexicon.json -> {} or {error}; kept for referenceTranslation.
val set_lexicon(const std::string& json_text) {
    try {
        g_lexicon = attnlab::parse_lexicon(json_text);
        return val::object();
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// An English sentence of the toy grammar (tokens separated by spaces) -> {text} (its French, by the
// task's own translator) or {error} (outside the grammar, or no lexicon set).
val reference_translation(const std::string& english) {
    try {
        if (!g_lexicon) return error("no lexicon: call setLexicon first");
        val r = val::object();
        r.set("text", attnlab::translate_en_fr(*g_lexicon, english));
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// (dims: [d_k…], n_keys, trials, seed) -> [{dK, entropyUnscaled, entropyScaled, maxWeightUnscaled, maxWeightScaled}] or
// {error}
val softmax_saturation(val dims, int n_keys, int trials, int seed) {
    try {
        std::vector<std::size_t> d;
        for (int x : emscripten::vecFromJSArray<int>(dims)) d.push_back(std::size_t(std::max(0, x)));
        val out = val::array();
        for (const auto& p : attnlab::softmax_saturation(d, std::size_t(std::max(0, n_keys)),
                                                         std::size_t(std::max(0, trials)), std::uint64_t(seed))) {
            val o = val::object();
            o.set("dK", unsigned(p.d_k));
            o.set("entropyUnscaled", p.entropy_unscaled);
            o.set("entropyScaled", p.entropy_scaled);
            o.set("maxWeightUnscaled", p.max_weight_unscaled);
            o.set("maxWeightScaled", p.max_weight_scaled);
            out.call<void>("push", o);
        }
        return out;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// A JS options object -> TrainingOptions: {task, preset, embedding, hidden, attentionSize, dModel, heads, ffn,
// layers, dropout, teacherForcing, epochs, lr, maxTokens, seed, dataSeed, trainSize, validSize, testSize,
// maxTrainWords, probe};
// an absent field keeps the library's default.
attnlab::TrainingOptions training_options(const val& o) {
    attnlab::TrainingOptions t;
    auto has = [&](const char* k) { return o.hasOwnProperty(k) && !o[k].isUndefined() && !o[k].isNull(); };
    // A whole number in [0, 2^31): converting a larger double to wasm32's size_t would be undefined.
    auto size = [&](const char* k) {
        const double x = o[k].as<double>();
        if (!(x >= 0 && x < 2147483648.0) || x != std::floor(x))
            throw attnlab::Error(std::string("training option ") + k + " must be a whole number in [0, 2^31), got " +
                                 val::global("String")(o[k]).as<std::string>());
        return std::size_t(x);
    };
    if (has("task")) t.task = o["task"].as<std::string>();
    if (has("preset")) t.preset = o["preset"].as<std::string>();
    if (has("embedding")) t.sizes.embedding = size("embedding");
    if (has("hidden")) t.sizes.hidden = size("hidden");
    if (has("attentionSize")) t.sizes.attention_size = size("attentionSize");
    if (has("dModel")) t.sizes.d_model = size("dModel");
    if (has("heads")) t.sizes.heads = size("heads");
    if (has("ffn")) t.sizes.ffn = size("ffn");
    if (has("layers")) t.sizes.layers = size("layers");
    if (has("dropout")) t.sizes.dropout = o["dropout"].as<float>();
    if (has("teacherForcing"))
        t.sizes.teacher_forcing_start = t.sizes.teacher_forcing_end = o["teacherForcing"].as<float>();
    if (has("epochs")) t.epochs = size("epochs");
    if (has("lr")) t.lr = o["lr"].as<float>();
    if (has("maxTokens")) t.max_tokens = size("maxTokens");
    if (has("seed")) t.seed = std::uint64_t(size("seed"));
    if (has("dataSeed")) t.data_seed = std::uint64_t(size("dataSeed"));
    if (has("trainSize")) t.data.train = size("trainSize");
    if (has("validSize")) t.data.valid = size("validSize");
    if (has("testSize")) t.data.test = size("testSize");
    if (has("maxTrainWords")) t.data.max_train_words = size("maxTrainWords");
    if (has("probe")) t.probe = o["probe"].as<std::string>();
    return t;
}

val training_status_to_js(const attnlab::TrainingStatus& s) {
    val r = val::object();
    r.set("step", double(s.progress.step));
    r.set("totalSteps", double(s.progress.total_steps));
    r.set("epoch", unsigned(s.progress.epoch));
    r.set("epochs", unsigned(s.progress.epochs));
    r.set("loss", s.progress.loss);
    r.set("tokensPerSecond", s.progress.tokens_per_second);
    r.set("etaSeconds", s.progress.eta_seconds);
    r.set("done", s.done);
    r.set("heapBytes", double(emscripten_get_heap_size()));
    return r;
}

// options -> {parameters, probe, status} or {error}; replaces any previous run.
// The small, fast dates preset for the browser (small_dates_training), as trainStart's options:
// {task, preset, embedding, hidden, attentionSize, epochs}.
val small_dates_preset() {
    const attnlab::TrainingOptions o = attnlab::small_dates_training();
    val r = val::object();
    r.set("task", o.task);
    r.set("preset", o.preset);
    r.set("embedding", unsigned(*o.sizes.embedding));
    r.set("hidden", unsigned(*o.sizes.hidden));
    r.set("attentionSize", unsigned(*o.sizes.attention_size));
    r.set("epochs", unsigned(o.epochs));
    return r;
}

val train_start(val options) {
    try {
        g_training.reset();
        const attnlab::TrainingOptions o = training_options(options);
        g_training =
            std::make_unique<attnlab::TrainingSession>(o, o.task == "toy-en-fr" && g_lexicon ? &*g_lexicon : nullptr);
        val r = val::object();
        r.set("parameters", double(g_training->parameter_count()));
        r.set("probe", g_training->probe_sentence());
        r.set("status", training_status_to_js(g_training->status()));
        return r;
    } catch (const std::exception& e) {
        g_training.reset();
        return error(e.what());
    }
}

// n steps -> status (as train_start's) or {error}
val train_step(int n) {
    try {
        if (!g_training) return error("no training: call trainStart first");
        return training_status_to_js(g_training->step(std::size_t(std::max(0, n))));
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// -> the probe sentence translated now (as translate's) or {error}
val train_probe() {
    try {
        if (!g_training) return error("no training: call trainStart first");
        return translation_to_js(g_training->probe());
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// limit (0: the whole test split) -> the evaluation report (as eval.json) or {error}
val train_evaluate(int limit) {
    try {
        if (!g_training) return error("no training: call trainStart first");
        return val::global("JSON").call<val>("parse",
                                             g_training->evaluate(std::size_t(std::max(0, limit))).to_json().dump());
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

// -> {config, safetensors: Uint8Array, vocab} (the three files of the bundle) or {error}
val train_export() {
    try {
        if (!g_training) return error("no training: call trainStart first");
        const attnlab::BundleFiles f = g_training->export_bundle();
        val r = val::object();
        r.set("config", f.config_json);
        r.set("safetensors", val::global("Uint8Array")
                                 .new_(emscripten::typed_memory_view(
                                     f.safetensors.size(), reinterpret_cast<const std::uint8_t*>(f.safetensors.data())))
                                 .call<val>("slice"));
        r.set("vocab", f.vocab_json);
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

val train_dispose() { return val(bool(std::exchange(g_training, nullptr))); }

}  // namespace

EMSCRIPTEN_BINDINGS(attnlab) {
    emscripten::function("loadModel", &load_model);
    emscripten::function("unloadModel", &unload_model);
    emscripten::function("translate", &translate);
    emscripten::function("limits", &limits);
    emscripten::function("setLexicon", &set_lexicon);
    emscripten::function("referenceTranslation", &reference_translation);
    emscripten::function("softmaxSaturation", &softmax_saturation);
    emscripten::function("greedySteps", &greedy_steps);
    emscripten::function("readDates", &read_dates);
    emscripten::function("randomDate", &random_date);
    emscripten::function("smallDatesPreset", &small_dates_preset);
    emscripten::function("trainStart", &train_start);
    emscripten::function("trainStep", &train_step);
    emscripten::function("trainProbe", &train_probe);
    emscripten::function("trainEvaluate", &train_evaluate);
    emscripten::function("trainExport", &train_export);
    emscripten::function("trainDispose", &train_dispose);
}
