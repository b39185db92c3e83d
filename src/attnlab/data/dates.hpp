// The "dates" task (character level): a date as people type it -> its ISO form.
//   "24 nov 2026", "November 24, 2026", "11/24/26", "Tuesday the 24th of November 2026", "24.11.2026",
//   "2026-11-24", "20261124", "24NOV2026", "112426", "24-11-2026", "NOV 24, 26", ...  ->  "2026-11-24"
// Each format is a pattern (date_format_pattern): D / DD day (DD zero-padded), Do ordinal day ("24th"),
// M / MM month, MMM / MMMM month name (abbreviated / full), YY / YYYY year, ddd / dddd weekday name;
// any other character is written as is. Names are written in lower, Capitalized or UPPER case.
//
// Years: 1900-01-01 to 2099-12-31. Two-digit years: 00-49 -> 2000-2049, 50-99 -> 1950-1999, so the
// YY formats are used only for dates in 1950-2049.
//
// THE CONVENTION for numbers without a month name (one place; the reader and the generator follow it):
//   - the year first (YYYY/MM/DD, YYYY-M-D, YYYY.MM.DD, YYYYMMDD): year, month, day;
//   - slashes with the year last (11/24/26, 1/5/2026): month first, as in the US and the TensorFlow.js
//     example — unless the first number is over 12, then day first (24/11/2026, 24/11/26): a slash
//     date is day-first only when it cannot be month-first;
//   - dots, dashes or spaces with the year last (24.11.2026, 5-1-2026, 24 11 2026): day first;
//   - six digits (112426): MMDDYY.
// So "05/03/2026" is 2026-05-03 and "05.03.2026" is 2026-03-05. The day-first slash formats are
// generated only for days 13-31 (date_format_fits), so no example contradicts the convention and
// every target is a real date. Weekday names are always the true weekday. The test and valid splits
// use dates that never occur in train.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "attnlab/data/task.hpp"

namespace attnlab {

struct Date {
    int year, month, day;
};

constexpr int kFirstYear = 1900, kLastYear = 2099;

bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_valid_date(const Date& d);      // a real date within 1900-2099
int day_of_week(const Date& d);         // 0 = Monday ... 6 = Sunday
std::string iso_date(const Date& d);    // "2026-11-24"
std::string month_name(int month);      // 1 -> "january"; throws Error out of 1-12
std::string weekday_name(int weekday);  // 0 -> "monday"; throws Error out of 0-6

enum class LetterCase { lower, capitalized, upper };  // "nov", "Nov", "NOV"

// The formats, in order (date_format_pattern(f), shown for 2026-11-24 in date_reader's
// date_format_examples): 0 "D MMM YYYY" "24 nov 2026", 1 "MMMM D, YYYY", 2 "DD/MM/YY", ...
std::size_t date_format_count();
const char* date_format_pattern(std::size_t format);  // e.g. "DD.MM.YYYY"; throws Error out of range
// false for two-digit years out of 1950-2049 and for day-first slash dates with a day of 1-12
bool date_format_fits(std::size_t format, const Date& d);
// Throws Error for an invalid date, an unknown format, or a date the format does not fit.
std::string format_date(const Date& d, std::size_t format, LetterCase letter_case = LetterCase::lower);

class Rng;
// One example of the task for a date: a format that fits it and a letter case, drawn from rng.
Example date_example(const Date& d, Rng& rng);
// A random date of 1900-2099 in a random format (the page's "random date"), from a seed.
Example random_date_example(std::uint64_t seed);

// Each example's group is its format's pattern (for `attnlab eval` by format).
TaskSplits make_dates(std::uint64_t seed, const TaskSizes& sizes = {});

}  // namespace attnlab
