// SQL functions behind advisor.query_patterns, advisor.capture_info and advisor.reset().
#include <exception>
#include <string_view>

#include "core/loops/loop_finding.h"
#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/workload/scan_shape.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

#include "pg/ddl/history.h"
#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/loops/detect_loops.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

static constexpr int kPatternColumns = 17;

PGA_SQL_FUNCTION(pg_advisor_query_patterns, "advisor.query_patterns") {
    bool showtext = PG_GETARG_BOOL(0);
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kPatternColumns, "advisor.query_patterns");

    Oid me = GetUserId();
    bool see_all = pga_can_see_all_statements();
    PatternStore store = pga_pattern_store();
    size_t len;
    char *buf = pga_copy_snapshot(
        pga_shared->patterns_lock, store.snapshot_capacity(), take_snapshot<PatternStore>,
        reinterpret_cast<char *>(pga_shared) + pga_shared->patterns_offset, &len);
    PatternStore::Snapshot snap(buf, len);
    for (uint32 i = 0; i < snap.count(); i++) {
        PatternEntry e = snap.entry(i);
        std::string_view text = snap.blob(i);
        bool visible = see_all || e.key.userid == me;
        Datum values[kPatternColumns];
        bool nulls[kPatternColumns];
        memset(nulls, 0, sizeof nulls);
        int c = 0;
        if (visible) {
            values[c++] = Int64GetDatum((int64)e.key.queryid);
        } else {
            nulls[c++] = true;
        }
        values[c++] = ObjectIdGetDatum(e.key.userid);
        values[c++] = ObjectIdGetDatum(e.key.dbid);
        values[c++] = BoolGetDatum(e.key.toplevel != 0);
        if (!showtext)
            nulls[c++] = true;
        else if (visible)
            values[c++] = PointerGetDatum(cstring_to_text_with_len(text.data(), (int)text.size()));
        else
            values[c++] = CStringGetTextDatum("<insufficient privilege>");
        values[c++] = CStringGetTextDatum(command_name(static_cast<CommandKind>(e.command)).data());
        values[c++] = Int64GetDatum((int64)e.calls);
        double total_ms = (double)e.total_ns / 1e6;
        values[c++] = Float8GetDatum(total_ms);
        if (e.calls > 0) {
            values[c++] = Float8GetDatum(total_ms / (double)e.calls);
            values[c++] = Float8GetDatum((double)e.min_ns / 1e6);
            values[c++] = Float8GetDatum((double)e.max_ns / 1e6);
        } else {
            for (int k = 0; k < 3; k++)
                nulls[c++] = true;
        }
        values[c++] = Int64GetDatum((int64)e.rows);
        values[c++] = Int64GetDatum((int64)e.sampled_calls);
        values[c++] = TimestampTzGetDatum(e.first_seen);
        values[c++] = TimestampTzGetDatum(e.last_seen);
        if (visible && e.appname_len > 0)
            values[c++] = PointerGetDatum(cstring_to_text_with_len(e.appname, e.appname_len));
        else
            nulls[c++] = true;
        if (visible && e.tags_len > 0)
            values[c++] = pga_tags_jsonb(e.serialized_tags());
        else
            nulls[c++] = true;
        Assert(c == kPatternColumns);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    pfree(buf);
    return (Datum)0;
}

PGA_SQL_FUNCTION(pg_advisor_capture_info, "advisor.capture_info") {
    pga_require_shared_state();
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "return type must be a row type");
    PatternStore patterns = pga_pattern_store();
    ShapeStore shapes = pga_shape_store();
    LWLockAcquire(pga_shared->patterns_lock, LW_SHARED);
    uint32 npatterns = patterns.count();
    StoreStats pstats = patterns.stats();
    uint64 text_used = patterns.arena_used(), text_size = patterns.arena_size();
    LWLockRelease(pga_shared->patterns_lock);
    LWLockAcquire(pga_shared->shapes_lock, LW_SHARED);
    uint32 nshapes = shapes.count();
    StoreStats sstats = shapes.stats();
    LWLockRelease(pga_shared->shapes_lock);
    FindingStore findings = pga_finding_store();
    LWLockAcquire(pga_shared->findings_lock, LW_SHARED);
    uint32 nfindings = findings.count();
    StoreStats fstats = findings.stats();
    LWLockRelease(pga_shared->findings_lock);

    Datum values[17];
    bool nulls[17];
    memset(nulls, 0, sizeof nulls);
    values[0] = Int32GetDatum((int32)pga_shared->max_patterns);
    values[1] = Int32GetDatum((int32)npatterns);
    values[2] = Int64GetDatum((int64)pstats.evictions);
    values[3] = Int64GetDatum((int64)pstats.rejected);
    values[4] = Int64GetDatum((int64)text_used);
    values[5] = Int64GetDatum((int64)text_size);
    values[6] = Int32GetDatum((int32)nshapes);
    values[7] = Int64GetDatum((int64)sstats.evictions);
    values[8] = Int32GetDatum((int32)nfindings);
    values[9] = Int32GetDatum((int32)pga_shared->max_findings);
    values[10] = Int64GetDatum((int64)fstats.evictions);
    values[11] = Int64GetDatum((int64)pg_atomic_read_u64(&pga_shared->capture_failures));
    values[12] = Int64GetDatum((int64)pg_atomic_read_u64(&pga_shared->restored_patterns));
    if (pstats.reset_time != 0)
        values[13] = TimestampTzGetDatum(pstats.reset_time);
    else
        nulls[13] = true;
    values[14] = TimestampTzGetDatum(pga_shared->started_at);
    values[15] = Int64GetDatum((int64)pg_atomic_read_u64(&pga_shared->query_id_jumbles));
    values[16] = Int64GetDatum((int64)pg_atomic_read_u64(&pga_shared->query_id_mismatches));
    HeapTuple tuple = heap_form_tuple(tupdesc, values, nulls);
    return HeapTupleGetDatum(tuple);
}

PGA_SQL_FUNCTION(pg_advisor_reset, "advisor.reset") {
    pga_require_shared_state();
    TimestampTz now = GetCurrentTimestamp();
    PatternStore patterns = pga_pattern_store();
    ShapeStore shapes = pga_shape_store();
    LWLockAcquire(pga_shared->patterns_lock, LW_EXCLUSIVE);
    patterns.reset(now);
    LWLockRelease(pga_shared->patterns_lock);
    LWLockAcquire(pga_shared->shapes_lock, LW_EXCLUSIVE);
    shapes.reset(now);
    LWLockRelease(pga_shared->shapes_lock);
    FindingStore findings = pga_finding_store();
    LWLockAcquire(pga_shared->findings_lock, LW_EXCLUSIVE);
    findings.reset(now);
    LWLockRelease(pga_shared->findings_lock);
    pga_ddl_history_reset();  // the reviews of DDL that ran
    pg_atomic_write_u64(&pga_shared->capture_failures, 0);
    pg_atomic_write_u64(&pga_shared->query_id_jumbles, 0);
    pga_session.clear();
    pga_reset_detector();
    PG_RETURN_VOID();
}
