#include "attnlab/data/date_reader.hpp"

#include <cctype>

namespace attnlab {

namespace {
std::string lower_trimmed(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    std::string out = s.substr(b, e - b);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The runs of digits and of letters of a text, in order.
void split_runs(const std::string& s, std::vector<std::string>& numbers, std::vector<std::string>& words) {
    std::string cur;
    int kind = 0;  // 1 digits, 2 letters
    auto flush = [&] {
        if (kind == 1) numbers.push_back(cur);
        if (kind == 2) words.push_back(cur);
        cur.clear();
        kind = 0;
    };
    for (char c : s) {
        const int k = std::isdigit(static_cast<unsigned char>(c)) ? 1 : std::isalpha(static_cast<unsigned char>(c)) ? 2 : 0;
        if (k != kind) flush();
        kind = k;
        if (k) cur += c;
    }
    flush();
}

// The month a word names (full or three-letter, as the formats write them), else 0.
int month_of(const std::string& word) {
    for (int m = 1; m <= 12; ++m) {
        const std::string full = format_date({2000, m, 1}, 8);  // "1 january 2000"
        const std::string name = full.substr(2, full.size() - 7);
        if (word == name || word == name.substr(0, 3)) return m;
    }
    return 0;
}
}  // namespace

std::optional<DateReading> read_date(const std::string& text) {
    const std::string s = lower_trimmed(text);
    if (s.empty() || s.size() > 64) return std::nullopt;
    std::vector<std::string> numbers, words;
    split_runs(s, numbers, words);
    std::vector<Date> candidates;
    int month = 0;
    for (const auto& w : words)
        if (!month) month = month_of(w);
    auto year_of = [](const std::string& n) {
        if (n.size() == 4) return std::stoi(n);
        if (n.size() == 2) { const int y = std::stoi(n); return y < 50 ? 2000 + y : 1900 + y; }
        return -1;
    };
    if (month) {  // a month name: a day of 1-2 digits and a year of 4
        for (const auto& d : numbers)
            for (const auto& y : numbers)
                if (d.size() <= 2 && y.size() == 4) candidates.push_back({std::stoi(y), month, std::stoi(d)});
    } else if (numbers.size() == 3 && numbers[1].size() <= 2) {  // year first, or day first
        if (numbers[0].size() == 4 && numbers[2].size() <= 2)
            candidates.push_back({std::stoi(numbers[0]), std::stoi(numbers[1]), std::stoi(numbers[2])});
        if (numbers[0].size() <= 2 && year_of(numbers[2]) > 0)
            candidates.push_back({year_of(numbers[2]), std::stoi(numbers[1]), std::stoi(numbers[0])});
    }
    for (const Date& d : candidates) {
        if (!is_valid_date(d)) continue;
        for (std::size_t f = 0; f < date_format_count(); ++f)
            if (date_format_fits(f, d) && format_date(d, f) == s) return DateReading{d, f};
    }
    return std::nullopt;
}

std::optional<Date> read_iso_date(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
    const Date d{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
    if (!is_valid_date(d)) return std::nullopt;
    return d;
}

std::vector<std::string> date_format_examples(const Date& example) {
    std::vector<std::string> out;
    for (std::size_t f = 0; f < date_format_count(); ++f)
        if (date_format_fits(f, example)) out.push_back(format_date(example, f));
    return out;
}

}  // namespace attnlab
