// planner_hook: captures the scan shapes of each query id once. A backend-local set of the ids
// it already knows keeps repeated planning (every execution in the simple protocol) to one
// local probe; it is forgotten whenever the shared shape store evicts or resets.
#include <exception>
#include <string_view>

#include "core/common/hash.h"
#include "core/sql/statement_fingerprint.h"
#include "core/workload/known_keys.h"
#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "miscadmin.h"
#include "optimizer/planner.h"
#include "storage/lwlock.h"
#include "parser/parser.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/guc.h"
#include "pg/boundary/protect.h"
#include "pg/capture/shape_extract.h"
#include "pg/shmem/shared_state.h"

using namespace pg_advisor;

static planner_hook_type prev_planner_hook = NULL;

// (database, query id) hashes whose shape is already stored (backend-local).
static KnownKeys<2048> known_shapes;

static uint64 known_key(uint64 queryid) {
    return hash_combine(queryid, MyDatabaseId);
}

// Whether this query id's shape is known to be stored: a local probe only. Never raises.
static bool shape_known(uint64 queryid) {
    return known_shapes.contains(known_key(queryid), pga_shape_store().generation());
}

// Whether this query id still needs its shape captured (the shared store decides).
static bool shape_needed(uint64 queryid) {
    ShapeStore store = pga_shape_store();
    uint64 generation = store.generation();
    ShapeKey skey = make_shape_key(MyDatabaseId, queryid);
    LWLockAcquire(pga_shared->shapes_lock, LW_SHARED);
    bool exists = store.find(skey) != nullptr;
    LWLockRelease(pga_shared->shapes_lock);
    if (exists) known_shapes.add(known_key(queryid), generation);
    return !exists;
}

static void capture_shape(Query *parse, const char *query_string, PlannedStmt *stmt, uint64 queryid,
                          const PgaParamColumns *params) {
    ShapeStore store = pga_shape_store();
    uint64 generation = store.generation();
    ShapeKey skey = make_shape_key(MyDatabaseId, queryid);
    ShapeBuilder builder;
    // Where the statement's literals are, to tie each constant to its literal.
    PgaStatementLiterals literals{query_string, NULL, 0};
    uint32 offsets[pg_advisor::kTrackedLiterals];
    if (query_string != NULL) {
        std::string_view text(query_string);
        pg_advisor::sql::LexOptions opts = pga_lex_options();
        pg_advisor::StatementSpan span =
            pg_advisor::statement_span(text, parse->stmt_location, parse->stmt_len);
        pg_advisor::FingerprintRegions regions;
        pg_advisor::fingerprint_statement(text, span, opts, false, &regions);
        literals.offsets = offsets;
        literals.n = (int)pg_advisor::literal_offsets(regions, span, offsets);
    }
    pga_extract_shape(parse, stmt, params, &builder, query_string != NULL ? &literals : NULL);
    char *blob = static_cast<char *>(palloc(builder.encoded_size()));
    size_t len = builder.encode(blob, builder.encoded_size());
    TimestampTz now = GetCurrentTimestamp();
    LWLockAcquire(pga_shared->shapes_lock, LW_EXCLUSIVE);
    bool stored = insert_shape(store, skey, std::string_view(blob, len), now) != nullptr;
    LWLockRelease(pga_shared->shapes_lock);
    pfree(blob);
    if (stored)
        known_shapes.add(known_key(queryid), generation);
    else
        pga_capture_failed("storing a scan shape", "no room in shared memory");
}

static PlannedStmt *plan(Query *parse, const char *query_string, int cursorOptions,
                         ParamListInfo boundParams) {
    return prev_planner_hook ? prev_planner_hook(parse, query_string, cursorOptions, boundParams)
                             : standard_planner(parse, query_string, cursorOptions, boundParams);
}

// Planning with the capture of the plan's scan shapes (the first planning of a query id).
static __attribute__((noinline)) PlannedStmt *plan_and_capture(Query *parse,
                                                               const char *query_string,
                                                               int cursorOptions,
                                                               ParamListInfo boundParams) {
    uint64 queryid = pga_queryid(parse->queryId);
    volatile bool capture = false;
    PgaParamColumns params;
    params.n = 0;
    params.overflow = false;
    params.limit_param = false;
    pga_run_protected("capturing scan shapes", [&] {
        if (!shape_needed(queryid)) return;
        // A custom plan folds bound parameters into constants: note them first.
        if (boundParams != NULL) pga_collect_param_columns(parse, &params);
        capture = true;
    });
    PlannedStmt *result = plan(parse, query_string, cursorOptions, boundParams);
    if (capture)
        pga_run_protected("capturing scan shapes", [&] {
            capture_shape(parse, query_string, result, queryid,
                          boundParams != NULL ? &params : NULL);
        });
    return result;
}

// Almost every planning is of a query id whose shape is known: then this hook hands over to the
// planner with a tail call, so that it never runs again when the planning returns.
static PlannedStmt *pga_planner(Query *parse, const char *query_string, int cursorOptions,
                                ParamListInfo boundParams) {
    uint64 queryid = pga_queryid(parse->queryId);
    if (queryid != 0 && pga_shared != NULL && pga_enabled && pga_track != PGA_TRACK_NONE &&
        pga_active_function == NULL && !IsParallelWorker() && parse->utilityStmt == NULL &&
        !shape_known(queryid))
        return plan_and_capture(parse, query_string, cursorOptions, boundParams);
    return plan(parse, query_string, cursorOptions, boundParams);
}

void pga_install_planner_hook(void) {
    prev_planner_hook = planner_hook;
    planner_hook = pga_planner;
}
