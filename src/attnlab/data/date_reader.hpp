// Reading dates back (for the page): which date a text is, in which of the dates task's formats, so
// the page can say when a dates model is given something that is not a date it was trained on, give
// the right answer when it is one, and flag an output that is not a real date.
//   read_date("Tue, 24 Nov 2026") -> {2026-11-24, format 7};  read_date("hello") -> nothing
//   read_iso_date("2026-11-24") -> 2026-11-24;  read_iso_date("2094-14-00") -> nothing
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

// A text exactly as format_date writes it (any letter case; spaces at the ends ignored), else nothing.
// Every candidate date found in the text is written back with format_date and compared, so a text
// is accepted exactly when the task could have produced it.
std::optional<DateReading> read_date(const std::string& text);

// "YYYY-MM-DD" of a real date within 1900-2099, else nothing.
std::optional<Date> read_iso_date(const std::string& text);

// Each format, shown for one date (e.g. 2026-11-24): {"24 nov 2026", "november 24, 2026", ...}.
std::vector<std::string> date_format_examples(const Date& example = {2026, 11, 24});

}  // namespace attnlab
