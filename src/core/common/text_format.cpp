#include "core/common/text_format.h"

#include <fmt/format.h>

#include <cmath>

#include "core/common/no_postgres.h"

namespace pg_advisor::common {

namespace {

constexpr const char *kUnknown = "unknown";

std::string group_digits(const std::string &digits) {
    std::string out;
    for (size_t i = 0; i < digits.size(); i++) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

size_t utf8_sequence(std::string_view s, size_t i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return 0;
    for (size_t k = 1; k < n; k++)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
    unsigned char c1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (n == 2 && c < 0xC2) return 0;                                                 // overlong
    if (n == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) return 0;  // surrogate
    if (n == 4 && ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90))) return 0;
    return n;
}

std::string thousands(int64_t n) {
    uint64_t magnitude = n < 0 ? uint64_t{0} - static_cast<uint64_t>(n) : static_cast<uint64_t>(n);
    return (n < 0 ? "-" : "") + group_digits(std::to_string(magnitude));
}

std::string number(double value, int decimals) {
    if (!std::isfinite(value)) return kUnknown;
    std::string s = fmt::format("{:.{}f}", std::fabs(value), decimals < 0 ? 0 : decimals);
    size_t dot = s.find('.');
    std::string whole = s.substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : s.substr(dot);
    while (!frac.empty() && frac.back() == '0')
        frac.pop_back();
    if (frac == ".") frac.clear();
    std::string out = group_digits(whole) + frac;
    return value < 0 && out != "0" ? "-" + out : out;
}

std::string percent(double ratio) {
    if (!std::isfinite(ratio)) return kUnknown;
    double pct = ratio * 100;
    if (pct != 0 && std::fabs(pct) < 0.1) return fmt::format("{:.3g}%", pct);
    return fmt::format("{:.1f}%", pct);
}

std::string duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return kUnknown;
    if (seconds < 1) {
        double ms = seconds * 1000;
        if (ms < 999.5) return number(ms, ms < 10 ? 2 : ms < 100 ? 1 : 0) + " ms";
        seconds = 1;  // 999.5 ms and more rounds to a second
    }
    if (seconds < 9.95) return number(seconds, 1) + " s";
    auto s = static_cast<int64_t>(std::llround(seconds));
    int64_t d = s / 86400, h = (s % 86400) / 3600, m = (s % 3600) / 60, sec = s % 60;
    if (d > 0) return h ? fmt::format("{} d {} h", d, h) : fmt::format("{} d", d);
    if (h > 0) return m ? fmt::format("{} h {} min", h, m) : fmt::format("{} h", h);
    if (m > 0) return sec ? fmt::format("{} min {} s", m, sec) : fmt::format("{} min", m);
    return fmt::format("{} s", sec);
}

std::string duration_ms(double ms) {
    return duration(ms / 1000);
}

std::string bytes(double value) {
    if (!std::isfinite(value) || value < 0) return kUnknown;
    static const char *const kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    while (value >= 1024 && unit < 5) {
        value /= 1024;
        unit++;
    }
    if (unit == 0) return number(value) + " bytes";
    return number(value, value < 9.95 ? 1 : 0) + " " + kUnits[unit];
}

}  // namespace pg_advisor::common
