// Text: UTF-8, lower-casing, word and character tokenizers, the vocabulary and the codec's JSON.
#include <cstdio>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "attnlab/text/char_tokenizer.hpp"
#include "attnlab/text/lowercase.hpp"
#include "attnlab/text/text_codec.hpp"
#include "attnlab/text/utf8.hpp"
#include "attnlab/text/vocab.hpp"
#include "attnlab/text/word_tokenizer.hpp"
#include "test_util.hpp"

using namespace attnlab;
using nlohmann::json;
using Tokens = std::vector<std::string>;
using Ids = std::vector<std::int32_t>;

namespace {

using testing::error_of;

// A small codec used by several tests: le(3) chat(2) chien(1) noir(1).
TextCodec small_codec() {
    return TextCodec::build(TokenizerKind::Word, true, {"Le chat.", "le chien", "LE CHAT NOIR"});
}

std::string temp_path(const char* name) {
#ifdef __EMSCRIPTEN__
    return std::string("/tmp/attnlab_test_text_wasm_") + name;
#else
    return std::string("/tmp/attnlab_test_text_native_") + name;
#endif
}

}  // namespace

// ---------------------------------------------------------------- UTF-8

TEST_CASE("utf8_decode gives the code points of 1- to 4-byte characters") {
    CHECK(utf8_decode("") == std::vector<char32_t>{});
    CHECK(utf8_decode("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == std::vector<char32_t>{0x61, 0xE9, 0x20AC, 0x1F600});
    // The boundaries of each length, with their bytes worked out by hand.
    const std::pair<char32_t, std::string> cases[] = {
        {0x00, std::string(1, '\0')},  {0x7F, "\x7F"},           {0x80, "\xC2\x80"},
        {0x7FF, "\xDF\xBF"},           {0x800, "\xE0\xA0\x80"},  {0xD7FF, "\xED\x9F\xBF"},
        {0xE000, "\xEE\x80\x80"},      {0xFFFF, "\xEF\xBF\xBF"}, {0x10000, "\xF0\x90\x80\x80"},
        {0x10FFFF, "\xF4\x8F\xBF\xBF"}};
    for (const auto& c : cases) {
        const auto& cp = c.first;
        const auto& bytes = c.second;
        CAPTURE(code_point_str(cp));
        CHECK(utf8_encode(cp) == bytes);
        CHECK(utf8_decode(bytes) == std::vector<char32_t>{cp});
    }
    CHECK(code_point_str(0xE9) == "U+00E9");
    CHECK(code_point_str(0x1F600) == "U+1F600");
}

TEST_CASE("utf8_encode refuses surrogates and code points beyond U+10FFFF") {
    CHECK_ERROR_CONTAINS(utf8_encode(char32_t(0xD800)), "U+D800");
    CHECK_ERROR_CONTAINS(utf8_encode(char32_t(0x110000)), "U+110000");
}

TEST_CASE("invalid UTF-8 throws an Error naming the byte offset of the bad sequence") {
    const std::pair<std::string, std::string> cases[] = {
        {"abc\x80", "invalid UTF-8 at byte 3 (unexpected continuation byte)"},  // lone continuation
        {"\xBF", "invalid UTF-8 at byte 0 (unexpected continuation byte)"},
        {"chat \xE2\x82", "invalid UTF-8 at byte 5 (truncated sequence)"},  // truncated at the end
        {"\xC3"
         "A",
         "invalid UTF-8 at byte 0 (truncated sequence)"},  // lead byte then ASCII
        {"ab\xF0\x9F\x98", "invalid UTF-8 at byte 2 (truncated sequence)"},
        {"x\xC0\xAF", "invalid UTF-8 at byte 1 (overlong encoding)"},          // '/' in 2 bytes
        {"\xE0\x80\xAF", "invalid UTF-8 at byte 0 (overlong encoding)"},       // '/' in 3 bytes
        {"\xF0\x82\x82\xAC", "invalid UTF-8 at byte 0 (overlong encoding)"},   // '€' in 4 bytes
        {"l'\xED\xA0\x80", "invalid UTF-8 at byte 2 (surrogate code point)"},  // U+D800
        {"\xED\xBF\xBF", "invalid UTF-8 at byte 0 (surrogate code point)"},    // U+DFFF
        {"abcdefg\xF4\x90\x80\x80", "invalid UTF-8 at byte 7 (code point beyond U+10FFFF)"},
        {"\xFF", "invalid UTF-8 at byte 0 (invalid lead byte)"},
        {"\xF8\x88\x80\x80\x80", "invalid UTF-8 at byte 0 (invalid lead byte)"},
    };
    for (const auto& c : cases) {
        const auto& bytes = c.first;
        const auto& message = c.second;
        CAPTURE(message);
        CHECK(error_of([&] { utf8_decode(bytes); }) == message);
        CHECK_FALSE(utf8_valid(bytes));
        // Every entry point that reads text reports the same problem.
        CHECK(error_of([&] { utf8_chars(bytes); }) == message);
        CHECK(error_of([&] { word_tokenize(bytes); }) == message);
        CHECK(error_of([&] { char_tokenize(bytes); }) == message);
        CHECK(error_of([&] { to_lower(bytes); }) == message);
    }
    CHECK(utf8_valid("l'été 😀"));
}

TEST_CASE("utf8_chars splits a string into one-code-point strings") {
    CHECK(utf8_chars("où 😀") == Tokens{"o", "ù", " ", "😀"});
    CHECK(utf8_chars("") == Tokens{});
}

// ---------------------------------------------------------------- lower-casing

TEST_CASE("to_lower matches Unicode's simple lowercase mapping on ASCII, Latin-1 and Latin Extended-A") {
    // Capital/small pairs generated from Python's str.lower() over U+0000–U+017F (İ -> i, its
    // simple mapping); every other code point of the range must map to itself.
    const std::vector<char32_t> pairs = utf8_decode(
        "AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZzÀàÁáÂâÃãÄäÅåÆæÇçÈèÉéÊêËëÌìÍíÎîÏïÐðÑñÒò"
        "ÓóÔôÕõÖöØøÙùÚúÛûÜüÝýÞþĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİiĲĳĴĵĶķĹĺĻļĽľĿŀŁł"
        "ŃńŅņŇňŊŋŌōŎŏŐőŒœŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸÿŹźŻżŽž");
    REQUIRE(pairs.size() == 2 * 119);
    std::map<char32_t, char32_t> expected;
    for (std::size_t i = 0; i < pairs.size(); i += 2) expected[pairs[i]] = pairs[i + 1];
    for (char32_t cp = 0; cp < 0x180; ++cp) {
        CAPTURE(code_point_str(cp));
        auto it = expected.find(cp);
        CHECK(to_lower(cp) == (it == expected.end() ? cp : it->second));
    }
    // Outside the table nothing changes: Latin Extended-B, Greek, Cyrillic.
    for (char32_t cp : {char32_t(0x181), char32_t(0x1C4), char32_t(0x3A3), char32_t(0x416)}) CHECK(to_lower(cp) == cp);
    CHECK(to_lower("ÉCOLE À ÇA, ŒUVRE ŸSER × ß") == "école à ça, œuvre ÿser × ß");
}

// ---------------------------------------------------------------- word tokenizer

TEST_CASE("word_tokenize splits English sentences into lower-cased words and punctuation") {
    CHECK(word_tokenize("The cat sat on the mat.") == Tokens{"the", "cat", "sat", "on", "the", "mat", "."});
    CHECK(word_tokenize("Hello, world! How are you?") == Tokens{"hello", ",", "world", "!", "how", "are", "you", "?"});
    CHECK(word_tokenize("I have 2 cats (really)...") ==
          Tokens{"i", "have", "2", "cats", "(", "really", ")", ".", ".", "."});
    CHECK(word_tokenize("Don't stop", false) == Tokens{"Don'", "t", "stop"});
    CHECK(word_tokenize("\"Quoted\" ; x:y", false) == Tokens{"\"", "Quoted", "\"", ";", "x", ":", "y"});
}

TEST_CASE("word_tokenize keeps French elision on the left word and splits Unicode punctuation") {
    CHECK(word_tokenize("L'homme est là aujourd'hui.") == Tokens{"l'", "homme", "est", "là", "aujourd'", "hui", "."});
    CHECK(word_tokenize("l’été qu’il fait") == Tokens{"l’", "été", "qu’", "il", "fait"});
    CHECK(word_tokenize("« Où es-tu ? » demanda-t-il…") ==
          Tokens{"«", "où", "es", "-", "tu", "?", "»", "demanda", "-", "t", "-", "il", "…"});
    CHECK(word_tokenize("¿Qué? ¡Sí! — dit-elle – 12h") ==
          Tokens{"¿", "qué", "?", "¡", "sí", "!", "—", "dit", "-", "elle", "–", "12h"});
    // An apostrophe that is not between two letters is a token of its own.
    CHECK(word_tokenize("'allo' les amis' 5'3 l'") ==
          Tokens{"'", "allo", "'", "les", "amis", "'", "5", "'", "3", "l", "'"});
    // French no-break spaces separate like spaces.
    CHECK(word_tokenize("Merci\xC2\xA0!\xE2\x80\xAF\xC2\xBB") == Tokens{"merci", "!", "»"});
}

TEST_CASE("word_tokenize lower-cases accented capitals, or keeps them when asked") {
    CHECK(word_tokenize("ÉCOLE, À ÇA ŒUVRE Ÿ") == Tokens{"école", ",", "à", "ça", "œuvre", "ÿ"});
    CHECK(word_tokenize("ÉCOLE, À", false) == Tokens{"ÉCOLE", ",", "À"});
    // × and ÷ are not letters even though they sit inside the Latin-1 letters.
    CHECK(word_tokenize("2×3÷x") == Tokens{"2", "×", "3", "÷", "x"});
    // Latin Extended-B letters are word characters (not lower-cased).
    CHECK(word_tokenize("ǅemal Ș") == Tokens{"ǅemal", "Ș"});
}

TEST_CASE("word_tokenize makes each emoji, CJK character or symbol a token of its own") {
    CHECK(word_tokenize("bonjour😀monde 😀😀") == Tokens{"bonjour", "😀", "monde", "😀", "😀"});
    CHECK(word_tokenize("猫が好き") == Tokens{"猫", "が", "好", "き"});
    CHECK(word_tokenize("5€ & 3$") == Tokens{"5", "€", "&", "3", "$"});
}

TEST_CASE("empty and whitespace-only input give no tokens") {
    for (const std::string s : {"", " ", "  \t\n\r ", "\xC2\xA0\xE3\x80\x80"}) {
        CHECK(word_tokenize(s).empty());
        CHECK(word_detokenize(word_tokenize(s)) == "");
    }
    CHECK(char_tokenize("").empty());
    CHECK(word_detokenize({}) == "");
}

TEST_CASE("word_detokenize rebuilds normalised text from tokens") {
    CHECK(word_detokenize({"l'", "homme", "est", "là", ",", "aujourd'", "hui", "(", "enfin", ")", "!"}) ==
          "l'homme est là, aujourd'hui (enfin)!");
    CHECK(word_detokenize({"qu’", "il", "?", "«", "oui", "»", "."}) == "qu’il? « oui ».");
    // An elision whose apostrophe was split off (text written "n' est") is joined again.
    CHECK(word_detokenize({"l", "'", "enfant", "n", "'", "est", "pas", "là"}) == "l'enfant n'est pas là");
    CHECK(word_detokenize({"qu", "’", "il", "dit", "'", "oui", "'"}) == "qu’il dit 'oui '");
    const std::pair<std::string, std::string> cases[] = {
        {"The cat sat on the mat.", "the cat sat on the mat."},
        {"Hello ,world !  How are you ?", "hello, world! how are you?"},
        {"L'homme est là aujourd'hui .", "l'homme est là aujourd'hui."},
        {"  Il a dit : ( oui ) ;  ", "il a dit: (oui);"},
        {"Wait...", "wait..."},
    };
    for (const auto& c : cases) {
        const auto& text = c.first;
        const auto& normalised = c.second;
        CAPTURE(text);
        CHECK(word_detokenize(word_tokenize(text)) == normalised);
        // Normalising twice changes nothing more.
        CHECK(word_detokenize(word_tokenize(normalised)) == normalised);
    }
}

// ---------------------------------------------------------------- char tokenizer

TEST_CASE("char_tokenize gives one token per code point, spaces included") {
    CHECK(char_tokenize("Où es") == Tokens{"O", "ù", " ", "e", "s"});
    CHECK(char_tokenize("Où ÉS", true) == Tokens{"o", "ù", " ", "é", "s"});
    CHECK(char_tokenize("a😀\n") == Tokens{"a", "😀", "\n"});
    const std::string s = "L'été  à Paris, 😀 !";
    CHECK(char_detokenize(char_tokenize(s)) == s);
    CHECK(char_detokenize(char_tokenize(s, true)) == "l'été  à paris, 😀 !");
}

// ---------------------------------------------------------------- vocabulary

TEST_CASE("the special tokens have fixed ids") {
    CHECK(kPad == 0);
    CHECK(kBos == 1);
    CHECK(kEos == 2);
    CHECK(kUnk == 3);
    const Vocab empty;
    CHECK(empty.size() == 4);
    CHECK(empty.tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>"});
    const Vocab built = Vocab::build({{"zebra", "zebra", "apple"}});
    CHECK(built.tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "zebra", "apple"});
    CHECK(built.token(kPad) == "<pad>");
    CHECK(built.token(kBos) == "<bos>");
    CHECK(built.token(kEos) == "<eos>");
    CHECK(built.token(kUnk) == "<unk>");
}

TEST_CASE("Vocab::build orders by frequency then by bytes, cuts by min_freq and max_size") {
    const std::vector<Tokens> corpus = {{"le", "chat"}, {"le", "chien"}, {"le", "chat", "noir"},
                                        {"zoo", "été"}, {"été", "zoo"},  {"Zoo"}};
    // Counts: le 3, chat 2, zoo 2, été 2, chien 1, noir 1, Zoo 1. Ties sorted by unsigned bytes:
    // "Zoo" (0x5A) < "chat" < "chien" < "noir" < "zoo" (0x7A) < "été" (0xC3 0xA9).
    const Tokens all = {"<pad>", "<bos>", "<eos>", "<unk>", "le", "chat", "zoo", "été", "Zoo", "chien", "noir"};
    CHECK(Vocab::build(corpus).tokens() == all);
    CHECK(Vocab::build(corpus, 0).tokens() == all);
    CHECK(Vocab::build(corpus, 2).tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "le", "chat", "zoo", "été"});
    CHECK(Vocab::build(corpus, 3).tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "le"});
    CHECK(Vocab::build(corpus, 4).tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>"});
    CHECK(Vocab::build(corpus, 1, 6).tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "le", "chat"});
    CHECK(Vocab::build(corpus, 1, 4).size() == 4);
    CHECK(Vocab::build(corpus, 1, 100).tokens() == all);
    CHECK_ERROR_CONTAINS(Vocab::build(corpus, 1, 3), "max_size 3");

    // The corpus order does not matter: every rotation of the sentences gives the same vocabulary.
    for (std::size_t r = 1; r < corpus.size(); ++r) {
        std::vector<Tokens> rotated(corpus.begin() + r, corpus.end());
        rotated.insert(rotated.end(), corpus.begin(), corpus.begin() + r);
        std::vector<Tokens> reversed(rotated.rbegin(), rotated.rend());
        CHECK(Vocab::build(rotated).tokens() == all);
        CHECK(Vocab::build(reversed).tokens() == all);
    }
    // Ids follow positions.
    const Vocab v = Vocab::build(corpus);
    for (std::size_t i = 0; i < all.size(); ++i) CHECK(v.token(std::int32_t(i)) == all[i]);
    for (std::size_t i = 4; i < all.size(); ++i) CHECK(v.id(all[i]) == std::int32_t(i));
}

TEST_CASE("Vocab::build refuses empty and invalid-UTF-8 tokens") {
    CHECK_ERROR_CONTAINS(Vocab::build({{"a"}, {"b", ""}}), "sentence 1, token 1 is an empty string");
    CHECK_ERROR_CONTAINS(Vocab::build({{"a", "b\xC3"}}), "sentence 0, token 1: invalid UTF-8 at byte 1");
}

TEST_CASE("encode reports unknown words with their positions, and decode inverts it") {
    const Vocab v = Vocab::build({{"le", "chat", "dort"}});  // ids 4 5 6, ties by bytes: chat dort le
    CHECK(v.tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "chat", "dort", "le"});
    const VocabEncoding e = v.encode({"le", "chien", "dort", "sur", "le", "chat"});
    CHECK(e.ids == Ids{6, kUnk, 5, kUnk, 6, 4});
    REQUIRE(e.unknown.size() == 2);
    CHECK(e.unknown[0].position == 1);
    CHECK(e.unknown[0].token == "chien");
    CHECK(e.unknown[1].position == 3);
    CHECK(e.unknown[1].token == "sur");
    CHECK(v.decode(e.ids) == Tokens{"le", "<unk>", "dort", "<unk>", "le", "chat"});
    CHECK(v.encode({}).ids.empty());

    const Tokens known = {"le", "chat", "dort"};
    CHECK(v.decode(v.encode(known).ids) == known);
}

TEST_CASE("decode skips <pad> and <bos>, stops at <eos>, or keeps everything when asked") {
    const Vocab v = Vocab::build({{"a", "b"}});  // a=4, b=5
    const Ids ids = {kBos, 4, kPad, 5, kEos, 4, kPad};
    CHECK(v.decode(ids) == Tokens{"a", "b"});
    CHECK(v.decode(ids, true) == Tokens{"<bos>", "a", "<pad>", "b", "<eos>", "a", "<pad>"});
    CHECK(v.decode({kEos, 4}).empty());
    CHECK(v.decode({kUnk}) == Tokens{"<unk>"});
    CHECK_ERROR_CONTAINS(v.decode({4, 6}), "id 6 is out of range (vocabulary size 6)");
    CHECK_ERROR_CONTAINS(v.decode({-1}), "id -1 is out of range");
    CHECK_ERROR_CONTAINS(v.token(6), "id 6 is out of range");
    CHECK_ERROR_CONTAINS(v.token(-5), "id -5 is out of range");
}

TEST_CASE("a user typing \"<eos>\" gets an ordinary unknown word, not the eos id") {
    // Even when "<eos>" occurs in the corpus, build does not add it as a word.
    const Vocab v = Vocab::build({{"fin", "<eos>", "<eos>", "<pad>", "<unk>", "<bos>"}});
    CHECK(v.tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "fin"});
    for (const char* special : {"<pad>", "<bos>", "<eos>", "<unk>"}) CHECK(v.id(special) == kUnk);
    const VocabEncoding e = v.encode({"fin", "<eos>", "fin"});
    CHECK(e.ids == Ids{4, kUnk, 4});
    REQUIRE(e.unknown.size() == 1);
    CHECK(e.unknown[0].position == 1);
    CHECK(e.unknown[0].token == "<eos>");
    // Through a codec the decoding therefore does not stop there.
    const TextCodec word(TokenizerKind::Word, true, Vocab::build({{"fin", "eos", "<", ">"}}));
    const TextEncoding w = word.encode("fin <eos> fin");
    CHECK(w.tokens == Tokens{"fin", "<", "eos", ">", "fin"});
    for (std::int32_t id : w.ids) CHECK(id != kEos);
    CHECK(word.decode(w.ids) == "fin < eos > fin");
    const TextCodec chars = TextCodec::build(TokenizerKind::Char, false, {"<eos>"});
    for (std::int32_t id : chars.encode("<eos>").ids) CHECK(id != kEos);
    CHECK(chars.decode(chars.encode("<eos>").ids) == "<eos>");
}

TEST_CASE("Vocab from a token list validates the special tokens, duplicates and UTF-8") {
    CHECK(Vocab(Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "x"}).id("x") == 4);
    CHECK_ERROR_CONTAINS(Vocab(Tokens{}), "the token list is empty");
    CHECK_ERROR_CONTAINS(Vocab(Tokens{"<pad>", "<bos>"}), "\"<eos>\" (id 2) is missing");
    CHECK_ERROR_CONTAINS(Vocab(Tokens{"<pad>", "<eos>", "<bos>", "<unk>"}), "token 1 must be \"<bos>\", got \"<eos>\"");
    CHECK_ERROR_CONTAINS(Vocab(Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "a", "b", "a"}),
                         "duplicate token \"a\" (ids 4 and 6)");
    CHECK_ERROR_CONTAINS(Vocab(Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "<eos>"}),
                         "duplicate token \"<eos>\" (ids 2 and 4)");
    CHECK_ERROR_CONTAINS(Vocab(Tokens{"<pad>", "<bos>", "<eos>", "<unk>", ""}), "token 4 is an empty string");
    CHECK_ERROR_CONTAINS(Vocab(Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "ok", "\xED\xA0\x80"}),
                         "token 5: invalid UTF-8 at byte 0 (surrogate code point)");
}

// ---------------------------------------------------------------- codec

TEST_CASE("TextCodec encodes and decodes sentences in both tokenizer kinds") {
    const TextCodec codec = small_codec();
    CHECK(codec.vocab().tokens() == Tokens{"<pad>", "<bos>", "<eos>", "<unk>", "le", "chat", ".", "chien", "noir"});
    const TextEncoding e = codec.encode("Le chien noir mange le chat.");
    CHECK(e.tokens == Tokens{"le", "chien", "noir", "mange", "le", "chat", "."});
    CHECK(e.ids == Ids{4, 7, 8, kUnk, 4, 5, 6});
    REQUIRE(e.unknown.size() == 1);
    CHECK(e.unknown[0].position == 3);
    CHECK(e.unknown[0].token == "mange");
    CHECK(codec.decode(e.ids) == "le chien noir <unk> le chat.");
    CHECK(codec.decode(codec.encode("LE CHAT NOIR.").ids) == "le chat noir.");
    // Model output framed by specials.
    CHECK(codec.decode({kBos, 4, 5, 6, kEos, kPad, kPad}) == "le chat.");
    CHECK(codec.encode("   ").ids.empty());
    CHECK_ERROR_CONTAINS(codec.encode("le \xC3"), "invalid UTF-8 at byte 3");

    const TextCodec chars = TextCodec::build(TokenizerKind::Char, false, {"Où es-tu ?"});
    const std::string s = "Où tu es ?";
    CHECK(chars.decode(chars.encode(s).ids) == s);
    CHECK(chars.encode("x").unknown.size() == 1);
}

TEST_CASE("TextCodec JSON has the documented layout and round-trips") {
    const TextCodec codec = small_codec();
    const json j = codec.to_json();
    CHECK(j == json::parse(R"({"tokenizer": "word", "lowercase": true,
        "tokens": ["<pad>", "<bos>", "<eos>", "<unk>", "le", "chat", ".", "chien", "noir"]})"));
    const TextCodec back = TextCodec::from_json(j);
    CHECK(back.kind() == TokenizerKind::Word);
    CHECK(back.lowercase());
    CHECK(back.vocab().tokens() == codec.vocab().tokens());
    CHECK(back.to_json() == j);
    CHECK(TextCodec::from_json_text(j.dump()).to_json() == j);

    const TextCodec chars = TextCodec::build(TokenizerKind::Char, false, {"Été 😀"});
    const json jc = chars.to_json();
    CHECK(jc["tokenizer"] == "char");
    CHECK(jc["lowercase"] == false);
    const TextCodec chars_back = TextCodec::from_json_text(jc.dump());
    CHECK(chars_back.kind() == TokenizerKind::Char);
    CHECK_FALSE(chars_back.lowercase());
    CHECK(chars_back.vocab().tokens() == chars.vocab().tokens());
    CHECK(chars_back.decode(chars_back.encode("😀 Été").ids) == "😀 Été");
}

TEST_CASE("TextCodec saves to and loads from a file, with errors naming the file") {
    const TextCodec codec = small_codec();
    const std::string path = temp_path("codec.json");
    codec.save(path);
    const TextCodec back = TextCodec::load(path);
    CHECK(back.to_json() == codec.to_json());

    const std::string missing = temp_path("no_such_dir/codec.json");
    CHECK_ERROR_CONTAINS(TextCodec::load(missing), "cannot read " + missing + ": no such file");
    CHECK_ERROR_CONTAINS(codec.save(missing), "cannot write codec file '" + missing + "'");

    const std::string bad = temp_path("bad.json");
    { std::ofstream(bad) << "{\"tokenizer\": \"word\","; }
    CHECK_ERROR_CONTAINS(TextCodec::load(bad), "codec file '" + bad + "': codec JSON: not valid JSON");
    { std::ofstream(bad) << R"({"tokenizer": "bpe", "lowercase": true, "tokens": ["<pad>"]})"; }
    CHECK_ERROR_CONTAINS(TextCodec::load(bad), "codec file '" + bad + "': codec JSON: unknown tokenizer \"bpe\"");
    std::remove(path.c_str());
    std::remove(bad.c_str());
}

TEST_CASE("each malformed codec JSON gives a clear Error") {
    const json good = small_codec().to_json();
    auto with = [&](const char* key, json value) {
        json j = good;
        j[key] = std::move(value);
        return j;
    };
    auto without = [&](const char* key) {
        json j = good;
        j.erase(key);
        return j;
    };
    const std::pair<json, std::string> cases[] = {
        {json::array({1, 2}), "codec JSON: expected an object, got array"},
        {json("word"), "codec JSON: expected an object, got string"},
        {json(nullptr), "codec JSON: expected an object, got null"},
        {without("tokenizer"), "codec JSON: missing field \"tokenizer\""},
        {without("lowercase"), "codec JSON: missing field \"lowercase\""},
        {without("tokens"), "codec JSON: missing field \"tokens\""},
        {with("extra", 1), "codec JSON: unexpected field \"extra\""},
        {with("tokenizer", 3), "field \"tokenizer\" must be a string, got number"},
        {with("tokenizer", "bpe"), "codec JSON: unknown tokenizer \"bpe\" (expected \"word\" or \"char\")"},
        {with("lowercase", "yes"), "field \"lowercase\" must be a boolean, got string"},
        {with("lowercase", 1), "field \"lowercase\" must be a boolean, got number"},
        {with("tokens", "le chat"), "field \"tokens\" must be an array, got string"},
        {with("tokens", json::object()), "field \"tokens\" must be an array, got object"},
        {with("tokens", json::array()), "codec JSON: vocab: the token list is empty"},
        {with("tokens", json::array({"<pad>", "<bos>", "<eos>"})), "\"<unk>\" (id 3) is missing"},
        {with("tokens", json::array({"<pad>", "<bos>", "<unk>", "<eos>", "le"})),
         "token 2 must be \"<eos>\", got \"<unk>\""},
        {with("tokens", json::array({"le", "<pad>", "<bos>", "<eos>", "<unk>"})),
         "token 0 must be \"<pad>\", got \"le\""},
        {with("tokens", json::array({"<pad>", "<bos>", "<eos>", "<unk>", "le", "chat", "le"})),
         "codec JSON: vocab: duplicate token \"le\" (ids 4 and 6)"},
        {with("tokens", json::array({"<pad>", "<bos>", "<eos>", "<unk>", "le", 7})),
         "codec JSON: token 5 must be a string, got number"},
        {with("tokens", json::array({"<pad>", "<bos>", "<eos>", "<unk>", nullptr})),
         "codec JSON: token 4 must be a string, got null"},
        {with("tokens", json::array({"<pad>", "<bos>", "<eos>", "<unk>", "ok", "bad\xC0\xAF"})),
         "codec JSON: vocab: token 5: invalid UTF-8 at byte 3 (overlong encoding)"},
        {with("tokens", json::array({"<pad>", "<bos>", "<eos>", "<unk>", ""})),
         "codec JSON: vocab: token 4 is an empty string"},
    };
    for (const auto& c : cases) {
        const auto& j = c.first;
        const auto& message = c.second;
        CAPTURE(message);
        CHECK_ERROR_CONTAINS(TextCodec::from_json(j), message);
    }
    // Text that is not JSON at all.
    CHECK_ERROR_CONTAINS(TextCodec::from_json_text("{\"tokenizer\": "), "codec JSON: not valid JSON");
    CHECK_ERROR_CONTAINS(TextCodec::from_json_text(""), "codec JSON: not valid JSON");
    CHECK_ERROR_CONTAINS(TextCodec::from_json_text("[1, 2]"), "expected an object, got array");
}
