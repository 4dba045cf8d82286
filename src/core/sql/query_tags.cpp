#include "core/sql/query_tags.h"

#include <cstring>

#include "core/common/hash.h"
#include "core/sql/sql_lexer.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {
namespace {

using sql::is_space;

std::string_view trim(std::string_view s) {
    size_t b = 0, e = s.size();
    while (b < e && is_space(static_cast<unsigned char>(s[b])))
        b++;
    while (e > b && is_space(static_cast<unsigned char>(s[e - 1])))
        e--;
    return s.substr(b, e - b);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool legacy_key_char(char c, bool first) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_') return true;
    if (first) return false;
    return (u >= '0' && u <= '9') || u == '.' || u == '-';
}

bool is_legacy_key(std::string_view k) {
    if (k.empty() || k.size() > 64) return false;
    for (size_t i = 0; i < k.size(); i++)
        if (!legacy_key_char(k[i], i == 0)) return false;
    return true;
}

// sqlcommenter keys are URL-encoded, so a valid raw key has no spaces, quotes or separators.
bool is_commenter_key(std::string_view k) {
    if (k.empty() || k.size() > 128) return false;
    for (char c : k) {
        unsigned char u = static_cast<unsigned char>(c);
        if (is_space(u) || c == '\'' || c == '"' || c == ',' || c == '=' || c == ':' || u < 0x20)
            return false;
    }
    return true;
}

// Appends decoded bytes into tags.buffer; returns the length written. `unescape` removes the
// backslash of \' and \\ (sqlcommenter quoting), `url` decodes %XX. NUL bytes become '?'.
struct Appender {
    QueryTags &tags;
    size_t limit;
    size_t start = 0;
    size_t len = 0;
    bool ok = true;

    void put(char c) {
        if (len >= limit || start + len >= QueryTags::kBufferSize) {
            ok = false;
            return;
        }
        tags.buffer[start + len++] = c == '\0' ? '?' : c;
    }
    void decode(std::string_view raw, bool unescape, bool url) {
        for (size_t i = 0; i < raw.size() && ok; i++) {
            char c = raw[i];
            if (unescape && c == '\\' && i + 1 < raw.size()) {
                put(raw[++i]);
            } else if (url && c == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0 &&
                       hex_value(raw[i + 2]) >= 0) {
                put(static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2])));
                i += 2;
            } else {
                put(c);
            }
        }
    }
};

// Cuts a truncated value back to a UTF-8 character boundary.
size_t utf8_clip(const char *p, size_t len) {
    size_t n = len;
    while (n > 0 && (static_cast<unsigned char>(p[n - 1]) & 0xC0) == 0x80)
        n--;
    if (n > 0) {
        unsigned char lead = static_cast<unsigned char>(p[n - 1]);
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (len - (n - 1) >= need) return len;
        return n - 1;
    }
    return 0;
}

bool add_pair(QueryTags &tags, std::string_view raw_key, std::string_view raw_value, bool unescape,
              bool url) {
    if (tags.count >= QueryTags::kMaxPairs) {
        tags.truncated = true;
        return false;
    }
    Appender key{tags, 128};
    key.start = tags.used;
    key.decode(raw_key, false, url);
    if (!key.ok || key.len == 0) {
        tags.truncated = tags.truncated || !key.ok;
        return false;
    }
    Appender value{tags, QueryTags::kMaxValueSize};
    value.start = tags.used + key.len;
    value.decode(raw_value, unescape, url);
    if (!value.ok) {
        tags.truncated = true;
        if (tags.used + key.len >= QueryTags::kBufferSize) return false;
        value.len = utf8_clip(tags.buffer + value.start, value.len);
    }
    std::string_view k(tags.buffer + key.start, key.len);
    QueryTags::Pair pair{static_cast<uint16_t>(key.start), static_cast<uint16_t>(key.len),
                         static_cast<uint16_t>(value.start), static_cast<uint16_t>(value.len)};
    tags.used = static_cast<uint16_t>(tags.used + key.len + value.len);
    for (size_t i = 0; i < tags.count; i++) {
        if (tags.key(i) == k) {
            tags.pairs[i] = pair;
            return true;
        }
    }
    tags.pairs[tags.count++] = pair;
    return true;
}

// Splits on commas that are not inside a single-quoted value.
template <class F>
void split_items(std::string_view body, bool quotes, F &&f) {
    size_t start = 0;
    bool quoted = false;
    for (size_t i = 0; i < body.size(); i++) {
        char c = body[i];
        if (c == '\\' && quoted) {
            i++;
        } else if (c == '\'' && quotes) {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            f(trim(body.substr(start, i - start)));
            start = i + 1;
        }
    }
    f(trim(body.substr(start)));
}

// End of the first item: its comma outside a single-quoted value, or the end.
size_t first_item_end(std::string_view body) {
    bool quoted = false;
    for (size_t i = 0; i < body.size(); i++) {
        char c = body[i];
        if (c == '\\' && quoted) {
            i++;
        } else if (c == '\'') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            return i;
        }
    }
    return body.size();
}

// key='value' (or key=value without spaces); returns false if the item has another shape.
bool split_commenter_item(std::string_view item, std::string_view &key, std::string_view &value,
                          bool &quoted) {
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return false;
    key = trim(item.substr(0, eq));
    std::string_view rest = trim(item.substr(eq + 1));
    if (!is_commenter_key(key)) return false;
    if (rest.size() >= 2 && rest.front() == '\'' && rest.back() == '\'') {
        value = rest.substr(1, rest.size() - 2);
        quoted = true;
        return true;
    }
    for (char c : rest)
        if (is_space(static_cast<unsigned char>(c)) || c == '\'') return false;
    value = rest;
    quoted = false;
    return !rest.empty();
}

bool split_legacy_item(std::string_view item, std::string_view &key, std::string_view &value) {
    size_t colon = item.find(':');
    if (colon == std::string_view::npos) return false;
    key = item.substr(0, colon);
    value = trim(item.substr(colon + 1));
    return is_legacy_key(key) && !value.empty();
}

bool iequals_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); i++) {
        char a = s[i];
        if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
        if (a != prefix[i]) return false;
    }
    return true;
}

constexpr std::string_view kRequestKeys[] = {"request_id",
                                             "requestid",
                                             "request-id",
                                             "x-request-id",
                                             "x_request_id",
                                             "correlation_id",
                                             "controller",
                                             "namespaced_controller",
                                             "controller_with_namespace",
                                             "action",
                                             "job",
                                             "job_id",
                                             "route",
                                             "endpoint",
                                             "path",
                                             "graphql_operation"};

constexpr std::string_view kFrameworks[] = {
    "django",       "sqlmodel",  "sqlalchemy", "flask",   "fastapi", "peewee",  "rails",
    "activerecord", "sequelize", "objection",  "knex",    "prisma",  "typeorm", "drizzle",
    "hibernate",    "spring",    "laravel",    "asyncpg", "psycopg"};

}  // namespace

std::string_view QueryTags::find(std::string_view k) const {
    for (size_t i = count; i-- > 0;)
        if (key(i) == k) return value(i);
    return {};
}

bool QueryTags::has(std::string_view k) const {
    for (size_t i = 0; i < count; i++)
        if (key(i) == k) return true;
    return false;
}

TagFormat parse_tag_comment(std::string_view body, QueryTags &out) {
    body = trim(body);
    if (body.empty()) return TagFormat::None;

    // The first item decides the format; free text matches neither.
    TagFormat format = TagFormat::None;
    {
        std::string_view item = trim(body.substr(0, first_item_end(body)));
        std::string_view k, v;
        bool quoted;
        if (split_commenter_item(item, k, v, quoted))
            format = TagFormat::SqlCommenter;
        else if (split_legacy_item(item, k, v))
            format = TagFormat::Legacy;
    }
    if (format == TagFormat::None) return TagFormat::None;

    size_t added = 0;
    split_items(body, format == TagFormat::SqlCommenter, [&](std::string_view item) {
        std::string_view k, v;
        bool quoted = false;
        if (format == TagFormat::SqlCommenter) {
            if (split_commenter_item(item, k, v, quoted))
                added += add_pair(out, k, v, quoted, true);
        } else if (split_legacy_item(item, k, v)) {
            added += add_pair(out, k, v, false, false);
        }
    });
    if (added == 0) return TagFormat::None;
    if (out.format == TagFormat::None) out.format = format;
    return format;
}

bool extract_statement_tags(std::string_view source, size_t stmt_begin, size_t stmt_end,
                            QueryTags &out) {
    out.clear();
    if (source.find("/*") == std::string_view::npos) return false;
    if (stmt_end > source.size()) stmt_end = source.size();

    // Remember the last comments; a statement rarely has more than a couple.
    constexpr size_t kMaxComments = 64;
    struct Range {
        size_t b, e;
        uint8_t where;  // 0 elsewhere, 1 inside the statement, 2 trailing it
    } ring[kMaxComments];
    size_t seen = 0;
    size_t trail_from = stmt_end;
    bool trailing_open = true;
    sql::for_each_block_comment(source, [&](size_t b, size_t e) {
        uint8_t where = 0;
        if (b >= stmt_begin && e <= stmt_end) {
            where = 1;
        } else if (b >= stmt_end && trailing_open) {
            bool clean = true;
            for (size_t i = trail_from; i < b; i++) {
                char c = source[i];
                if (!is_space(static_cast<unsigned char>(c)) && c != ';') {
                    clean = false;
                    break;
                }
            }
            if (clean) {
                where = 2;
                trail_from = e;
            } else {
                trailing_open = false;
            }
        }
        ring[seen % kMaxComments] = {b, e, where};
        seen++;
        return true;
    });
    if (seen == 0) return false;
    size_t first = seen > kMaxComments ? seen - kMaxComments : 0;
    auto body = [&](const Range &r) { return source.substr(r.b + 2, r.e - r.b - 4); };

    for (uint8_t where : {uint8_t{1}, uint8_t{2}}) {
        for (size_t i = first; i < seen; i++) {
            const Range &r = ring[i % kMaxComments];
            if (r.where == where) parse_tag_comment(body(r), out);
        }
        if (out.count > 0) return true;
    }
    for (size_t i = seen; i-- > first;) {
        if (parse_tag_comment(body(ring[i % kMaxComments]), out) != TagFormat::None &&
            out.count > 0)
            return true;
    }
    return out.count > 0;
}

TraceId parse_traceparent(std::string_view v) {
    TraceId id;
    v = trim(v);
    // version(2) '-' trace-id(32) '-' parent-id(16) '-' flags(2)
    if (v.size() < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-') return {};
    if (hex_value(v[0]) < 0 || hex_value(v[1]) < 0 || (v[0] == 'f' && v[1] == 'f')) return {};
    uint64_t parts[2] = {0, 0};
    for (size_t i = 0; i < 32; i++) {
        int h = hex_value(v[3 + i]);
        if (h < 0) return {};
        parts[i / 16] = (parts[i / 16] << 4) | static_cast<uint64_t>(h);
    }
    for (size_t i = 36; i < 52; i++)
        if (hex_value(v[i]) < 0) return {};
    id.hi = parts[0];
    id.lo = parts[1];
    return id;
}

uint64_t request_key(const QueryTags &tags) {
    uint64_t sum = 0;
    bool any = false;
    for (size_t i = 0; i < tags.count; i++) {
        std::string_view k = tags.key(i);
        for (std::string_view rk : kRequestKeys) {
            if (k == rk) {
                sum += hash_combine(hash_string(k), hash_string(tags.value(i)));
                any = true;
                break;
            }
        }
    }
    if (!any) return 0;
    uint64_t h = mix64(sum);
    return h == 0 ? 1 : h;
}

uint64_t tags_fingerprint(const QueryTags &tags) {
    if (tags.count == 0) return 0;
    uint64_t sum = 0;
    for (size_t i = 0; i < tags.count; i++)
        sum += hash_combine(hash_string(tags.key(i)), hash_string(tags.value(i)));
    uint64_t h = mix64(sum + tags.count);
    return h == 0 ? 1 : h;
}

std::string_view tags_framework(const QueryTags &tags) {
    for (std::string_view key : {"framework", "db_framework", "db_driver"}) {
        std::string_view v = tags.find(key);
        if (v.empty()) continue;
        for (std::string_view fw : kFrameworks)
            if (iequals_prefix(v, fw)) return fw == "activerecord" ? "rails" : fw;
    }
    if (tags.has("prismaQuery")) return "prisma";
    if (tags.format == TagFormat::Legacy && (tags.has("controller") || tags.has("job")))
        return "rails";
    if (tags.has("application") && tags.has("controller") && tags.has("action")) return "rails";
    return {};
}

size_t serialize_tags(const QueryTags &tags, char *out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < tags.count; i++) {
        std::string_view k = tags.key(i), v = tags.value(i);
        size_t need = k.size() + v.size() + 2;
        if (n + need > cap) break;
        std::memcpy(out + n, k.data(), k.size());
        n += k.size();
        out[n++] = '\0';
        std::memcpy(out + n, v.data(), v.size());
        n += v.size();
        out[n++] = '\0';
    }
    return n;
}

bool next_serialized_tag(std::string_view s, size_t &pos, std::string_view &key,
                         std::string_view &value) {
    if (pos >= s.size()) return false;
    size_t kend = s.find('\0', pos);
    if (kend == std::string_view::npos) return false;
    size_t vend = s.find('\0', kend + 1);
    if (vend == std::string_view::npos) return false;
    key = s.substr(pos, kend - pos);
    value = s.substr(kend + 1, vend - kend - 1);
    pos = vend + 1;
    return true;
}

size_t strip_tag_comments(std::string_view text, char *out, size_t cap) {
    if (cap == 0) return 0;
    size_t n = 0;
    auto put = [&](std::string_view s) {
        for (char c : s) {
            if (n + 1 >= cap) return;
            out[n++] = c;
        }
    };
    size_t copied = 0;
    QueryTags scratch;
    sql::for_each_block_comment(text, [&](size_t b, size_t e) {
        scratch.clear();
        if (parse_tag_comment(text.substr(b + 2, e - b - 4), scratch) == TagFormat::None)
            return true;
        put(text.substr(copied, b - copied));
        copied = e;
        // Do not leave two blanks where the comment was.
        if (n > 0 && is_space(static_cast<unsigned char>(out[n - 1])))
            while (copied < text.size() && is_space(static_cast<unsigned char>(text[copied])))
                copied++;
        return true;
    });
    put(text.substr(copied));
    size_t b = 0;
    while (b < n && is_space(static_cast<unsigned char>(out[b])))
        b++;
    while (n > b && (is_space(static_cast<unsigned char>(out[n - 1])) || out[n - 1] == ';'))
        n--;
    if (b > 0) {
        std::memmove(out, out + b, n - b);
        n -= b;
    }
    out[n] = '\0';
    return n;
}

}  // namespace pg_advisor
