#include "core/report/text_format.h"

#include <fmt/format.h>

#include "core/common/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr int64_t kMicrosPerMinute = int64_t{60} * 1000 * 1000;
constexpr int64_t kMicrosPerDay = kMicrosPerMinute * 60 * 24;

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (static_cast<unsigned char>(c) >= 0x80);
}

size_t longest_run(std::string_view s, char c) {
    size_t best = 0, run = 0;
    for (char x : s) {
        run = x == c ? run + 1 : 0;
        if (run > best) best = run;
    }
    return best;
}

struct Civil {
    int64_t year;
    unsigned month, day, hour, minute, second;
};

// Proleptic Gregorian calendar date of a UTC instant (days counted from 0000-03-01 so that
// leap days fall at the end of a 400-year era).
Civil civil(int64_t us) {
    int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - days * 86400;
    int64_t z = days + 719468;  // days from 0000-03-01 to 1970-01-01
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                       // [0, 146096]
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
    int64_t mp = (5 * doy + 2) / 153;                                     // March = 0
    Civil c;
    c.day = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
    c.hour = static_cast<unsigned>(sod / 3600);
    c.minute = static_cast<unsigned>(sod / 60 % 60);
    c.second = static_cast<unsigned>(sod % 60);
    return c;
}

}  // namespace

std::string clean_text(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
            out += kReplacement;
            i++;
            continue;
        }
        size_t n = common::utf8_sequence(s, i);
        if (n == 0) {
            out += kReplacement;
            i++;
            continue;
        }
        out.append(s.data() + i, n);
        i += n;
    }
    return out;
}

std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : clean_text(s)) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string md_text(std::string_view s) {
    std::string text = clean_text(s);
    std::string out;
    out.reserve(text.size() + 8);
    for (size_t i = 0; i < text.size(); i++) {
        char c = text[i];
        if (c == '\n' || c == '\t') {
            out += ' ';
            continue;
        }
        bool escape = std::string_view("\\`*[]<>|~").find(c) != std::string_view::npos;
        if (c == '_') {
            bool inner =
                i > 0 && i + 1 < text.size() && is_alnum(text[i - 1]) && is_alnum(text[i + 1]);
            escape = !inner;
        }
        if (c == '#' && out.empty()) escape = true;
        if (escape) out += '\\';
        out += c;
    }
    return out;
}

std::string md_code(std::string_view s) {
    std::string text = clean_text(s);
    for (char &c : text)
        if (c == '\n' || c == '\t') c = ' ';
    std::string fence(longest_run(text, '`') + 1, '`');
    bool pad = !text.empty() && (text.front() == '`' || text.back() == '`' ||
                                 (text.front() == ' ' && text.back() == ' '));
    return pad ? fence + " " + text + " " + fence : fence + text + fence;
}

std::string md_block(std::string_view s, std::string_view language) {
    std::string text = clean_text(s);
    std::string fence(std::max<size_t>(3, longest_run(text, '`') + 1), '`');
    std::string out = fence + std::string(language) + "\n" + text;
    if (text.empty() || text.back() != '\n') out += '\n';
    return out + fence + "\n";
}

std::string count_of(size_t n, std::string_view singular, std::string_view plural) {
    return common::thousands(static_cast<int64_t>(n)) + " " +
           std::string(n == 1 ? singular : plural);
}

std::string queryid_text(uint64_t queryid) {
    return std::to_string(static_cast<int64_t>(queryid));
}

std::string utc_timestamp(int64_t us) {
    Civil c = civil(us);
    return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z", c.year, c.month, c.day, c.hour,
                       c.minute, c.second);
}

std::string utc_minute(int64_t us) {
    Civil c = civil(us);
    return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d} UTC", c.year, c.month, c.day, c.hour,
                       c.minute);
}

std::string span_text(int64_t us) {
    if (us >= kMicrosPerDay)
        return count_of(static_cast<size_t>(us / kMicrosPerDay), "day", "days");
    if (us >= kMicrosPerMinute * 60)
        return count_of(static_cast<size_t>(us / (kMicrosPerMinute * 60)), "hour", "hours");
    if (us >= kMicrosPerMinute)
        return count_of(static_cast<size_t>(us / kMicrosPerMinute), "minute", "minutes");
    return "less than a minute";
}

bool valid_date(std::string_view date) {
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (date[i] < '0' || date[i] > '9') return false;
    int month = (date[5] - '0') * 10 + (date[6] - '0');
    int day = (date[8] - '0') * 10 + (date[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace pg_advisor::report
