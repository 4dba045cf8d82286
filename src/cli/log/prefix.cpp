#include "cli/log/prefix.h"

#include <cstring>

namespace pg_advisor::cli::log {

namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// n digits at text[pos]; false when there are not.
bool digits(std::string_view text, size_t pos, size_t n, int64_t &value) {
    if (pos + n > text.size()) return false;
    value = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(text[pos + i])) return false;
        value = value * 10 + (text[pos + i] - '0');
    }
    return true;
}

int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

size_t run_of_digits(std::string_view text, size_t pos) {
    size_t end = pos;
    while (end < text.size() && is_digit(text[end]))
        end++;
    return end;
}

size_t skip_spaces(std::string_view text, size_t pos) {
    while (pos < text.size() && text[pos] == ' ')
        pos++;
    return pos;
}

bool is_hex(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A timestamp then " ZONE" (the zone is one word: UTC, CET, +03, -0330).
size_t timestamp_with_zone(std::string_view text, size_t pos, LogRecord *rec) {
    int64_t us;
    size_t used;
    if (!parse_timestamp(text.substr(pos), us, used)) return std::string_view::npos;
    if (rec) rec->ts_us = us;
    size_t end = pos + used;
    if (end < text.size() && text[end] == ' ') {
        size_t z = end + 1;
        auto zone_char = [&](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' ||
                   c == '-' || c == ':';
        };
        bool starts = z < text.size() && !is_digit(text[z]) && zone_char(text[z]);
        while (starts && z < text.size() && zone_char(text[z]))
            z++;
        if (z > end + 1) end = z;
    }
    return end;
}

}  // namespace

bool parse_seconds(std::string_view t, int64_t &secs);

bool parse_timestamp(std::string_view t, int64_t &us, size_t &used) {
    // Consecutive lines mostly share their second: reuse the last conversion.
    static thread_local char last_key[19];
    static thread_local int64_t last_secs = -1;
    int64_t secs;
    if (t.size() >= 19 && last_secs >= 0 && std::memcmp(t.data(), last_key, 19) == 0) {
        secs = last_secs;
    } else if (!parse_seconds(t, secs)) {
        return false;
    } else {
        std::memcpy(last_key, t.data(), 19);
        last_secs = secs;
    }
    int64_t frac = 0;
    used = 19;
    if (used < t.size() && t[used] == '.') {
        size_t end = run_of_digits(t, used + 1);
        int64_t scale = 1000000;
        for (size_t i = used + 1; i < end && i < used + 7; i++) {
            scale /= 10;
            frac += (t[i] - '0') * scale;
        }
        used = end;
    }
    us = secs * 1000000 + frac;
    return true;
}

bool parse_seconds(std::string_view t, int64_t &secs) {
    int64_t y, mo, d, h, mi, s;
    if (!digits(t, 0, 4, y) || t.size() < 19 || t[4] != '-' || !digits(t, 5, 2, mo) ||
        t[7] != '-' || !digits(t, 8, 2, d) || (t[10] != ' ' && t[10] != 'T') ||
        !digits(t, 11, 2, h) || t[13] != ':' || !digits(t, 14, 2, mi) || t[16] != ':' ||
        !digits(t, 17, 2, s))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return false;
    secs = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + s;
    return true;
}

bool PrefixMatcher::compile(std::string_view prefix, std::string *why) {
    items_.clear();
    q_index_ = std::string::npos;
    source_ = std::string(prefix);
    for (size_t i = 0; i < prefix.size(); i++) {
        char c = prefix[i];
        if (c != '%') {
            if (items_.empty() || items_.back().escape != 0) items_.push_back({});
            items_.back().literal.push_back(c);
            continue;
        }
        // %-10p, %5a: padding, matched by skipping spaces.
        while (i + 1 < prefix.size() && (prefix[i + 1] == '-' || is_digit(prefix[i + 1])))
            i++;
        if (i + 1 >= prefix.size()) {
            if (why) *why = "log_line_prefix ends with a lone %";
            return false;
        }
        char e = prefix[++i];
        if (e == '%') {
            if (items_.empty() || items_.back().escape != 0) items_.push_back({});
            items_.back().literal.push_back('%');
        } else if (e == 'q') {
            q_index_ = items_.size();
        } else if (std::strchr("mtnpcludahrvxebisQ", e)) {
            items_.push_back({e, {}});
        } else {
            if (why) *why = std::string("unknown log_line_prefix escape %") + e;
            return false;
        }
    }
    return true;
}

bool PrefixMatcher::logs_session_id() const {
    for (const Item &it : items_)
        if (it.escape == 'c') return true;
    return false;
}

size_t PrefixMatcher::match_field(char e, std::string_view line, size_t pos, std::string_view next,
                                  LogRecord &rec) const {
    const size_t npos = std::string_view::npos;
    pos = skip_spaces(line, pos);
    switch (e) {
        case 'm':
        case 't':
            return timestamp_with_zone(line, pos, &rec);
        case 's':
            return timestamp_with_zone(line, pos, nullptr);
        case 'n': {
            size_t end = run_of_digits(line, pos);
            if (end == pos) return npos;
            int64_t secs = 0;
            for (size_t i = pos; i < end && i < pos + 12; i++)
                secs = secs * 10 + (line[i] - '0');
            int64_t ms = 0;
            if (end < line.size() && line[end] == '.') {
                size_t f = end + 1;
                end = run_of_digits(line, f);
                for (size_t i = f; i < f + 3; i++)
                    ms = ms * 10 + (i < end ? line[i] - '0' : 0);
            }
            rec.ts_us = secs * 1000000 + ms * 1000;
            return end;
        }
        case 'p':
        case 'l':
        case 'x': {
            size_t end = run_of_digits(line, pos);
            if (end == pos) return npos;
            if (e == 'p') {
                int64_t v = 0;
                for (size_t i = pos; i < end && i < pos + 18; i++)
                    v = v * 10 + (line[i] - '0');
                rec.pid = v;
            }
            return end;
        }
        case 'c': {
            size_t end = pos;
            while (end < line.size() && (is_hex(line[end]) || line[end] == '.'))
                end++;
            if (end == pos) return npos;
            rec.session_id = line.substr(pos, end - pos);
            return end;
        }
        default:
            break;
    }
    // Free text (%u %d %a %h %r %v %e %b %i %Q): up to the next literal, else one word.
    size_t end;
    if (!next.empty()) {
        end = line.find(next, pos);
        if (end == npos) return npos;
    } else {
        end = pos;
        while (end < line.size() && line[end] != ' ')
            end++;
    }
    std::string_view value = line.substr(pos, end - pos);
    if (e == 'u') rec.user = value;
    if (e == 'd') rec.database = value;
    if (e == 'a') rec.application = value;
    return end;
}

size_t PrefixMatcher::match_items(std::string_view line, size_t nitems, LogRecord &rec) const {
    size_t pos = 0;
    for (size_t i = 0; i < nitems; i++) {
        const Item &it = items_[i];
        if (it.escape == 0) {
            if (line.compare(pos, it.literal.size(), it.literal) != 0) return std::string::npos;
            pos += it.literal.size();
            continue;
        }
        std::string_view next;
        if (i + 1 < nitems && items_[i + 1].escape == 0) next = items_[i + 1].literal;
        pos = match_field(it.escape, line, pos, next, rec);
        if (pos == std::string::npos) return pos;
        if (!next.empty() && next[0] != ' ') pos = skip_spaces(line, pos);  // %-6p padding
    }
    return pos;
}

size_t PrefixMatcher::match(std::string_view line, LogRecord &rec) const {
    size_t n = match_items(line, items_.size(), rec);
    std::string_view sev, msg;
    if (n != std::string::npos && split_severity(line.substr(n), sev, msg)) return n;
    if (q_index_ == std::string::npos) return std::string::npos;
    rec.user = rec.database = rec.application = rec.session_id = {};
    n = match_items(line, q_index_, rec);
    if (n != std::string::npos && split_severity(line.substr(n), sev, msg)) return n;
    return std::string::npos;
}

bool split_severity(std::string_view text, std::string_view &severity, std::string_view &message) {
    size_t i = 0;
    while (i < text.size() && i < 12 &&
           ((text[i] >= 'A' && text[i] <= 'Z') || (i > 0 && is_digit(text[i]))))
        i++;
    if (i == 0 || i + 3 > text.size() || text[i] != ':' || text[i + 1] != ' ' || text[i + 2] != ' ')
        return false;
    severity = text.substr(0, i);
    message = text.substr(i + 3);
    return true;
}

const std::vector<std::string> &common_prefixes() {
    static const std::vector<std::string> prefixes = {
        "%m [%p] %q%u@%d ",
        "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
        "%t [%p]: [%l-1] user=%u,db=%d ",
        "%m [%p] %q[%c] %u@%d ",
        "%m [%p] ",
        "%t [%p] ",
        "%m [%p]: ",
        "%t [%p]: ",
    };
    return prefixes;
}

}  // namespace pg_advisor::cli::log
