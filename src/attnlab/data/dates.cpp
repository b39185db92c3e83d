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

std::string two_digits(int n) { return std::string(1, char('0' + n / 10)) + char('0' + n % 10); }

// Month and weekday names take the case; so do the small words ("the", "of", "th") in upper case.
std::string name_case(std::string w, LetterCase c) {
    if (c == LetterCase::upper)
        for (char& ch : w) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    else if (c == LetterCase::capitalized && !w.empty())
        w[0] = char(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
}
std::string word_case(std::string w, LetterCase c) {
    return c == LetterCase::upper ? name_case(std::move(w), c) : w;
}

std::string ordinal_suffix(int day) {
    if (day % 100 >= 11 && day % 100 <= 13) return "th";
    switch (day % 10) {
        case 1: return "st";
        case 2: return "nd";
        case 3: return "rd";
        default: return "th";
    }
}

}  // namespace

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) throw Error("days_in_month: month " + std::to_string(month) + " is not 1-12");
    return month == 2 && is_leap_year(year) ? 29 : days[month - 1];
}

bool is_valid_date(const Date& d) {
    return d.year >= 1900 && d.year <= 2099 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
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

std::size_t date_format_count() { return 10; }

bool date_format_fits(std::size_t format, const Date& d) {
    return format != 2 || (d.year >= 1950 && d.year <= 2049);
}

std::string format_date(const Date& d, std::size_t format, LetterCase c) {
    if (!is_valid_date(d))
        throw Error("format_date: " + std::to_string(d.year) + "-" + std::to_string(d.month) + "-" +
                    std::to_string(d.day) + " is not a date in 1900-2099");
    if (format >= date_format_count())
        throw Error("format_date: format " + std::to_string(format) + " out of 0-" +
                    std::to_string(date_format_count() - 1));
    if (!date_format_fits(format, d))
        throw Error("format_date: two-digit years cover only 1950-2049, not " + std::to_string(d.year));
    const std::string month = name_case(kMonths[d.month - 1], c);
    const std::string mon = month.substr(0, 3);
    const std::string weekday = name_case(kWeekdays[day_of_week(d)], c);
    const std::string wday = weekday.substr(0, 3);
    const std::string day = std::to_string(d.day), year = std::to_string(d.year);
    const std::string dd = two_digits(d.day), mm = two_digits(d.month);
    switch (format) {
        case 0: return day + " " + mon + " " + year;
        case 1: return month + " " + day + ", " + year;
        case 2: return dd + "/" + mm + "/" + two_digits(d.year % 100);
        case 3:
            return weekday + " " + word_case("the", c) + " " + day + word_case(ordinal_suffix(d.day), c) +
                   " " + word_case("of", c) + " " + month + " " + year;
        case 4: return dd + "." + mm + "." + year;
        case 5: return year + "/" + mm + "/" + dd;
        case 6: return mon + " " + day + " " + year;
        case 7: return wday + ", " + day + " " + mon + " " + year;
        case 8: return day + " " + month + " " + year;
        default: return weekday + ", " + month + " " + day + ", " + year;
    }
}

TaskSplits make_dates(std::uint64_t seed, const TaskSizes& sizes) {
    std::vector<Date> dates;
    for (int y = 1900; y <= 2099; ++y)
        for (int m = 1; m <= 12; ++m)
            for (int d = 1; d <= days_in_month(y, m); ++d) dates.push_back({y, m, d});
    if (sizes.valid + sizes.test + 1 > dates.size() / 2)
        throw Error("dates: valid + test must leave at least half of the " + std::to_string(dates.size()) +
                    " dates for train");
    Rng rng(seed);
    rng.shuffle(dates);  // test dates first, then valid dates, then the train pool
    auto example = [&](const Date& d) {
        std::size_t format;
        do format = rng.below(std::uint32_t(date_format_count()));
        while (!date_format_fits(format, d));
        const LetterCase c = LetterCase(rng.below(3));
        return Example{format_date(d, format, c), iso_date(d)};
    };
    TaskSplits splits;
    for (std::size_t i = 0; i < sizes.test; ++i) splits.test.push_back(example(dates[i]));
    for (std::size_t i = 0; i < sizes.valid; ++i) splits.valid.push_back(example(dates[sizes.test + i]));
    const std::size_t pool_begin = sizes.test + sizes.valid, pool = dates.size() - pool_begin;
    std::unordered_set<std::string> seen;
    std::size_t attempts = 0;
    while (splits.train.size() < sizes.train) {
        if (++attempts > 20 * sizes.train + 1000000) throw Error("dates: could not draw enough distinct train examples; ask for fewer");
        Example e = example(dates[pool_begin + rng.below(std::uint32_t(pool))]);
        if (seen.insert(e.source).second) splits.train.push_back(std::move(e));
    }
    return splits;
}

}  // namespace attnlab
