// Application tags carried in SQL comments: sqlcommenter (/*key='value',...*/, URL-encoded) and
// the marginalia / Rails QueryLogs legacy format (/*application:App,controller:users*/).
//
// Everything here works in fixed-size buffers: it runs for every statement of every session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pg_advisor {

enum class TagFormat : uint8_t { None = 0, SqlCommenter = 1, Legacy = 2 };

// Decoded key/value pairs of one statement. Keys and values never contain NUL.
struct QueryTags {
    static constexpr size_t kMaxPairs = 24;
    static constexpr size_t kBufferSize = 1024;
    static constexpr size_t kMaxValueSize = 512;

    struct Pair {
        uint16_t key_off, key_len, value_off, value_len;
    };

    uint16_t count = 0;
    uint16_t used = 0;
    bool truncated = false;  // pairs or bytes were dropped because a limit was reached
    TagFormat format = TagFormat::None;
    Pair pairs[kMaxPairs];
    char buffer[kBufferSize];

    void clear() {
        count = used = 0;
        truncated = false;
        format = TagFormat::None;
    }
    std::string_view key(size_t i) const { return {buffer + pairs[i].key_off, pairs[i].key_len}; }
    std::string_view value(size_t i) const {
        return {buffer + pairs[i].value_off, pairs[i].value_len};
    }
    // Value of the last pair with this key (case-sensitive), or an empty view.
    std::string_view find(std::string_view k) const;
    bool has(std::string_view k) const;
};

// Parses the body of one comment (the text between "/*" and "*/"). Returns the format found,
// or TagFormat::None when the comment is free text; pairs are appended to `out` (a key that is
// already present is replaced).
TagFormat parse_tag_comment(std::string_view body, QueryTags &out);

// Finds and parses the tags that belong to the statement [stmt_begin, stmt_end) of the source
// string: tag comments inside the statement, else directly after it (after a trailing ';'),
// else the last tag comment anywhere in the string. Returns true if any tag was found.
bool extract_statement_tags(std::string_view source, size_t stmt_begin, size_t stmt_end,
                            QueryTags &out);

// W3C trace context: the trace-id part of a traceparent value ("00-<32 hex>-<16 hex>-<2 hex>").
struct TraceId {
    uint64_t hi = 0, lo = 0;
    bool valid() const { return hi != 0 || lo != 0; }
    bool operator==(const TraceId &o) const { return hi == o.hi && lo == o.lo; }
    bool operator!=(const TraceId &o) const { return !(*this == o); }
};
TraceId parse_traceparent(std::string_view value);

// Key of the unit of work named by request-level tags (request_id, controller + action, job,
// route, ...); 0 when the tags name none. Static tags (application, framework, db_driver) do
// not contribute: they are the same for every request.
uint64_t request_key(const QueryTags &tags);

// Fingerprint of the whole tag set (0 when empty).
uint64_t tags_fingerprint(const QueryTags &tags);

// The framework the tags name, lower-case ("django", "rails", "sqlalchemy", "sequelize",
// "knex", "prisma", "peewee", "typeorm", ...), or empty.
std::string_view tags_framework(const QueryTags &tags);

// Compact serialisation "key\0value\0key\0value\0" into out (at most cap bytes, whole pairs
// only). Returns bytes written.
size_t serialize_tags(const QueryTags &tags, char *out, size_t cap);

// Iterates a serialised tag set; returns false at the end.
bool next_serialized_tag(std::string_view serialized, size_t &pos, std::string_view &key,
                         std::string_view &value);

// Removes tag comments from a statement text (used for the stored normalised text, which must
// not carry one request's trace id). Returns bytes written to out (NUL-terminated).
size_t strip_tag_comments(std::string_view text, char *out, size_t cap);

}  // namespace pg_advisor
