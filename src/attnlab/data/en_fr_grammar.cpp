#include "attnlab/data/en_fr_grammar.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {

namespace {

// Does an English word start with a vowel letter? ("an old cat", "a small cat")
bool english_vowel(const std::string& w) { return !w.empty() && std::strchr("aeiou", w[0]) != nullptr; }

// Does a French word start with a vowel sound? Every h of the lexicon is mute (l' homme), and
// accented vowels and œ are UTF-8 two-byte sequences.
bool french_vowel(const std::string& w) {
    if (w.empty()) return false;
    const unsigned char c = static_cast<unsigned char>(w[0]);
    if (c < 0x80) return std::strchr("aeiouh", c) != nullptr;
    if (w.size() < 2) return false;
    const unsigned char d = static_cast<unsigned char>(w[1]);
    if (c == 0xC3)  // à â è é ê ë î ï ô ù û
        for (unsigned char v : {0xA0, 0xA2, 0xA8, 0xA9, 0xAA, 0xAB, 0xAE, 0xAF, 0xB4, 0xB9, 0xBB})
            if (d == v) return true;
    return c == 0xC5 && d == 0x93;  // œ
}

void append_words(std::vector<std::string>& out, const std::string& words) {
    for (auto& w : split_tokens(words)) out.push_back(w);
}

bool is_plural(Person p) { return p == second_plural || p == first_plural || p == third_plural; }

// ---- English ----

void english_vp(const Lexicon& lex, const VerbPhrase& vp, Person person, std::vector<std::string>& out);

void english_np(const Lexicon& lex, const NounPhrase& np, std::vector<std::string>& out) {
    const Determiner& det = lex.determiners.at(np.determiner);
    const Noun& noun = lex.nouns.at(np.noun);
    const std::string& noun_form = np.plural ? noun.en_pl : noun.en;
    const std::string& next = np.adjective >= 0 ? lex.adjectives.at(np.adjective).en : noun_form;
    if (np.plural)
        out.push_back(det.en_pl);
    else
        out.push_back(!det.en_vowel.empty() && english_vowel(next) ? det.en_vowel : det.en);
    if (np.adjective >= 0) out.push_back(lex.adjectives.at(np.adjective).en);
    out.push_back(noun_form);
    for (const VerbPhrase& rel : np.relative) {
        out.push_back("that");
        english_vp(lex, rel, np.plural ? third_plural : third_singular, out);
    }
}

void english_vp(const Lexicon& lex, const VerbPhrase& vp, Person person, std::vector<std::string>& out) {
    if (vp.copula) {
        out.push_back(lex.copula.en[person]);
        if (vp.negated) out.push_back("not");
        if (vp.very) out.push_back("very");
        out.push_back(lex.adjectives.at(vp.adjective).en);
        return;
    }
    const Verb& v = lex.verbs.at(vp.verb);
    if (vp.negated) {
        out.push_back(person == third_singular ? "does" : "do");
        out.push_back("not");
        out.push_back(v.en);
    } else {
        out.push_back(person == third_singular ? v.en_3s : v.en);
    }
    if (!v.en_particle.empty()) out.push_back(v.en_particle);
    for (const NounPhrase& o : vp.object) english_np(lex, o, out);
    if (vp.adverb >= 0) out.push_back(lex.adverbs.at(vp.adverb).en);
    if (vp.preposition >= 0) {
        append_words(out, lex.prepositions.at(vp.preposition).en);
        english_np(lex, vp.prep_object.at(0), out);
    }
}

// ---- French ----

void french_vp(const Lexicon& lex, const VerbPhrase& vp, Person person, bool feminine, std::vector<std::string>& out);

const std::string& adjective_form(const Adjective& a, bool feminine, bool plural) {
    return a.fr[(plural ? 2 : 0) + (feminine ? 1 : 0)];
}

// `after_negation`: the object of a negated verb, where "un/une" becomes "de".
void french_np(const Lexicon& lex, const NounPhrase& np, bool after_negation, std::vector<std::string>& out) {
    const Determiner& det = lex.determiners.at(np.determiner);
    const Noun& noun = lex.nouns.at(np.noun);
    const std::string& noun_form = np.plural ? noun.fr_pl : noun.fr;
    const Adjective* adj = np.adjective >= 0 ? &lex.adjectives.at(np.adjective) : nullptr;
    std::string adj_form;
    if (adj) {
        adj_form = adjective_form(*adj, noun.feminine, np.plural);
        if (adj->before_noun && !np.plural && !noun.feminine && !adj->fr_vowel.empty() && french_vowel(noun_form))
            adj_form = adj->fr_vowel;  // le vieil homme
    }
    const std::string& next = adj && adj->before_noun ? adj_form : noun_form;
    if (after_negation && det.indefinite)
        out.push_back("de");
    else if (np.plural)
        out.push_back(det.fr[2]);
    else
        out.push_back(french_vowel(next) ? det.fr_vowel[noun.feminine] : det.fr[noun.feminine]);
    if (adj && adj->before_noun) out.push_back(adj_form);
    out.push_back(noun_form);
    if (adj && !adj->before_noun) out.push_back(adj_form);
    for (const VerbPhrase& rel : np.relative) {
        out.push_back("qui");
        french_vp(lex, rel, np.plural ? third_plural : third_singular, noun.feminine, out);
    }
}

void french_vp(const Lexicon& lex, const VerbPhrase& vp, Person person, bool feminine, std::vector<std::string>& out) {
    if (vp.copula) {
        if (vp.negated) out.push_back("ne");
        out.push_back(lex.copula.fr[person]);
        if (vp.negated) out.push_back("pas");
        if (vp.very) out.push_back("très");
        out.push_back(adjective_form(lex.adjectives.at(vp.adjective), feminine, is_plural(person)));
        return;
    }
    const Verb& v = lex.verbs.at(vp.verb);
    if (vp.negated) out.push_back("ne");
    out.push_back(v.fr[person]);
    if (vp.negated) out.push_back("pas");
    if (vp.adverb >= 0) append_words(out, lex.adverbs.at(vp.adverb).fr);
    if (!v.fr_prep.empty()) out.push_back(v.fr_prep);
    for (const NounPhrase& o : vp.object) french_np(lex, o, vp.negated && v.fr_prep.empty(), out);
    if (vp.preposition >= 0) {
        append_words(out, lex.prepositions.at(vp.preposition).fr);
        french_np(lex, vp.prep_object.at(0), false, out);
    }
}

// de le -> du, de les -> des, à le -> au, à les -> aux; then je/ne/de/que elide before a vowel.
std::vector<std::string> contract_and_elide(const std::vector<std::string>& tokens) {
    std::vector<std::string> out;
    for (const std::string& t : tokens) {
        if (!out.empty() && (out.back() == "de" || out.back() == "à") && (t == "le" || t == "les")) {
            const bool de = out.back() == "de";
            out.back() = t == "le" ? (de ? "du" : "au") : (de ? "des" : "aux");
            continue;
        }
        out.push_back(t);
    }
    static const std::map<std::string, std::string> elided = {{"je", "j'"}, {"ne", "n'"}, {"de", "d'"}, {"que", "qu'"}};
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        auto it = elided.find(out[i]);
        if (it != elided.end() && french_vowel(out[i + 1])) out[i] = it->second;
    }
    return out;
}

Person subject_person(const Lexicon& lex, const Subject& s) {
    if (s.pronoun >= 0) return lex.pronouns.at(s.pronoun).person;
    return s.np.plural ? third_plural : third_singular;
}

// ---- Parsing English ----

class EnglishParser {
public:
    EnglishParser(const Lexicon& lex, const std::string& text) : lex_(lex), text_(text), t_(split_tokens(text)) {
        for (std::size_t i = 0; i < lex.determiners.size(); ++i) {
            const Determiner& d = lex.determiners[i];
            dets_[d.en] = int(i);
            if (!d.en_vowel.empty()) dets_[d.en_vowel] = int(i);
            if (!d.en_pl.empty()) dets_[d.en_pl] = int(i);
        }
        for (std::size_t i = 0; i < lex.pronouns.size(); ++i) pronouns_[lex.pronouns[i].en] = int(i);
        for (std::size_t i = 0; i < lex.nouns.size(); ++i) {
            nouns_[lex.nouns[i].en] = {int(i), false};
            nouns_[lex.nouns[i].en_pl] = {int(i), true};
        }
        for (std::size_t i = 0; i < lex.adjectives.size(); ++i) adjectives_[lex.adjectives[i].en] = int(i);
        for (std::size_t i = 0; i < lex.verbs.size(); ++i) {
            verb_base_[lex.verbs[i].en].push_back(int(i));
            verb_3s_[lex.verbs[i].en_3s].push_back(int(i));
        }
        for (std::size_t i = 0; i < lex.adverbs.size(); ++i) adverbs_[lex.adverbs[i].en] = int(i);
        for (std::size_t i = 0; i < lex.conjunctions.size(); ++i) conjunctions_[lex.conjunctions[i].en] = int(i);
    }

    Sentence sentence() {
        if (t_.empty()) fail("empty sentence");
        Sentence s;
        s.clauses.push_back(clause());
        while (peek() != ".") {
            auto it = conjunctions_.find(peek());
            if (it == conjunctions_.end()) fail("expected a conjunction or the final '.'");
            s.conjunctions.push_back(it->second);
            ++i_;
            s.clauses.push_back(clause());
        }
        ++i_;
        if (i_ != t_.size()) fail("words after the final '.'");
        return s;
    }

private:
    const Lexicon& lex_;
    const std::string& text_;
    std::vector<std::string> t_;
    std::size_t i_ = 0;
    std::map<std::string, int> dets_, pronouns_, adjectives_, adverbs_, conjunctions_;
    std::map<std::string, std::pair<int, bool>> nouns_;  // word -> (noun, plural)
    std::map<std::string, std::vector<int>> verb_base_, verb_3s_;

    const std::string& peek(std::size_t k = 0) const {
        static const std::string end;
        return i_ + k < t_.size() ? t_[i_ + k] : end;
    }
    [[noreturn]] void fail(const std::string& what) const {
        const std::string at = i_ < t_.size() ? "'" + t_[i_] + "'" : "the end";
        throw Error("translate_en_fr: " + what + " at word " + std::to_string(i_ + 1) + " (" + at + ") of \"" + text_ +
                    "\"");
    }

    Clause clause() {
        Clause c;
        auto p = pronouns_.find(peek());
        if (p != pronouns_.end()) {
            c.subject.pronoun = p->second;
            ++i_;
        } else {
            if (!dets_.count(peek())) fail("expected a subject (a pronoun or a determiner)");
            c.subject.np = noun_phrase(true);
        }
        c.vp = verb_phrase(subject_person(lex_, c.subject), true);
        return c;
    }

    NounPhrase noun_phrase(bool allow_relative) {
        NounPhrase np;
        auto d = dets_.find(peek());
        if (d == dets_.end()) fail("expected a determiner");
        np.determiner = d->second;
        const Determiner& det = lex_.determiners[np.determiner];
        const std::string det_word = peek();
        ++i_;
        auto a = adjectives_.find(peek());
        if (a != adjectives_.end()) {
            np.adjective = a->second;
            ++i_;
        }
        auto n = nouns_.find(peek());
        if (n == nouns_.end()) fail("expected a noun");
        np.noun = n->second.first;
        np.plural = n->second.second;
        const std::string& next = np.adjective >= 0 ? lex_.adjectives[np.adjective].en : peek();
        if (np.plural) {
            if (det_word != det.en_pl) fail("determiner '" + det_word + "' does not go with a plural noun");
        } else {
            const bool vowel = !det.en_vowel.empty() && english_vowel(next);
            if (det_word != (vowel ? det.en_vowel : det.en))
                fail("determiner '" + det_word + "' does not go with singular '" + next + "'");
        }
        ++i_;
        if (allow_relative && peek() == "that") {
            ++i_;
            np.relative.push_back(verb_phrase(np.plural ? third_plural : third_singular, false));
        }
        return np;
    }

    VerbPhrase verb_phrase(Person person, bool allow_object_relative) {
        VerbPhrase vp;
        const std::string tok = peek();
        if (std::find(lex_.copula.en.begin(), lex_.copula.en.end(), tok) != lex_.copula.en.end()) {
            if (person != third_singular && person != third_plural)
                fail("'be' + adjective needs a third-person subject in this grammar");
            if (tok != lex_.copula.en[person]) fail("'" + tok + "' does not agree with its subject");
            ++i_;
            vp.copula = true;
            if (peek() == "not") {
                vp.negated = true;
                ++i_;
            }
            if (peek() == "very") {
                vp.very = true;
                ++i_;
            }
            auto a = adjectives_.find(peek());
            if (a == adjectives_.end()) fail("expected an adjective after '" + tok + "'");
            vp.adjective = a->second;
            ++i_;
            return vp;
        }
        bool base = person != third_singular;
        if (tok == "does" || tok == "do") {
            if (tok != (person == third_singular ? "does" : "do"))
                fail("'" + tok + "' does not agree with its subject");
            ++i_;
            if (peek() != "not") fail("expected 'not'");
            ++i_;
            vp.negated = true;
            base = true;
        }
        const auto& forms = base ? verb_base_ : verb_3s_;
        const auto& other = base ? verb_3s_ : verb_base_;
        auto f = forms.find(peek());
        if (f == forms.end()) {
            if (other.count(peek())) fail("verb form does not agree with its subject");
            fail("expected a verb");
        }
        const std::string verb_word = peek();
        ++i_;
        for (int c : f->second)
            if (!lex_.verbs[c].en_particle.empty() && lex_.verbs[c].en_particle == peek()) vp.verb = c;
        if (vp.verb >= 0) {
            ++i_;
        } else {
            for (int c : f->second)
                if (lex_.verbs[c].en_particle.empty()) vp.verb = c;
            if (vp.verb < 0) fail("expected '" + lex_.verbs[f->second[0]].en_particle + "' after '" + verb_word + "'");
        }
        const Verb& v = lex_.verbs[vp.verb];
        if (v.object) {
            if (!dets_.count(peek())) fail("expected an object of '" + verb_word + "'");
            vp.object.push_back(noun_phrase(allow_object_relative));
        }
        auto adv = adverbs_.find(peek());
        if (adv != adverbs_.end()) {
            vp.adverb = adv->second;
            ++i_;
        }
        std::size_t best_len = 0;
        for (std::size_t p = 0; p < lex_.prepositions.size(); ++p) {
            const auto words = split_tokens(lex_.prepositions[p].en);
            bool match = true;
            for (std::size_t k = 0; k < words.size() && match; ++k) match = peek(k) == words[k];
            if (match && words.size() > best_len) {
                best_len = words.size();
                vp.preposition = int(p);
            }
        }
        if (vp.preposition >= 0) {
            i_ += best_len;
            vp.prep_object.push_back(noun_phrase(false));
        }
        return vp;
    }
};

void np_combinations(const Lexicon& lex, const NounPhrase& np, WordCombinations& out);

void vp_combinations(const Lexicon& lex, const VerbPhrase& vp, const Noun* subject, WordCombinations& out) {
    if (vp.copula) {
        if (subject) out.adjective_noun.push_back({lex.adjectives.at(vp.adjective).en, subject->en});
        return;
    }
    if (subject) out.subject_verb.push_back({subject->en, verb_lemma(lex.verbs.at(vp.verb))});
    for (const NounPhrase& o : vp.object) np_combinations(lex, o, out);
    for (const NounPhrase& o : vp.prep_object) np_combinations(lex, o, out);
}

void np_combinations(const Lexicon& lex, const NounPhrase& np, WordCombinations& out) {
    const Noun& noun = lex.nouns.at(np.noun);
    if (np.adjective >= 0) out.adjective_noun.push_back({lex.adjectives.at(np.adjective).en, noun.en});
    for (const VerbPhrase& rel : np.relative) vp_combinations(lex, rel, &noun, out);
}

}  // namespace

std::vector<std::string> render_english(const Lexicon& lex, const Sentence& s) {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < s.clauses.size(); ++c) {
        if (c > 0) append_words(out, lex.conjunctions.at(s.conjunctions.at(c - 1)).en);
        const Clause& cl = s.clauses[c];
        if (cl.subject.pronoun >= 0)
            out.push_back(lex.pronouns.at(cl.subject.pronoun).en);
        else
            english_np(lex, cl.subject.np, out);
        english_vp(lex, cl.vp, subject_person(lex, cl.subject), out);
    }
    out.push_back(".");
    return out;
}

std::vector<std::string> render_french(const Lexicon& lex, const Sentence& s) {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < s.clauses.size(); ++c) {
        if (c > 0) append_words(out, lex.conjunctions.at(s.conjunctions.at(c - 1)).fr);
        const Clause& cl = s.clauses[c];
        bool feminine;
        if (cl.subject.pronoun >= 0) {
            out.push_back(lex.pronouns.at(cl.subject.pronoun).fr);
            feminine = lex.pronouns.at(cl.subject.pronoun).feminine;
        } else {
            french_np(lex, cl.subject.np, false, out);
            feminine = lex.nouns.at(cl.subject.np.noun).feminine;
        }
        french_vp(lex, cl.vp, subject_person(lex, cl.subject), feminine, out);
    }
    out.push_back(".");
    return contract_and_elide(out);
}

Sentence parse_english(const Lexicon& lex, const std::string& english) {
    return EnglishParser(lex, english).sentence();
}

std::string translate_en_fr(const Lexicon& lex, const std::string& english) {
    return join_tokens(render_french(lex, parse_english(lex, english)));
}

std::string translate_en_fr(const std::string& english) { return translate_en_fr(default_lexicon(), english); }

std::string verb_lemma(const Verb& v) { return v.en_particle.empty() ? v.en : v.en + " " + v.en_particle; }

WordCombinations combinations(const Lexicon& lex, const Sentence& s) {
    WordCombinations out;
    for (const Clause& c : s.clauses) {
        const Noun* subject = nullptr;
        if (c.subject.pronoun < 0) {
            np_combinations(lex, c.subject.np, out);
            subject = &lex.nouns.at(c.subject.np.noun);
        }
        vp_combinations(lex, c.vp, subject, out);
    }
    return out;
}

std::vector<std::string> english_vocabulary(const Lexicon& lex) {
    std::set<std::string> v = {"does", "do", "not", "that", "very", "."};
    for (const auto& d : lex.determiners)
        for (const auto& w : {d.en, d.en_vowel, d.en_pl})
            if (!w.empty()) v.insert(w);
    for (const auto& p : lex.pronouns) v.insert(p.en);
    for (const auto& n : lex.nouns) v.insert({n.en, n.en_pl});
    for (const auto& a : lex.adjectives) v.insert(a.en);
    for (const auto& x : lex.verbs) {
        v.insert({x.en, x.en_3s});
        if (!x.en_particle.empty()) v.insert(x.en_particle);
    }
    v.insert({lex.copula.en[third_singular], lex.copula.en[third_plural]});  // "be" takes third persons only
    for (const auto* list : {&lex.adverbs, &lex.prepositions, &lex.conjunctions})
        for (const auto& p : *list)
            for (const auto& w : split_tokens(p.en)) v.insert(w);
    return {v.begin(), v.end()};
}

std::vector<std::string> french_vocabulary(const Lexicon& lex) {
    std::set<std::string> v = {"ne", "pas", "qui", "très", "de", ".", "du", "des", "au", "aux"};
    for (const auto& d : lex.determiners) {
        for (const auto& w : d.fr)
            if (!w.empty()) v.insert(w);
        for (const auto& w : d.fr_vowel) v.insert(w);
    }
    for (const auto& p : lex.pronouns) v.insert(p.fr);
    for (const auto& n : lex.nouns) v.insert({n.fr, n.fr_pl});
    for (const auto& a : lex.adjectives) {
        v.insert(a.fr.begin(), a.fr.end());
        if (!a.fr_vowel.empty()) v.insert(a.fr_vowel);
    }
    for (const auto& x : lex.verbs) {
        v.insert(x.fr.begin(), x.fr.end());
        if (!x.fr_prep.empty()) v.insert(x.fr_prep);
    }
    v.insert({lex.copula.fr[third_singular], lex.copula.fr[third_plural]});
    for (const auto* list : {&lex.adverbs, &lex.prepositions, &lex.conjunctions})
        for (const auto& p : *list)
            for (const auto& w : split_tokens(p.fr)) v.insert(w);
    for (const auto& [word, short_form] :
         std::map<std::string, std::string>{{"je", "j'"}, {"ne", "n'"}, {"de", "d'"}, {"que", "qu'"}})
        if (v.count(word)) v.insert(short_form);
    return {v.begin(), v.end()};
}

std::string join_tokens(const std::vector<std::string>& tokens) {
    std::string s;
    for (const auto& t : tokens) {
        if (!s.empty()) s += ' ';
        s += t;
    }
    return s;
}

std::vector<std::string> split_tokens(const std::string& text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i] == ' ') ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ' ') ++j;
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

}  // namespace attnlab
