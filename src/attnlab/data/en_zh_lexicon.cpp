#include "attnlab/data/en_zh_lexicon.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/regular_file.hpp"

namespace attnlab {
namespace en_zh {

namespace {

using nlohmann::json;

// A string field: one token unless `words`; empty allowed only if `may_be_empty`.
std::string text(const json& e, const char* key, const std::string& where, bool words = false,
                 bool may_be_empty = false) {
    if (!e.is_object() || !e.contains(key) || !e.at(key).is_string())
        throw Error("toy-en-zh lexicon: " + where + " needs a string '" + key + "'");
    const std::string w = e.at(key).get<std::string>();
    if (w.empty() && may_be_empty) return w;
    if (w.empty() || w.front() == ' ' || w.back() == ' ' || w.find("  ") != std::string::npos ||
        (!words && w.find(' ') != std::string::npos))
        throw Error("toy-en-zh lexicon: " + where + " has a bad '" + key + "': \"" + w + "\"");
    return w;
}
std::string optional(const json& e, const char* key, const std::string& where, bool words = false,
                     bool may_be_empty = false) {
    return e.contains(key) ? text(e, key, where, words, may_be_empty) : std::string();
}
bool flag(const json& e, const char* key, const std::string& where) {
    if (!e.contains(key)) return false;
    if (!e.at(key).is_boolean()) throw Error("toy-en-zh lexicon: " + where + " needs '" + key + "' true or false");
    return e.at(key).get<bool>();
}
const json& list(const json& j, const char* key) {
    if (!j.contains(key) || !j.at(key).is_array() || j.at(key).empty())
        throw Error(std::string("toy-en-zh lexicon: needs a non-empty list '") + key + "'");
    return j.at(key);
}

// Every English word plays one role, so that parsing English is deterministic. (The verb "have"
// is also the perfect's auxiliary; the parser tells them apart by the next word.)
struct RoleCheck {
    std::map<std::string, std::string> role;
    void add(const std::string& w, const std::string& r) {
        if (w.empty()) return;
        auto it = role.find(w);
        if (it != role.end() && it->second != r)
            throw Error("toy-en-zh lexicon: English word \"" + w + "\" is both " + it->second + " and " + r);
        role[w] = r;
    }
};

const char* const kTenseNames[] = {"present", "past", "progressive", "future", "experiential"};

}  // namespace

const char* tense_name(Tense t) { return kTenseNames[int(t)]; }

Lexicon parse_lexicon(const std::string& json_text) {
    json j;
    try {
        j = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(std::string("toy-en-zh lexicon: not valid JSON: ") + e.what());
    }
    if (!j.is_object()) throw Error("toy-en-zh lexicon: the JSON text must be an object");
    Lexicon lex;
    RoleCheck roles;
    for (const char* w :
         {"am", "is", "are", "do", "does", "did", "will", "not", "never", "ever", "before", "very", "that", ".", "?"})
        roles.add(w, "a grammar word");

    std::size_t i = 0;
    for (const json& e : list(j, "determiners")) {
        const std::string where = "determiner #" + std::to_string(++i);
        Determiner d;
        d.en = optional(e, "en", where);
        d.en_vowel = optional(e, "en_vowel", where);
        d.en_pl = optional(e, "en_pl", where);
        if (d.en.empty() && d.en_pl.empty()) throw Error("toy-en-zh lexicon: " + where + " needs 'en' or 'en_pl'");
        if (!d.en.empty()) d.zh = text(e, "zh", where, true, true);
        if (!d.en_pl.empty()) d.zh_pl = text(e, "zh_pl", where, true, true);
        d.indefinite = flag(e, "indefinite", where);
        d.possessive = flag(e, "possessive", where);
        for (const auto& w : {d.en, d.en_vowel, d.en_pl}) roles.add(w, "a determiner");
        lex.determiners.push_back(d);
    }
    i = 0;
    for (const json& e : list(j, "pronouns")) {
        const std::string where = "pronoun #" + std::to_string(++i);
        Pronoun p{text(e, "en", where), text(e, "zh", where), first_singular};
        const std::string person = text(e, "person", where);
        int k = 0;
        while (k < 5 && person != person_name(Person(k))) ++k;
        if (k == 5) throw Error("toy-en-zh lexicon: " + where + " has person \"" + person + "\", not 1s/2p/3s/1p/3p");
        p.person = Person(k);
        roles.add(p.en, "a pronoun");
        lex.pronouns.push_back(p);
    }
    i = 0;
    for (const json& e : list(j, "nouns")) {
        const std::string where = "noun #" + std::to_string(++i);
        Noun n{text(e, "en", where), text(e, "en_pl", where), text(e, "zh", where), text(e, "measure", where)};
        if (n.en == n.en_pl)
            throw Error("toy-en-zh lexicon: " + where + " (\"" + n.en + "\") has the same singular and plural");
        roles.add(n.en, "a noun");
        roles.add(n.en_pl, "a noun");
        lex.nouns.push_back(n);
    }
    i = 0;
    for (const json& e : list(j, "adjectives")) {
        const std::string where = "adjective #" + std::to_string(++i);
        Adjective a{text(e, "en", where), text(e, "zh", where)};
        roles.add(a.en, "an adjective");
        lex.adjectives.push_back(a);
    }
    i = 0;
    std::set<std::pair<std::string, std::string>> verb_keys;
    for (const json& e : list(j, "verbs")) {
        const std::string where = "verb #" + std::to_string(++i);
        Verb v;
        v.en = text(e, "en", where);
        v.en_3s = text(e, "en_3s", where);
        v.stative = flag(e, "stative", where);
        if (!v.stative) {
            v.en_past = text(e, "en_past", where);
            v.en_pp = text(e, "en_pp", where);
            v.en_ing = text(e, "en_ing", where);
            if (v.en_past == v.en) throw Error("toy-en-zh lexicon: " + where + " has the same base and past form");
        }
        v.en_particle = optional(e, "en_particle", where);
        if (!e.contains("object") || !e.at("object").is_boolean())
            throw Error("toy-en-zh lexicon: " + where + " needs 'object': true or false");
        v.object = e.at("object").get<bool>();
        if (!v.en_particle.empty() && !v.object)
            throw Error("toy-en-zh lexicon: " + where + " has a particle but no object");
        v.zh = text(e, "zh", where);
        if (e.contains("zh_not")) v.zh_not = text(e, "zh_not", where);
        if (v.en == v.en_3s) throw Error("toy-en-zh lexicon: " + where + " has the same base and -s form");
        if (!verb_keys.insert({v.en, v.en_particle}).second)
            throw Error("toy-en-zh lexicon: verb \"" + v.en + " " + v.en_particle + "\" is listed twice");
        for (const auto& w : {v.en, v.en_3s, v.en_past, v.en_pp, v.en_ing}) roles.add(w, "a verb");
        lex.verbs.push_back(v);
    }
    i = 0;
    for (const json& e : list(j, "prepositions")) {
        const std::string where = "preposition #" + std::to_string(++i);
        WordPair p{text(e, "en", where, true), text(e, "zh", where, true)};
        if (p.zh.find("{}") == std::string::npos) throw Error("toy-en-zh lexicon: " + where + " needs {} in its 'zh'");
        roles.add(p.en.substr(0, p.en.find(' ')), "a preposition");
        lex.prepositions.push_back(p);
    }
    i = 0;
    for (const json& e : list(j, "times")) {
        const std::string where = "time #" + std::to_string(++i);
        TimePhrase t{text(e, "en", where, true), text(e, "zh", where, true), Tense::present};
        const std::string tense = text(e, "tense", where);
        int k = 0;
        while (k < 4 && tense != kTenseNames[k]) ++k;  // "experiential" has its own "before"
        if (k == 4)
            throw Error("toy-en-zh lexicon: " + where + " has tense \"" + tense +
                        "\", not present/past/progressive/future");
        t.tense = Tense(k);
        roles.add(t.en.substr(0, t.en.find(' ')), "a time phrase");
        lex.times.push_back(t);
    }
    i = 0;
    for (const json& e : list(j, "conjunctions")) {
        const std::string where = "conjunction #" + std::to_string(++i);
        WordPair c{text(e, "en", where), text(e, "zh", where, true)};
        roles.add(c.en, "a conjunction");
        lex.conjunctions.push_back(c);
    }
    return lex;
}

Lexicon load_lexicon(const std::string& data_dir) {
    const std::string path = data_dir + "/toy_en_zh/lexicon.json";
    return parse_lexicon(read_regular_file(path, 16'000'000));
}

const Lexicon& default_lexicon() {
    static const Lexicon lex = load_lexicon();
    return lex;
}

}  // namespace en_zh
}  // namespace attnlab
