#include "heatmap.hpp"

#include <algorithm>
#include <cstdio>

#include "attnlab/text/utf8.hpp"

namespace attnlab {

namespace {
std::size_t width_of(const std::string& s) { return utf8_chars(s).size(); }
std::string pad(const std::string& s, std::size_t w) { return s + std::string(w - std::min(w, width_of(s)), ' '); }
}  // namespace

std::string render_heatmap(const Tensor& a, const std::vector<std::string>& source,
                           const std::vector<std::string>& output, const std::vector<bool>& unknown, bool colour) {
    if (a.dimension() != 2 || a.shape(0) != output.size() || a.shape(1) != source.size())
        throw Error("heatmap: attention " + shape_str(a) + " does not match " + std::to_string(output.size()) +
                    " output × " + std::to_string(source.size()) + " source tokens");
    static const char* shades[] = {" ", "░", "▒", "▓", "█"};
    std::size_t label = 0;
    for (const auto& t : output) label = std::max(label, width_of(t));
    std::string out = pad("", label) + " ";
    for (std::size_t j = 0; j < source.size(); ++j) {
        char num[8];
        std::snprintf(num, sizeof num, "%-3zu", j % 1000);
        out += num;
    }
    out += "\n";
    for (std::size_t i = 0; i < output.size(); ++i) {
        out += pad(output[i], label) + " ";
        for (std::size_t j = 0; j < source.size(); ++j) {
            const float v = std::clamp(a(i, j), 0.0f, 1.0f);
            const std::string s = shades[std::min(4, int(v * 4.0f + 0.5f))];
            if (colour) {  // grey ramp 232…255 behind the shade
                char esc[32];
                std::snprintf(esc, sizeof esc, "\033[48;5;%dm", 232 + int(v * 23.0f + 0.5f));
                out += esc + s + s + "\033[0m ";
            } else {
                out += s + s + " ";
            }
        }
        out += "\n";
    }
    out += "\nsource:";
    for (std::size_t j = 0; j < source.size(); ++j)
        out += " " + std::to_string(j) + ":" + source[j] + (j < unknown.size() && unknown[j] ? "(unknown)" : "");
    return out + "\n";
}

}  // namespace attnlab
