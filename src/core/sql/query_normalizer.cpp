#include "core/sql/query_normalizer.h"

#include <algorithm>
#include <cstdio>

#include "core/common/hash.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

StatementSpan statement_span(std::string_view source, int location, int length) {
    size_t begin = 0;
    size_t end = source.size();
    if (location >= 0 && static_cast<size_t>(location) <= source.size()) {
        begin = static_cast<size_t>(location);
        if (length > 0 && begin + static_cast<size_t>(length) <= source.size())
            end = begin + static_cast<size_t>(length);
    }
    while (begin < end && sql::is_space(static_cast<unsigned char>(source[begin])))
        begin++;
    while (end > begin &&
           (sql::is_space(static_cast<unsigned char>(source[end - 1])) || source[end - 1] == ';'))
        end--;
    return {begin, end};
}

size_t normalize_constants(std::string_view source, StatementSpan span, int *locations,
                           size_t nlocations, int first_param, char *out, size_t out_cap,
                           const sql::LexOptions &opts) {
    if (out_cap == 0) return 0;
    std::sort(locations, locations + nlocations);
    size_t written = 0;
    auto emit = [&](const char *p, size_t len) {
        size_t room = out_cap - 1 - written;
        if (len > room) len = room;
        for (size_t i = 0; i < len; i++)
            out[written + i] = p[i];
        written += len;
    };
    std::string_view stmt = source.substr(0, span.end);
    size_t copied_to = span.begin;
    int param = first_param;
    for (size_t i = 0; i < nlocations; i++) {
        if (locations[i] < 0) continue;
        size_t loc = static_cast<size_t>(locations[i]);
        if (loc < copied_to || loc >= span.end) continue;  // duplicate, overlapping or outside
        size_t len = sql::constant_length(stmt, loc, opts);
        if (len == 0) continue;
        emit(source.data() + copied_to, loc - copied_to);
        char buf[16];
        int blen = std::snprintf(buf, sizeof buf, "$%d", param++);
        emit(buf, static_cast<size_t>(blen));
        copied_to = loc + len;
    }
    emit(source.data() + copied_to, span.end - copied_to);
    out[written] = '\0';
    return written;
}

size_t normalize_literals(std::string_view source, StatementSpan span, int first_param, char *out,
                          size_t out_cap, const sql::LexOptions &opts) {
    if (out_cap == 0) return 0;
    std::string_view stmt = source.substr(0, span.end);
    size_t written = 0;
    auto emit = [&](const char *p, size_t len) {
        size_t room = out_cap - 1 - written;
        if (len > room) len = room;
        for (size_t i = 0; i < len; i++)
            out[written + i] = p[i];
        written += len;
    };
    // Number after the highest $n already in the statement.
    int param = first_param;
    for (size_t p = span.begin; p < span.end;) {
        size_t next = sql::skip_token(stmt, p, opts);
        if (stmt[p] == '$' && next > p + 1 && stmt[p + 1] >= '0' && stmt[p + 1] <= '9') {
            long v = 0;
            for (size_t i = p + 1; i < next && v < 100000; i++)
                v = v * 10 + (stmt[i] - '0');
            if (v + 1 > param) param = static_cast<int>(v + 1);
        }
        p = next;
    }
    size_t pos = span.begin, copied_to = span.begin;
    while (pos < span.end) {
        unsigned char c = static_cast<unsigned char>(stmt[pos]);
        bool literal = false;
        if (c == '\'' || (c >= '0' && c <= '9') ||
            (c == '.' && pos + 1 < span.end && stmt[pos + 1] >= '0' && stmt[pos + 1] <= '9')) {
            literal = true;
        } else if (c == '$' && pos + 1 < span.end &&
                   (stmt[pos + 1] == '$' ||
                    sql::is_ident_start(static_cast<unsigned char>(stmt[pos + 1])))) {
            literal = sql::constant_length(stmt, pos, opts) > 0;
        } else if (pos + 1 < span.end && stmt[pos + 1] == '\'' &&
                   (c == 'E' || c == 'e' || c == 'B' || c == 'b' || c == 'X' || c == 'x' ||
                    c == 'N' || c == 'n') &&
                   (pos == 0 || !sql::is_ident_char(static_cast<unsigned char>(stmt[pos - 1])))) {
            literal = true;
        }
        if (literal) {
            size_t len = sql::constant_length(stmt, pos, opts);
            if (len > 0) {
                emit(source.data() + copied_to, pos - copied_to);
                char buf[16];
                int blen = std::snprintf(buf, sizeof buf, "$%d", param++);
                emit(buf, static_cast<size_t>(blen));
                pos += len;
                copied_to = pos;
                continue;
            }
        }
        pos = sql::skip_token(stmt, pos, opts);
    }
    emit(source.data() + copied_to, span.end - copied_to);
    out[written] = '\0';
    return written;
}

namespace {

bool ieq(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

constexpr std::string_view kLiteralTypes[] = {
    "date",    "time",    "timetz", "timestamp", "timestamptz", "interval", "uuid",
    "json",    "jsonb",   "inet",   "cidr",      "macaddr",     "numeric",  "decimal",
    "int",     "integer", "bigint", "smallint",  "int2",        "int4",     "int8",
    "float4",  "float8",  "real",   "text",      "varchar",     "char",     "bool",
    "boolean", "bytea",   "money",  "bit",       "xml"};

}  // namespace

std::string plannable_text(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    size_t copied = 0, pos = 0;
    // Remember the last few words to recognise "timestamp with time zone $1".
    struct Word {
        size_t begin, end;
    } words[4] = {};
    int nwords = 0;
    while (pos < text.size()) {
        size_t start = sql::skip_space_and_comments(text, pos);
        if (start >= text.size()) break;
        size_t end = sql::skip_token(text, start);
        unsigned char c = static_cast<unsigned char>(text[start]);
        if (sql::is_ident_start(c)) {
            for (int i = 3; i > 0; i--)
                words[i] = words[i - 1];
            words[0] = {start, end};
            nwords = nwords < 4 ? nwords + 1 : 4;
        } else if (c == '$' && end > start + 1 && nwords > 0 && words[0].end <= start &&
                   sql::skip_space_and_comments(text, words[0].end) == start) {
            std::string_view w0 = text.substr(words[0].begin, words[0].end - words[0].begin);
            std::string type;
            size_t type_begin = words[0].begin;
            if (ieq(w0, "zone") && nwords >= 4) {
                std::string_view w1 = text.substr(words[1].begin, words[1].end - words[1].begin);
                std::string_view w2 = text.substr(words[2].begin, words[2].end - words[2].begin);
                std::string_view w3 = text.substr(words[3].begin, words[3].end - words[3].begin);
                if (ieq(w1, "time") && (ieq(w2, "with") || ieq(w2, "without")) &&
                    (ieq(w3, "timestamp") || ieq(w3, "time"))) {
                    type = std::string(w3) + " " + std::string(w2) + " time zone";
                    type_begin = words[3].begin;
                }
            } else if (ieq(w0, "precision") && nwords >= 2 &&
                       ieq(text.substr(words[1].begin, words[1].end - words[1].begin), "double")) {
                type = "double precision";
                type_begin = words[1].begin;
            } else {
                for (std::string_view t : kLiteralTypes)
                    if (ieq(w0, t)) type = std::string(w0);
            }
            if (!type.empty() && type_begin >= copied) {
                out.append(text.substr(copied, type_begin - copied));
                out.append(text.substr(start, end - start));
                out.append("::");
                out.append(type);
                copied = end;
            }
            nwords = 0;
        } else {
            nwords = 0;
        }
        pos = end;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace pg_advisor
