// Reading dates back (the CLI and the page): which date a text is, in which of the dates task's
// formats, following the task's convention for ambiguous numbers (see dates.hpp); and one check of a
// dates translation that says when the input or the model's output is not a date, an impossible date
// or a year out of 1900-2099.
//   read_date("Tue, 24 Nov 2026") -> {2026-11-24, format 7};  read_date("05/03/2026") -> 2026-05-03
//   read_date("hello") -> nothing;  read_iso_date("2094-14-00") -> nothing
//   check_date_text("31 feb 2020") -> impossible_date, "\"31 feb 2020\" is not a real date: February 2020 has 29 days"
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "attnlab/data/dates.hpp"

namespace attnlab {

struct DateReading {
    Date date;
    std::size_t format;  // as in format_date
};

// A text exactly as format_date writes it (any letter case; spaces at the ends ignored), read with
// the convention of dates.hpp, else nothing.
std::optional<DateReading> read_date(const std::string& text);

// "YYYY-MM-DD" of a real date within 1900-2099, else nothing.
std::optional<Date> read_iso_date(const std::string& text);

// Each format, shown for one date (e.g. 2026-11-24): {"24 nov 2026", "november 24, 2026", ...}.
std::vector<std::string> date_format_examples(const Date& example = {2026, 11, 24});

enum class DateProblem { none, not_a_date, impossible_date, year_out_of_range };
const char* date_problem_name(DateProblem p);  // "none", "not_a_date", "impossible_date", "year_out_of_range"

struct DateCheck {
    DateProblem problem = DateProblem::none;
    std::string message;                 // one line saying what is wrong; empty when nothing is
    std::optional<DateReading> reading;  // the date when there is no problem
};

// A text in one of the task's formats: none (with the reading), or why not — a text shaped like a
// format whose numbers are no real date ("31 feb 2020", "2026-13-01", a wrong weekday) is an
// impossible date; one whose four-digit year is outside 1900-2099 is out of range.
DateCheck check_date_text(const std::string& text);
// The same for a model's output, which must be YYYY-MM-DD.
DateCheck check_iso_text(const std::string& text);

struct DateTranslationCheck {
    DateCheck input, output;
    std::string warning;  // one line: the input's problem, the output's problem, or the output not
                          // being the input's date; empty when the translation is right
};
// The one check of a dates translation, used by `attnlab translate` (a warning line) and the page.
DateTranslationCheck check_date_translation(const std::string& source, const std::string& output);

}  // namespace attnlab
