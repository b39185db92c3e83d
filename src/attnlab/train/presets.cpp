#include "attnlab/train/presets.hpp"

#include "attnlab/models/transformer.hpp"

namespace attnlab {

Seq2SeqConfig rnn_preset(const std::string& name) {
    const auto unknown = [&](const std::string& why) { return Error("unknown model preset \"" + name + "\"" + why); };
    Seq2SeqConfig c;
    const auto dash = name.rfind('-');
    if (dash == std::string::npos) throw unknown(" (see attnlab --help)");
    const std::string kind = name.substr(0, dash);
    if (kind == "context") {
        c.attention = DecoderAttention::none;
        c.score = ScoreKind::dot;
    } else if (kind == "bahdanau") {
        c.attention = DecoderAttention::bahdanau;
        c.score = ScoreKind::additive;
    } else if (kind.rfind("luong-", 0) == 0) {
        c.attention = DecoderAttention::luong;
        const auto score = kind_named(score_names, kind.substr(6));
        if (!score) throw unknown(": the score must be " + quoted_names(score_names));
        c.score = *score;
    } else {
        throw unknown(" (see attnlab --help)");
    }
    const auto cell = kind_named(cell_names, name.substr(dash + 1));
    if (!cell) throw unknown(": the cell must be " + quoted_names(cell_names));
    c.cell = *cell;
    if (c.score == ScoreKind::dot || c.score == ScoreKind::scaled_dot) c.bidirectional = false;  // equal sizes needed
    return c;
}

Preset make_preset(const std::string& name, const PresetOptions& o) {
    Preset p;
    const bool aaren = name == "aaren" || name == "aaren-preln";
    if (name == "transformer" || name == "transformer-preln" || aaren) {
        const std::pair<const char*, bool> rnn_only[] = {
            {"embedding", bool(o.embedding)},           {"hidden", bool(o.hidden)},
            {"attention-size", bool(o.attention_size)}, {"teacher-forcing", bool(o.teacher_forcing_start)},
            {"no-bidirectional", o.no_bidirectional},   {"no-input-feeding", o.no_input_feeding}};
        for (const auto& [option, given] : rnn_only)
            if (given) throw Error(std::string("--") + option + " is an option of the RNN presets, not of " + name);
        TransformerConfig c;
        c.norm_first = name == "transformer-preln" || name == "aaren-preln";
        c.d_model = o.d_model.value_or(64);
        c.num_heads = o.heads.value_or(4);
        c.num_encoder_layers = c.num_decoder_layers = o.layers.value_or(2);
        c.dim_feedforward = o.ffn.value_or(4 * c.d_model);
        c.dropout = o.dropout.value_or(0.1f);
        c.tie_embeddings = o.tie_embeddings;
        p.model = transformer_config_to_json(c);
        if (aaren) p.model["architecture"] = "aaren";
        p.train.model_dim = long(c.d_model);
        p.train.adam = {0.9f, 0.98f, 1e-9f, 0.0f};
        return p;
    }
    Seq2SeqConfig c = rnn_preset(name);
    const std::pair<const char*, bool> transformer_only[] = {{"d-model", bool(o.d_model)},
                                                             {"heads", bool(o.heads)},
                                                             {"ffn", bool(o.ffn)},
                                                             {"tie-embeddings", o.tie_embeddings}};
    for (const auto& [option, given] : transformer_only)
        if (given) throw Error(std::string("--") + option + " is an option of the transformer presets, not of " + name);
    c.embedding_dim = o.embedding.value_or(64);
    c.hidden_size = o.hidden.value_or(128);
    c.num_layers = o.layers.value_or(1);
    c.attention_size = o.attention_size.value_or(c.hidden_size);
    c.dropout = o.dropout.value_or(0.1f);
    if (o.no_bidirectional) c.bidirectional = false;
    if (o.no_input_feeding) c.input_feeding = false;
    p.train.teacher_forcing_start = o.teacher_forcing_start.value_or(1.0f);
    p.train.teacher_forcing_end = o.teacher_forcing_end.value_or(p.train.teacher_forcing_start);
    p.train.adam = {0.9f, 0.999f, 1e-8f, 0.0f};
    p.model = seq2seq_config_to_json(c);
    return p;
}

}  // namespace attnlab
