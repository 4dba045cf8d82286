// planner_hook: captures the scan shapes of each query id once. A backend-local set of the ids
// it already knows keeps repeated planning (every execution in the simple protocol) to one
// hash probe; it is dropped whenever the shared shape store evicts or resets.
#include <exception>
#include <string_view>

#include "core/hash.h"
#include "core/query_pattern.h"
#include "core/scan_shape.h"
#include "core/session_tracker.h"
#include "core/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "miscadmin.h"
#include "optimizer/planner.h"
#include "storage/lwlock.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture.h"
#include "pg/guc.h"
#include "pg/protect.h"
#include "pg/shape_extract.h"
#include "pg/shared_state.h"

using namespace pg_advisor;

static planner_hook_type prev_planner_hook = NULL;

// Open-addressing set of (database, query id) hashes whose shape is already stored.
static constexpr int kKnownSlots = 2048;
static uint64 known_shapes[kKnownSlots];
static uint64 known_generation = UINT64_MAX;

static uint64 known_key(uint64 queryid) {
    uint64 k = hash_combine(queryid, MyDatabaseId);
    return k == 0 ? 1 : k;
}

static bool shape_known(uint64 key, uint64 generation) {
    if (generation != known_generation) {
        memset(known_shapes, 0, sizeof known_shapes);
        known_generation = generation;
        return false;
    }
    for (int i = 0; i < 8; i++) {
        uint64 slot = known_shapes[(key + i) % kKnownSlots];
        if (slot == key) return true;
        if (slot == 0) return false;
    }
    return false;
}

static void remember_shape(uint64 key) {
    for (int i = 0; i < 8; i++) {
        uint64 &slot = known_shapes[(key + i) % kKnownSlots];
        if (slot == 0 || slot == key) {
            slot = key;
            return;
        }
    }
    known_shapes[key % kKnownSlots] = key;  // crowded: overwrite, at worst one extra probe
}

// Whether this query id still needs its shape captured (cheap: a local probe first).
static bool shape_needed(uint64 queryid) {
    ShapeStore store = pga_shape_store();
    uint64 key = known_key(queryid);
    if (shape_known(key, store.generation())) return false;
    ShapeKey skey = make_shape_key(MyDatabaseId, queryid);
    LWLockAcquire(pga_shared->shapes_lock, LW_SHARED);
    bool exists = store.find(skey) != nullptr;
    LWLockRelease(pga_shared->shapes_lock);
    if (exists) remember_shape(key);
    return !exists;
}

static void capture_shape(Query *parse, PlannedStmt *stmt, uint64 queryid,
                          const PgaParamColumns *params) {
    ShapeStore store = pga_shape_store();
    uint64 key = known_key(queryid);
    ShapeKey skey = make_shape_key(MyDatabaseId, queryid);
    ShapeBuilder builder;
    pga_extract_shape(parse, stmt, params, &builder);
    char *blob = static_cast<char *>(palloc(builder.encoded_size()));
    size_t len = builder.encode(blob, builder.encoded_size());
    TimestampTz now = GetCurrentTimestamp();
    LWLockAcquire(pga_shared->shapes_lock, LW_EXCLUSIVE);
    bool stored = insert_shape(store, skey, std::string_view(blob, len), now) != nullptr;
    LWLockRelease(pga_shared->shapes_lock);
    pfree(blob);
    if (stored)
        remember_shape(key);
    else
        pga_capture_failed("storing a scan shape", "no room in shared memory");
}

static PlannedStmt *pga_planner(Query *parse, const char *query_string, int cursorOptions,
                                ParamListInfo boundParams) {
    uint64 queryid = pga_queryid(parse->queryId);
    volatile bool capture = false;
    PgaParamColumns params;
    params.n = 0;
    params.overflow = false;
    params.limit_param = false;
    if (queryid != 0 && pga_shared != NULL && pga_enabled && pga_track != PGA_TRACK_NONE &&
        !pga_internal_planning && !IsParallelWorker() && parse->utilityStmt == NULL) {
        pga_run_protected("capturing scan shapes", [&] {
            if (!shape_needed(queryid)) return;
            // A custom plan folds bound parameters into constants: note them first.
            if (boundParams != NULL) pga_collect_param_columns(parse, &params);
            capture = true;
        });
    }
    PlannedStmt *result = prev_planner_hook
                              ? prev_planner_hook(parse, query_string, cursorOptions, boundParams)
                              : standard_planner(parse, query_string, cursorOptions, boundParams);
    if (capture)
        pga_run_protected("capturing scan shapes", [&] {
            capture_shape(parse, result, queryid, boundParams != NULL ? &params : NULL);
        });
    return result;
}

void pga_install_planner_hook(void) {
    prev_planner_hook = planner_hook;
    planner_hook = pga_planner;
}
