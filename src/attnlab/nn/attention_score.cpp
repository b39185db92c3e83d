#include "attnlab/nn/attention_score.hpp"

#include "attnlab/nn/dot_score.hpp"
#include "attnlab/nn/scaled_dot_score.hpp"

namespace attnlab {

AttentionScore make_attention_score(ScoreKind kind, std::size_t decoder_size, std::size_t encoder_size,
                                    std::size_t attention_size, Rng& rng) {
    AttentionScore score;
    score.kind = kind;
    switch (score.kind) {
        case ScoreKind::additive:
            score.additive = make_additive_score(decoder_size, encoder_size, attention_size, rng);
            break;
        case ScoreKind::general:
            score.general = make_general_score(decoder_size, encoder_size, rng);
            break;
        case ScoreKind::concat:
            score.concat = make_concat_score(decoder_size, encoder_size, attention_size, rng);
            break;
        case ScoreKind::dot:
        case ScoreKind::scaled_dot:
            if (decoder_size != encoder_size)
                throw Error("attention score: a dot score needs the decoder size " + std::to_string(decoder_size) +
                            " to equal the encoder size " + std::to_string(encoder_size));
            break;
    }
    return score;
}

Var attention_keys(const AttentionScore& score, const Var& h) {
    switch (score.kind) {
        case ScoreKind::additive:
            return additive_keys(score.additive, h);
        case ScoreKind::general:
            return general_keys(score.general, h);
        case ScoreKind::concat:
            return concat_keys(score.concat, h);
        case ScoreKind::dot:
        case ScoreKind::scaled_dot:
            return h;
    }
    throw Error("attention score: invalid kind");
}

Var attention_scores(const AttentionScore& score, const Var& s, const Var& keys) {
    switch (score.kind) {
        case ScoreKind::additive:
            return additive_score(score.additive, s, keys);
        case ScoreKind::general:
            return general_score(score.general, s, keys);
        case ScoreKind::concat:
            return concat_score(score.concat, s, keys);
        case ScoreKind::dot:
            return dot_score(s, keys);
        case ScoreKind::scaled_dot:
            return scaled_dot_score(s, keys);
    }
    throw Error("attention score: invalid kind");
}

void add_parameters(NamedVars& out, const std::string& prefix, const AttentionScore& score) {
    switch (score.kind) {
        case ScoreKind::additive:
            add_parameters(out, prefix, score.additive);
            break;
        case ScoreKind::general:
            add_parameters(out, prefix, score.general);
            break;
        case ScoreKind::concat:
            add_parameters(out, prefix, score.concat);
            break;
        case ScoreKind::dot:
        case ScoreKind::scaled_dot:
            break;
    }
}

}  // namespace attnlab
