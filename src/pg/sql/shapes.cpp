// SQL function behind advisor.scan_shapes: one row per scan of each captured plan.
#include <exception>
#include <string_view>

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

#include "pg/compat.h"
#include "pg/boundary/protect.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

extern "C" {
PGA_FUNCTION(pg_advisor_scan_shapes);
}

static char *column_name(Oid relid, AttrNumber attnum) {
    char *name = get_attname(relid, attnum, true);
    return name ? name : psprintf("#%d", attnum);
}

// "customer_id eq param", "lower(email) eq param", "status eq const 'pending'" (the value is
// shown only to roles that may see other users' statements).
static char *qual_text(const ShapeView &view, Oid relid, const Qual &q, bool show_values) {
    StringInfoData buf;
    initStringInfo(&buf);
    std::string_view expr = view.expr(q);
    if (q.attnum > 0)
        appendStringInfoString(&buf, column_name(relid, q.attnum));
    else if (!expr.empty())
        appendBinaryStringInfo(&buf, expr.data(), (int)expr.size());
    else
        appendStringInfoString(&buf, "?");
    std::string_view kind = qual_kind_name(static_cast<QualKind>(q.kind));
    appendStringInfo(&buf, " %.*s", (int)kind.size(), kind.data());
    QualSource src = static_cast<QualSource>(q.source);
    if (src != QualSource::None) {
        std::string_view s = qual_source_name(src);
        appendStringInfo(&buf, " %.*s", (int)s.size(), s.data());
    }
    if (q.nvalues > 0) appendStringInfo(&buf, "[%u]", q.nvalues);
    std::string_view value = view.value(q);
    if (show_values && !value.empty()) {
        char *v = pnstrdup(value.data(), value.size());
        appendStringInfo(&buf, " %s", quote_literal_cstr(v));
    }
    return buf.data;
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

static Datum scan_shapes(FunctionCallInfo fcinfo) {
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kShapeColumns, "advisor.scan_shapes");
    bool show_values = pga_can_see_all_statements();
    ShapeStore store = pga_shape_store();
    size_t len;
    char *buf = pga_copy_snapshot(
        pga_shared->shapes_lock, store.snapshot_capacity(), take_snapshot<ShapeStore>,
        reinterpret_cast<char *>(pga_shared) + pga_shared->shapes_offset, &len);
    ShapeStore::Snapshot snap(buf, len);
    for (uint32 i = 0; i < snap.count(); i++) {
        ShapeEntry e = snap.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;  // relation OIDs mean nothing elsewhere
        ShapeView view(snap.blob(i));
        if (!view.valid()) continue;
        const ShapeHeader &h = view.header();
        for (size_t s = 0; s < view.nscans(); s++) {
            ScanRecord scan = view.scan(s);
            Datum values[kShapeColumns];
            bool nulls[kShapeColumns];
            memset(nulls, 0, sizeof nulls);
            List *quals = NIL, *order = NIL;
            for (size_t q = 0; q < scan.nquals; q++)
                quals =
                    lappend(quals, qual_text(view, scan.relid, view.qual(scan, q), show_values));
            for (size_t o = 0; o < view.norder(); o++) {
                OrderColumn oc = view.order(o);
                if (oc.relid != scan.relid || oc.attnum <= 0) continue;
                order =
                    lappend(order, psprintf("%s%s%s", column_name(scan.relid, oc.attnum),
                                            oc.descending ? " DESC" : "",
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

Datum pg_advisor_scan_shapes(PG_FUNCTION_ARGS) {
    return pga_sql_call("advisor.scan_shapes", [&] { return scan_shapes(fcinfo); });
}
