#include "attnlab/data/en_zh_grammar.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "attnlab/tensor/tensor.hpp"

namespace attnlab {
namespace en_zh {

namespace {

using Tokens = std::vector<std::string>;

bool english_vowel(const std::string& w) { return !w.empty() && std::strchr("aeiou", w[0]) != nullptr; }

void append_words(Tokens& out, const std::string& words) {
    for (auto& w : split_tokens(words)) out.push_back(w);
}

// "这 {m}" with the measure word 辆 -> 这 辆; "在 {} 里" with the noun phrase -> 在 花园 里.
void append_template(Tokens& out, const std::string& tmpl, const std::string& measure, const Tokens& np) {
    for (auto& w : split_tokens(tmpl)) {
        if (w == "{m}")
            out.push_back(measure);
        else if (w == "{}")
            out.insert(out.end(), np.begin(), np.end());
        else
            out.push_back(w);
    }
}

// The number of UTF-8 code points of a word (a Chinese adjective of one character takes no 的).
std::size_t code_points(const std::string& w) {
    std::size_t n = 0;
    for (unsigned char c : w) n += (c & 0xC0) != 0x80;
    return n;
}

const char* be_form(Person p) { return p == first_singular ? "am" : p == third_singular ? "is" : "are"; }

Person subject_person(const Lexicon& lex, const Subject& s) {
    if (s.pronoun >= 0) return lex.pronouns.at(s.pronoun).person;
    return s.np.plural ? third_plural : third_singular;
}

// ---- English ----

void english_vp_rest(const Lexicon& lex, const VerbPhrase& vp, bool question, Tokens& out);

void english_np(const Lexicon& lex, const NounPhrase& np, Tokens& out) {
    const Determiner& det = lex.determiners.at(np.determiner);
    const Noun& noun = lex.nouns.at(np.noun);
    const std::string& next = np.adjective >= 0 ? lex.adjectives.at(np.adjective).en : noun.en;
    if (np.plural)
        out.push_back(det.en_pl);
    else
        out.push_back(!det.en_vowel.empty() && english_vowel(next) ? det.en_vowel : det.en);
    if (np.adjective >= 0) out.push_back(lex.adjectives.at(np.adjective).en);
    out.push_back(np.plural ? noun.en_pl : noun.en);
    for (const VerbPhrase& rel : np.relative) {
        out.push_back("that");
        if (rel.copula) {
            out.push_back(np.plural ? "are" : "is");
            english_vp_rest(lex, rel, false, out);
            continue;
        }
        const Verb& v = lex.verbs.at(rel.verb);
        if (rel.negated) {
            out.push_back(np.plural ? "do" : "does");
            out.push_back("not");
            out.push_back(v.en);
        } else {
            out.push_back(np.plural ? v.en : v.en_3s);
        }
        english_vp_rest(lex, rel, false, out);
    }
}

// What follows the verb form: the copula's [not] [very] adjective, or particle, object, preposition,
// time ("before" for an experiential statement).
void english_vp_rest(const Lexicon& lex, const VerbPhrase& vp, bool question, Tokens& out) {
    if (vp.copula) {
        if (vp.negated) out.push_back("not");
        if (vp.very) out.push_back("very");
        out.push_back(lex.adjectives.at(vp.adjective).en);
        return;
    }
    const Verb& v = lex.verbs.at(vp.verb);
    if (!v.en_particle.empty()) out.push_back(v.en_particle);
    for (const NounPhrase& o : vp.object) english_np(lex, o, out);
    if (vp.preposition >= 0) {
        append_words(out, lex.prepositions.at(vp.preposition).en);
        english_np(lex, vp.prep_object.at(0), out);
    }
    if (vp.time >= 0) append_words(out, lex.times.at(vp.time).en);
    if (vp.tense == Tense::experiential && !vp.negated && !question) out.push_back("before");
}

void english_subject(const Lexicon& lex, const Subject& s, Tokens& out) {
    if (s.pronoun >= 0)
        out.push_back(lex.pronouns.at(s.pronoun).en);
    else
        english_np(lex, s.np, out);
}

void english_clause(const Lexicon& lex, const Clause& c, bool question, Tokens& out) {
    const VerbPhrase& vp = c.vp;
    const Person p = subject_person(lex, c.subject);
    const bool s3 = p == third_singular;
    if (vp.copula) {  // is the cat small ? / the cat is small
        if (question) out.push_back(be_form(p));
        english_subject(lex, c.subject, out);
        if (!question) out.push_back(be_form(p));
        english_vp_rest(lex, vp, question, out);
        return;
    }
    const Verb& v = lex.verbs.at(vp.verb);
    std::string aux, form;  // the auxiliary (may be empty) and the verb form
    switch (vp.tense) {
        case Tense::present:
            if (vp.negated || question)
                aux = s3 ? "does" : "do", form = v.en;
            else
                form = s3 ? v.en_3s : v.en;
            break;
        case Tense::past:
            if (vp.negated || question)
                aux = "did", form = v.en;
            else
                form = v.en_past;
            break;
        case Tense::progressive:
            aux = be_form(p), form = v.en_ing;
            break;
        case Tense::future:
            aux = "will", form = v.en;
            break;
        case Tense::experiential:
            aux = s3 ? "has" : "have", form = v.en_pp;
            break;
    }
    if (question) {
        out.push_back(aux);
        english_subject(lex, c.subject, out);
        if (vp.tense == Tense::experiential) out.push_back("ever");
    } else {
        english_subject(lex, c.subject, out);
        if (!aux.empty()) out.push_back(aux);
        if (vp.negated) out.push_back(vp.tense == Tense::experiential ? "never" : "not");
    }
    out.push_back(form);
    english_vp_rest(lex, vp, question, out);
}

// ---- Chinese ----

void chinese_vp(const Lexicon& lex, const VerbPhrase& vp, Tokens& out);

// `after_negation`: the object of a negated verb, where the indefinite "a" is dropped.
void chinese_np(const Lexicon& lex, const NounPhrase& np, bool after_negation, Tokens& out) {
    const Determiner& det = lex.determiners.at(np.determiner);
    const Noun& noun = lex.nouns.at(np.noun);
    if (!(after_negation && det.indefinite)) append_template(out, np.plural ? det.zh_pl : det.zh, noun.measure, {});
    for (const VerbPhrase& rel : np.relative) {
        chinese_vp(lex, rel, out);
        out.push_back("的");
    }
    if (np.adjective >= 0) {
        const std::string& a = lex.adjectives.at(np.adjective).zh;
        out.push_back(a);
        if (code_points(a) > 1) out.push_back("的");
    }
    out.push_back(noun.zh);
}

// [negation / aspect / modal] [prep phrase] verb [了 / 过] [object]; a copula: 很 / 非常 / 不 / 不 太 + A.
void chinese_vp(const Lexicon& lex, const VerbPhrase& vp, Tokens& out) {
    if (vp.copula) {
        if (vp.negated)
            append_words(out, vp.very ? "不 太" : "不");
        else
            out.push_back(vp.very ? "非常" : "很");
        out.push_back(lex.adjectives.at(vp.adjective).zh);
        return;
    }
    const Verb& v = lex.verbs.at(vp.verb);
    Tokens pre;
    switch (vp.tense) {
        case Tense::present:
            if (vp.negated) pre.push_back(v.zh_not);
            break;
        case Tense::past:
            if (vp.negated) pre.push_back("没");
            break;
        case Tense::progressive:
            append_words(pre, vp.negated ? "没 在" : "在");
            break;
        case Tense::future:
            append_words(pre, vp.negated ? "不 会" : "会");
            break;
        case Tense::experiential:
            if (vp.negated) append_words(pre, "从来 没");
            break;
    }
    Tokens pp;
    if (vp.preposition >= 0) {
        Tokens np;
        chinese_np(lex, vp.prep_object.at(0), false, np);
        append_template(pp, lex.prepositions.at(vp.preposition).zh, "", np);
    }
    // Progressive 在 + place 在: one 在, and 正在 when not negated (他 正在 花园 里 吃).
    if (!pre.empty() && pre.back() == "在" && !pp.empty() && pp.front() == "在") {
        pp.erase(pp.begin());
        if (!vp.negated) pre.back() = "正在";
    }
    out.insert(out.end(), pre.begin(), pre.end());
    out.insert(out.end(), pp.begin(), pp.end());
    out.push_back(v.zh);
    if (vp.tense == Tense::past && !vp.negated) out.push_back("了");
    if (vp.tense == Tense::experiential) out.push_back("过");
    for (const NounPhrase& o : vp.object) chinese_np(lex, o, vp.negated, out);
}

void chinese_clause(const Lexicon& lex, const Clause& c, bool question, Tokens& out) {
    if (c.subject.pronoun >= 0)
        out.push_back(lex.pronouns.at(c.subject.pronoun).zh);
    else
        chinese_np(lex, c.subject.np, false, out);
    if (c.vp.time >= 0) append_words(out, lex.times.at(c.vp.time).zh);
    if (c.vp.tense == Tense::experiential && !c.vp.negated && !question && !c.vp.copula) out.push_back("以前");
    chinese_vp(lex, c.vp, out);
    if (question) out.push_back("吗");
}

// ---- Parsing English ----

class EnglishParser {
public:
    EnglishParser(const Lexicon& lex, const std::string& text) : lex_(lex), text_(text), t_(split_tokens(text)) {
        for (std::size_t i = 0; i < lex.determiners.size(); ++i)
            for (const auto& w : {lex.determiners[i].en, lex.determiners[i].en_vowel, lex.determiners[i].en_pl})
                if (!w.empty()) dets_[w] = int(i);
        for (std::size_t i = 0; i < lex.pronouns.size(); ++i) pronouns_[lex.pronouns[i].en] = int(i);
        for (std::size_t i = 0; i < lex.nouns.size(); ++i) {
            nouns_[lex.nouns[i].en] = {int(i), false};
            nouns_[lex.nouns[i].en_pl] = {int(i), true};
        }
        for (std::size_t i = 0; i < lex.adjectives.size(); ++i) adjectives_[lex.adjectives[i].en] = int(i);
        for (std::size_t i = 0; i < lex.verbs.size(); ++i) {
            const Verb& v = lex.verbs[i];
            base_[v.en].push_back(int(i));
            s3_[v.en_3s].push_back(int(i));
            if (!v.stative) {
                past_[v.en_past].push_back(int(i));
                pp_[v.en_pp].push_back(int(i));
                ing_[v.en_ing].push_back(int(i));
            }
        }
        for (std::size_t i = 0; i < lex.conjunctions.size(); ++i) conjunctions_[lex.conjunctions[i].en] = int(i);
    }

    Sentence sentence() {
        if (t_.empty()) fail("empty sentence");
        Sentence s;
        static const std::map<std::string, int> question_words = {
            {"do", 0}, {"does", 0}, {"did", 0}, {"will", 0}, {"am", 0}, {"is", 0}, {"are", 0}, {"have", 0}, {"has", 0}};
        if (question_words.count(peek())) {
            s.question = true;
            s.clauses.push_back(question());
            expect("?");
        } else {
            s.clauses.push_back(clause());
            while (peek() != ".") {
                auto it = conjunctions_.find(peek());
                if (it == conjunctions_.end()) fail("expected a conjunction or the final '.'");
                s.conjunctions.push_back(it->second);
                ++i_;
                s.clauses.push_back(clause());
            }
            ++i_;
        }
        if (i_ != t_.size()) fail("words after the end of the sentence");
        return s;
    }

private:
    using Forms = std::map<std::string, std::vector<int>>;
    const Lexicon& lex_;
    const std::string& text_;
    Tokens t_;
    std::size_t i_ = 0;
    std::map<std::string, int> dets_, pronouns_, adjectives_, conjunctions_;
    std::map<std::string, std::pair<int, bool>> nouns_;  // word -> (noun, plural)
    Forms base_, s3_, past_, pp_, ing_;

    const std::string& peek(std::size_t k = 0) const {
        static const std::string end;
        return i_ + k < t_.size() ? t_[i_ + k] : end;
    }
    [[noreturn]] void fail(const std::string& what) const {
        const std::string at = i_ < t_.size() ? "'" + t_[i_] + "'" : "the end";
        throw Error("translate_en_zh: " + what + " at word " + std::to_string(i_ + 1) + " (" + at + ") of \"" + text_ +
                    "\"");
    }
    void expect(const std::string& w) {
        if (peek() != w) fail("expected '" + w + "'");
        ++i_;
    }

    Subject subject() {
        Subject s;
        auto p = pronouns_.find(peek());
        if (p != pronouns_.end()) {
            s.pronoun = p->second;
            ++i_;
        } else {
            if (!dets_.count(peek())) fail("expected a subject (a pronoun or a determiner)");
            s.np = noun_phrase(true);
        }
        return s;
    }

    Clause clause() {
        Clause c;
        c.subject = subject();
        const Person p = subject_person(lex_, c.subject);
        const bool s3 = p == third_singular;
        VerbPhrase& vp = c.vp;
        const std::string tok = peek();
        if (tok == "am" || tok == "is" || tok == "are") {
            agree(tok == be_form(p));
            ++i_;
            if (peek() == "not") {
                vp.negated = true;
                ++i_;
            }
            if (peek() == "very" || adjectives_.count(peek())) return copula(c);
            vp.tense = Tense::progressive;
            verb(vp, ing_);
        } else if (tok == "do" || tok == "does" || tok == "did") {
            if (tok != "did") agree((tok == "does") == s3);
            ++i_;
            expect("not");
            vp.negated = true;
            vp.tense = tok == "did" ? Tense::past : Tense::present;
            verb(vp, base_);
        } else if (tok == "will") {
            ++i_;
            if (peek() == "not") {
                vp.negated = true;
                ++i_;
            }
            vp.tense = Tense::future;
            verb(vp, base_);
        } else if ((tok == "have" || tok == "has") && (peek(1) == "never" || pp_.count(peek(1)))) {
            agree((tok == "has") == s3);
            ++i_;
            if (peek() == "never") {
                vp.negated = true;
                ++i_;
            }
            vp.tense = Tense::experiential;
            verb(vp, pp_);
        } else if (past_.count(tok)) {
            vp.tense = Tense::past;
            verb(vp, past_);
        } else {
            if (!(s3 ? s3_ : base_).count(tok) && (s3 ? base_ : s3_).count(tok))
                fail("verb form does not agree with its subject");
            vp.tense = Tense::present;
            verb(vp, s3 ? s3_ : base_);
        }
        rest(vp, false, true);
        return c;
    }

    Clause question() {
        Clause c;
        const std::string aux = peek();
        ++i_;
        c.subject = subject();
        const Person p = subject_person(lex_, c.subject);
        const bool s3 = p == third_singular;
        VerbPhrase& vp = c.vp;
        if (aux == "am" || aux == "is" || aux == "are") {
            agree(aux == be_form(p));
            if (peek() == "very" || adjectives_.count(peek())) return copula(c);
            vp.tense = Tense::progressive;
            verb(vp, ing_);
        } else if (aux == "have" || aux == "has") {
            agree((aux == "has") == s3);
            expect("ever");
            vp.tense = Tense::experiential;
            verb(vp, pp_);
        } else {
            if (aux == "do" || aux == "does") agree((aux == "does") == s3);
            vp.tense = aux == "did" ? Tense::past : aux == "will" ? Tense::future : Tense::present;
            verb(vp, base_);
        }
        rest(vp, true, true);
        return c;
    }

    void agree(bool ok) const {
        if (!ok) fail("the verb does not agree with its subject");
    }

    Clause copula(Clause& c) {
        c.vp.copula = true;
        if (peek() == "very") {
            c.vp.very = true;
            ++i_;
        }
        auto a = adjectives_.find(peek());
        if (a == adjectives_.end()) fail("expected an adjective");
        c.vp.adjective = a->second;
        ++i_;
        return c;
    }

    // The verb (from the forms of its tense) and its particle.
    void verb(VerbPhrase& vp, const Forms& forms) {
        auto f = forms.find(peek());
        if (f == forms.end()) fail(std::string("expected a verb in the ") + tense_name(vp.tense));
        const std::string word = peek();
        ++i_;
        for (int c : f->second)
            if (!lex_.verbs[c].en_particle.empty() && lex_.verbs[c].en_particle == peek()) vp.verb = c;
        if (vp.verb >= 0) {
            ++i_;
        } else {
            for (int c : f->second)
                if (lex_.verbs[c].en_particle.empty()) vp.verb = c;
            if (vp.verb < 0) fail("expected '" + lex_.verbs[f->second[0]].en_particle + "' after '" + word + "'");
        }
        if (lex_.verbs[vp.verb].stative && vp.tense != Tense::present)
            fail("'" + lex_.verbs[vp.verb].en + "' takes the present tense only in this grammar");
    }

    // Object, then (unless the object has a relative clause) preposition, time, "before".
    void rest(VerbPhrase& vp, bool question, bool main_clause) {
        const Verb& v = lex_.verbs[vp.verb];
        if (v.object) {
            if (!dets_.count(peek())) fail("expected an object of '" + v.en + "'");
            vp.object.push_back(noun_phrase(main_clause));
            if (!vp.object[0].relative.empty()) {
                if (vp.tense == Tense::experiential && !vp.negated && !question)
                    fail("an object with a relative clause cannot take 'before' in this grammar");
                return;
            }
        }
        if (!main_clause) return;
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
        for (std::size_t t = 0; t < lex_.times.size(); ++t) {
            const auto words = split_tokens(lex_.times[t].en);
            bool match = true;
            for (std::size_t k = 0; k < words.size() && match; ++k) match = peek(k) == words[k];
            if (!match) continue;
            if (lex_.times[t].tense != vp.tense)
                fail("'" + lex_.times[t].en + "' does not go with the " + tense_name(vp.tense));
            vp.time = int(t);
            i_ += words.size();
            break;
        }
        if (vp.tense == Tense::experiential && !vp.negated && !question) expect("before");
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
            if (det.en.empty() || det_word != (vowel ? det.en_vowel : det.en))
                fail("determiner '" + det_word + "' does not go with singular '" + next + "'");
        }
        ++i_;
        if (peek() == "that") {
            if (!allow_relative) fail("no relative clause here in this grammar");
            if (det.possessive) fail("no relative clause after a possessive in this grammar");
            ++i_;
            np.relative.push_back(relative(np.plural));
        }
        return np;
    }

    VerbPhrase relative(bool plural) {
        VerbPhrase vp;
        const std::string tok = peek();
        if (tok == "is" || tok == "are") {
            agree((tok == "are") == plural);
            ++i_;
            if (peek() == "not") {
                vp.negated = true;
                ++i_;
            }
            Clause c;
            c.vp = vp;
            return copula(c).vp;
        }
        if (tok == "do" || tok == "does") {
            agree((tok == "do") == plural);
            ++i_;
            expect("not");
            vp.negated = true;
            verb(vp, base_);
        } else {
            verb(vp, plural ? base_ : s3_);
        }
        rest(vp, false, false);
        return vp;
    }
};

void np_combinations(const Lexicon& lex, const NounPhrase& np, WordCombinations& out);

void vp_combinations(const Lexicon& lex, const VerbPhrase& vp, const Noun* subject, WordCombinations& out) {
    if (vp.copula) {
        if (subject) out.adjective_noun.push_back({lex.adjectives.at(vp.adjective).en, subject->en});
        return;
    }
    const Verb& v = lex.verbs.at(vp.verb);
    if (subject) out.subject_verb.push_back({subject->en, v.en_particle.empty() ? v.en : v.en + " " + v.en_particle});
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
    Tokens out;
    for (std::size_t c = 0; c < s.clauses.size(); ++c) {
        if (c > 0) out.push_back(lex.conjunctions.at(s.conjunctions.at(c - 1)).en);
        english_clause(lex, s.clauses[c], s.question, out);
    }
    out.push_back(s.question ? "?" : ".");
    return out;
}

std::vector<std::string> render_chinese(const Lexicon& lex, const Sentence& s) {
    Tokens out;
    for (std::size_t c = 0; c < s.clauses.size(); ++c) {
        if (c > 0) append_words(out, lex.conjunctions.at(s.conjunctions.at(c - 1)).zh);
        chinese_clause(lex, s.clauses[c], s.question, out);
    }
    out.push_back(s.question ? "？" : "。");
    return out;
}

Sentence parse_english(const Lexicon& lex, const std::string& english) {
    return EnglishParser(lex, english).sentence();
}

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

}  // namespace en_zh

std::string translate_en_zh(const en_zh::Lexicon& lex, const std::string& english) {
    return join_tokens(en_zh::render_chinese(lex, en_zh::parse_english(lex, english)));
}

std::string translate_en_zh(const std::string& english) { return translate_en_zh(en_zh::default_lexicon(), english); }

}  // namespace attnlab
