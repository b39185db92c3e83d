#include "attnlab/nn/recurrent_layer.hpp"

#include <cmath>

#include "attnlab/autograd/ops.hpp"

namespace attnlab {

std::size_t num_directions(const RecurrentConfig& config) { return config.bidirectional ? 2 : 1; }

std::size_t gate_count(RecurrentKind kind) {
    switch (kind) {
        case RecurrentKind::rnn:
            return 1;
        case RecurrentKind::lstm:
            return 4;
        case RecurrentKind::gru:
            return 3;
    }
    return 0;
}

namespace {

bool is_lstm(const RecurrentConfig& config) { return config.kind == RecurrentKind::lstm; }

// Whether a state tensor is given: a default Var() (0-d) or an empty tensor means "not given".
bool given(const Var& v) { return v.dimension() > 0 && v.size() > 0; }

// Input size of layer k: input_size for the first, H · num_directions above it.
std::size_t layer_input_size(const RecurrentConfig& config, std::size_t k) {
    return k == 0 ? config.input_size : config.hidden_size * num_directions(config);
}

void check_config(const RecurrentConfig& c, const char* what) {
    if (c.input_size == 0 || c.hidden_size == 0 || c.num_layers == 0)
        throw Error(std::string(what) + ": input_size, hidden_size and num_layers must be positive");
    if (!(c.dropout >= 0.0f && c.dropout < 1.0f))
        throw Error(std::string(what) + ": dropout must be in [0, 1), got " + std::to_string(c.dropout));
}

// Throws unless v has `shape`; the weight's name, e.g. "weight_ih_l0_reverse", is written only then (a
// decoding step checks its layer every step, and builds no string for it).
void expect_shape(const Var& v, const Shape& shape, const char* weight, std::size_t index, std::size_t D) {
    if (v.shape() == shape) return;
    const std::string name = weight + ("_l" + std::to_string(index / D)) + (index % D ? "_reverse" : "");
    throw Error("recurrent layer: " + name + " is " + shape_str(v.value()) + ", expected " + shape_str(shape));
}

// Throws unless the layer has one set of weights of the configured shapes per layer and direction.
void check_layer(const RecurrentLayer& layer, const char* what) {
    const RecurrentConfig& c = layer.config;
    check_config(c, what);
    const std::size_t D = num_directions(c), H = c.hidden_size, GH = gate_count(c.kind) * H;
    if (layer.weights.size() != c.num_layers * D)
        throw Error(std::string(what) + ": has " + std::to_string(layer.weights.size()) +
                    " weight sets, expected num_layers · num_directions = " + std::to_string(c.num_layers * D));
    for (std::size_t i = 0; i < layer.weights.size(); ++i) {
        const RecurrentWeights& w = layer.weights[i];
        expect_shape(w.w_ih, {GH, layer_input_size(c, i / D)}, "weight_ih", i, D);
        expect_shape(w.w_hh, {GH, H}, "weight_hh", i, D);
        expect_shape(w.b_ih, {GH}, "bias_ih", i, D);
        expect_shape(w.b_hh, {GH}, "bias_hh", i, D);
    }
}

// Throws unless `s` is empty (zeros) or h (and c for the LSTM) are (count, B, H).
void check_state(const RecurrentConfig& c, const RecurrentState& s, std::size_t count, std::size_t B,
                 const char* what) {
    const Shape expected{count, B, c.hidden_size};
    const bool has_h = given(s.h), has_c = given(s.c);
    if (!is_lstm(c) && has_c) throw Error(std::string(what) + ": a cell state c is given, but only an LSTM has one");
    if (is_lstm(c) && has_h != has_c)
        throw Error(std::string(what) + ": an LSTM needs both h and c of the initial state, or neither");
    if (has_h && Shape(s.h.shape().begin(), s.h.shape().end()) != expected)
        throw Error(std::string(what) + ": initial h is " + shape_str(s.h.value()) + ", expected " +
                    shape_str(expected));
    if (has_c && Shape(s.c.shape().begin(), s.c.shape().end()) != expected)
        throw Error(std::string(what) + ": initial c is " + shape_str(s.c.value()) + ", expected " +
                    shape_str(expected));
}

// The (B, H) state of layer/direction `index` from a checked (count, B, H) state, or zeros.
RecurrentState state_at(const RecurrentConfig& c, const RecurrentState& s, std::size_t index, std::size_t B) {
    auto part = [&](const Var& v) {
        return given(v) ? select(v, 0, index) : constant(xt::zeros<float>({B, c.hidden_size}));
    };
    return {part(s.h), is_lstm(c) ? part(s.c) : Var()};
}

// One step of one cell, from x_proj = W_ih x + b_ih: (B, G·H); state (B, H) -> new state (B, H).
RecurrentState cell_step(const RecurrentConfig& c, const RecurrentWeights& w, const Var& x_proj,
                         const RecurrentState& s) {
    switch (c.kind) {
        case RecurrentKind::rnn:
            return {rnn_step_projected(RNNCell{w.w_ih, w.w_hh, w.b_ih, w.b_hh, c.nonlinearity}, x_proj, s.h), Var()};
        case RecurrentKind::lstm: {
            LSTMState next = lstm_step_projected(LSTMCell{w.w_ih, w.w_hh, w.b_ih, w.b_hh}, x_proj, {s.h, s.c});
            return {next.h, next.c};
        }
        case RecurrentKind::gru:
            return {gru_step_projected(GRUCell{w.w_ih, w.w_hh, w.b_ih, w.b_hh}, x_proj, s.h), Var()};
    }
    throw Error("recurrent layer: unknown kind");
}

// Which sequences of the batch are still running at step t: m (B, 1) is 1 where t < length, else 0.
struct StepMask {
    Var m, one_minus_m;  // constants (B, 1)
    bool all_valid, none_valid;
};

std::vector<StepMask> step_masks(const IntTensor& lengths, std::size_t T) {
    const std::size_t B = lengths.size();
    std::vector<StepMask> masks(T);
    for (std::size_t t = 0; t < T; ++t) {
        Tensor m = Tensor::from_shape({B, 1});
        std::size_t valid = 0;
        for (std::size_t b = 0; b < B; ++b) {
            m(b, 0) = std::size_t(lengths(b)) > t ? 1.0f : 0.0f;
            valid += std::size_t(lengths(b)) > t;
        }
        masks[t].one_minus_m = constant(Tensor(1.0f - m));
        masks[t].m = constant(std::move(m));
        masks[t].all_valid = valid == B;
        masks[t].none_valid = valid == 0;
    }
    return masks;
}

// m ⊙ new + (1 − m) ⊙ old: padded sequences keep their old state.
Var blend(const StepMask& mask, const Var& next, const Var& old) {
    return add(mul(mask.m, next), mul(mask.one_minus_m, old));
}

struct DirectionResult {
    Var output;           // (B, T, H), zero at padded steps
    RecurrentState last;  // (B, H)
};

// One layer in one direction over the batch. x_proj: (B, T, G·H) = W_ih x + b_ih for every step;
// the forward direction runs t = 0 … T−1, the reverse one t = T−1 … 0 (padded steps are no-ops, so
// each sequence starts at its own length − 1).
DirectionResult run_direction(const RecurrentConfig& c, const RecurrentWeights& w, const Var& x_proj,
                              const std::vector<StepMask>& masks, RecurrentState state, bool reverse) {
    const std::size_t B = x_proj.shape(0), T = x_proj.shape(1);
    std::vector<Var> outputs(T);
    for (std::size_t k = 0; k < T; ++k) {
        const std::size_t t = reverse ? T - 1 - k : k;
        const StepMask& mask = masks[t];
        if (mask.none_valid) {  // every sequence is over: nothing changes, the output is zero
            outputs[t] = constant(xt::zeros<float>({B, c.hidden_size}));
            continue;
        }
        RecurrentState next = cell_step(c, w, select(x_proj, 1, t), state);
        if (mask.all_valid) {
            state = next;
            outputs[t] = next.h;
            continue;
        }
        outputs[t] = mul(mask.m, next.h);  // zero where padded
        state.h = add(outputs[t], mul(mask.one_minus_m, state.h));
        if (is_lstm(c)) state.c = blend(mask, next.c, state.c);
    }
    return {stack(outputs, 1), state};
}

}  // namespace

RecurrentLayer make_recurrent_layer(const RecurrentConfig& config, Rng& rng) {
    check_config(config, "make_recurrent_layer");
    const std::size_t H = config.hidden_size, GH = gate_count(config.kind) * H;
    const float k = 1.0f / std::sqrt(float(H));
    RecurrentLayer layer{config, {}};
    for (std::size_t l = 0; l < config.num_layers; ++l)
        for (std::size_t d = 0; d < num_directions(config); ++d) {
            RecurrentWeights w;
            w.w_ih = parameter(uniform_tensor({GH, layer_input_size(config, l)}, rng, -k, k));
            w.w_hh = parameter(uniform_tensor({GH, H}, rng, -k, k));
            w.b_ih = parameter(uniform_tensor({GH}, rng, -k, k));
            w.b_hh = parameter(uniform_tensor({GH}, rng, -k, k));
            layer.weights.push_back(w);
        }
    return layer;
}

RecurrentOutput recurrent_forward(const RecurrentLayer& layer, const Var& x, const IntTensor& lengths,
                                  const RecurrentState& initial, const Run& run) {
    const char* what = "recurrent_forward";
    check_layer(layer, what);
    const RecurrentConfig& c = layer.config;
    if (x.dimension() != 3)
        throw Error("recurrent_forward: input " + shape_str(x.value()) + " is not (B, T, input_size)");
    const std::size_t B = x.shape(0), T = x.shape(1), D = num_directions(c);
    if (B == 0 || T == 0) throw Error("recurrent_forward: empty input " + shape_str(x.value()));
    if (x.shape(2) != c.input_size)
        throw Error("recurrent_forward: input " + shape_str(x.value()) + " has " + std::to_string(x.shape(2)) +
                    " features per step, expected input_size = " + std::to_string(c.input_size));
    if (lengths.dimension() != 1 || lengths.size() != B)
        throw Error("recurrent_forward: lengths " + shape_str(lengths) + " is not (" + std::to_string(B) + ")");
    for (std::size_t b = 0; b < B; ++b)
        if (lengths(b) < 1 || std::size_t(lengths(b)) > T)
            throw Error("recurrent_forward: length " + std::to_string(lengths(b)) + " of sequence " +
                        std::to_string(b) + " is outside 1.." + std::to_string(T));
    check_state(c, initial, c.num_layers * D, B, what);

    const std::vector<StepMask> masks = step_masks(lengths, T);
    Var input = x;
    std::vector<Var> final_h, final_c;
    for (std::size_t l = 0; l < c.num_layers; ++l) {
        if (l > 0) input = dropout(input, c.dropout, run);
        std::vector<Var> outputs;
        for (std::size_t d = 0; d < D; ++d) {
            const RecurrentWeights& w = layer.weights[l * D + d];
            Var x_proj = linear(input, w.w_ih, w.b_ih);  // (B, T, G·H): every step in one product
            DirectionResult r = run_direction(c, w, x_proj, masks, state_at(c, initial, l * D + d, B), d == 1);
            outputs.push_back(r.output);
            final_h.push_back(r.last.h);
            if (is_lstm(c)) final_c.push_back(r.last.c);
        }
        input = D == 1 ? outputs[0] : concat(outputs, 2);  // (B, T, D·H)
    }
    return {input, {stack(final_h, 0), is_lstm(c) ? stack(final_c, 0) : Var()}};
}

RecurrentStepOutput recurrent_step(const RecurrentLayer& layer, const Var& x, const RecurrentState& state,
                                   const Run& run) {
    const char* what = "recurrent_step";
    check_layer(layer, what);
    const RecurrentConfig& c = layer.config;
    if (c.bidirectional) throw Error("recurrent_step: a bidirectional layer cannot be run one step at a time");
    if (x.dimension() != 2 || x.shape(0) == 0 || x.shape(1) != c.input_size)
        throw Error("recurrent_step: input " + shape_str(x.value()) +
                    " is not (B, input_size = " + std::to_string(c.input_size) + ")");
    const std::size_t B = x.shape(0);
    check_state(c, state, c.num_layers, B, what);

    Var input = x;
    RecycledVector<Var> hs, cs;  // one per layer, from the free lists like the step's tensors
    for (std::size_t l = 0; l < c.num_layers; ++l) {
        if (l > 0) input = dropout(input, c.dropout, run);
        const RecurrentWeights& w = layer.weights[l];
        RecurrentState next = cell_step(c, w, linear(input, w.w_ih, w.b_ih), state_at(c, state, l, B));
        hs.push_back(next.h);
        if (is_lstm(c)) cs.push_back(next.c);
        input = next.h;
    }
    return {input, {stack(hs, 0), is_lstm(c) ? stack(cs, 0) : Var()}};
}

void add_parameters(NamedVars& out, const std::string& prefix, const RecurrentLayer& layer) {
    const std::size_t D = num_directions(layer.config);
    for (std::size_t i = 0; i < layer.weights.size(); ++i) {
        const std::string suffix = "_l" + std::to_string(i / D) + (i % D ? "_reverse" : "");
        const RecurrentWeights& w = layer.weights[i];
        out.emplace_back(join_name(prefix, "weight_ih" + suffix), w.w_ih);
        out.emplace_back(join_name(prefix, "weight_hh" + suffix), w.w_hh);
        out.emplace_back(join_name(prefix, "bias_ih" + suffix), w.b_ih);
        out.emplace_back(join_name(prefix, "bias_hh" + suffix), w.b_hh);
    }
}

}  // namespace attnlab
