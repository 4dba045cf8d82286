#include "core/indexes/seq_scan_hotspots.h"

#include <algorithm>

#include "core/common/no_postgres.h"

namespace pg_advisor {

bool compute_hotspot(uint32_t relid, double reltuples, const std::vector<HotspotScan> &scans,
                     const HotspotLimits &limits, Hotspot *out) {
    Hotspot h;
    h.relid = relid;
    if (reltuples < limits.min_table_rows) return false;
    for (const HotspotScan &s : scans) {
        if (s.quals.empty() || s.calls <= 0) continue;  // a full read: nothing to index
        double loops = 1, scanned = reltuples, returned = s.est_rows;
        if (s.sampled_execs > 0 && s.sampled_loops > 0) {
            loops = s.sampled_loops / s.sampled_execs;
            scanned = s.sampled_scanned / s.sampled_loops;
            returned = s.sampled_returned / s.sampled_loops;
            h.measured = true;
        }
        h.seq_scans += s.calls * loops;
        h.rows_scanned += s.calls * loops * scanned;
        h.rows_returned += s.calls * loops * std::min(returned, scanned);
        h.total_ms += s.total_ms;
        for (const std::string &q : s.quals)
            if (std::find(h.quals.begin(), h.quals.end(), q) == h.quals.end()) h.quals.push_back(q);
        if (std::find(h.queryids.begin(), h.queryids.end(), s.queryid) == h.queryids.end())
            h.queryids.push_back(s.queryid);
    }
    if (h.rows_scanned <= 0) return false;
    h.filter_ratio = 1.0 - h.rows_returned / h.rows_scanned;
    if (h.filter_ratio < limits.min_filter_ratio) return false;
    *out = h;
    return true;
}

}  // namespace pg_advisor
