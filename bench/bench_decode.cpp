// bench_decode: the cost of one more generated token, Transformer against Aaren, side by side in one run.
// Both models have the same sizes and random weights (speed and memory do not depend on training).
//   time:    each model's DecoderSession::step — what greedy, beam search and translate call — one
//            hypothesis, the argmax fed back; per generated length L, the mean over the 8 steps ending
//            at L of each step's best time over --repeats runs (the best filters out other processes;
//            the runs of the models alternate).
//            "aaren" keeps only its O(1) state; "aaren+maps" also keeps every score to draw the
//            decoder_self map, as translate does.
//   memory:  the decoder self-attention state after L steps, read off the very cache structures the
//            sessions hold (driven here through the layer steps): the Transformer's key/value cache
//            (2 · L · d floats per layer) against Aaren's (m, u, w) per head (2h + d floats per layer).
//            The cross-attention keys/values of the source are the same for both and shown apart.
// Usage: bench_decode [--d-model 64] [--heads 4] [--layers 2] [--ffn 256] [--source 25] [--repeats 5]
//                     [--lengths 16,64,256,1024]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "attnlab/autograd/ops.hpp"
#include "attnlab/models/transformer.hpp"
#include "attnlab/nn/padding_mask.hpp"

using namespace attnlab;

namespace {

struct Options {
    std::size_t d_model = 64, heads = 4, layers = 2, ffn = 256, source = 25, repeats = 5;
    std::vector<std::size_t> lengths{16, 64, 256, 1024};
};

// One greedy decoding of n steps with a fresh session; each step's time (µs) lowers best[t].
void time_steps(const std::unique_ptr<DecoderSession>& session, std::vector<double>& best) {
    std::vector<std::int32_t> last{1};  // <bos>
    for (std::size_t t = 0; t < best.size(); ++t) {
        const auto t0 = std::chrono::steady_clock::now();
        const Tensor logp = session->step(last);
        const auto t1 = std::chrono::steady_clock::now();
        best[t] = std::min(best[t], std::chrono::duration<double, std::micro>(t1 - t0).count());
        last[0] = std::int32_t(std::max_element(logp.begin(), logp.end()) - logp.begin());
    }
}

// Mean of the steps (L − 8, L] (1-based), i.e. the cost of a new token at generated length L.
double at_length(const std::vector<double>& times, std::size_t L) {
    const std::size_t from = L > 8 ? L - 8 : 0;
    return std::accumulate(times.begin() + long(from), times.begin() + long(L), 0.0) / double(L - from);
}

double total_ms(const std::vector<double>& times, std::size_t L) {
    return std::accumulate(times.begin(), times.begin() + long(L), 0.0) / 1000.0;
}

struct StateBytes {
    std::vector<std::size_t> transformer_kv, aaren_state, aaren_scores;  // at each checkpoint length
    std::size_t cross = 0;                                               // either model, any length
};

std::size_t bytes_of(const Var& v) { return v.size() * sizeof(float); }
std::size_t bytes_of(const Tensor& t) { return t.size() * sizeof(float); }

// The decoder state after each checkpoint length, through the layer steps the sessions run.
StateBytes state_bytes(const Transformer& t, const Transformer& a, const IntTensor& src, const IntTensor& len,
                       const std::vector<std::size_t>& lengths) {
    NoGrad no_grad;
    StateBytes out;
    const Transformer::Encoded te = t.encode(src, len, {}), ae = a.encode(src, len, {});
    std::vector<DecoderLayerCache> tc, ac;
    for (const auto& l : t.decoder_layers) tc.push_back(start_decoder_layer_cache(l, te.memory));
    for (const auto& l : a.decoder_layers) ac.push_back(start_decoder_layer_cache(l, ae.memory, true));
    for (const auto& c : tc) out.cross += bytes_of(c.cross_keys) + bytes_of(c.cross_values);
    const IntTensor token = xt::full_like(IntTensor::from_shape({1, 1}), 5);  // (1, 1): any token
    for (std::size_t step = 1, next = 0; next < lengths.size(); ++step) {
        Var y = t.embed(t.tgt_embedding, token, step - 1, {});
        for (std::size_t i = 0; i < tc.size(); ++i)
            y = decoder_layer_step(t.decoder_layers[i], y, tc[i], te.mask, {}).output;
        Var z = a.embed(a.tgt_embedding, token, step - 1, {});
        for (std::size_t i = 0; i < ac.size(); ++i)
            z = decoder_layer_step(a.decoder_layers[i], z, ac[i], ae.mask, {}).output;
        if (step != lengths[next]) continue;
        std::size_t kv = 0, state = 0, scores = 0;
        for (const auto& c : tc) {
            const KeyValueCache& self = std::get<KeyValueCache>(c.self);
            kv += bytes_of(self.keys_so_far()) + bytes_of(self.values_so_far());
        }
        for (const auto& c : ac) {
            const MultiHeadAarenState& self = std::get<MultiHeadAarenState>(c.self);
            state += recurrent_state_bytes(self);
            for (const auto& s : self.scores) scores += s.size() * sizeof(float);
        }
        out.transformer_kv.push_back(kv);
        out.aaren_state.push_back(state);
        out.aaren_scores.push_back(scores);
        ++next;
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    CLI::App app("bench_decode: the cost of one more generated token, Transformer against Aaren", "bench_decode");
    const CLI::Validator count = CLI::Range(std::size_t(1), std::size_t(1) << 20).description("");  // ≥ 1
    app.add_option("--d-model", o.d_model, "model width")->check(count)->capture_default_str();
    app.add_option("--heads", o.heads, "attention heads")->check(count)->capture_default_str();
    app.add_option("--layers", o.layers, "on each side")->check(count)->capture_default_str();
    app.add_option("--ffn", o.ffn, "feed-forward width")->check(count)->capture_default_str();
    app.add_option("--source", o.source, "source tokens")->check(count)->capture_default_str();
    app.add_option("--repeats", o.repeats, "runs per step (the best is kept)")->check(count)->capture_default_str();
    app.add_option("--lengths", o.lengths, "generated lengths reported, like 16,64,256")
        ->delimiter(',')
        ->check(count)
        ->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    std::sort(o.lengths.begin(), o.lengths.end());
    try {
        const std::size_t longest = o.lengths.back();
        TransformerConfig c;
        c.source_vocab_size = 40;
        c.target_vocab_size = 16;
        c.d_model = o.d_model;
        c.num_heads = o.heads;
        c.num_encoder_layers = c.num_decoder_layers = o.layers;
        c.dim_feedforward = o.ffn;
        c.dropout = 0.0f;
        c.max_length = std::max(longest, o.source);
        const Transformer transformer(c, 1);
        TransformerConfig aaren_config = c;
        aaren_config.self_attention = DecoderSelfAttention::aaren;
        const Transformer aaren(aaren_config, 1);

        Rng rng(7);
        IntTensor src = IntTensor::from_shape({1, o.source});
        for (auto& id : src) id = std::int32_t(4 + rng.below(std::uint32_t(c.source_vocab_size - 4)));
        src(0, o.source - 1) = 2;  // <eos>
        const IntTensor len{std::int32_t(o.source)};

        std::printf(
            "bench_decode: d_model %zu, %zu heads, %zu encoder + %zu decoder layers, ffn %zu, source %zu "
            "tokens, 1 hypothesis, best of %zu runs per step\n",
            c.d_model, c.num_heads, o.layers, o.layers, c.dim_feedforward, o.source, o.repeats);
        // The runs of the three interleave, so that a slow moment of the machine or the state of the
        // heap after a long run does not fall on one model only.
        std::vector<double> t_times(longest, 1e300), a_times(longest, 1e300), m_times(longest, 1e300);
        for (std::size_t r = 0; r < o.repeats; ++r) {
            time_steps(transformer.start(src, len), t_times);
            time_steps(aaren.start_session(src, len, false), a_times);
            time_steps(aaren.start(src, len), m_times);
        }
        const StateBytes bytes = state_bytes(transformer, aaren, src, len, o.lengths);

        std::printf("\ntime per new token at generated length L (µs; mean of steps L-7..L)\n");
        std::printf("%6s %12s %10s %11s %10s   %s\n", "L", "transformer", "aaren", "aaren+maps", "T / aaren",
                    "whole generation of L tokens (ms): transformer, aaren, aaren+maps");
        for (std::size_t L : o.lengths) {
            const double t = at_length(t_times, L), a = at_length(a_times, L), m = at_length(m_times, L);
            std::printf("%6zu %12.1f %10.1f %11.1f %9.2fx   %.1f, %.1f, %.1f\n", L, t, a, m, t / a,
                        total_ms(t_times, L), total_ms(a_times, L), total_ms(m_times, L));
        }
        std::printf("\ndecoder self-attention state after L tokens (bytes, all decoder layers)\n");
        std::printf("%6s %21s %12s %12s %22s\n", "L", "transformer KV cache", "aaren state", "KV / aaren",
                    "aaren+maps: scores kept");
        for (std::size_t i = 0; i < o.lengths.size(); ++i)
            std::printf("%6zu %21zu %12zu %11.1fx %22zu\n", o.lengths[i], bytes.transformer_kv[i], bytes.aaren_state[i],
                        double(bytes.transformer_kv[i]) / double(bytes.aaren_state[i]), bytes.aaren_scores[i]);
        std::printf("cross-attention keys/values of the source, both models, any L: %zu bytes\n", bytes.cross);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_decode: %s\n", e.what());
        return 1;
    }
}
