// SQL function behind advisor.scan_shapes: one row per scan of each captured plan.
#include <exception>
#include <string_view>

#include "core/common/text_buffer.h"
#include "core/workload/scan_shape.h"
#include "core/workload/shape_cache.h"
#include "core/workload/query_pattern.h"

extern "C" {
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
}

#include "pg/catalog/catalog_facts.h"
#include "pg/compat.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

// "customer_id eq param", "lower(email) eq param", "status eq const 'pending'" (the constant
// only with show_values: a shape is shared by every role that runs its query id, and keeps the
// constants of whichever planning captured it); NULL when the column has been dropped since
// the plan was captured.
static char *qual_text(const ShapeView &view, Oid relid, const Qual &q, bool show_values) {
    const char *subject = "";
    std::string_view expr = view.expr(q);
    if (q.attnum > 0) {
        subject = pga_live_attname(relid, q.attnum);
        if (subject == NULL) return NULL;
    } else if (!expr.empty()) {
        subject = pnstrdup(expr.data(), expr.size());
    }
    size_t cap = strlen(subject) + 40;
    char *text = static_cast<char *>(palloc(cap));
    TextBuffer described(text, cap);
    describe_qual(described, subject, q);
    std::string_view value = view.value(q);
    // Bound parameter values (kept from custom plans for the advisor) are never shown.
    if (!show_values || value.empty() || static_cast<QualSource>(q.source) != QualSource::Const)
        return text;
    return psprintf("%s %s", text, quote_literal_cstr(pnstrdup(value.data(), value.size())));
}

static List *flag_names(uint16 flags) {
    List *names = NIL;
    if (flags & kShapeForUpdate) names = lappend(names, pstrdup("for_update"));
    if (flags & kShapeSkipLocked) names = lappend(names, pstrdup("skip_locked"));
    if (flags & kShapeHasOffset) names = lappend(names, pstrdup("offset"));
    if (flags & kShapeCatalogOnly) names = lappend(names, pstrdup("catalog_only"));
    if (flags & kShapeHasAggregate) names = lappend(names, pstrdup("aggregate"));
    if (flags & kShapeMultiRowValues) names = lappend(names, pstrdup("multi_row"));
    return names;
}

static constexpr int kShapeColumns = 20;

static int compare_queryids(const void *a, const void *b) {
    uint64 x = *(const uint64 *)a, y = *(const uint64 *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

// The query ids this role ran in this database (sorted, palloc'd): the shapes it may see
// without pg_read_all_stats.
static uint64 *own_queryids(int *n) {
    PatternStore store = pga_pattern_store();
    size_t len;
    char *buf = pga_copy_snapshot(
        pga_shared->patterns_lock, store.snapshot_capacity(), take_snapshot<PatternStore>,
        reinterpret_cast<char *>(pga_shared) + pga_shared->patterns_offset, &len);
    PatternStore::Snapshot snap(buf, len);
    uint64 *ids = static_cast<uint64 *>(palloc(sizeof(uint64) * (snap.count() + 1)));
    *n = 0;
    for (uint32 i = 0; i < snap.count(); i++) {
        PatternEntry e = snap.entry(i);
        if (e.key.dbid == MyDatabaseId && e.key.userid == GetUserId()) ids[(*n)++] = e.key.queryid;
    }
    pfree(buf);
    qsort(ids, *n, sizeof(uint64), compare_queryids);
    return ids;
}

PGA_SQL_FUNCTION(pg_advisor_scan_shapes, "advisor.scan_shapes") {
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kShapeColumns, "advisor.scan_shapes");
    // Other users' statements (their relations, columns and constants) only for superusers and
    // members of pg_read_all_stats, as pg_stat_statements shows their texts.
    bool see_all = pga_can_see_all_statements();
    int nown = 0;
    uint64 *own = see_all ? NULL : own_queryids(&nown);
    ShapeStore store = pga_shape_store();
    size_t len;
    char *buf = pga_copy_snapshot(
        pga_shared->shapes_lock, store.snapshot_capacity(), take_snapshot<ShapeStore>,
        reinterpret_cast<char *>(pga_shared) + pga_shared->shapes_offset, &len);
    ShapeStore::Snapshot snap(buf, len);
    for (uint32 i = 0; i < snap.count(); i++) {
        ShapeEntry e = snap.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;  // relation OIDs mean nothing elsewhere
        if (!see_all &&
            bsearch(&e.key.queryid, own, nown, sizeof(uint64), compare_queryids) == NULL)
            continue;
        ShapeView view(snap.blob(i));
        if (!view.valid()) continue;
        const ShapeHeader &h = view.header();
        for (size_t s = 0; s < view.nscans(); s++) {
            ScanRecord scan = view.scan(s);
            // A relation dropped since the plan was captured: nothing left to describe.
            if (!pga_relation_exists(scan.relid)) continue;
            Datum values[kShapeColumns];
            bool nulls[kShapeColumns];
            memset(nulls, 0, sizeof nulls);
            List *quals = NIL, *order = NIL;
            for (size_t q = 0; q < scan.nquals; q++)
                if (char *text = qual_text(view, scan.relid, view.qual(scan, q), see_all))
                    quals = lappend(quals, text);
            for (size_t o = 0; o < view.norder(); o++) {
                OrderColumn oc = view.order(o);
                if (oc.relid != scan.relid || oc.attnum <= 0) continue;
                char *name = pga_live_attname(scan.relid, oc.attnum);
                if (name == NULL) continue;
                order =
                    lappend(order, psprintf("%s%s%s", name, oc.descending ? " DESC" : "",
                                            oc.nulls_first != oc.descending
                                                ? (oc.nulls_first ? " NULLS FIRST" : " NULLS LAST")
                                                : ""));
            }
            int c = 0;
            values[c++] = Int64GetDatum((int64)e.key.queryid);
            values[c++] = Int32GetDatum((int32)s + 1);
            values[c++] = ObjectIdGetDatum(scan.relid);
            values[c++] =
                CStringGetTextDatum(scan_type_name(static_cast<ScanType>(scan.scan_type)).data());
            if (scan.index_oid != InvalidOid)
                values[c++] = ObjectIdGetDatum(scan.index_oid);
            else
                nulls[c++] = true;
            values[c++] = BoolGetDatum(scan.parameterized != 0);
            values[c++] = pga_text_array(quals);
            values[c++] = pga_text_array(order);
            if (h.limit >= 0)
                values[c++] = Int64GetDatum(h.limit);
            else
                nulls[c++] = true;
            values[c++] = BoolGetDatum(h.limit == -2);
            values[c++] = Float8GetDatum(scan.est_rows);
            values[c++] = Float8GetDatum(scan.est_cost);
            values[c++] = Float8GetDatum(h.total_cost);
            values[c++] =
                CStringGetTextDatum(command_name(static_cast<CommandKind>(h.command)).data());
            values[c++] = pga_text_array(flag_names(h.flags));
            values[c++] = Int64GetDatum((int64)e.sampled_execs);
            if (s < ShapeEntry::kMaxCountedScans) {
                values[c++] = Int64GetDatum((int64)e.scans[s].loops);
                values[c++] = Int64GetDatum((int64)e.scans[s].rows_scanned);
                values[c++] = Int64GetDatum((int64)e.scans[s].rows_returned);
            } else {
                for (int k = 0; k < 3; k++)
                    nulls[c++] = true;
            }
            values[c++] = TimestampTzGetDatum(e.captured_at);
            Assert(c == kShapeColumns);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    }
    pfree(buf);
    return (Datum)0;
}
