#include "attnlab/data/toy_en_fr.hpp"

#include "attnlab/data/compositional_splits.hpp"

namespace attnlab {

namespace {

// True with probability percent / 100 (integer draws: the same on every platform).
bool chance(Rng& rng, std::uint32_t percent) { return rng.below(100) < percent; }

int pick_index(Rng& rng, std::size_t n) { return int(rng.below(std::uint32_t(n))); }

VerbPhrase random_vp(const Lexicon& lex, Rng& rng, bool third_person, bool main_clause, int verb = -1);

NounPhrase random_np(const Lexicon& lex, Rng& rng, bool allow_relative) {
    NounPhrase np;
    np.determiner = pick_index(rng, lex.determiners.size());
    np.plural = !lex.determiners[np.determiner].en_pl.empty() && chance(rng, 50);
    np.adjective = chance(rng, 40) ? pick_index(rng, lex.adjectives.size()) : -1;
    np.noun = pick_index(rng, lex.nouns.size());
    if (allow_relative && chance(rng, 12)) np.relative.push_back(random_vp(lex, rng, true, false));
    return np;
}

// main_clause: the object may take a relative clause (then no adverb or prepositional phrase
// follows, as they would be read as part of the relative clause). verb >= 0 forces the verb.
VerbPhrase random_vp(const Lexicon& lex, Rng& rng, bool third_person, bool main_clause, int verb) {
    VerbPhrase vp;
    vp.negated = chance(rng, 20);
    if (verb < 0 && third_person && chance(rng, 15)) {
        vp.copula = true;
        vp.very = chance(rng, 25);
        vp.adjective = pick_index(rng, lex.adjectives.size());
        return vp;
    }
    vp.verb = verb >= 0 ? verb : pick_index(rng, lex.verbs.size());
    bool object_relative = false;
    if (lex.verbs[vp.verb].object) {
        vp.object.push_back(random_np(lex, rng, main_clause && chance(rng, 10)));
        object_relative = !vp.object[0].relative.empty();
    }
    if (!object_relative && chance(rng, 25)) vp.adverb = pick_index(rng, lex.adverbs.size());
    if (!object_relative && chance(rng, 30)) {
        vp.preposition = pick_index(rng, lex.prepositions.size());
        vp.prep_object.push_back(random_np(lex, rng, false));
    }
    return vp;
}

Clause random_clause(const Lexicon& lex, Rng& rng) {
    Clause c;
    if (chance(rng, 25)) {
        c.subject.pronoun = pick_index(rng, lex.pronouns.size());
    } else {
        c.subject.np = random_np(lex, rng, true);
    }
    const Person p = c.subject.pronoun >= 0 ? lex.pronouns[c.subject.pronoun].person : third_singular;
    c.vp = random_vp(lex, rng, p == third_singular || p == third_plural, true);
    return c;
}

// Every noun phrase of a sentence, for planting an (adjective, noun) pair.
void collect_nps(NounPhrase& np, std::vector<NounPhrase*>& out) {
    out.push_back(&np);
    for (VerbPhrase& rel : np.relative) {
        for (NounPhrase& o : rel.object) collect_nps(o, out);
        for (NounPhrase& o : rel.prep_object) collect_nps(o, out);
    }
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

}  // namespace

Sentence random_sentence(const Lexicon& lex, Rng& rng) {
    Sentence s;
    const std::uint32_t r = rng.below(100);
    const int clauses = r < 45 ? 1 : r < 80 ? 2 : 3;
    for (int c = 0; c < clauses; ++c) {
        if (c > 0) s.conjunctions.push_back(pick_index(rng, lex.conjunctions.size()));
        s.clauses.push_back(random_clause(lex, rng));
    }
    return s;
}

ToyEnFrTask make_toy_en_fr(const Lexicon& lex, std::uint64_t seed, const TaskSizes& sizes) {
    check_compositional_sizes("toy-en-fr", sizes, lex.adjectives.size(), lex.nouns.size(), lex.verbs.size());
    Rng rng(seed);
    ToyEnFrTask task;
    const HeldOutIndices held = draw_held_out(rng, sizes, lex.adjectives.size(), lex.nouns.size(), lex.verbs.size());
    for (auto [a, n] : held.adjective_noun)
        task.held_out.adjective_noun.push_back({lex.adjectives[a].en, lex.nouns[n].en});
    for (auto [n, v] : held.subject_verb)
        task.held_out.subject_verb.push_back({lex.nouns[n].en, verb_lemma(lex.verbs[v])});

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
                s.clauses[0].vp = random_vp(lex, rng, true, true);
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
            c.vp = random_vp(lex, rng, true, true, v);
        }
        return RenderedPair{render_english(lex, s), render_french(lex, s), combinations(lex, s)};
    };
    task.splits = compositional_splits("toy-en-fr", sizes, task.held_out, draw);
    return task;
}

}  // namespace attnlab
