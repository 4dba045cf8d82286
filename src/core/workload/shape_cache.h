// The captured scan shapes of each planned query id (one blob per (database, query id)), plus
// per-scan counters from sampled, instrumented executions (rows scanned vs returned).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/store/fixed_store.h"

namespace pg_advisor {

struct ShapeKey {
    uint32_t dbid;
    uint32_t pad;  // always 0
    uint64_t queryid;
};

inline ShapeKey make_shape_key(uint32_t dbid, uint64_t queryid) {
    ShapeKey k{};
    k.dbid = dbid;
    k.queryid = queryid;
    return k;
}

struct ScanCounters {
    uint64_t loops;          // scan node (re)starts over sampled executions
    uint64_t rows_scanned;   // rows the scan read (returned + removed by its filter)
    uint64_t rows_returned;  // rows the scan produced
};

struct ShapeEntry {
    static constexpr size_t kMaxCountedScans = 8;

    ShapeKey key;
    uint64_t usage;
    int64_t captured_at;
    uint64_t sampled_execs;
    ScanCounters scans[kMaxCountedScans];  // by scan index in the shape blob

    static uint64_t hash_key(const ShapeKey &k);
    void snapshot_to(ShapeEntry &dst) const;
};

using ShapeStore = FixedStore<ShapeEntry>;

// Stores a captured shape blob (exclusive lock). Keeps the existing one if present.
ShapeEntry *insert_shape(ShapeStore &store, const ShapeKey &key, std::string_view blob,
                         int64_t now);

// Adds the instrumentation of one sampled execution of scan `index` (shared lock).
void record_scan_sample(ShapeEntry &e, size_t index, uint64_t loops, uint64_t rows_scanned,
                        uint64_t rows_returned);

}  // namespace pg_advisor
