// Executor hooks: one record per execution (time, rows, nesting level, parameter fingerprint,
// scope keys) into the query pattern and the session tracker; per-node row counts of sampled
// executions into the scan shapes.
#include <exception>
#include <string_view>

#include "core/common/hash.h"
#include "core/sql/query_normalizer.h"
#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/workload/sampling.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "executor/executor.h"
#include "executor/instrument.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "parser/parser.h"
#include "parser/parsetree.h"
#include "storage/lwlock.h"
#include "utils/array.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/ddl/live_review.h"
#include "pg/loops/detect_loops.h"
#include "pg/hooks/execution_timer.h"
#include "pg/guc.h"
#include "pg/boundary/protect.h"
#include "pg/shmem/shared_state.h"

using namespace pg_advisor;

static ExecutorStart_hook_type prev_ExecutorStart = NULL;
static ExecutorRun_hook_type prev_ExecutorRun = NULL;
static ExecutorFinish_hook_type prev_ExecutorFinish = NULL;
static ExecutorEnd_hook_type prev_ExecutorEnd = NULL;

// ---- Parameter fingerprints.

// Type facts per parameter type, cached: the lookup is a syscache probe otherwise.
struct TypeFacts {
    Oid type;
    int16 typlen;
    bool byval;
    bool is_array;
};
static TypeFacts type_cache[32];

// NULL when the type cannot be read (the lookup, which can raise, is protected).
static const TypeFacts *type_facts(Oid type) {
    TypeFacts &slot = type_cache[type % 32];
    if (likely(slot.type == type)) return &slot;
    TypeFacts facts{type, 0, false, false};
    bool read = false;
    pga_run_protected("reading a parameter's type", [&] {
        get_typlenbyval(type, &facts.typlen, &facts.byval);
        facts.is_array = facts.typlen == -1 && get_element_type(type) != InvalidOid;
        read = true;
    });
    if (!read) return NULL;
    slot = facts;
    return &slot;
}

// Values longer than this are fingerprinted by their length and first bytes only.
static constexpr size_t kMaxHashedBytes = 4096;

static uint64 datum_fingerprint(Datum value, const TypeFacts &tf, uint32 *array_items) {
    if (tf.byval) return mix64((uint64)value);
    const char *p;
    size_t len;
    if (tf.typlen == -1) {
        struct varlena *v = (struct varlena *)DatumGetPointer(value);
        if (VARATT_IS_EXTERNAL(v)) return hash_bytes(v, VARSIZE_EXTERNAL(v));
        if (VARATT_IS_COMPRESSED(v)) return hash_bytes(v, Min(VARSIZE(v), kMaxHashedBytes));
        p = VARDATA_ANY(v);
        len = VARSIZE_ANY_EXHDR(v);
        if (tf.is_array && !VARATT_IS_SHORT(v)) {
            ArrayType *a = (ArrayType *)v;
            *array_items = Max(*array_items, (uint32)ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a)));
        }
    } else if (tf.typlen == -2) {
        p = DatumGetCString(value);
        len = strlen(p);
    } else {
        p = DatumGetPointer(value);
        len = (size_t)tf.typlen;
    }
    return hash_combine(len, hash_bytes(p, Min(len, kMaxHashedBytes)));
}

static const TypeFacts null_facts = {InvalidOid, 0, false, false};

// Fingerprint of the bound parameters; never raises (a lazily fetched parameter list is read
// speculatively, a type's facts under protection).
static uint64 params_fingerprint(ParamListInfo params, uint32 *array_items, bool *unknown) {
    if (params == NULL || params->numParams == 0) return 0;
    uint64 h = 0x452821e638d01377ULL;
    for (int i = 0; i < params->numParams; i++) {
        ParamExternData workspace;
        ParamExternData *prm;
        if (params->paramFetch != NULL) {
            prm = params->paramFetch(params, i + 1, true, &workspace);
        } else {
            prm = &params->params[i];
        }
        const TypeFacts *tf = prm == NULL || !OidIsValid(prm->ptype) ? NULL
                              : prm->isnull                          ? &null_facts
                                                                     : type_facts(prm->ptype);
        if (tf == NULL) {
            *unknown = true;
            h = hash_combine(h, 0x1234);
            continue;
        }
        if (prm->isnull) {
            h = hash_combine(h, 0x9e37);
            continue;
        }
        h = hash_combine(h, datum_fingerprint(prm->value, *tf, array_items));
    }
    return h == 0 ? 1 : h;
}

// ---- Static facts of a plan, read per execution (pointer reads only).

static uint16 plan_flags(const PlannedStmt *stmt, Oid *main_relid) {
    uint16 flags = 0;
    *main_relid = InvalidOid;
    ListCell *lc;
    foreach (lc, stmt->rowMarks) {
        PlanRowMark *rm = (PlanRowMark *)lfirst(lc);
        if (rm->markType <= ROW_MARK_KEYSHARE) flags |= kEventForUpdate;
        if (rm->waitPolicy == LockWaitSkip) flags |= kEventSkipLocked;
    }
    const Plan *top = stmt->planTree;
    if (top && IsA(top, Limit)) {
        flags |= kEventHasLimit;
        if (((const Limit *)top)->limitOffset != NULL) flags |= kEventHasOffset;
    }
    if (top && IsA(top, ModifyTable) && stmt->commandType == CMD_INSERT) {
        const Plan *source = outerPlan(top);
        if (source && (!IsA(source, Result) || outerPlan(source) != NULL)) flags |= kEventMultiRow;
    }
    if (stmt->resultRelations != NIL) {
        RangeTblEntry *rte = rt_fetch(linitial_int(stmt->resultRelations), stmt->rtable);
        *main_relid = rte->relid;
    }
    bool any_relation = false, all_catalog = true;
    foreach (lc, stmt->rtable) {
        RangeTblEntry *rte = (RangeTblEntry *)lfirst(lc);
        if (rte->rtekind != RTE_RELATION) continue;
        any_relation = true;
        if (rte->relid >= FirstNormalObjectId) {
            all_catalog = false;
            if (*main_relid == InvalidOid) *main_relid = rte->relid;
        }
    }
    if (any_relation && all_catalog) flags |= kEventCatalogOnly;
    if (*main_relid == InvalidOid && stmt->rtable != NIL) {
        RangeTblEntry *rte = (RangeTblEntry *)linitial(stmt->rtable);
        if (rte->rtekind == RTE_RELATION) *main_relid = rte->relid;
    }
    return flags;
}

// ---- Sampled instrumentation: rows each scan read vs returned.

struct ScanSample {
    Oid relid;
    uint64 loops;
    uint64 scanned;
    uint64 returned;
};
struct ScanSamples {
    EState *estate;
    int n;
    ScanSample s[ShapeEntry::kMaxCountedScans * 2];
};

static bool collect_scan_samples(PlanState *ps, void *context) {
    ScanSamples *cx = static_cast<ScanSamples *>(context);
    if (ps == NULL) return false;
    switch (nodeTag(ps->plan)) {
        case T_SeqScan:
        case T_SampleScan:
        case T_IndexScan:
        case T_IndexOnlyScan:
        case T_BitmapHeapScan: {
            Instrumentation *ins = ps->instrument;
            Index scanrelid = ((Scan *)ps->plan)->scanrelid;
            if (ins && scanrelid > 0 && cx->n < (int)lengthof(cx->s)) {
                RangeTblEntry *rte = exec_rt_fetch(scanrelid, cx->estate);
                double returned = ins->ntuples + ins->tuplecount;
                double removed = ins->nfiltered1 + ins->nfiltered2;
                double loops = ins->nloops + (ins->running ? 1 : 0);
                if (loops > 0)
                    cx->s[cx->n++] = {rte->relid, (uint64)loops, (uint64)(returned + removed),
                                      (uint64)returned};
            }
            break;
        }
        default:
            break;
    }
    return planstate_tree_walker(ps, PGA_PLANSTATE_WALKER(collect_scan_samples), context);
}

static void record_scan_samples(QueryDesc *queryDesc, uint64 queryid) {
    ScanSamples cx;
    cx.estate = queryDesc->estate;
    cx.n = 0;
    collect_scan_samples(queryDesc->planstate, &cx);
    if (cx.n == 0) return;

    ShapeStore store = pga_shape_store();
    LWLockAcquire(pga_shared->shapes_lock, LW_SHARED);
    ShapeEntry *e = store.find(make_shape_key(MyDatabaseId, queryid));
    if (e) {
        ShapeView view(store.blob(e));
        bool used[ShapeEntry::kMaxCountedScans] = {false};
        size_t nscans = Min(view.nscans(), ShapeEntry::kMaxCountedScans);
        for (int i = 0; i < cx.n; i++) {
            for (size_t j = 0; j < nscans; j++) {
                if (!used[j] && view.scan(j).relid == cx.s[i].relid) {
                    used[j] = true;
                    record_scan_sample(*e, j, cx.s[i].loops, cx.s[i].scanned, cx.s[i].returned);
                    break;
                }
            }
        }
        atomic_add(e->sampled_execs, 1);
    }
    LWLockRelease(pga_shared->shapes_lock);
}

// ---- application_name, clipped and hashed once per value rather than once per execution.

struct AppName {
    char text[PatternEntry::kAppNameSize + 1];
    size_t len;
    uint64 fp;
};

static const AppName &current_application_name(void) {
    static AppName cached = {{'\0'}, 0, 0};
    const char *appname = application_name ? application_name : "";
    // Most clients keep one name, many none at all (no call for that).
    if (appname[0] == cached.text[0] &&
        (appname[0] == '\0' || strncmp(appname, cached.text, sizeof cached.text) == 0))
        return cached;
    size_t len = strnlen(appname, PatternEntry::kAppNameSize);
    len = (size_t)pg_mbcliplen(appname, (int)len, (int)PatternEntry::kAppNameSize);
    // The clipped name is what is compared next time, so a name longer than the limit is
    // recomputed each execution: such names are rare and the recomputation is cheap.
    memcpy(cached.text, appname, len);
    cached.text[len] = '\0';
    cached.len = len;
    cached.fp = len ? hash_bytes(appname, len) : 0;
    return cached;
}

// ---- One execution.

// Statements run through SPI are never the client's: functions, triggers, and the foreign-key
// checks of deferred constraints, which fire at COMMIT outside any executor nesting.
static int nesting_of(const QueryDesc *queryDesc) {
    if (pga_nesting_level == 0 && queryDesc->dest && queryDesc->dest->mydest == DestSPI) return 1;
    return pga_nesting_level;
}

// Text for a pattern first seen at execution time (evicted or reset since it was parsed):
// every literal is replaced, so no parameter value is ever stored.
static char *fallback_pattern_text(const QueryDesc *queryDesc, int *len_out) {
    std::string_view source(queryDesc->sourceText ? queryDesc->sourceText : "");
    StatementSpan span = statement_span(source, queryDesc->plannedstmt->stmt_location,
                                        queryDesc->plannedstmt->stmt_len);
    size_t cap = normalized_capacity(span, span.size());
    char *normalized = static_cast<char *>(palloc(cap));
    sql::LexOptions opts = pga_lex_options();
    normalize_literals(source, span, 1, normalized, cap, opts);
    char *stripped = static_cast<char *>(palloc(cap));
    size_t n = strip_tag_comments(normalized, stripped, cap);
    pfree(normalized);
    int len = pg_mbcliplen(stripped, (int)n, pga_max_query_length);
    stripped[len] = '\0';
    *len_out = len;
    return stripped;
}

// How long an execution took and when it ended: from pg_advisor's own timer, or (timer ==
// NULL) from the query-level instrumentation shared with other executor hooks.
struct ExecutionTiming {
    uint64 elapsed_ns;
    TimestampTz end;
    int nesting;  // at ExecutorStart
};

// The OFFSET the execution skipped: what the plan's top Limit node computed (a constant, or a
// parameter's value in a generic plan), 0 when none.
static uint32 executed_offset(const QueryDesc *queryDesc) {
    const PlanState *top = queryDesc->planstate;
    if (top == NULL || !IsA(top, LimitState)) return 0;
    int64 offset = ((const LimitState *)top)->offset;
    return offset <= 0 ? 0 : offset >= (int64)PG_UINT32_MAX ? PG_UINT32_MAX : (uint32)offset;
}

// Adds an execution to its pattern under the store's lock, storing the pattern if it is missing
// (evicted or reset since the statement was parsed); returns the entry and its generation.
static PatternEntry *record_pattern_locked(const QueryDesc *queryDesc, const PatternKey &key,
                                           const ExecutionSample &sample,
                                           const ExecutionContext &context, uint64 *generation) {
    PatternStore store = pga_pattern_store();
    LWLock *lock = pga_patterns_lock();
    LWLockAcquire(lock, LW_SHARED);
    *generation = store.generation();
    PatternEntry *e = store.find(key);
    if (e) record_if_current(*e, key, store.generation_word(), *generation, sample, context);
    LWLockRelease(lock);
    if (e != nullptr) return e;
    int len;
    char *text = fallback_pattern_text(queryDesc, &len);
    const PlannedStmt *stmt = queryDesc->plannedstmt;
    uint8 command = static_cast<uint8>(pga_command_kind(stmt->commandType));
    LWLockAcquire(lock, LW_EXCLUSIVE);
    e = insert_pattern(store, key, std::string_view(text, (size_t)len), command, sample.now);
    *generation = store.generation();
    if (e) record_if_current(*e, key, store.generation_word(), *generation, sample, context);
    LWLockRelease(lock);
    pfree(text);
    if (e == nullptr) pga_capture_failed("storing a new query pattern", "no room in shared memory");
    return e;
}

// Adds an execution to its pattern: without the store's lock when this backend knows where the
// entry is (the pattern it recorded last, or entry_cache.h), under it otherwise.
// parsed: the entry the statement's parse analysis found for it (NULL: none handed over).
static void record_pattern(const QueryDesc *queryDesc, const PatternKey &key,
                           const ExecutionSample &sample, const ExecutionContext &context,
                           PatternEntry *parsed, uint64 parsed_generation) {
    static PatternKey last_key;
    static PatternEntry *last_entry = nullptr;
    static uint64 last_generation = 0;
    PatternStore store = pga_pattern_store();
    if (parsed != nullptr && record_if_current(*parsed, key, store.generation_word(),
                                               parsed_generation, sample, context))
        return;
    if (last_entry != nullptr && memcmp(&last_key, &key, sizeof key) == 0 &&
        record_if_current(*last_entry, key, store.generation_word(), last_generation, sample,
                          context))
        return;
    uint64 hash = PatternEntry::hash_key(key);
    uint64 generation;
    PatternEntry *e = pga_pattern_cache.find(key, hash, &generation);
    if (e == nullptr ||
        !record_if_current(*e, key, store.generation_word(), generation, sample, context)) {
        e = nullptr;
        pga_run_protected("recording an execution", [&] {
            e = record_pattern_locked(queryDesc, key, sample, context, &generation);
        });
        if (e == nullptr) return;
        pga_pattern_cache.put(key, hash, e, generation);
    }
    last_key = key;
    last_entry = e;
    last_generation = generation;
}

// Calls nothing of PostgreSQL's that can raise but through pga_run_protected (type lookups, the
// pattern store's slow path, loop verdicts, row counts): see record_end.
static void record_one_execution(QueryDesc *queryDesc, const ExecutionTiming *timer) {
    const PlannedStmt *stmt = queryDesc->plannedstmt;
    uint64 queryid = pga_queryid(stmt->queryId);
    int nesting = timer != NULL ? timer->nesting : nesting_of(queryDesc);
    bool toplevel = nesting == 0;

    uint64 elapsed_ns;
    TimestampTz now;
    if (timer != NULL) {
        elapsed_ns = timer->elapsed_ns;
        now = timer->end;
    } else {
        InstrEndLoop(queryDesc->totaltime);
        elapsed_ns = (uint64)(queryDesc->totaltime->total * 1e9);
        now = GetCurrentTimestamp();
    }
    uint64 rows = queryDesc->estate->es_processed;
    bool sampled = (queryDesc->instrument_options & INSTRUMENT_ROWS) != 0;

    // Parameters (extended protocol) and constants (simple protocol) make up the value set.
    uint32 array_items = 0;
    bool params_unknown = false;
    uint64 param_fp = params_fingerprint(queryDesc->params, &array_items, &params_unknown);
    static const PgaConstants kNoConstants = {};
    const PgaConstants *parsed = pga_take_pending_constants(queryid, stmt->stmt_location);
    const PgaConstants &constants = parsed != NULL ? *parsed : kNoConstants;
    uint64 const_fp = constants.fingerprint;
    uint64 value_fp = param_fp == 0   ? const_fp
                      : const_fp == 0 ? param_fp
                                      : hash_combine(param_fp, const_fp);

    // A prepared statement runs the same plan again and again: read its facts once.
    static const PlannedStmt *cached_stmt = NULL;
    static const Plan *cached_tree = NULL;
    static uint64 cached_queryid = 0;
    static uint16 cached_flags = 0;
    static Oid cached_relid = InvalidOid;
    if (stmt != cached_stmt || stmt->planTree != cached_tree || queryid != cached_queryid) {
        cached_flags = plan_flags(stmt, &cached_relid);
        cached_stmt = stmt;
        cached_tree = stmt->planTree;
        cached_queryid = queryid;
    }
    Oid main_relid = cached_relid;
    uint16 flags = cached_flags;
    if (sampled) flags |= kEventSampled;
    if (params_unknown) flags |= kEventParamsUnknown;
    if (pga_in_explicit_block()) flags |= kEventExplicitXact;

    const AppName &app_name = current_application_name();

    PatternKey key = make_pattern_key(GetUserId(), MyDatabaseId, queryid, toplevel);
    ExecutionSample sample{elapsed_ns,
                           rows,
                           now,
                           sampled,
                           executed_offset(queryDesc),
                           toplevel && pga_advisor_called,
                           constants.literals,
                           constants.nliterals};
    ExecutionContext context{pga_current_scope.tags_fp,
                             std::string_view(pga_current_scope.tags, pga_current_scope.tags_len),
                             app_name.fp, std::string_view(app_name.text, app_name.len)};
    record_pattern(queryDesc, key, sample, context, constants.pattern,
                   constants.pattern_generation);

    // Filled where the session keeps it (no copy).
    StatementEvent &ev = pga_session.next_slot();
    ev.queryid = queryid;
    ev.param_fp = value_fp;
    ev.rows = rows;
    ev.elapsed_ns = elapsed_ns;
    ev.end_us = now;
    ev.start_us = now - (int64)(elapsed_ns / 1000);
    ev.trace = pga_current_scope.trace;
    ev.request_key = pga_current_scope.request_key;
    ev.tags_fp = pga_current_scope.tags_fp;
    ev.relid = main_relid;
    ev.nvalues = array_items;
    ev.nesting = (uint16)Min(nesting, 65535);
    ev.flags = flags;
    ev.command = static_cast<uint8>(pga_command_kind(stmt->commandType));
    pga_session.set_idle_gap_us((int64)pga_idle_gap_ms * 1000);
    pga_session.record_in_place(ev);
    if (toplevel) pga_detect_statement(ev);

    if (sampled)
        pga_run_protected("recording row counts", [&] { record_scan_samples(queryDesc, queryid); });
}

// ---- Hooks.

// Whether to sample the row counts of this execution, with probability pg_advisor.sample_rate:
// one random draw per sample, not one per execution (sampling.h).
static bool sample_this_execution(void) {
    static double rate = 0.0;  // the rate `skip` was drawn for
    static int64 skip = 0;
    if (unlikely(rate != pga_sample_rate)) {
        rate = pga_sample_rate;
        skip = sample_gap(rate, 1.0 - pga_random_fraction());
    }
    if (rate <= 0.0) return false;
    if (skip > 0) {
        skip--;
        return false;
    }
    skip = sample_gap(rate, 1.0 - pga_random_fraction());
    return true;
}

static inline __attribute__((always_inline)) bool tracked_at(const QueryDesc *queryDesc,
                                                             int nesting) {
    return pga_shared != NULL && pga_tracking(nesting) && !IsParallelWorker() &&
           pga_queryid(queryDesc->plannedstmt->queryId) != 0;
}

static bool tracked(const QueryDesc *queryDesc) {
    return tracked_at(queryDesc, nesting_of(queryDesc));
}

static void pga_ExecutorEnd(QueryDesc *queryDesc);

static void start_executor(QueryDesc *queryDesc, int eflags) {
    if (prev_ExecutorStart)
        prev_ExecutorStart(queryDesc, eflags);
    else
        standard_ExecutorStart(queryDesc, eflags);
}

// Query-level totals: shared with other executor hooks, when there are any.
static __attribute__((noinline)) void start_with_instrumentation(QueryDesc *queryDesc, int eflags,
                                                                 bool alone) {
    start_executor(queryDesc, eflags);
    // Another extension hooked into the executor (pg_stat_statements, auto_explain, ...) may
    // share the query-level instrumentation whatever the order of shared_preload_libraries, and
    // may want buffer and WAL counts: it is allocated as pg_stat_statements allocates it.
    if (queryDesc->totaltime == NULL) {
        MemoryContext old = MemoryContextSwitchTo(queryDesc->estate->es_query_cxt);
        queryDesc->totaltime = InstrAlloc(1, alone ? INSTRUMENT_TIMER : INSTRUMENT_ALL, false);
        MemoryContextSwitchTo(old);
    }
}

static void pga_ExecutorStart(QueryDesc *queryDesc, int eflags) {
    pga_transaction_sync();
    int nesting = nesting_of(queryDesc);
    // backfill_under_ddl_lock: only in a transaction that took ACCESS EXCLUSIVE through DDL.
    if (unlikely(pga_ddl_exclusive_xact) && nesting == 0 && !(eflags & EXEC_FLAG_EXPLAIN_ONLY))
        pga_ddl_review_dml(queryDesc);
    if (!tracked_at(queryDesc, nesting) || (eflags & EXEC_FLAG_EXPLAIN_ONLY))
        return start_executor(queryDesc, eflags);
    if (nesting == 0) pga_advisor_called = false;
    if (nesting == 0)
        pga_update_scope(queryDesc->sourceText, queryDesc->plannedstmt->stmt_location,
                         queryDesc->plannedstmt->stmt_len);
    if (sample_this_execution()) queryDesc->instrument_options |= INSTRUMENT_ROWS;
    // When pg_advisor is the only executor hook it times the execution itself
    // (execution_timer.h), and the executor's start is a tail call.
    bool alone = ExecutorStart_hook == pga_ExecutorStart && prev_ExecutorStart == NULL &&
                 ExecutorEnd_hook == pga_ExecutorEnd && prev_ExecutorEnd == NULL;
    if (alone && queryDesc->totaltime == NULL && pga_timer_start(queryDesc, nesting))
        return start_executor(queryDesc, eflags);
    start_with_instrumentation(queryDesc, eflags, alone);
}

// Runs a part of the executor (run, finish) one nesting level down, adding its time to the
// execution's timer. The level is raised and lowered without a try block: an error that skips
// the lowering is recovered from by a (sub)transaction's abort, which restores it (capture.h).
template <class Fn>
static inline void nested_and_timed(QueryDesc *queryDesc, Fn &&run) {
    instr_time start;
    bool timed = pga_timer_find(queryDesc) >= 0;
    if (timed) INSTR_TIME_SET_CURRENT(start);
    pga_nesting_level++;
    run();
    pga_nesting_level--;
    // Found again: nested executions may have started and stopped other timers.
    if (timed) pga_timer_add(pga_timer_find(queryDesc), start);
}

static void pga_ExecutorRun(PGA_EXECUTOR_RUN_PARAMS) {
    nested_and_timed(queryDesc, [&] {
        if (prev_ExecutorRun)
            prev_ExecutorRun(PGA_EXECUTOR_RUN_ARGS);
        else
            standard_ExecutorRun(PGA_EXECUTOR_RUN_ARGS);
    });
}

static void pga_ExecutorFinish(QueryDesc *queryDesc) {
    // A SELECT without data-modifying WITH queries has nothing to finish: no AFTER triggers
    // (the executor skips them, EXEC_FLAG_SKIP_TRIGGERS), so nothing nested runs and nothing
    // is worth two clock readings.
    if (queryDesc->operation == CMD_SELECT && queryDesc->estate->es_auxmodifytables == NIL) {
        if (prev_ExecutorFinish) return prev_ExecutorFinish(queryDesc);
        return standard_ExecutorFinish(queryDesc);
    }
    nested_and_timed(queryDesc, [&] {
        if (prev_ExecutorFinish)
            prev_ExecutorFinish(queryDesc);
        else
            standard_ExecutorFinish(queryDesc);
    });
}

static void end_executor(QueryDesc *queryDesc) {
    if (prev_ExecutorEnd)
        prev_ExecutorEnd(queryDesc);
    else
        standard_ExecutorEnd(queryDesc);
}

// Records the execution that ends (its own frame: pga_ExecutorEnd keeps none, so that its call
// of the executor's end can be a tail call).
static __attribute__((noinline)) void record_end(QueryDesc *queryDesc) {
    ExecutionTiming timing;
    // A timer was started only for a tracked execution (not EXPLAIN without ANALYZE).
    bool timed = pga_timer_stop(queryDesc, &timing.elapsed_ns, &timing.end, &timing.nesting);
    if (timed || (queryDesc->totaltime != NULL && tracked(queryDesc) &&
                  !(queryDesc->estate->es_top_eflags & EXEC_FLAG_EXPLAIN_ONLY)))
        pga_run_cpp_only("recording an execution",
                         [&] { record_one_execution(queryDesc, timed ? &timing : NULL); });
}

static void pga_ExecutorEnd(QueryDesc *queryDesc) {
    record_end(queryDesc);
    // The N+1 guard (n_plus_one_action = error) fails the statement that completed a loop,
    // once the executor has cleaned up. Otherwise the executor's end is a tail call.
    if (!pga_guard_armed()) return end_executor(queryDesc);
    end_executor(queryDesc);
    pga_raise_pending_guard();
}

void pga_install_executor_hooks(void) {
    prev_ExecutorStart = ExecutorStart_hook;
    ExecutorStart_hook = pga_ExecutorStart;
    prev_ExecutorRun = ExecutorRun_hook;
    ExecutorRun_hook = pga_ExecutorRun;
    prev_ExecutorFinish = ExecutorFinish_hook;
    ExecutorFinish_hook = pga_ExecutorFinish;
    prev_ExecutorEnd = ExecutorEnd_hook;
    ExecutorEnd_hook = pga_ExecutorEnd;
}
