#include "core/workload/shape_cache.h"

#include <cstring>

#include "core/common/hash.h"
#include "core/common/shared_atomic.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

uint64_t ShapeEntry::hash_key(const ShapeKey &k) {
    return hash_combine(k.queryid, k.dbid);
}

void ShapeEntry::snapshot_to(ShapeEntry &dst) const {
    std::memcpy(&dst, this, sizeof(ShapeEntry));
    dst.usage = atomic_load(usage);
    dst.sampled_execs = atomic_load(sampled_execs);
    for (size_t i = 0; i < kMaxCountedScans; i++) {
        dst.scans[i].loops = atomic_load(scans[i].loops);
        dst.scans[i].rows_scanned = atomic_load(scans[i].rows_scanned);
        dst.scans[i].rows_returned = atomic_load(scans[i].rows_returned);
    }
}

ShapeEntry *insert_shape(ShapeStore &store, const ShapeKey &key, std::string_view blob,
                         int64_t now) {
    ShapeEntry *e = store.insert(key, blob, now);
    if (e && e->captured_at == 0) e->captured_at = now;
    return e;
}

void record_scan_sample(ShapeEntry &e, size_t index, uint64_t loops, uint64_t rows_scanned,
                        uint64_t rows_returned) {
    if (index >= ShapeEntry::kMaxCountedScans) return;
    atomic_add(e.scans[index].loops, loops);
    atomic_add(e.scans[index].rows_scanned, rows_scanned);
    atomic_add(e.scans[index].rows_returned, rows_returned);
    atomic_add(e.usage, ShapeStore::kUsagePerCall);
}

}  // namespace pg_advisor
