// One query pattern: what pg_advisor aggregates per (user, database, query id, top level), the
// rows of advisor.query_patterns. Lives in a FixedStore in shared memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/sql/tracked_literals.h"
#include "core/store/fixed_store.h"

namespace pg_advisor {

struct PatternKey {
    uint32_t userid;
    uint32_t dbid;
    uint64_t queryid;
    uint32_t toplevel;
    uint32_t pad;  // always 0: keys are compared bytewise
};

inline PatternKey make_pattern_key(uint32_t userid, uint32_t dbid, uint64_t queryid,
                                   bool toplevel) {
    PatternKey k{};
    k.userid = userid;
    k.dbid = dbid;
    k.queryid = queryid;
    k.toplevel = toplevel ? 1 : 0;
    return k;
}

enum PatternFlags : uint8_t {
    // The statement's text carried literal constants (simple protocol, or literals next to
    // bind parameters): every execution of this query id sent its values inline.
    kPatternHasLiterals = 1 << 0,
    // An execution called pg_advisor's own SQL functions (advisor.findings, ...): the
    // reviewer's statement, not the application's workload. Set under the entry's spinlock.
    kPatternCallsAdvisor = 1 << 1,
    // An execution sent its values inline: literal_first holds them. Set under the spinlock.
    kPatternLiteralsSeen = 1 << 2,
};

struct PatternEntry {
    static constexpr size_t kAppNameSize = 64;
    static constexpr size_t kTagsSize = 512;

    PatternKey key;
    uint64_t usage;
    // Counters, updated with atomics under the store's shared lock.
    uint64_t calls;
    uint64_t total_ns;
    uint64_t min_ns;
    uint64_t max_ns;
    uint64_t rows;
    uint64_t sampled_calls;
    int64_t first_seen;  // timestamps in the caller's unit (PostgreSQL TimestampTz)
    int64_t last_seen;
    // Last application context, replaced under `lock` when it changes.
    uint64_t tags_fp;
    uint64_t appname_fp;
    uint32_t lock;
    uint8_t command;  // CommandKind
    uint8_t flags;    // PatternFlags, set when the pattern is stored
    uint16_t tags_len;
    uint16_t appname_len;
    uint16_t pad16;
    // The largest OFFSET an execution skipped (pages after the first of a paginated listing;
    // capped at 2^32-1), under the entry's spinlock.
    uint32_t max_offset;
    // The first literals of the text (statement_fingerprint.h), under the entry's spinlock:
    // each one's value at the first execution that sent values inline (kPatternLiteralsSeen),
    // and the positions whose value has differed since (bit i). A literal that kept its value
    // over many executions is a setting of the application (status = 'open'), not a value it
    // looks up. Later executions of a prepared or cached plan send none: their literals are
    // fixed in the statement.
    uint32_t literal_first[kTrackedLiterals];
    uint32_t literal_varied;
    char appname[kAppNameSize];
    char tags[kTagsSize];  // serialize_tags() format

    static uint64_t hash_key(const PatternKey &k);
    void snapshot_to(PatternEntry &dst) const;

    std::string_view application_name() const { return {appname, appname_len}; }
    std::string_view serialized_tags() const { return {tags, tags_len}; }
};

using PatternStore = FixedStore<PatternEntry>;

// Creates the entry for a new pattern with its (normalised) text (exclusive lock).
PatternEntry *insert_pattern(PatternStore &store, const PatternKey &key, std::string_view text,
                             uint8_t command, int64_t now);

struct ExecutionSample {
    uint64_t elapsed_ns;
    uint64_t rows;
    int64_t now;
    bool sampled;
    uint32_t offset = 0;         // the OFFSET this execution skipped, 0 when none
    bool calls_advisor = false;  // it called pg_advisor's SQL functions (kPatternCallsAdvisor)
    // Hashes of the first literals this execution sent inline (StatementFingerprint), if any.
    const uint32_t *literals = nullptr;
    uint32_t nliterals = 0;
};

// Adds one execution to the counters (shared lock; lock-free).
void record_execution(PatternEntry &e, const ExecutionSample &x);

// Replaces the remembered tags / application name when their fingerprint changed (shared
// lock; takes the entry's spinlock only when something changed). An untagged call
// (tags_fp == 0) keeps the previous tags.
void record_context(PatternEntry &e, uint64_t tags_fp, std::string_view serialized_tags,
                    uint64_t appname_fp, std::string_view appname);

// Where an execution came from: its tags (tags_fp 0: untagged, the previous tags are kept)
// and its application name, each with its fingerprint.
struct ExecutionContext {
    uint64_t tags_fp;
    std::string_view tags;
    uint64_t appname_fp;
    std::string_view appname;
};

// The per-statement path without the store's lock: adds one execution and its context to e in
// one critical section of the entry's spinlock, if e still holds key in the store generation
// `generation` (found under the store's lock in that generation; store_generation is the
// store's generation word). False when the store has lost entries since: nothing is recorded,
// and the caller looks the key up again under the store's lock.
bool record_if_current(PatternEntry &e, const PatternKey &key, const uint64_t &store_generation,
                       uint64_t generation, const ExecutionSample &x, const ExecutionContext &cx);

}  // namespace pg_advisor
