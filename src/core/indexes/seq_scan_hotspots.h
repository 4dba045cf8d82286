// Seq-scan hotspots: relations that captured statements read sequentially while filtering
// most rows away. Rows scanned and returned come from sampled executions (node
// instrumentation) when there are any, else from the planner's estimates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pg_advisor {

struct HotspotScan {
    uint64_t queryid = 0;
    double calls = 0;          // executions of the statement
    double total_ms = 0;       // its total execution time
    double sampled_execs = 0;  // sampled executions with instrumentation
    double sampled_loops = 0;
    double sampled_scanned = 0;
    double sampled_returned = 0;
    double est_rows = 0;  // planner: rows returned per loop
    std::vector<std::string> quals;
};

struct Hotspot {
    uint32_t relid = 0;
    double seq_scans = 0;
    double rows_scanned = 0;
    double rows_returned = 0;
    double filter_ratio = 0;  // share of scanned rows the filters removed
    double total_ms = 0;
    bool measured = false;  // at least one statement was sampled
    std::vector<std::string> quals;
    std::vector<uint64_t> queryids;
};

struct HotspotLimits {
    double min_table_rows = 1000;
    double min_filter_ratio = 0.5;
};

// Aggregates the sequential scans of one relation; returns false when it is not a hotspot
// (small table, no filter, or filters that keep most rows).
bool compute_hotspot(uint32_t relid, double reltuples, const std::vector<HotspotScan> &scans,
                     const HotspotLimits &limits, Hotspot *out);

}  // namespace pg_advisor
