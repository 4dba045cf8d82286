// SQL function behind advisor.session_statements(): this session's recent statements with
// their scope keys, as the detectors see them.
#include <exception>

#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"

extern "C" {
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

static Datum flags_array(uint16 flags) {
    static const struct {
        uint16 bit;
        const char *name;
    } names[] = {{kEventExplicitXact, "explicit_xact"},
                 {kEventSampled, "sampled"},
                 {kEventForUpdate, "for_update"},
                 {kEventSkipLocked, "skip_locked"},
                 {kEventHasLimit, "limit"},
                 {kEventHasOffset, "offset"},
                 {kEventCatalogOnly, "catalog_only"},
                 {kEventCursor, "cursor"},
                 {kEventMultiRow, "multi_row"},
                 {kEventParamsUnknown, "params_unknown"}};
    Datum elems[lengthof(names)];
    int n = 0;
    for (const auto &f : names)
        if (flags & f.bit) elems[n++] = CStringGetTextDatum(f.name);
    return pga_text_array_datums(elems, n);
}

static constexpr int kSessionColumns = 17;

PGA_SQL_FUNCTION(pg_advisor_session_statements, "advisor.session_statements") {
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kSessionColumns, "advisor.session_statements");
    for (size_t i = 0; i < pga_session.size(); i++) {
        const StatementEvent &ev = pga_session.at(i);
        Datum values[kSessionColumns];
        bool nulls[kSessionColumns];
        memset(nulls, 0, sizeof nulls);
        int c = 0;
        values[c++] = Int64GetDatum((int64)ev.seq);
        Boundary b = static_cast<Boundary>(ev.boundary);
        if (b != Boundary::None) {
            nulls[c++] = true;
            values[c++] = CStringGetTextDatum(boundary_name(b));
        } else {
            values[c++] = Int64GetDatum((int64)ev.queryid);
            values[c++] =
                CStringGetTextDatum(command_name(static_cast<CommandKind>(ev.command)).data());
        }
        values[c++] = Int32GetDatum(ev.nesting);
        values[c++] = Int64GetDatum((int64)ev.rows);
        values[c++] = Float8GetDatum((double)ev.elapsed_ns / 1e6);
        if (ev.param_fp != 0)
            values[c++] = Int64GetDatum((int64)ev.param_fp);
        else
            nulls[c++] = true;
        if (ev.trace.valid())
            values[c++] =
                CStringGetTextDatum(psprintf("%016llx%016llx", (unsigned long long)ev.trace.hi,
                                             (unsigned long long)ev.trace.lo));
        else
            nulls[c++] = true;
        if (ev.request_key != 0)
            values[c++] = Int64GetDatum((int64)ev.request_key);
        else
            nulls[c++] = true;
        if (ev.tags_fp != 0)
            values[c++] = Int64GetDatum((int64)ev.tags_fp);
        else
            nulls[c++] = true;
        values[c++] = Int64GetDatum((int64)ev.xact_seq);
        values[c++] = Int64GetDatum((int64)ev.burst_seq);
        if (ev.relid != InvalidOid)
            values[c++] = ObjectIdGetDatum(ev.relid);
        else
            nulls[c++] = true;
        if (ev.nvalues > 0)
            values[c++] = Int32GetDatum((int32)ev.nvalues);
        else
            nulls[c++] = true;
        values[c++] = flags_array(ev.flags);
        values[c++] = TimestampTzGetDatum(ev.start_us);
        values[c++] = TimestampTzGetDatum(ev.end_us);
        Assert(c == kSessionColumns);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
