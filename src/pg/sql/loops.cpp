// SQL function behind advisor.n_plus_one: one row per N+1 / write-loop / duplicate finding of
// the current database the role may see (loops/loop_rows.h), with the set-based rewrite, the
// ORM's fix and the reason.
#include <exception>
#include <string_view>

#include "core/loops/loop_finding.h"
#include "core/loops/loop_fixes.h"
#include "core/loops/n_plus_one_detector.h"
#include "core/workload/query_pattern.h"
#include "core/common/text_buffer.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/loops/loop_rows.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

static constexpr int kLoopColumns = 26;

static Datum text_datum(std::string_view s) {
    return PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size()));
}

PGA_SQL_FUNCTION(pg_advisor_n_plus_one, "advisor.n_plus_one") {
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kLoopColumns, "advisor.n_plus_one");
    int n;
    PgaLoopRow *rows = pga_read_loops(&n);
    for (int i = 0; i < n; i++) {
        const PgaLoopRow &row = rows[i];
        const FindingEntry &e = row.entry;
        Datum values[kLoopColumns];
        bool nulls[kLoopColumns];
        memset(nulls, 0, sizeof nulls);
        int c = 0;
        values[c++] = CStringGetTextDatum(row.finding_key);
        values[c++] = CStringGetTextDatum(loop_kind_name(static_cast<LoopKind>(e.key.kind)));
        auto put_query = [&](uint64 queryid, const char *text) {
            if (queryid == 0) {
                nulls[c++] = true;
                nulls[c++] = true;
                return;
            }
            values[c++] = Int64GetDatum((int64)queryid);
            values[c++] = CStringGetTextDatum(text);
        };
        put_query(e.key.parent_queryid, row.parent_text);
        put_query(e.key.child_queryid, row.child_text);
        for (Oid rel : {e.child_relid, e.parent_relid}) {
            if (OidIsValid(rel))
                values[c++] = ObjectIdGetDatum(rel);
            else
                nulls[c++] = true;
        }
        values[c++] = Int64GetDatum((int64)e.occurrences);
        values[c++] = Int64GetDatum((int64)e.executions);
        values[c++] = Int64GetDatum((int64)e.max_repeats);
        values[c++] = Int64GetDatum((int64)row.typical_repeats);
        values[c++] = Int64GetDatum((int64)e.max_distinct);
        values[c++] = Float8GetDatum((double)e.child_total_ns / 1e6);
        values[c++] = TimestampTzGetDatum(e.first_seen);
        values[c++] = TimestampTzGetDatum(e.last_seen);
        values[c++] = pga_tags_jsonb(std::string_view(row.tags, row.tags_len));
        if (!e.framework_name().empty())
            values[c++] = text_datum(e.framework_name());
        else
            nulls[c++] = true;
        values[c++] = CStringGetTextDatum(row.suggested_sql);
        values[c++] = CStringGetTextDatum(row.orm_fix);
        values[c++] = CStringGetTextDatum(row.expected_queries);
        values[c++] = CStringGetTextDatum(row.reason);
        values[c++] = CStringGetTextDatum(scope_kind_name(static_cast<ScopeKind>(e.scope_kind)));
        values[c++] = text_datum(e.example_scope());
        values[c++] = ObjectIdGetDatum(e.key.userid);
        values[c++] = ObjectIdGetDatum(e.key.dbid);
        Assert(c == kLoopColumns);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
