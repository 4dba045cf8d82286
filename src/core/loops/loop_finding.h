// Aggregated N+1 / write-loop / duplicate findings: one entry per (kind, database, user, parent
// shape, child shape, application tags), accumulated from every scope in which the detector
// confirmed the loop. Lives in a FixedStore in shared memory; rows of advisor.n_plus_one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/store/fixed_store.h"
#include "core/loops/n_plus_one_detector.h"

namespace pg_advisor {

struct FindingKey {
    uint32_t dbid;
    uint32_t userid;
    uint64_t parent_queryid;
    uint64_t child_queryid;
    uint64_t app_tags_fp;  // fingerprint of the application tags (see application_tags())
    uint8_t kind;          // LoopKind
    uint8_t pad[7];        // always 0
};

FindingKey make_finding_key(LoopKind kind, uint32_t dbid, uint32_t userid, uint64_t parent,
                            uint64_t child, uint64_t app_tags_fp);

struct FindingEntry {
    static constexpr size_t kExampleSize = 120;
    static constexpr size_t kFrameworkSize = 16;

    FindingKey key;
    uint64_t usage;
    uint64_t occurrences;   // scopes in which the loop was found
    uint64_t executions;    // child executions inside those loops
    uint64_t max_repeats;   // most child executions in one scope
    uint64_t max_distinct;  // most distinct parameter sets in one scope
    uint64_t child_total_ns;
    uint64_t child_rows;
    uint64_t max_parent_rows;
    int64_t first_seen;
    int64_t last_seen;
    uint32_t child_relid;
    uint32_t parent_relid;
    uint8_t child_command;
    uint8_t scope_kind;     // ScopeKind of the last occurrence
    uint8_t parent_choice;  // ParentChoice
    uint8_t pad8;
    uint32_t lock;
    uint16_t example_len;
    uint16_t pad16;
    char example[kExampleSize];      // the last occurrence's scope, e.g. "trace 4bf92f35..."
    char framework[kFrameworkSize];  // tags_framework() of the first occurrence, or empty

    static uint64_t hash_key(const FindingKey &k);
    // "<kind>:<16 hex digits>", the finding_key of advisor.n_plus_one and analyze-log, in buf
    // (at least kFindingKeySize bytes).
    static constexpr size_t kFindingKeySize = 48;
    void finding_key(char *buf) const;
    // Executions per occurrence, rounded: the loop's usual length.
    uint64_t typical_repeats() const {
        return occurrences ? (executions + occurrences / 2) / occurrences : 0;
    }
    void snapshot_to(FindingEntry &dst) const;
    std::string_view example_scope() const { return {example, example_len}; }
    std::string_view framework_name() const {
        return {framework, strnlen(framework, kFrameworkSize)};
    }
};

using FindingStore = FixedStore<FindingEntry>;

// The texts kept with a finding (its blob): parent and child statement texts and the
// application tags (serialize_tags() format).
struct FindingTexts {
    std::string_view parent;
    std::string_view child;
    std::string_view tags;
};
// Bytes needed by encode_finding_texts.
size_t finding_texts_size(const FindingTexts &t);
size_t encode_finding_texts(const FindingTexts &t, char *out, size_t cap);
bool decode_finding_texts(std::string_view blob, FindingTexts &t);

// Creates the finding of a first verdict with its texts (exclusive lock). Returns the existing
// entry if there is one.
FindingEntry *insert_finding(FindingStore &store, const FindingKey &key, std::string_view texts,
                             const LoopVerdict &v, int64_t now, std::string_view framework = {});

// Adds a verdict to its finding (shared lock; lock-free counters, the example under the
// entry's spinlock).
void record_verdict(FindingEntry &e, const LoopVerdict &v, int64_t now, std::string_view example);

// The tags that describe where a loop lives in the application (framework, controller,
// action, job, route, ...), without per-request identifiers (trace, request id). Writes them in
// serialize_tags() format; returns bytes written.
size_t application_tags(std::string_view serialized_tags, char *out, size_t cap);

}  // namespace pg_advisor
