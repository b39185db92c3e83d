// The "dates" task (character level): a date written in one of many human formats -> its ISO form.
//   "24 nov 2026", "November 24, 2026", "24/11/26", "Tuesday the 24th of November 2026",
//   "24.11.2026", "2026/11/24", "NOV 24 2026", "Tue, 24 Nov 2026", ...  ->  "2026-11-24"
// Dates run from 1900-01-01 to 2099-12-31. Numeric formats are unambiguous: day-first when the year
// is last (24/11/26, 24.11.2026), year-first otherwise (2026/11/24); never month-first digits.
// Two-digit years: 00-49 -> 2000-2049, 50-99 -> 1950-1999 (so "dd/mm/yy" is used only for dates
// in 1950-2049). Weekday names are always the true weekday. The test and valid splits use dates
// that never occur in train.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "attnlab/data/task.hpp"

namespace attnlab {

struct Date {
    int year, month, day;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_valid_date(const Date& d);         // a real date within 1900-2099
int day_of_week(const Date& d);            // 0 = Monday ... 6 = Sunday
std::string iso_date(const Date& d);       // "2026-11-24"

enum class LetterCase { lower, capitalized, upper };  // "nov", "Nov", "NOV"

// The formats, in order (shown for 2026-11-24):
//   0 "24 nov 2026"           1 "november 24, 2026"                   2 "24/11/26"
//   3 "tuesday the 24th of november 2026"                             4 "24.11.2026"
//   5 "2026/11/24"            6 "nov 24 2026"                         7 "tue, 24 nov 2026"
//   8 "24 november 2026"      9 "tuesday, november 24, 2026"
std::size_t date_format_count();
bool date_format_fits(std::size_t format, const Date& d);  // false only for two-digit years out of range
// Throws Error for an invalid date, an unknown format, or a two-digit year out of 1950-2049.
std::string format_date(const Date& d, std::size_t format, LetterCase letter_case = LetterCase::lower);

TaskSplits make_dates(std::uint64_t seed, const TaskSizes& sizes = {});

}  // namespace attnlab
