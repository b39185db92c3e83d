#include "attnlab/data/dates.hpp"

#include <cctype>
#include <unordered_set>
#include <vector>

#include "attnlab/tensor/random.hpp"

namespace attnlab {

namespace {

const char* const kMonths[12] = {"january", "february", "march",     "april",   "may",      "june",
                                 "july",    "august",   "september", "october", "november", "december"};
const char* const kWeekdays[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// The formats of the task: the first ten are the task's original ones, then every input format of
// the TensorFlow.js date-conversion-attention example, then a few more that people type.
const char* const kPatterns[] = {
    "D MMM YYYY",  "MMMM D, YYYY",       "DD/MM/YY",      "dddd the Do of MMMM YYYY",
    "DD.MM.YYYY",  "YYYY/MM/DD",         "MMM D YYYY",    "ddd, D MMM YYYY",
    "D MMMM YYYY", "dddd, MMMM D, YYYY", "DDMMMYYYY",     "MMDDYY",
    "MM/DD/YY",    "MM/DD/YYYY",         "M/D/YYYY",      "DD-MM-YYYY",
    "D-M-YYYY",    "MMM DD YY",          "M/D/YY",        "MMM DD YYYY",
    "MMM DD, YY",  "MMM DD, YYYY",       "D.M.YYYY",      "YYYY.MM.DD",
    "YYYY.M.D",    "YYYYMMDD",           "YYYY-M-D",      "YYYY-MM-DD",
    "DD/MM/YYYY",  "DD MM YYYY",         "MMMM Do, YYYY", "Do MMMM YYYY",
};
constexpr std::size_t kFormatCount = sizeof(kPatterns) / sizeof(kPatterns[0]);

std::string two_digits(int n) { return std::string(1, char('0' + n / 10)) + char('0' + n % 10); }

// Month and weekday names take the case; so do the small words ("the", "of", "th") in upper case.
std::string name_case(std::string w, LetterCase c) {
    if (c == LetterCase::upper)
        for (char& ch : w) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    else if (c == LetterCase::capitalized && !w.empty())
        w[0] = char(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
}
std::string word_case(std::string w, LetterCase c) { return c == LetterCase::upper ? name_case(std::move(w), c) : w; }

std::string ordinal_suffix(int day) {
    if (day % 100 >= 11 && day % 100 <= 13) return "th";
    switch (day % 10) {
        case 1:
            return "st";
        case 2:
            return "nd";
        case 3:
            return "rd";
        default:
            return "th";
    }
}

bool two_digit_year(const std::string& pattern) {
    return pattern.find("YY") != std::string::npos && pattern.find("YYYY") == std::string::npos;
}
bool day_first_slash(const std::string& pattern) { return pattern.rfind("DD/MM/", 0) == 0; }

}  // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) throw Error("days_in_month: month " + std::to_string(month) + " is not 1-12");
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

bool is_valid_date(const Date& d) {
    return d.year >= kFirstYear && d.year <= kLastYear && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month);
}

int day_of_week(const Date& d) {  // Sakamoto's method; it gives 0 = Sunday, shifted to 0 = Monday
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    const int y = d.year - (d.month < 3 ? 1 : 0);
    const int sunday_based = (y + y / 4 - y / 100 + y / 400 + t[d.month - 1] + d.day) % 7;
    return (sunday_based + 6) % 7;
}

std::string iso_date(const Date& d) {
    return std::to_string(d.year) + "-" + two_digits(d.month) + "-" + two_digits(d.day);
}

std::string month_name(int month) {
    if (month < 1 || month > 12) throw Error("month_name: month " + std::to_string(month) + " is not 1-12");
    return kMonths[month - 1];
}

std::string weekday_name(int weekday) {
    if (weekday < 0 || weekday > 6) throw Error("weekday_name: weekday " + std::to_string(weekday) + " is not 0-6");
    return kWeekdays[weekday];
}

std::size_t date_format_count() { return kFormatCount; }

const char* date_format_pattern(std::size_t format) {
    if (format >= kFormatCount)
        throw Error("format " + std::to_string(format) + " out of 0-" + std::to_string(kFormatCount - 1));
    return kPatterns[format];
}

bool date_format_fits(std::size_t format, const Date& d) {
    const std::string pattern = date_format_pattern(format);
    if (two_digit_year(pattern) && (d.year < 1950 || d.year > 2049)) return false;
    return !day_first_slash(pattern) || d.day > 12;
}

std::string format_date(const Date& d, std::size_t format, LetterCase c) {
    if (!is_valid_date(d))
        throw Error("format_date: " + std::to_string(d.year) + "-" + std::to_string(d.month) + "-" +
                    std::to_string(d.day) + " is not a date in 1900-2099");
    const std::string pattern = date_format_pattern(format);
    if (!date_format_fits(format, d))
        throw Error("format_date: " + std::string(pattern) + " does not fit " + iso_date(d) +
                    (two_digit_year(pattern) ? " (two-digit years cover only 1950-2049)"
                                             : " (day-first slash dates have a day over 12)"));
    const std::string month = name_case(kMonths[d.month - 1], c);
    const std::string weekday = name_case(kWeekdays[day_of_week(d)], c);
    std::string out;
    for (std::size_t i = 0; i < pattern.size();) {
        auto at = [&](const char* token) {
            return pattern.compare(i, std::char_traits<char>::length(token), token) == 0;
        };
        if (at("dddd"))
            out += weekday, i += 4;
        else if (at("ddd"))
            out += weekday.substr(0, 3), i += 3;
        else if (at("MMMM"))
            out += month, i += 4;
        else if (at("MMM"))
            out += month.substr(0, 3), i += 3;
        else if (at("MM"))
            out += two_digits(d.month), i += 2;
        else if (at("M"))
            out += std::to_string(d.month), i += 1;
        else if (at("YYYY"))
            out += std::to_string(d.year), i += 4;
        else if (at("YY"))
            out += two_digits(d.year % 100), i += 2;
        else if (at("DD"))
            out += two_digits(d.day), i += 2;
        else if (at("Do"))
            out += std::to_string(d.day) + word_case(ordinal_suffix(d.day), c), i += 2;
        else if (at("D"))
            out += std::to_string(d.day), i += 1;
        else
            out += word_case(std::string(1, pattern[i]), c), i += 1;  // "the", "of", ", ", "/", ...
    }
    return out;
}

Example date_example(const Date& d, Rng& rng) {
    std::size_t format;
    do format = rng.below(std::uint32_t(date_format_count()));
    while (!date_format_fits(format, d));
    const LetterCase c = LetterCase(rng.below(3));
    return Example{format_date(d, format, c), iso_date(d), kPatterns[format]};
}

Example random_date_example(std::uint64_t seed) {
    Rng rng(seed);
    const int year = kFirstYear + int(rng.below(std::uint32_t(kLastYear - kFirstYear + 1)));
    const int month = 1 + int(rng.below(12));
    const int day = 1 + int(rng.below(std::uint32_t(days_in_month(year, month))));
    return date_example({year, month, day}, rng);
}

TaskSplits make_dates(std::uint64_t seed, const TaskSizes& sizes) {
    std::vector<Date> dates;
    for (int y = kFirstYear; y <= kLastYear; ++y)
        for (int m = 1; m <= 12; ++m)
            for (int d = 1; d <= days_in_month(y, m); ++d) dates.push_back({y, m, d});
    if (sizes.valid + sizes.test + 1 > dates.size() / 2)
        throw Error("dates: valid + test must leave at least half of the " + std::to_string(dates.size()) +
                    " dates for train");
    Rng rng(seed);
    rng.shuffle(dates);  // test dates first, then valid dates, then the train pool
    auto example = [&](const Date& d) { return date_example(d, rng); };
    TaskSplits splits;
    for (std::size_t i = 0; i < sizes.test; ++i) splits.test.push_back(example(dates[i]));
    for (std::size_t i = 0; i < sizes.valid; ++i) splits.valid.push_back(example(dates[sizes.test + i]));
    const std::size_t pool_begin = sizes.test + sizes.valid, pool = dates.size() - pool_begin;
    std::unordered_set<std::string> seen;
    std::size_t attempts = 0;
    while (splits.train.size() < sizes.train) {
        if (++attempts > 20 * sizes.train + 1000000)
            throw Error("dates: could not draw enough distinct train examples; ask for fewer");
        Example e = example(dates[pool_begin + rng.below(std::uint32_t(pool))]);
        if (seen.insert(e.source).second) splits.train.push_back(std::move(e));
    }
    return splits;
}

}  // namespace attnlab
