#include "attnlab/data/toy_en_zh.hpp"

#include "attnlab/data/compositional_splits.hpp"

namespace attnlab {

namespace en_zh {
namespace {

// True with probability percent / 100 (integer draws: the same on every platform).
bool chance(Rng& rng, std::uint32_t percent) { return rng.below(100) < percent; }

int pick_index(Rng& rng, std::size_t n) { return int(rng.below(std::uint32_t(n))); }

VerbPhrase random_relative(const Lexicon& lex, Rng& rng);

NounPhrase random_np(const Lexicon& lex, Rng& rng, bool allow_relative) {
    NounPhrase np;
    np.determiner = pick_index(rng, lex.determiners.size());
    const Determiner& det = lex.determiners[np.determiner];
    np.plural = det.en.empty() || (!det.en_pl.empty() && chance(rng, 40));
    np.adjective = chance(rng, 40) ? pick_index(rng, lex.adjectives.size()) : -1;
    np.noun = pick_index(rng, lex.nouns.size());
    if (allow_relative && !det.possessive && chance(rng, 12)) np.relative.push_back(random_relative(lex, rng));
    return np;
}

// "that [does not] eat(s) <object>" or "that is [not] [very] <adjective>" (present).
VerbPhrase random_relative(const Lexicon& lex, Rng& rng) {
    VerbPhrase vp;
    vp.negated = chance(rng, 20);
    if (chance(rng, 25)) {
        vp.copula = true;
        vp.very = chance(rng, 25);
        vp.adjective = pick_index(rng, lex.adjectives.size());
        return vp;
    }
    vp.verb = pick_index(rng, lex.verbs.size());
    if (lex.verbs[vp.verb].object) vp.object.push_back(random_np(lex, rng, false));
    return vp;
}

Tense random_tense(Rng& rng) {
    const std::uint32_t r = rng.below(100);
    return r < 25   ? Tense::present
           : r < 50 ? Tense::past
           : r < 65 ? Tense::progressive
           : r < 80 ? Tense::future
                    : Tense::experiential;
}

// A main clause's verb phrase; verb >= 0 forces the verb (no copula then).
VerbPhrase random_vp(const Lexicon& lex, Rng& rng, bool question, int verb = -1) {
    VerbPhrase vp;
    vp.negated = !question && chance(rng, 20);
    if (verb < 0 && chance(rng, 15)) {
        vp.copula = true;
        vp.very = chance(rng, 25);
        vp.adjective = pick_index(rng, lex.adjectives.size());
        return vp;
    }
    vp.verb = verb >= 0 ? verb : pick_index(rng, lex.verbs.size());
    const Verb& v = lex.verbs[vp.verb];
    vp.tense = v.stative ? Tense::present : random_tense(rng);
    const bool before = vp.tense == Tense::experiential && !vp.negated && !question;  // "... before" ends it
    bool object_relative = false;
    if (v.object) {
        vp.object.push_back(random_np(lex, rng, !before && chance(rng, 10)));
        object_relative = !vp.object[0].relative.empty();
    }
    if (object_relative) return vp;
    if (chance(rng, 35)) {
        vp.preposition = pick_index(rng, lex.prepositions.size());
        vp.prep_object.push_back(random_np(lex, rng, false));
    }
    if (chance(rng, 35)) {
        std::vector<int> fitting;
        for (std::size_t t = 0; t < lex.times.size(); ++t)
            if (lex.times[t].tense == vp.tense) fitting.push_back(int(t));
        if (!fitting.empty()) vp.time = fitting[pick_index(rng, fitting.size())];
    }
    return vp;
}

Clause random_clause(const Lexicon& lex, Rng& rng, bool question) {
    Clause c;
    if (chance(rng, 25))
        c.subject.pronoun = pick_index(rng, lex.pronouns.size());
    else
        c.subject.np = random_np(lex, rng, true);
    c.vp = random_vp(lex, rng, question);
    return c;
}

// Every noun phrase of a sentence, for planting an (adjective, noun) pair.
void collect_nps(NounPhrase& np, std::vector<NounPhrase*>& out) {
    out.push_back(&np);
    for (VerbPhrase& rel : np.relative)
        for (NounPhrase& o : rel.object) collect_nps(o, out);
}
std::vector<NounPhrase*> all_nps(Sentence& s) {
    std::vector<NounPhrase*> out;
    for (Clause& c : s.clauses) {
        if (c.subject.pronoun < 0) collect_nps(c.subject.np, out);
        for (NounPhrase& o : c.vp.object) collect_nps(o, out);
        for (NounPhrase& o : c.vp.prep_object) collect_nps(o, out);
    }
    return out;
}

std::string verb_name(const Verb& v) { return v.en_particle.empty() ? v.en : v.en + " " + v.en_particle; }

Sentence random_sentence(const Lexicon& lex, Rng& rng) {
    Sentence s;
    if (chance(rng, 15)) {
        s.question = true;
        s.clauses.push_back(random_clause(lex, rng, true));
        return s;
    }
    const std::uint32_t r = rng.below(100);
    const int clauses = r < 45 ? 1 : r < 80 ? 2 : 3;
    for (int c = 0; c < clauses; ++c) {
        if (c > 0) s.conjunctions.push_back(pick_index(rng, lex.conjunctions.size()));
        s.clauses.push_back(random_clause(lex, rng, false));
    }
    return s;
}

ToyEnZhTask make_task(const Lexicon& lex, std::uint64_t seed, const TaskSizes& sizes) {
    check_compositional_sizes("toy-en-zh", sizes, lex.adjectives.size(), lex.nouns.size(), lex.verbs.size());
    Rng rng(seed);
    ToyEnZhTask task;
    const HeldOutIndices held = draw_held_out(rng, sizes, lex.adjectives.size(), lex.nouns.size(), lex.verbs.size());
    for (auto [a, n] : held.adjective_noun)
        task.held_out.adjective_noun.push_back({lex.adjectives[a].en, lex.nouns[n].en});
    for (auto [n, v] : held.subject_verb)
        task.held_out.subject_verb.push_back({lex.nouns[n].en, verb_name(lex.verbs[v])});

    // A test sentence gets a held-out combination planted: an adjective-noun pair in one of its noun
    // phrases, or a noun subject with a verb in one of its clauses.
    auto draw = [&](bool planted) {
        Sentence s = random_sentence(lex, rng);
        if (planted && chance(rng, 50)) {
            const auto [a, n] = held.adjective_noun[pick_index(rng, held.adjective_noun.size())];
            auto nps = all_nps(s);
            if (nps.empty()) {  // only pronoun subjects and no object: give the first clause a noun subject
                s.clauses[0].subject.pronoun = -1;
                s.clauses[0].subject.np = random_np(lex, rng, false);
                nps = all_nps(s);
            }
            NounPhrase* np = nps[pick_index(rng, nps.size())];
            np->adjective = a;
            np->noun = n;
        } else if (planted) {
            const auto [n, v] = held.subject_verb[pick_index(rng, held.subject_verb.size())];
            Clause& c = s.clauses[pick_index(rng, s.clauses.size())];
            c.subject.pronoun = -1;
            c.subject.np = random_np(lex, rng, false);
            c.subject.np.noun = n;
            c.vp = random_vp(lex, rng, s.question, v);
        }
        return RenderedPair{render_english(lex, s), render_chinese(lex, s), combinations(lex, s)};
    };
    task.splits = compositional_splits("toy-en-zh", sizes, task.held_out, draw);
    return task;
}

}  // namespace
}  // namespace en_zh

en_zh::Sentence random_en_zh_sentence(const en_zh::Lexicon& lex, Rng& rng) { return en_zh::random_sentence(lex, rng); }

ToyEnZhTask make_toy_en_zh(const en_zh::Lexicon& lex, std::uint64_t seed, const TaskSizes& sizes) {
    return en_zh::make_task(lex, seed, sizes);
}

}  // namespace attnlab
