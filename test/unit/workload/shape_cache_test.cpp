#include "core/workload/shape_cache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

struct ShapeBlock {
    std::vector<uint64_t> mem;
    ShapeStore store;
    explicit ShapeBlock(uint32_t capacity = 16, uint64_t arena = 8192)
        : mem(ShapeStore::required_size(capacity, arena) / 8, 0) {
        store = ShapeStore::format(mem.data(), capacity, arena);
    }
};

}  // namespace

TEST(ShapeCache, MakeShapeKey) {
    ShapeKey k = make_shape_key(5, 0xABCDEF0123ULL);
    EXPECT_EQ(k.dbid, 5u);
    EXPECT_EQ(k.pad, 0u);
    EXPECT_EQ(k.queryid, 0xABCDEF0123ULL);
    EXPECT_NE(ShapeEntry::hash_key(k), ShapeEntry::hash_key(make_shape_key(6, 0xABCDEF0123ULL)));
    EXPECT_NE(ShapeEntry::hash_key(k), ShapeEntry::hash_key(make_shape_key(5, 0xABCDEF0124ULL)));
}

TEST(ShapeCache, InsertShapeKeepsTheFirstBlob) {
    ShapeBlock b;
    ShapeKey k = make_shape_key(1, 42);
    std::string first("shape\0one", 9);
    ShapeEntry *e = insert_shape(b.store, k, first, 1000);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->captured_at, 1000);
    EXPECT_EQ(e->sampled_execs, 0u);
    EXPECT_EQ(e->usage, ShapeStore::kUsagePerCall);
    for (const ScanCounters &c : e->scans) {
        EXPECT_EQ(c.loops, 0u);
        EXPECT_EQ(c.rows_scanned, 0u);
        EXPECT_EQ(c.rows_returned, 0u);
    }
    EXPECT_EQ(b.store.blob(e), first);

    ShapeEntry *again = insert_shape(b.store, k, "shape two", 2000);
    EXPECT_EQ(again, e);
    EXPECT_EQ(e->captured_at, 1000);
    EXPECT_EQ(b.store.blob(e), first);
    EXPECT_EQ(b.store.count(), 1u);

    ShapeEntry *other = insert_shape(b.store, make_shape_key(2, 42), "other db", 3000);
    ASSERT_NE(other, nullptr);
    EXPECT_NE(other, e);
    EXPECT_EQ(other->captured_at, 3000);
    EXPECT_EQ(b.store.blob(other), "other db");
}

TEST(ShapeCache, RecordScanSampleAccumulates) {
    ShapeBlock b;
    ShapeEntry *e = insert_shape(b.store, make_shape_key(1, 1), "s", 1);
    record_scan_sample(*e, 0, 1, 100, 10);
    record_scan_sample(*e, 0, 2, 50, 5);
    record_scan_sample(*e, ShapeEntry::kMaxCountedScans - 1, 7, 8, 9);
    EXPECT_EQ(e->scans[0].loops, 3u);
    EXPECT_EQ(e->scans[0].rows_scanned, 150u);
    EXPECT_EQ(e->scans[0].rows_returned, 15u);
    EXPECT_EQ(e->scans[7].loops, 7u);
    EXPECT_EQ(e->scans[7].rows_scanned, 8u);
    EXPECT_EQ(e->scans[7].rows_returned, 9u);
    for (size_t i = 1; i < 7; i++)
        EXPECT_EQ(e->scans[i].loops, 0u) << i;
    EXPECT_EQ(e->usage, 4 * ShapeStore::kUsagePerCall);
    EXPECT_EQ(e->sampled_execs, 0u);  // counted by the caller, not here
}

TEST(ShapeCache, RecordScanSampleIgnoresIndexesBeyondTheCountedScans) {
    ShapeBlock b;
    ShapeEntry *e = insert_shape(b.store, make_shape_key(1, 1), "s", 1);
    ShapeEntry before;
    e->snapshot_to(before);
    record_scan_sample(*e, ShapeEntry::kMaxCountedScans, 1, 2, 3);
    record_scan_sample(*e, 1000, 1, 2, 3);
    EXPECT_EQ(std::memcmp(&before, e, sizeof before), 0);  // not even usage moved
}

TEST(ShapeCache, SnapshotToCopiesCounters) {
    ShapeBlock b;
    ShapeEntry *e = insert_shape(b.store, make_shape_key(3, 4), "s", 55);
    e->sampled_execs = 6;
    for (size_t i = 0; i < ShapeEntry::kMaxCountedScans; i++)
        record_scan_sample(*e, i, i, 2 * i, 3 * i);
    ShapeEntry copy;
    std::memset(&copy, 0xCD, sizeof copy);
    e->snapshot_to(copy);
    EXPECT_EQ(std::memcmp(&copy, e, sizeof copy), 0);
    EXPECT_EQ(copy.scans[5].rows_returned, 15u);
    EXPECT_EQ(copy.captured_at, 55);
}

TEST(ShapeCache, SnapshotAndRestore) {
    ShapeBlock src;
    for (uint64_t q = 1; q <= 5; q++) {
        ShapeEntry *e =
            insert_shape(src.store, make_shape_key(9, q), std::string(q * 10, 'a' + q), 100 + q);
        record_scan_sample(*e, q, q, q * 10, q);
    }
    std::vector<char> buf(src.store.snapshot_capacity());
    buf.resize(src.store.snapshot(buf.data(), buf.size()));
    ShapeStore::Snapshot snap(buf.data(), buf.size());
    ASSERT_TRUE(snap.ok());
    ShapeBlock dst;
    EXPECT_EQ(dst.store.restore(snap), 5u);
    for (uint64_t q = 1; q <= 5; q++) {
        const ShapeEntry *r = dst.store.find(make_shape_key(9, q));
        ASSERT_NE(r, nullptr);
        EXPECT_EQ(std::memcmp(r, src.store.find(make_shape_key(9, q)), sizeof *r), 0);
        EXPECT_EQ(dst.store.blob(r), std::string(q * 10, 'a' + q));
        EXPECT_EQ(r->scans[q].rows_scanned, q * 10);
    }
}
