#include "attnlab/data/lexicon.hpp"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "attnlab/tensor/tensor.hpp"
#include "attnlab/text/regular_file.hpp"

#ifndef ATTNLAB_DATA_DIR
#define ATTNLAB_DATA_DIR "data"
#endif

namespace attnlab {

namespace {

using nlohmann::json;

const char* const kPersonNames[5] = {"1s", "2p", "3s", "1p", "3p"};

// A required string field: a word, one token unless `words` allows several.
std::string word(const json& j, const char* key, const std::string& where, bool words = false) {
    if (!j.is_object() || !j.contains(key) || !j.at(key).is_string())
        throw Error("lexicon: " + where + " needs a string '" + key + "'");
    const std::string w = j.at(key).get<std::string>();
    if (w.empty() || w.front() == ' ' || w.back() == ' ' || w.find("  ") != std::string::npos ||
        (!words && w.find(' ') != std::string::npos))
        throw Error("lexicon: " + where + " has a bad '" + key + "': \"" + w + "\"");
    return w;
}
std::string optional_word(const json& j, const char* key, const std::string& where) {
    return j.contains(key) ? word(j, key, where) : std::string();
}
const json& list(const json& j, const char* key) {
    if (!j.contains(key) || !j.at(key).is_array() || j.at(key).empty())
        throw Error(std::string("lexicon: needs a non-empty list '") + key + "'");
    return j.at(key);
}
template <std::size_t N>
std::array<std::string, N> word_array(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || !j.at(key).is_array() || j.at(key).size() != N)
        throw Error("lexicon: " + where + " needs '" + key + "' as a list of " + std::to_string(N) + " words");
    std::array<std::string, N> out;
    for (std::size_t i = 0; i < N; ++i) out[i] = word(json{{"w", j.at(key)[i]}}, "w", where + " " + key);
    return out;
}
std::array<std::string, 5> conjugation(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || !j.at(key).is_object())
        throw Error("lexicon: " + where + " needs '" + key +
                    "' as {\"1s\": .., \"2p\": .., \"3s\": .., \"1p\": .., \"3p\": ..}");
    std::array<std::string, 5> out;
    for (int p = 0; p < 5; ++p) out[p] = word(j.at(key), kPersonNames[p], where + " " + key);
    return out;
}
bool feminine(const json& j, const std::string& where, bool required) {
    if (!j.contains("gender")) {
        if (required) throw Error("lexicon: " + where + " needs a 'gender' (\"m\" or \"f\")");
        return false;
    }
    const std::string g = word(j, "gender", where);
    if (g != "m" && g != "f") throw Error("lexicon: " + where + " has gender \"" + g + "\", not m or f");
    return g == "f";
}

// Every English word may play one role only, so that parsing an English sentence is deterministic.
struct RoleCheck {
    std::map<std::string, std::string> role;
    void add(const std::string& w, const std::string& r) {
        auto it = role.find(w);
        if (it != role.end() && it->second != r)
            throw Error("lexicon: English word \"" + w + "\" is both " + it->second + " and " + r);
        role[w] = r;
    }
};

}  // namespace

const char* person_name(Person p) { return kPersonNames[int(p)]; }

Lexicon parse_lexicon(const std::string& json_text) {
    json j;
    try {
        j = json::parse(json_text);
    } catch (const json::exception& e) {
        throw Error(std::string("lexicon: not valid JSON: ") + e.what());
    }
    if (!j.is_object()) throw Error("lexicon: the JSON text must be an object");
    Lexicon lex;
    RoleCheck roles;
    for (const char* w : {"does", "do", "not", "that", "very", "."}) roles.add(w, "a grammar word");

    std::size_t i = 0;
    for (const json& e : list(j, "determiners")) {
        const std::string where = "determiner #" + std::to_string(++i);
        Determiner d;
        d.en = word(e, "en", where);
        d.en_vowel = optional_word(e, "en_vowel", where);
        d.en_pl = optional_word(e, "en_pl", where);
        d.indefinite = e.value("indefinite", false);
        if (d.en_pl.empty()) {
            auto fr = word_array<2>(e, "fr", where);
            d.fr = {fr[0], fr[1], ""};
        } else {
            d.fr = word_array<3>(e, "fr", where);
        }
        d.fr_vowel =
            e.contains("fr_vowel") ? word_array<2>(e, "fr_vowel", where) : std::array<std::string, 2>{d.fr[0], d.fr[1]};
        for (const auto& w : {d.en, d.en_vowel, d.en_pl})
            if (!w.empty()) roles.add(w, "a determiner");
        lex.determiners.push_back(d);
    }
    i = 0;
    for (const json& e : list(j, "pronouns")) {
        const std::string where = "pronoun #" + std::to_string(++i);
        Pronoun p;
        p.en = word(e, "en", where);
        p.fr = word(e, "fr", where);
        const std::string person = word(e, "person", where);
        int k = 0;
        while (k < 5 && person != kPersonNames[k]) ++k;
        if (k == 5) throw Error("lexicon: " + where + " has person \"" + person + "\", not 1s/2p/3s/1p/3p");
        p.person = Person(k);
        p.feminine = feminine(e, where, false);
        roles.add(p.en, "a pronoun");
        lex.pronouns.push_back(p);
    }
    i = 0;
    for (const json& e : list(j, "nouns")) {
        const std::string where = "noun #" + std::to_string(++i);
        Noun n{word(e, "en", where), word(e, "en_pl", where), word(e, "fr", where), word(e, "fr_pl", where),
               feminine(e, where, true)};
        if (n.en == n.en_pl)
            throw Error("lexicon: " + where + " (\"" + n.en + "\") has the same English singular and plural");
        roles.add(n.en, "a noun");
        roles.add(n.en_pl, "a noun");
        lex.nouns.push_back(n);
    }
    i = 0;
    for (const json& e : list(j, "adjectives")) {
        const std::string where = "adjective #" + std::to_string(++i);
        Adjective a;
        a.en = word(e, "en", where);
        a.fr = word_array<4>(e, "fr", where);
        a.fr_vowel = optional_word(e, "fr_vowel", where);
        const std::string pos = word(e, "position", where);
        if (pos != "before" && pos != "after")
            throw Error("lexicon: " + where + " has position \"" + pos + "\", not before or after");
        a.before_noun = pos == "before";
        roles.add(a.en, "an adjective");
        lex.adjectives.push_back(a);
    }
    i = 0;
    std::set<std::pair<std::string, std::string>> verb_keys;
    for (const json& e : list(j, "verbs")) {
        const std::string where = "verb #" + std::to_string(++i);
        Verb v;
        v.en = word(e, "en", where);
        v.en_3s = word(e, "en_3s", where);
        v.en_particle = optional_word(e, "en_particle", where);
        if (!e.contains("object") || !e.at("object").is_boolean())
            throw Error("lexicon: " + where + " needs 'object': true or false");
        v.object = e.at("object").get<bool>();
        v.fr = conjugation(e, "fr", where);
        v.fr_prep = optional_word(e, "fr_prep", where);
        if ((!v.en_particle.empty() || !v.fr_prep.empty()) && !v.object)
            throw Error("lexicon: " + where + " has a particle or preposition but no object");
        if (v.en == v.en_3s) throw Error("lexicon: " + where + " has the same base and -s form");
        if (!verb_keys.insert({v.en, v.en_particle}).second)
            throw Error("lexicon: verb \"" + v.en + " " + v.en_particle + "\" is listed twice");
        roles.add(v.en, "a verb (base form)");
        roles.add(v.en_3s, "a verb (-s form)");
        lex.verbs.push_back(v);
    }
    if (!j.contains("copula")) throw Error("lexicon: needs a 'copula' (the forms of 'be')");
    lex.copula.en = conjugation(j.at("copula"), "en", "copula");
    lex.copula.fr = conjugation(j.at("copula"), "fr", "copula");
    for (const auto& w : lex.copula.en) roles.add(w, "a form of 'be'");
    auto pairs = [&](const char* key, const char* role, bool en_words) {
        std::vector<WordPair> out;
        std::size_t k = 0;
        for (const json& e : list(j, key)) {
            const std::string where = std::string(key) + " #" + std::to_string(++k);
            WordPair p{word(e, "en", where, en_words), word(e, "fr", where, true)};
            roles.add(p.en.substr(0, p.en.find(' ')), role);
            out.push_back(p);
        }
        return out;
    };
    lex.adverbs = pairs("adverbs", "an adverb", false);
    lex.prepositions = pairs("prepositions", "a preposition", true);
    lex.conjunctions = pairs("conjunctions", "a conjunction", false);
    return lex;
}

std::string default_data_dir() { return ATTNLAB_DATA_DIR; }

Lexicon load_lexicon(const std::string& data_dir) {
    const std::string path = data_dir + "/toy_en_fr/lexicon.json";
    return parse_lexicon(read_regular_file(path, 16'000'000));
}

const Lexicon& default_lexicon() {
    static const Lexicon lex = load_lexicon();
    return lex;
}

}  // namespace attnlab
