// Reading dates back: every text the dates task writes is read as its date; anything else is not.
#include <doctest/doctest.h>

#include <set>

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
                             "monday the 24th of november 2026", "24 nov 1899", "24 nov", "2026-11-24-", "05 nov 2026",
                             "24st november 2026", "5//3/2026", "5 / 3 / 2026", "2026112", "24-11-26"})
        CHECK_MESSAGE(!read_date(text).has_value(), std::string(text));
}

TEST_CASE("date reader: ISO dates are real dates within 1900-2099") {
    CHECK(iso_date(*read_iso_date("2026-11-24")) == "2026-11-24");
    CHECK(read_iso_date("2000-02-29").has_value());
    for (const char* text :
         {"2094-14-00", "1900-02-29", "2026-11-31", "1899-12-31", "2026-1-24", "2026-11-24 ", "abcd-ef-gh"})
        CHECK_MESSAGE(!read_iso_date(text).has_value(), text);
}

TEST_CASE("date reader: one example per format") {
    const auto examples = date_format_examples();
    CHECK(examples.size() == date_format_count());
    CHECK(examples[0] == "24 nov 2026");
    for (const auto& e : examples) CHECK(read_date(e).has_value());
}

TEST_CASE(
    "date reader: the convention for numbers — slashes month first unless the first is over 12, dots and dashes day "
    "first") {
    const std::pair<const char*, const char*> cases[] = {
        {"05/03/2026", "2026-05-03"}, {"5/3/2026", "2026-05-03"},       {"05/03/26", "2026-05-03"},
        {"12/13/2026", "2026-12-13"}, {"13/03/2026", "2026-03-13"},     {"13/03/26", "2026-03-13"},
        {"05.03.2026", "2026-03-05"}, {"5.3.2026", "2026-03-05"},       {"05-03-2026", "2026-03-05"},
        {"5-3-2026", "2026-03-05"},   {"05 03 2026", "2026-03-05"},     {"050326", "2026-05-03"},
        {"20260305", "2026-03-05"},   {"2026/03/05", "2026-03-05"},     {"2026.3.5", "2026-03-05"},
        {"2026-3-5", "2026-03-05"},   {"05MAR2026", "2026-03-05"},      {"mar 05, 49", "2049-03-05"},
        {"MAR 05 50", "1950-03-05"},  {"March 5th, 2026", "2026-03-05"}};
    for (const auto& [text_, iso] : cases) {
        const auto& text = text_;  // CAPTURE's lambda cannot capture a structured binding before C++20 (clang)
        CAPTURE(text);
        const auto r = read_date(text);
        REQUIRE(r.has_value());
        CHECK(iso_date(r->date) == iso);
    }
}

TEST_CASE("date check: not a date, an impossible date and a year out of range are told apart, with a one-line reason") {
    const std::pair<const char*, DateProblem> cases[] = {{"tomorrow", DateProblem::not_a_date},
                                                         {"", DateProblem::not_a_date},
                                                         {"   ", DateProblem::not_a_date},
                                                         {"24 nov", DateProblem::not_a_date},
                                                         {"31 feb 2020", DateProblem::impossible_date},
                                                         {"29 feb 2023", DateProblem::impossible_date},
                                                         {"2026-13-01", DateProblem::impossible_date},
                                                         {"13/13/2026", DateProblem::impossible_date},
                                                         {"02/30/2026", DateProblem::impossible_date},
                                                         {"0 nov 2026", DateProblem::impossible_date},
                                                         {"wed, 24 nov 2026", DateProblem::impossible_date},
                                                         {"1 jan 2150", DateProblem::year_out_of_range},
                                                         {"21500101", DateProblem::year_out_of_range},
                                                         {"1899-12-31", DateProblem::year_out_of_range},
                                                         {"29 feb 2100", DateProblem::year_out_of_range},
                                                         {"24 nov 2026", DateProblem::none}};
    for (const auto& [text_, problem] : cases) {
        const auto& text = text_;  // as above
        CAPTURE(std::string(text));
        const DateCheck c = check_date_text(text);
        CHECK(std::string(date_problem_name(c.problem)) == date_problem_name(problem));
        CHECK(c.reading.has_value() == (problem == DateProblem::none));
        CHECK(c.message.empty() == (problem == DateProblem::none));
        CHECK(c.message.find('\n') == std::string::npos);
    }
    CHECK(check_date_text("31 feb 2020").message == "\"31 feb 2020\" is not a real date: February 2020 has 29 days");
    CHECK(check_date_text("13/13/2026").message == "\"13/13/2026\" is not a real date: there is no month 13");
    CHECK(check_date_text("1 jan 2150").message == "\"1 jan 2150\": year 2150 is outside 1900-2099");
    CHECK(check_date_text("Wed, 24 Nov 2026").message ==
          "\"wed, 24 nov 2026\" is not a real date: 2026-11-24 is a Tuesday, not a Wednesday");
    CHECK(check_date_text("tomorrow").message == "\"tomorrow\" is not a date in one of the dates task's formats");
}

TEST_CASE("date check: a model's output must be a real YYYY-MM-DD date within 1900-2099") {
    const std::pair<const char*, DateProblem> cases[] = {{"2026-11-24", DateProblem::none},
                                                         {"2020-02-31", DateProblem::impossible_date},
                                                         {"1989-15-05", DateProblem::impossible_date},
                                                         {"2026-11-00", DateProblem::impossible_date},
                                                         {"2150-01-01", DateProblem::year_out_of_range},
                                                         {"0000-00-00", DateProblem::year_out_of_range},
                                                         {"24 nov 2026", DateProblem::not_a_date},
                                                         {"2026-1-24", DateProblem::not_a_date},
                                                         {"2026-11-24 ", DateProblem::not_a_date},
                                                         {"", DateProblem::not_a_date}};
    for (const auto& [text_, problem] : cases) {
        const auto& text = text_;  // as above
        CAPTURE(text);
        CHECK(std::string(date_problem_name(check_iso_text(text).problem)) == date_problem_name(problem));
    }
}

TEST_CASE("date check of a translation: one warning line for the input's problem, the output's, or a wrong date") {
    CHECK(check_date_translation("24 nov 2026", "2026-11-24").warning.empty());
    CHECK(check_date_translation("31 feb 2020", "2020-02-31").warning ==
          "the input \"31 feb 2020\" is not a real date: February 2020 has 29 days; "
          "the output \"2020-02-31\" is not a real date: February 2020 has 29 days");
    CHECK(check_date_translation("tomorrow", "2041-01-04").warning ==
          "the input \"tomorrow\" is not a date in one of the dates task's formats");
    CHECK(check_date_translation("1 jan 2150", "2050-01-01").warning ==
          "the input \"1 jan 2150\": year 2150 is outside 1900-2099");
    CHECK(check_date_translation("2026-11-29", "1929-06-20").warning ==
          "the output 1929-06-20 is not the input's date, 2026-11-29");
    CHECK(check_date_translation("24 nov 2026", "1989-15-05").output.problem == DateProblem::impossible_date);
}

TEST_CASE("random date: the task's generator, one seed one example, read back as its target in its format") {
    CHECK(random_date_example(7).source == random_date_example(7).source);
    std::set<std::string> groups;
    for (std::uint64_t seed = 0; seed < 400; ++seed) {
        const Example e = random_date_example(seed);
        CAPTURE(e.source);
        const auto r = read_date(e.source);
        REQUIRE(r.has_value());
        CHECK(iso_date(r->date) == e.target);
        groups.insert(e.group);
    }
    CHECK(groups.size() > 25);
}
