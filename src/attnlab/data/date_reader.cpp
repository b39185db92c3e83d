#include "attnlab/data/date_reader.hpp"

#include <cctype>
#include <cstring>

#include "attnlab/tensor/tensor.hpp"

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

std::string capitalized(std::string w) {
    if (!w.empty()) w[0] = char(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
}

// The fields a pattern found in a text, before any check that they make a date.
struct Fields {
    int year = -1, month = -1, day = -1, weekday = -1;
};

// Matches the lower-case text from t against the pattern from p (tokens as in dates.hpp), trying
// every width of the 1-2 digit fields and every name; true when both end together.
bool match(const std::string& pattern, std::size_t p, const std::string& text, std::size_t t, Fields& f) {
    if (p == pattern.size()) return t == text.size();
    auto at = [&](const char* token) { return pattern.compare(p, std::strlen(token), token) == 0; };
    auto digits = [&](std::size_t n) {  // the number of n digits at t, else -1
        if (t + n > text.size()) return -1;
        int v = 0;
        for (std::size_t i = t; i < t + n; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
            v = 10 * v + (text[i] - '0');
        }
        return v;
    };
    auto number = [&](std::size_t token_len, std::size_t min_w, std::size_t max_w, int& field, int offset,
                      bool ordinal) {
        for (std::size_t w = max_w; w >= min_w; --w) {
            const int v = digits(w);
            if (v < 0) continue;
            std::size_t next = t + w;
            if (ordinal) {
                if (next + 2 > text.size()) continue;
                const std::string suffix = text.substr(next, 2);
                if (suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") continue;
                next += 2;
            }
            const int saved = field;
            field = v + offset;
            if (match(pattern, p + token_len, text, next, f)) return true;
            field = saved;
        }
        return false;
    };
    auto name = [&](std::size_t token_len, int count, std::string (*name_of)(int), int first, bool abbreviated,
                    int& field) {
        for (int i = 0; i < count; ++i) {
            std::string n = name_of(first + i);
            if (abbreviated) n = n.substr(0, 3);
            if (text.compare(t, n.size(), n) != 0) continue;
            const int saved = field;
            field = first + i;
            if (match(pattern, p + token_len, text, t + n.size(), f)) return true;
            field = saved;
        }
        return false;
    };
    if (at("dddd")) return name(4, 7, weekday_name, 0, false, f.weekday);
    if (at("ddd")) return name(3, 7, weekday_name, 0, true, f.weekday);
    if (at("MMMM")) return name(4, 12, month_name, 1, false, f.month);
    if (at("MMM")) return name(3, 12, month_name, 1, true, f.month);
    if (at("MM")) return number(2, 2, 2, f.month, 0, false);
    if (at("M")) return number(1, 1, 2, f.month, 0, false);
    if (at("YYYY")) return number(4, 4, 4, f.year, 0, false);
    if (at("YY")) {
        const int v = digits(2);
        return v >= 0 && number(2, 2, 2, f.year, v < 50 ? 2000 : 1900, false);
    }
    if (at("DD")) return number(2, 2, 2, f.day, 0, false);
    if (at("Do")) return number(2, 1, 2, f.day, 0, true);
    if (at("D")) return number(1, 1, 2, f.day, 0, false);
    const char c = char(std::tolower(static_cast<unsigned char>(pattern[p])));
    return t < text.size() && text[t] == c && match(pattern, p + 1, text, t + 1, f);
}

// Slash dates with the year last follow the convention of dates.hpp: month first unless the first
// number is over 12, then day first. A reading against it is no reading of that format at all.
bool against_convention(const std::string& pattern, const Fields& f) {
    if (pattern.rfind("DD/MM/", 0) == 0) return f.day <= 12;
    if (pattern.rfind("MM/DD/", 0) == 0 || pattern.rfind("M/D/", 0) == 0) return f.month > 12;
    return false;
}

// What is wrong with the fields as a date ("" when nothing): the year, the month, the day, the weekday.
std::pair<DateProblem, std::string> fields_problem(const Fields& f) {
    if (f.year < kFirstYear || f.year > kLastYear)
        return {DateProblem::year_out_of_range, "year " + std::to_string(f.year) + " is outside " +
                                                    std::to_string(kFirstYear) + "-" + std::to_string(kLastYear)};
    if (f.month < 1 || f.month > 12)
        return {DateProblem::impossible_date, "there is no month " + std::to_string(f.month)};
    const int days = days_in_month(f.year, f.month);
    if (f.day < 1) return {DateProblem::impossible_date, "there is no day " + std::to_string(f.day)};
    if (f.day > days)
        return {DateProblem::impossible_date, capitalized(month_name(f.month)) + " " + std::to_string(f.year) +
                                                  " has " + std::to_string(days) + " days"};
    const Date d{f.year, f.month, f.day};
    if (f.weekday >= 0 && f.weekday != day_of_week(d))
        return {DateProblem::impossible_date, iso_date(d) + " is a " + capitalized(weekday_name(day_of_week(d))) +
                                                  ", not a " + capitalized(weekday_name(f.weekday))};
    return {DateProblem::none, ""};
}

int severity(DateProblem p) {  // which problem to report when several formats match
    return p == DateProblem::year_out_of_range ? 2 : p == DateProblem::impossible_date ? 1 : 0;
}

// Reads the text with each of the formats (in order): the first exact reading, else the worst
// problem a matching format found, else not a date (described by `what`).
DateCheck check_text(const std::string& text, const std::vector<std::size_t>& formats, const std::string& what) {
    const std::string s = lower_trimmed(text);
    const std::string quoted = "\"" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "\"";
    DateCheck out;
    out.problem = DateProblem::not_a_date;
    out.message = quoted + (s.empty() ? " is blank, not " : " is not ") + what;
    if (s.empty() || s.size() > 64) return out;
    int worst = -1;
    for (std::size_t format : formats) {
        const std::string pattern = date_format_pattern(format);
        Fields f;
        if (!match(pattern, 0, s, 0, f) || against_convention(pattern, f)) continue;
        const auto [problem, why] = fields_problem(f);
        if (problem == DateProblem::none) {
            const Date d{f.year, f.month, f.day};
            if (date_format_fits(format, d) && format_date(d, format) == s)
                return DateCheck{DateProblem::none, "", DateReading{d, format}};
        } else if (severity(problem) > worst) {
            worst = severity(problem);
            out.problem = problem;
            out.message = quoted + (problem == DateProblem::year_out_of_range ? ": " : " is not a real date: ") + why;
        }
    }
    return out;
}

std::vector<std::size_t> all_formats() {
    std::vector<std::size_t> v(date_format_count());
    for (std::size_t f = 0; f < v.size(); ++f) v[f] = f;
    return v;
}

std::size_t iso_format() {
    for (std::size_t f = 0; f < date_format_count(); ++f)
        if (std::string(date_format_pattern(f)) == "YYYY-MM-DD") return f;
    throw Error("dates: no YYYY-MM-DD format");
}

}  // namespace

const char* date_problem_name(DateProblem p) {
    switch (p) {
        case DateProblem::none:
            return "none";
        case DateProblem::not_a_date:
            return "not_a_date";
        case DateProblem::impossible_date:
            return "impossible_date";
        default:
            return "year_out_of_range";
    }
}

DateCheck check_date_text(const std::string& text) {
    return check_text(text, all_formats(), "a date in one of the dates task's formats");
}

DateCheck check_iso_text(const std::string& text) {
    const std::string what = "a date in the form YYYY-MM-DD";
    if (text.size() != 10)  // exactly YYYY-MM-DD: no spaces around it
        return DateCheck{DateProblem::not_a_date, "\"" + text.substr(0, 40) + "\" is not " + what, std::nullopt};
    return check_text(text, {iso_format()}, what);
}

std::optional<DateReading> read_date(const std::string& text) { return check_date_text(text).reading; }

std::optional<Date> read_iso_date(const std::string& text) {
    const DateCheck c = check_iso_text(text);
    if (!c.reading) return std::nullopt;
    return c.reading->date;
}

DateTranslationCheck check_date_translation(const std::string& source, const std::string& output) {
    DateTranslationCheck c{check_date_text(source), check_iso_text(output), ""};
    std::string w;
    if (c.input.problem != DateProblem::none) w = "the input " + c.input.message;
    if (c.output.problem != DateProblem::none)
        w += (w.empty() ? "" : "; ") + std::string("the output ") + c.output.message;
    else if (c.input.reading && c.output.reading && iso_date(c.input.reading->date) != output)
        w = "the output " + output + " is not the input's date, " + iso_date(c.input.reading->date);
    c.warning = w;
    return c;
}

std::vector<std::string> date_format_examples(const Date& example) {
    std::vector<std::string> out;
    for (std::size_t f = 0; f < date_format_count(); ++f)
        if (date_format_fits(f, example)) out.push_back(format_date(example, f));
    return out;
}

}  // namespace attnlab
