// pg_advisor's shared memory: one segment holding the query-pattern store and the scan-shape
// store, each guarded by its own LWLock, plus counters of what could not be recorded.
// Include after postgres.h (and after the core headers it names).
#pragma once

#include "core/loops/loop_finding.h"
#include "core/workload/query_pattern.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "datatype/timestamp.h"
#include "port/atomics.h"
#include "storage/lwlock.h"
}

struct PgaSharedState {
    LWLock *patterns_lock;
    LWLock *shapes_lock;
    LWLock *findings_lock;
    uint32 max_patterns;
    uint32 max_findings;
    Size patterns_offset;
    Size shapes_offset;
    Size findings_offset;
    pg_atomic_uint64 capture_failures;  // statements skipped because of an internal problem
    pg_atomic_uint64 restored_patterns;
    pg_atomic_uint64 query_id_jumbles;     // statements pg_advisor jumbled itself (cache misses)
    pg_atomic_uint64 query_id_mismatches;  // reused ids a fresh jumble contradicted
    TimestampTz started_at;
};

extern PgaSharedState *pga_shared;

// Installs shmem_request / shmem_startup (called from _PG_init while preloading).
void pga_shmem_install(void);

struct PgaSharedView {
    PgaSharedState *shared;
    char *patterns;
    char *shapes;
    char *findings;
    LWLock *patterns_lock;
    LWLock *shapes_lock;
    LWLock *findings_lock;
};

// The addresses derived from pga_shared, kept in backend-local memory: the per-statement path
// then reads no line of the shared header (a cache miss per statement otherwise). Recomputed
// if the segment is attached anew (the postmaster after a crash).
extern PgaSharedView pga_view;
void pga_view_refresh(void);
static inline const PgaSharedView &pga_shared_view(void) {
    if (unlikely(pga_view.shared != pga_shared)) pga_view_refresh();
    return pga_view;
}

// The stores; only valid when pga_shared is set.
static inline pg_advisor::PatternStore pga_pattern_store(void) {
    return pg_advisor::PatternStore(pga_shared_view().patterns);
}
static inline pg_advisor::ShapeStore pga_shape_store(void) {
    return pg_advisor::ShapeStore(pga_shared_view().shapes);
}
pg_advisor::FindingStore pga_finding_store(void);
// The pattern store's lock (what the per-execution path takes, read from local memory).
LWLock *pga_patterns_lock(void);

// Raises the "not preloaded" error used by every SQL-callable function.
void pga_require_shared_state(void);

// Where the statistics are saved at clean shutdown (relative to the data directory).
#define PGA_STATS_FILE "pg_stat/pg_advisor.stat"
