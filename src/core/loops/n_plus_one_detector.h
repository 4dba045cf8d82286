// Streaming detection of N+1 sequences, row-by-row write loops and duplicate queries in one
// session's statement stream. Fed by the session tracker, one top-level statement at a time,
// in fixed memory: no allocation, bounded work per statement.
//
// Unit of work ("scope"), best key first:
//   1. the trace-id of a traceparent tag,
//   2. request tags (request_id, controller + action, job, route) within an idle-gap burst,
//   3. an explicit transaction (BEGIN ... COMMIT) with more than one statement,
//   4. the session's idle-gap burst.
// An explicit transaction holding a single statement is transparent: its statement belongs to
// the burst (ORMs that wrap every save in BEGIN/COMMIT). Deciding that needs the transaction's
// end, so the first statement of an untagged explicit transaction is held until the second
// statement or the end of the transaction.
//
// Verdicts:
//   N+1          a SELECT shape executed >= min_repeats times in a scope with >= 2 distinct
//                parameter sets after a parent statement of another shape;
//   write loop   >= min_repeats single-row INSERT / UPDATE / DELETE / MERGE of one shape;
//   duplicate    a SELECT shape executed >= min_repeats times with identical parameters.
// Not verdicts (the traps): nested statements (functions, foreign-key triggers), catalog
// queries, FOR UPDATE SKIP LOCKED claims, LIMIT/OFFSET and keyset pagination, batched
// IN (...) / = ANY($1) loads, loops below the threshold, repeats scattered among unrelated
// statements (a pooled connection serving many requests).
//
// Statements read from a server log carry no row count (kEventRowsUnknown): a SELECT of another
// shape may then be the multi-row parent, a write counts as single-row unless the text is
// multi-row, and only OFFSET (or keyset facts) makes a LIMIT child a page.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/workload/session_tracker.h"

namespace pg_advisor {

enum class LoopKind : uint8_t { NPlusOne = 1, WriteLoop = 2, Duplicate = 3 };
const char *loop_kind_name(LoopKind k);

enum class ScopeKind : uint8_t { Trace = 1, Request = 2, Transaction = 3, Burst = 4 };
const char *scope_kind_name(ScopeKind k);

// What only the planner knows about a child shape; looked up once per candidate loop.
struct ShapeFacts {
    uint32_t in_list_values;  // largest literal IN list / array among its quals
    bool keyset;              // range qual on its leading ORDER BY column (keyset pagination)
};
using ShapeFactsLookup = ShapeFacts (*)(void *context, uint64_t queryid);

// Why a parent was chosen (reported in the finding's reason).
enum class ParentChoice : uint8_t {
    None = 0,
    MultiRow = 1,   // nearest earlier SELECT of another shape that returned >= 2 rows
    Preceding = 2,  // nearest earlier statement of another shape (no multi-row parent)
};

// One verdict: a loop crossed the threshold in a scope (first == true), or a loop already
// reported in this scope ran once more (first == false: add its execution to the totals).
struct LoopVerdict {
    LoopKind kind;
    ScopeKind scope_kind;
    ParentChoice parent_choice;
    bool first;
    uint64_t scope_key;
    TraceId trace;
    uint64_t request_key;
    uint64_t tags_fp;
    uint64_t parent_queryid;  // 0 when there is none
    uint64_t parent_rows;
    uint32_t parent_relid;  // main relation of the parent statement
    uint64_t child_queryid;
    uint32_t child_relid;
    uint8_t child_command;     // CommandKind
    uint32_t repeats;          // executions of the child in this scope so far
    uint32_t distinct_params;  // distinct parameter sets among them
    uint32_t executions;       // executions this verdict adds to the totals
    uint64_t child_ns;         // child execution time this verdict adds
    uint64_t child_rows;       // rows of the child executions this verdict adds
};

struct DetectorConfig {
    uint32_t min_repeats = 5;
    // Reject loops whose window holds more than this share of one-off statements.
    double max_noise = 0.5;
};

class LoopDetector {
  public:
    static constexpr size_t kMaxScopes = 8;
    static constexpr size_t kMaxShapes = 24;  // distinct shapes tracked per scope
    static constexpr size_t kRecent = 48;     // recent statements per scope (parents, noise)
    static constexpr size_t kExactParams = 32;
    static constexpr size_t kMaxVerdicts = 2;

    void configure(const DetectorConfig &c) { config_ = c; }
    const DetectorConfig &config() const { return config_; }

    // A top-level statement (not a transaction boundary). Writes at most kMaxVerdicts
    // verdicts to out and returns their number.
    size_t observe(const StatementEvent &ev, LoopVerdict *out, ShapeFactsLookup facts = nullptr,
                   void *facts_context = nullptr);

    // The transaction xact_seq ended; releases a held single-statement transaction into its
    // burst. Returns verdicts like observe().
    size_t transaction_ended(uint64_t xact_seq, LoopVerdict *out, ShapeFactsLookup facts = nullptr,
                             void *facts_context = nullptr);

    void clear();
    size_t active_scopes() const;

  private:
    struct Recent {
        uint64_t queryid;
        uint64_t rows;
        uint32_t ordinal;
        uint32_t relid;
        uint8_t command;
        uint8_t eligible_parent;
        uint8_t rows_unknown;
        uint8_t pad[5];
    };
    struct ShapeStat {
        // What every statement of the shape touches first (one cache line: a settled shape
        // stops here).
        uint64_t queryid;
        uint32_t executions;
        uint32_t single_row_writes;
        uint32_t first_ordinal;
        uint32_t last_ordinal;
        uint32_t last_used;
        uint8_t nparams;
        uint8_t command;
        uint8_t reported;  // bitmask of LoopKind reported in this scope
        uint8_t rejected;  // bitmask of LoopKind judged not to be a loop (traps)
        uint16_t flags;    // OR of the statements' EventFlags
        uint16_t pad;
        uint32_t max_nvalues;
        uint32_t relid;
        uint64_t total_ns;
        uint64_t total_rows;
        // The rest.
        uint64_t parent_queryid;
        uint64_t parent_rows;
        uint32_t parent_relid;
        ParentChoice parent_choice;
        uint64_t last_write_xact;  // implicit transaction of the last counted single-row write
        uint64_t param_bits[4];    // distinct estimate beyond kExactParams (linear counting)
        uint64_t params[kExactParams];
    };
    struct Scope {
        uint64_t key = 0;
        ScopeKind kind = ScopeKind::Burst;
        bool in_use = false;
        uint64_t last_used = 0;
        uint32_t nstatements;
        uint32_t nrecent;
        uint32_t nshapes;  // shapes[0..nshapes) are in use
        // The newest recent entries that may be a parent (a multi-row SELECT; any statement):
        // their nrecent - 1 at the time, kNoRecent for none.
        uint32_t last_multi_row;
        uint32_t last_eligible;
        TraceId trace;
        uint64_t request_key;
        uint64_t shape_ids[kMaxShapes];  // query id of shapes[i]
        Recent recent[kRecent];
        ShapeStat shapes[kMaxShapes];
    };

    size_t feed(const StatementEvent &ev, ScopeKind kind, uint64_t key, LoopVerdict *out,
                ShapeFactsLookup facts, void *facts_context);
    Scope &scope_for(ScopeKind kind, uint64_t key, const StatementEvent &ev);
    ShapeStat &shape_for(Scope &s, uint64_t queryid);
    static constexpr uint32_t kNoRecent = UINT32_MAX;
    void choose_parent(const Scope &s, ShapeStat &st, uint64_t queryid, uint32_t multi_row,
                       uint32_t eligible) const;
    void walk_for_parent(const Scope &s, ShapeStat &st, uint64_t queryid) const;
    // The newest recent entry r (at nrecent - 1) may be a parent: the scope's markers follow.
    static void note_parent_candidate(Scope &s, const Recent &r);
    friend struct LoopDetectorPeer;  // unit tests: the parent from the markers against a walk
    double noise(const Scope &s, const ShapeStat &st) const;
    static uint32_t distinct(const ShapeStat &st);
    static void add_param(ShapeStat &st, uint64_t fp);
    LoopVerdict verdict(const Scope &s, const ShapeStat &st, LoopKind kind, bool first,
                        const StatementEvent &ev) const;

    // What every statement reads first, together; the scopes after.
    DetectorConfig config_;
    size_t last_scope_ = 0;  // index of the scope found last
    uint64_t clock_ = 0;
    uint64_t multi_xact_ = 0;  // explicit transaction known to hold several statements
    uint64_t burst_seq_ = 0;   // the burst whose scope key is burst_key_ (0: none yet)
    uint64_t burst_key_ = 0;
    // The first statement of an untagged explicit transaction, held until we know whether the
    // transaction has more.
    bool held_ = false;
    StatementEvent held_event_{};
    Scope scopes_[kMaxScopes];
};

}  // namespace pg_advisor
