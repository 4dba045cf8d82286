// What the review rules know about the captured workload: statements with their counters and
// plan facts, loop findings (N+1, write loops, duplicates), verified index recommendations and
// seq-scan hotspots. src/pg fills it from shared memory and the advisor runs; the command line
// has none yet (available = false: its rules report "not checked"; reading server logs is a
// later issue). Only what the reading role may see is in it
// (pg_stat_statements' rule: other users' statements only for superusers and members of
// pg_read_all_stats).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pg_advisor::workload {

using Micros = int64_t;

// One scan of a statement's plan (from its captured scan shape).
struct ScanEvidence {
    uint32_t relid = 0;
    std::string relation;   // qualified name, quoted where needed
    std::string scan_type;  // "seq_scan", "index_scan", ...
    std::string index;      // index used, "" for none
    double est_rows = 0;
    // Per sampled execution (from per-node instrumentation): rows the scan read and returned;
    // -1 when no execution was sampled.
    double rows_scanned = -1;
    double rows_returned = -1;
};

struct StatementEvidence {
    uint64_t queryid = 0;
    uint32_t userid = 0;
    std::string role;
    std::string query;    // normalised text ($n for constants)
    std::string command;  // "select", "insert", ...
    bool toplevel = true;
    double calls = 0;
    double total_ms = 0;
    double mean_ms = 0;
    double max_ms = 0;
    double rows = 0;
    Micros first_seen = 0;
    Micros last_seen = 0;
    std::string application_name;
    std::vector<std::pair<std::string, std::string>> tags;  // last sqlcommenter / marginalia tags
    // From the captured plan (false / -1 when no shape was captured).
    bool has_shape = false;
    bool has_offset = false;
    int64_t offset =
        -1;              // the largest OFFSET an execution skipped (or the planned one), -1 unknown
    int64_t limit = -1;  // LIMIT constant, -1 none or unknown
    bool has_aggregate = false;
    double plan_rows = 0;  // planner's estimate of the rows returned
    double plan_cost = 0;
    std::vector<ScanEvidence> scans;
    // Executions whose text carried literals rather than bind parameters (simple protocol with
    // inlined constants); -1 when not tracked.
    double literal_calls = -1;
};

// A loop finding of the detector, as advisor.n_plus_one describes it.
struct LoopEvidence {
    std::string kind;  // "n_plus_one", "bulk_write_loop", "duplicate_query"
    uint64_t parent_queryid = 0;
    std::string parent_query;
    uint64_t child_queryid = 0;
    std::string child_query;
    std::string child_relation;   // qualified, "" when unknown
    std::string parent_relation;  // qualified, "" when unknown
    double occurrences = 0;       // units of work in which the loop was seen
    double executions = 0;        // child executions in those loops
    double max_repeats = 0;
    double typical_repeats = 0;
    double distinct_params = 0;
    double child_total_ms = 0;
    Micros first_seen = 0;
    Micros last_seen = 0;
    std::vector<std::pair<std::string, std::string>> tags;
    std::string framework;
    std::string suggested_sql;
    std::string orm_fix;
    std::string expected_queries;  // "21 -> 2"
    std::string reason;
    std::string scope_kind;
    std::string example_scope;
};

// A recommended index of the advisor (verified by what-if planning).
struct IndexAdviceEvidence {
    std::string recommendation_key;
    std::string relation;  // qualified
    std::vector<std::string> key_columns;
    std::vector<std::string> include_columns;
    std::string predicate;
    std::string ddl;
    double est_size_bytes = 0;
    std::vector<uint64_t> queryids;
    double calls = 0;
    double cost_before = 0;
    double cost_after = 0;
    double saving_pct = 0;
    double benefit = 0;
    std::string reason;
};

struct HotspotEvidence {
    std::string relation;  // qualified
    double seq_scans = 0;
    double rows_scanned = 0;
    double rows_returned = 0;
    double filter_ratio = 0;
    double total_ms = 0;
    double time_share = 0;
    std::vector<std::string> quals;
    std::vector<uint64_t> queryids;
    bool measured = false;
};

struct WorkloadSnapshot {
    // Whether statements are captured at all (pg_advisor preloaded and enabled, or
    // pg_stat_statements readable), and by what.
    bool available = false;
    std::string source;  // "pg_advisor", "pg_stat_statements", "server log"
    std::string unavailable_reason;
    Micros window_start = 0;  // since when the counters run (last reset or start)
    Micros window_end = 0;
    std::vector<StatementEvidence> statements;
    std::vector<LoopEvidence> loops;
    std::vector<IndexAdviceEvidence> index_advice;
    std::vector<HotspotEvidence> hotspots;
};

}  // namespace pg_advisor::workload
