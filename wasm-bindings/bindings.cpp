// The JavaScript face of attnlab: embind bindings that only convert types. Errors never escape as
// wasm exceptions: each call returns {error: "message"} instead, and the JS library (web/src/lib)
// turns that into a rejected promise.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <map>
#include <memory>

#include "attnlab/decode/translate.hpp"
#include "attnlab/io/bundle.hpp"
#include "attnlab/tensor/gemm.hpp"

using emscripten::val;

namespace {

std::map<int, std::unique_ptr<attnlab::Bundle>> g_models;
int g_next_id = 1;

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
    r.set("data", val::global("Float32Array").new_(emscripten::typed_memory_view(t.size(), t.data())).call<val>("slice"));
    return r;
}

template <class T>
val array_to_js(const std::vector<T>& v) {
    val a = val::array();
    for (const auto& x : v) a.call<void>("push", x);
    return a;
}

// bundle files' contents -> {id, task, description, config} or {error}
val load_model(const std::string& config_json, const std::string& safetensors, const std::string& vocab_json,
               const std::string& name) {
    try {
        auto b = std::make_unique<attnlab::Bundle>(attnlab::load_bundle_from_memory(config_json, safetensors, vocab_json, name));
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
//     scores: the same names and shapes}
val translate(int id, const std::string& sentence, int beam, int max_length) {
    try {
        auto it = g_models.find(id);
        if (it == g_models.end()) return error("no model loaded with id " + std::to_string(id));
        attnlab::TranslateOptions o;
        o.beam = std::size_t(std::max(1, beam));
        o.max_length = std::size_t(std::max(0, max_length));
        const attnlab::Translation t = attnlab::translate(*it->second, sentence, o);
        val r = val::object();
        r.set("sourceTokens", array_to_js(t.source_tokens));
        val unknown = val::array();
        for (bool u : t.source_unknown) unknown.call<void>("push", u);
        r.set("sourceUnknown", unknown);
        r.set("unknownWords", array_to_js(t.unknown_words));
        r.set("outputTokens", array_to_js(t.output_tokens));
        r.set("translation", t.text);
        r.set("logProb", t.log_prob);
        val attention = val::object();
        for (const auto& [name, m] : t.attention) attention.set(name, tensor_to_js(m));
        r.set("attention", attention);
        val scores = val::object();  // the raw scores before each softmax, -Infinity where masked
        for (const auto& [name, m] : t.scores) scores.set(name, tensor_to_js(m));
        r.set("scores", scores);
        return r;
    } catch (const std::exception& e) {
        return error(e.what());
    }
}

std::string gemm_kernel() { return attnlab::gemm_kernel_name(); }

}  // namespace

EMSCRIPTEN_BINDINGS(attnlab) {
    emscripten::function("loadModel", &load_model);
    emscripten::function("unloadModel", &unload_model);
    emscripten::function("translate", &translate);
    emscripten::function("gemmKernel", &gemm_kernel);
}
