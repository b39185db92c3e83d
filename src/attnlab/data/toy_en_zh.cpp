#include "attnlab/data/toy_en_zh.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

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
    return r < 25 ? Tense::present : r < 50 ? Tense::past : r < 65 ? Tense::progressive : r < 80 ? Tense::future
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
    if (chance(rng, 25)) c.subject.pronoun = pick_index(rng, lex.pronouns.size());
    else c.subject.np = random_np(lex, rng, true);
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

bool contains_any(const WordCombinations& found, const WordCombinations& held_out) {
    for (const auto& p : found.adjective_noun)
        if (std::find(held_out.adjective_noun.begin(), held_out.adjective_noun.end(), p) != held_out.adjective_noun.end())
            return true;
    for (const auto& p : found.subject_verb)
        if (std::find(held_out.subject_verb.begin(), held_out.subject_verb.end(), p) != held_out.subject_verb.end())
            return true;
    return false;
}

std::size_t length_band(std::size_t n) { return n <= 10 ? 0 : n <= 17 ? 1 : 2; }

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
    if (sizes.max_words < 18) throw Error("toy-en-zh: max_words must be at least 18 (got " + std::to_string(sizes.max_words) + ")");
    const std::size_t n_adj_noun = lex.adjectives.size() * lex.nouns.size();
    const std::size_t n_subj_verb = lex.nouns.size() * lex.verbs.size();
    if (sizes.held_out_pairs == 0 || sizes.held_out_pairs * 4 > std::min(n_adj_noun, n_subj_verb))
        throw Error("toy-en-zh: held_out_pairs must be between 1 and a quarter of the possible pairs (got " +
                    std::to_string(sizes.held_out_pairs) + ")");
    Rng rng(seed);
    ToyEnZhTask task;

    std::set<std::pair<int, int>> an, sv;
    while (an.size() < sizes.held_out_pairs)
        an.insert({pick_index(rng, lex.adjectives.size()), pick_index(rng, lex.nouns.size())});
    while (sv.size() < sizes.held_out_pairs)
        sv.insert({pick_index(rng, lex.nouns.size()), pick_index(rng, lex.verbs.size())});
    for (auto [a, n] : an) task.held_out.adjective_noun.push_back({lex.adjectives[a].en, lex.nouns[n].en});
    for (auto [n, v] : sv) task.held_out.subject_verb.push_back({lex.nouns[n].en, verb_name(lex.verbs[v])});
    const std::vector<std::pair<int, int>> an_list(an.begin(), an.end()), sv_list(sv.begin(), sv.end());

    std::unordered_set<std::string> seen;
    auto attempts_left = [](std::size_t& attempts, const char* split) {
        if (++attempts > 1000000)
            throw Error(std::string("toy-en-zh: could not draw enough distinct sentences for ") + split + "; ask for fewer");
    };

    for (auto* split : {&task.splits.train, &task.splits.valid}) {
        const std::size_t want = split == &task.splits.train ? sizes.train : sizes.valid;
        std::size_t attempts = 0;
        while (split->size() < want) {
            attempts_left(attempts, split == &task.splits.train ? "train" : "valid");
            const Sentence s = random_sentence(lex, rng);
            const auto en = render_english(lex, s);
            if (en.size() > sizes.max_words || contains_any(combinations(lex, s), task.held_out)) continue;
            std::string source = join_tokens(en);
            if (!seen.insert(source).second) continue;
            split->push_back({std::move(source), join_tokens(render_chinese(lex, s))});
        }
    }

    // Test: plant a held-out combination in a random sentence, spread over three length bands, and
    // keep it only if every word occurs in train.
    std::unordered_set<std::string> train_words;
    for (const Example& e : task.splits.train) {
        for (auto& w : split_tokens(e.source)) train_words.insert(w);
        for (auto& w : split_tokens(e.target)) train_words.insert("zh:" + w);
    }
    std::size_t attempts = 0;
    while (task.splits.test.size() < sizes.test) {
        attempts_left(attempts, "test");
        Sentence s = random_sentence(lex, rng);
        if (chance(rng, 50)) {
            const auto [a, n] = an_list[pick_index(rng, an_list.size())];
            auto nps = all_nps(s);
            if (nps.empty()) {  // only pronoun subjects and no object: give the first clause a noun subject
                s.clauses[0].subject.pronoun = -1;
                s.clauses[0].subject.np = random_np(lex, rng, false);
                nps = all_nps(s);
            }
            NounPhrase* np = nps[pick_index(rng, nps.size())];
            np->adjective = a;
            np->noun = n;
        } else {
            const auto [n, v] = sv_list[pick_index(rng, sv_list.size())];
            Clause& c = s.clauses[pick_index(rng, s.clauses.size())];
            c.subject.pronoun = -1;
            c.subject.np = random_np(lex, rng, false);
            c.subject.np.noun = n;
            c.vp = random_vp(lex, rng, s.question, v);
        }
        const auto en = render_english(lex, s);
        if (!contains_any(combinations(lex, s), task.held_out)) continue;
        if (en.size() > sizes.max_words || length_band(en.size()) != task.splits.test.size() % 3) continue;
        const auto zh = render_chinese(lex, s);
        bool known = true;
        for (auto& w : en) known = known && train_words.count(w);
        for (auto& w : zh) known = known && train_words.count("zh:" + w);
        if (!known) continue;
        std::string source = join_tokens(en);
        if (!seen.insert(source).second) continue;
        task.splits.test.push_back({std::move(source), join_tokens(zh)});
    }
    return task;
}

}  // namespace
}  // namespace en_zh

en_zh::Sentence random_en_zh_sentence(const en_zh::Lexicon& lex, Rng& rng) { return en_zh::random_sentence(lex, rng); }

ToyEnZhTask make_toy_en_zh(const en_zh::Lexicon& lex, std::uint64_t seed, const TaskSizes& sizes) {
    return en_zh::make_task(lex, seed, sizes);
}

}  // namespace attnlab
