#include "core/indexes/seq_scan_hotspots.h"

#include <gtest/gtest.h>

using namespace pg_advisor;

namespace {

HotspotScan scan(uint64_t queryid, double calls, double est_rows) {
    HotspotScan s;
    s.queryid = queryid;
    s.calls = calls;
    s.total_ms = calls * 2;
    s.est_rows = est_rows;
    s.quals = {"status eq param"};
    return s;
}

}  // namespace

TEST(SeqScanHotspots, FromPlannerEstimates) {
    Hotspot h;
    ASSERT_TRUE(compute_hotspot(42, 100000, {scan(1, 10, 5)}, HotspotLimits(), &h));
    EXPECT_EQ(h.relid, 42u);
    EXPECT_DOUBLE_EQ(h.seq_scans, 10);
    EXPECT_DOUBLE_EQ(h.rows_scanned, 1000000);
    EXPECT_DOUBLE_EQ(h.rows_returned, 50);
    EXPECT_DOUBLE_EQ(h.filter_ratio, 1 - 50.0 / 1000000);
    EXPECT_DOUBLE_EQ(h.total_ms, 20);
    EXPECT_FALSE(h.measured);
    EXPECT_EQ(h.quals, std::vector<std::string>({"status eq param"}));
    EXPECT_EQ(h.queryids, std::vector<uint64_t>({1}));
}

TEST(SeqScanHotspots, SampledInstrumentationWinsOverEstimates) {
    HotspotScan s = scan(1, 10, 5);
    s.sampled_execs = 2;
    s.sampled_loops = 4;  // two loops per execution (the inner side of a join)
    s.sampled_scanned = 200000;
    s.sampled_returned = 4000;
    Hotspot h;
    ASSERT_TRUE(compute_hotspot(42, 100000, {s}, HotspotLimits(), &h));
    EXPECT_TRUE(h.measured);
    EXPECT_DOUBLE_EQ(h.seq_scans, 20);
    EXPECT_DOUBLE_EQ(h.rows_scanned, 1000000);  // 20 scans x 50000 rows per loop
    EXPECT_DOUBLE_EQ(h.rows_returned, 20000);
    EXPECT_DOUBLE_EQ(h.filter_ratio, 0.98);
}

TEST(SeqScanHotspots, AggregatesStatementsAndDeduplicatesQuals) {
    HotspotScan a = scan(1, 10, 5), b = scan(2, 5, 10);
    b.quals = {"status eq param", "created_at range param"};
    Hotspot h;
    ASSERT_TRUE(compute_hotspot(42, 100000, {a, b}, HotspotLimits(), &h));
    EXPECT_DOUBLE_EQ(h.seq_scans, 15);
    EXPECT_DOUBLE_EQ(h.rows_returned, 100);
    EXPECT_EQ(h.quals, std::vector<std::string>({"status eq param", "created_at range param"}));
    EXPECT_EQ(h.queryids, std::vector<uint64_t>({1, 2}));
}

TEST(SeqScanHotspots, NotHotspots) {
    Hotspot h;
    // Small table.
    EXPECT_FALSE(compute_hotspot(42, 999, {scan(1, 10, 5)}, HotspotLimits(), &h));
    // A full read (no filter): nothing an index could do.
    HotspotScan full = scan(1, 10, 100000);
    full.quals.clear();
    EXPECT_FALSE(compute_hotspot(42, 100000, {full}, HotspotLimits(), &h));
    // Filters that keep 60% of the rows.
    EXPECT_FALSE(compute_hotspot(42, 100000, {scan(1, 10, 60000)}, HotspotLimits(), &h));
    HotspotLimits loose;
    loose.min_filter_ratio = 0.3;
    EXPECT_TRUE(compute_hotspot(42, 100000, {scan(1, 10, 60000)}, loose, &h));
    EXPECT_DOUBLE_EQ(h.filter_ratio, 0.4);
}
