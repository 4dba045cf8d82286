#include "core/review/rules/rule_text.h"

#include <fmt/format.h>

#include <cmath>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::text {

std::string count(double value, int decimals) {
    if (!std::isfinite(value)) return "unknown";
    std::string s = fmt::format("{:.{}f}", std::fabs(value), decimals < 0 ? 0 : decimals);
    size_t dot = s.find('.');
    std::string whole = s.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : s.substr(dot);
    while (!frac.empty() && frac.back() == '0')
        frac.pop_back();
    if (frac == ".") frac.clear();
    std::string out;
    for (size_t i = 0; i < whole.size(); i++) {
        if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
        out += whole[i];
    }
    out += frac;
    return value < 0 && out != "0" ? "-" + out : out;
}

std::string percent(double ratio) {
    if (!std::isfinite(ratio)) return "unknown";
    double pct = ratio * 100;
    if (pct != 0 && std::fabs(pct) < 0.1) return fmt::format("{:.3g}%", pct);
    return fmt::format("{:.1f}%", pct);
}

std::string duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "unknown";
    if (seconds < 10) return fmt::format("{:.1f} s", seconds);
    auto s = static_cast<int64_t>(std::llround(seconds));
    int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
    if (d > 0) return h ? fmt::format("{} d {} h", d, h) : fmt::format("{} d", d);
    if (h > 0) return m ? fmt::format("{} h {} min", h, m) : fmt::format("{} h", h);
    if (m > 0) return sec ? fmt::format("{} min {} s", m, sec) : fmt::format("{} min", m);
    return fmt::format("{} s", sec);
}

std::string bytes(double value) {
    if (!std::isfinite(value) || value < 0) return "unknown";
    static const char *const kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    while (value >= 1024 && unit < 5) {
        value /= 1024;
        unit++;
    }
    if (unit == 0) return fmt::format("{:.0f} bytes", value);
    return fmt::format(value < 10 ? "{:.1f} {}" : "{:.0f} {}", value, kUnits[unit]);
}

std::string millis(double ms) {
    if (!std::isfinite(ms)) return "unknown";
    if (ms < 1000) return fmt::format(ms < 10 ? "{:.2f} ms" : "{:.1f} ms", ms);
    return duration(ms / 1000);
}

std::string comma(const std::vector<std::string> &items) {
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::string join_words(const std::vector<std::string> &items, std::string_view last) {
    std::string out;
    for (size_t i = 0; i < items.size(); i++) {
        if (i > 0) out += i + 1 == items.size() ? " " + std::string(last) + " " : ", ";
        out += items[i];
    }
    return out;
}

std::string squash_space(std::string_view in) {
    std::string out;
    bool space = false;
    for (char c : in) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += c;
    }
    return out;
}

std::string shorten(std::string_view in, size_t max) {
    std::string s = squash_space(in);
    if (s.size() <= max) return s;
    size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        cut--;
    return s.substr(0, cut) + "...";
}

}  // namespace pg_advisor::review::text
