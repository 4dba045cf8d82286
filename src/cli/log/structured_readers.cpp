// csvlog and jsonlog: one record per CSV record (quoted fields may span lines) or JSON line.
#include <cstring>

#include "cli/log/readers.h"

namespace pg_advisor::cli::log {

namespace {

// csvlog columns (PostgreSQL 13 to 17 share these positions).
enum CsvColumn {
    kLogTime = 0,
    kUser = 1,
    kDatabase = 2,
    kPid = 3,
    kSessionId = 5,
    kSeverity = 11,
    kMessage = 13,
    kDetail = 14,
    kApplication = 22,
};
constexpr size_t kMinCsvFields = 14;

size_t count_quotes(std::string_view s) {
    size_t n = 0;
    const char *p = s.data(), *end = s.data() + s.size();
    while ((p = static_cast<const char *>(std::memchr(p, '"', static_cast<size_t>(end - p))))) {
        n++;
        p++;
    }
    return n;
}

int64_t to_int(std::string_view s) {
    int64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return v;
        if (v < (int64_t{1} << 58)) v = v * 10 + (c - '0');
    }
    return v;
}

void append_utf8(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool hex4(std::string_view s, size_t pos, uint32_t &v) {
    if (pos + 4 > s.size()) return false;
    v = 0;
    for (size_t i = pos; i < pos + 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0) return false;
        v = v * 16 + static_cast<uint32_t>(d);
    }
    return true;
}

size_t skip_ws(std::string_view s, size_t pos) {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n'))
        pos++;
    return pos;
}

// A JSON string at s[pos] == '"', unescaped into out; returns the position after it or npos.
size_t json_string(std::string_view s, size_t pos, std::string &out) {
    out.clear();
    size_t i = pos + 1;
    while (i < s.size()) {
        const char *start = s.data() + i;
        size_t run = 0;
        while (i + run < s.size() && s[i + run] != '"' && s[i + run] != '\\')
            run++;
        out.append(start, run);
        i += run;
        if (i >= s.size()) return std::string_view::npos;
        if (s[i] == '"') return i + 1;
        if (i + 1 >= s.size()) return std::string_view::npos;
        char e = s[i + 1];
        i += 2;
        switch (e) {
            case 'n':
                out.push_back('\n');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'u': {
                uint32_t cp;
                if (!hex4(s, i, cp)) return std::string_view::npos;
                i += 4;
                uint32_t lo;
                if (cp >= 0xD800 && cp < 0xDC00 && i + 6 <= s.size() && s[i] == '\\' &&
                    s[i + 1] == 'u' && hex4(s, i + 2, lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                append_utf8(out, cp);
                break;
            }
            default:
                out.push_back(e);
                break;
        }
    }
    return std::string_view::npos;
}

// A scalar or nested value at pos, copied raw into out; returns the position after it.
size_t json_other(std::string_view s, size_t pos, std::string &out) {
    size_t i = pos;
    int depth = 0;
    std::string scratch;
    while (i < s.size()) {
        char c = s[i];
        if (c == '"') {
            i = json_string(s, i, scratch);
            if (i == std::string_view::npos) return i;
            continue;
        }
        if (c == '{' || c == '[') depth++;
        if (c == '}' || c == ']') {
            if (depth == 0) break;
            depth--;
        }
        if (c == ',' && depth == 0) break;
        i++;
    }
    out.assign(s.substr(pos, i - pos));
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t'))
        out.pop_back();
    return i;
}

}  // namespace

// ---- csvlog

bool CsvReader::split(std::string_view r) {
    size_t nfields = 0;
    size_t i = 0;
    for (;;) {
        if (fields_.size() <= nfields) fields_.emplace_back();
        std::string &f = fields_[nfields++];
        f.clear();
        if (i < r.size() && r[i] == '"') {
            i++;
            for (;;) {
                const char *q =
                    static_cast<const char *>(std::memchr(r.data() + i, '"', r.size() - i));
                if (!q) return false;
                size_t at = static_cast<size_t>(q - r.data());
                f.append(r.data() + i, at - i);
                if (at + 1 < r.size() && r[at + 1] == '"') {
                    f.push_back('"');
                    i = at + 2;
                    continue;
                }
                i = at + 1;
                break;
            }
        } else {
            const char *c = static_cast<const char *>(std::memchr(r.data() + i, ',', r.size() - i));
            size_t at = c ? static_cast<size_t>(c - r.data()) : r.size();
            f.assign(r.data() + i, at - i);
            i = at;
        }
        if (i >= r.size()) break;
        if (r[i] != ',') return false;
        i++;
    }
    fields_.resize(nfields);
    return true;
}

bool CsvReader::next(LogRecord &rec) {
    std::string_view line;
    while (src_.next(line)) {
        record_.assign(line);
        size_t lines = 1;
        bool too_long = false;
        while (count_quotes(record_) % 2 == 1 && src_.next(line)) {
            lines++;
            if (record_.size() + line.size() + 1 > kMaxRecord) too_long = true;
            if (!too_long) record_.append("\n").append(line);
        }
        int64_t ts;
        size_t used;
        if (too_long || !split(record_) || fields_.size() < kMinCsvFields ||
            !parse_timestamp(fields_[kLogTime], ts, used)) {
            skipped_ += lines;
            continue;
        }
        rec = LogRecord{};
        rec.ts_us = ts;
        rec.user = fields_[kUser];
        rec.database = fields_[kDatabase];
        rec.pid = to_int(fields_[kPid]);
        rec.session_id = fields_[kSessionId];
        rec.severity = fields_[kSeverity];
        rec.message = fields_[kMessage];
        rec.detail = fields_.size() > kDetail ? std::string_view(fields_[kDetail]) : "";
        if (fields_.size() > kApplication) rec.application = fields_[kApplication];
        return true;
    }
    return false;
}

// ---- jsonlog

bool JsonReader::parse(std::string_view s, LogRecord &rec) {
    rec = LogRecord{};
    size_t i = skip_ws(s, 0);
    if (i >= s.size() || s[i] != '{') return false;
    i = skip_ws(s, i + 1);
    bool have_time = false, have_message = false;
    while (i < s.size() && s[i] != '}') {
        if (s[i] != '"') return false;
        i = json_string(s, i, key_);
        if (i == std::string_view::npos) return false;
        i = skip_ws(s, i);
        if (i >= s.size() || s[i] != ':') return false;
        i = skip_ws(s, i + 1);
        if (i >= s.size()) return false;
        std::string *target = &value_;
        if (key_ == "user")
            target = &user_;
        else if (key_ == "dbname")
            target = &db_;
        else if (key_ == "application_name")
            target = &app_;
        else if (key_ == "session_id")
            target = &session_;
        else if (key_ == "error_severity")
            target = &severity_;
        else if (key_ == "message")
            target = &message_;
        else if (key_ == "detail")
            target = &detail_;
        i = s[i] == '"' ? json_string(s, i, *target) : json_other(s, i, *target);
        if (i == std::string_view::npos) return false;
        if (key_ == "timestamp") {
            size_t used;
            have_time = parse_timestamp(value_, rec.ts_us, used);
        } else if (key_ == "pid") {
            rec.pid = to_int(value_);
        }
        have_message = have_message || target == &message_;
        if (target != &value_) {
            if (target == &user_) rec.user = user_;
            if (target == &db_) rec.database = db_;
            if (target == &app_) rec.application = app_;
            if (target == &session_) rec.session_id = session_;
            if (target == &severity_) rec.severity = severity_;
            if (target == &message_) rec.message = message_;
            if (target == &detail_) rec.detail = detail_;
        }
        i = skip_ws(s, i);
        if (i < s.size() && s[i] == ',') i = skip_ws(s, i + 1);
    }
    return i < s.size() && have_time && have_message;
}

bool JsonReader::next(LogRecord &rec) {
    std::string_view line;
    while (src_.next(line)) {
        if (parse(line, rec)) return true;
        skipped_++;
    }
    return false;
}

// ---- choosing

static bool ends_with(const std::string &s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

LogFormat guess_format(const std::string &path, std::string_view first) {
    std::string name = ends_with(path, ".gz") ? path.substr(0, path.size() - 3) : path;
    if (ends_with(name, ".csv")) return LogFormat::Csv;
    if (ends_with(name, ".json")) return LogFormat::Json;
    size_t i = skip_ws(first, 0);
    if (i < first.size() && first[i] == '{') return LogFormat::Json;
    int64_t ts;
    size_t used;
    if (parse_timestamp(first, ts, used)) {
        size_t comma = first.find(',', used);
        size_t bracket = first.find('[', used);
        if (comma != std::string_view::npos &&
            (bracket == std::string_view::npos || comma < bracket))
            return LogFormat::Csv;
    }
    return LogFormat::Stderr;
}

std::unique_ptr<RecordReader> make_reader(LogFormat format, LineSource &src,
                                          const std::string &prefix) {
    switch (format) {
        case LogFormat::Csv:
            return std::make_unique<CsvReader>(src);
        case LogFormat::Json:
            return std::make_unique<JsonReader>(src);
        default:
            return std::make_unique<StderrReader>(src, prefix);
    }
}

}  // namespace pg_advisor::cli::log
