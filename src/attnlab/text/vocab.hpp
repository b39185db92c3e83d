// A vocabulary: the table between tokens (strings) and the integer ids the embedding layer reads.
//
// Ids 0..3 are always the special tokens <pad> <bos> <eos> <unk> (kPad, kBos, kEos, kUnk); the words
// of the corpus follow. The special tokens are reachable only through their ids: a word whose text
// is "<eos>" (say, typed by a user) is an ordinary word, never the end-of-sentence id — id("<eos>")
// is kUnk, and Vocab::build never adds such a word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace attnlab {

inline constexpr std::int32_t kPad = 0;  // padding of short sequences in a batch
inline constexpr std::int32_t kBos = 1;  // beginning of sentence: the decoder's first input
inline constexpr std::int32_t kEos = 2;  // end of sentence: the decoder stops after it
inline constexpr std::int32_t kUnk = 3;  // any word not in the vocabulary
inline constexpr std::size_t kNumSpecial = 4;
inline constexpr const char* kSpecialTokens[kNumSpecial] = {"<pad>", "<bos>", "<eos>", "<unk>"};

// A word that was not in the vocabulary (encoded as kUnk), and its position in the token list.
struct UnknownWord {
    std::size_t position;
    std::string token;
};

struct VocabEncoding {
    std::vector<std::int32_t> ids;     // one id per token
    std::vector<UnknownWord> unknown;  // the tokens that became kUnk, in order
};

class Vocab {
public:
    // Only the four special tokens.
    Vocab();

    // From a full token list (ids = positions), as stored in a file. Throws Error unless the list
    // starts with <pad> <bos> <eos> <unk>, and every token is non-empty, valid UTF-8 and unique.
    explicit Vocab(std::vector<std::string> tokens);

    // From a corpus of token lists: the special tokens, then every token seen at least min_freq
    // times (min_freq 0 or 1 keeps all), ordered by frequency descending, then by token bytes
    // ascending (unsigned), so the result does not depend on the corpus order. max_size, when not 0,
    // caps the total size (special tokens included; must then be >= 4). Tokens spelled like a
    // special token are skipped. Empty or invalid-UTF-8 tokens throw Error.
    static Vocab build(const std::vector<std::vector<std::string>>& corpus, std::size_t min_freq = 1,
                       std::size_t max_size = 0);

    std::size_t size() const { return tokens_.size(); }
    const std::vector<std::string>& tokens() const { return tokens_; }

    // Id of a word; kUnk if it is not in the vocabulary (or is spelled like a special token).
    std::int32_t id(const std::string& token) const;

    // Token of an id; throws Error if id is not in [0, size()).
    const std::string& token(std::int32_t id) const;

    // tokens (T) -> ids (T), plus the unknown words with their positions. Adds no <bos>/<eos>.
    VocabEncoding encode(const std::vector<std::string>& tokens) const;

    // ids -> tokens. By default skips <pad> and <bos> and stops at the first <eos> (<unk> is kept as
    // "<unk>"); keep_special maps every id, specials included. Out-of-range ids throw Error.
    std::vector<std::string> decode(const std::vector<std::int32_t>& ids, bool keep_special = false) const;

private:
    std::vector<std::string> tokens_;
    std::unordered_map<std::string, std::int32_t> word_ids_;  // the words only, not the specials
};

}  // namespace attnlab
