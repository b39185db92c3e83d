#include "attnlab/text/lowercase.hpp"

#include "attnlab/text/utf8.hpp"

namespace attnlab {

char32_t to_lower(char32_t cp) {
    if (cp >= U'A' && cp <= U'Z') return cp + 0x20;
    // Latin-1 Supplement: À (U+00C0) … Þ (U+00DE) sit 0x20 below their small letters; × is no letter.
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
    // Latin Extended-A: capitals and small letters alternate, capital first, in three runs whose
    // parity differs; a few letters have no partner.
    if (cp == 0x130) return U'i';  // İ -> i (simple mapping)
    if (cp == 0x178) return 0xFF;  // Ÿ -> ÿ (its small letter is in Latin-1)
    if ((cp >= 0x100 && cp <= 0x12F) || (cp >= 0x132 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
        return (cp % 2 == 0) ? cp + 1 : cp;  // Ā ā, Ĳ ĳ, Ŋ ŋ … Ŷ ŷ: capital at even code points
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp % 2 == 1) ? cp + 1 : cp;  // Ĺ ĺ … Ň ň, Ź ź … Ž ž: capital at odd code points
    return cp;
}

std::string to_lower(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : utf8_decode(text)) out += utf8_encode(to_lower(cp));
    return out;
}

}  // namespace attnlab
