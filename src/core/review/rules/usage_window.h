// The statistics window of usage-based rules: how long the cumulative counters (scans, tuples)
// have been counting. With statistics reset (pg_stat_reset()), since the reset; never reset,
// at least since the server started (counters survive a clean restart, so the real window may
// be longer, but a crash discards them: the start time is the bound that is always true).
#pragma once

#include <string>

#include "core/catalog/catalog_snapshot.h"
#include "core/review/registry.h"

namespace pg_advisor::review {

struct UsageWindow {
    double days = -1;  // -1: unknown (no clock or start time in the snapshot)
    bool since_reset = false;
    catalog::Micros start = 0;
    std::string describe() const;  // "9.5 days (since the statistics reset of 2026-01-02 ...)"
};

UsageWindow usage_window(const catalog::Database &db);

// The window, or a skip of the rule (false) when it is shorter than the threshold
// `threshold_name` (days) or unknown: usage counters over a short window say nothing.
bool require_usage_window(RuleContext &cx, const char *threshold_name, UsageWindow *out);

}  // namespace pg_advisor::review
