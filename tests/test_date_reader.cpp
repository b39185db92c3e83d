// Reading dates back: every text the dates task writes is read as its date; anything else is not.
#include <doctest/doctest.h>

#include "attnlab/data/date_reader.hpp"

using namespace attnlab;

TEST_CASE("date reader: every format and letter case of many dates reads back as that date and format") {
    int checked = 0;
    for (int y : {1900, 1950, 1999, 2000, 2026, 2049, 2099})
        for (int m = 1; m <= 12; ++m)
            for (int d : {1, 9, 10, 28, days_in_month(y, m)})
                for (std::size_t f = 0; f < date_format_count(); ++f) {
                    const Date date{y, m, d};
                    if (!date_format_fits(f, date)) continue;
                    for (LetterCase c : {LetterCase::lower, LetterCase::capitalized, LetterCase::upper}) {
                        const auto r = read_date("  " + format_date(date, f, c) + " ");
                        REQUIRE(r.has_value());
                        CHECK(iso_date(r->date) == iso_date(date));
                        CHECK(format_date(r->date, r->format) == format_date(date, f));
                        ++checked;
                    }
                }
    CHECK(checked > 2000);
}

TEST_CASE("date reader: not a date, an impossible date or a wrong weekday is not read") {
    for (const char* text : {"", "hello", "the cat sleeps .", "31 feb 2026", "29 feb 2100", "2026/13/01", "24/11/2026x",
                             "monday the 24th of november 2026", "11/24/26", "24 nov 1899", "24 nov", "2026-11-24"})
        CHECK_MESSAGE(!read_date(text).has_value(), text);
}

TEST_CASE("date reader: ISO dates are real dates within 1900-2099") {
    CHECK(iso_date(*read_iso_date("2026-11-24")) == "2026-11-24");
    CHECK(read_iso_date("2000-02-29").has_value());
    for (const char* text : {"2094-14-00", "1900-02-29", "2026-11-31", "1899-12-31", "2026-1-24", "2026-11-24 ", "abcd-ef-gh"})
        CHECK_MESSAGE(!read_iso_date(text).has_value(), text);
}

TEST_CASE("date reader: one example per format") {
    const auto examples = date_format_examples();
    CHECK(examples.size() == date_format_count());
    CHECK(examples[0] == "24 nov 2026");
    for (const auto& e : examples) CHECK(read_date(e).has_value());
}
