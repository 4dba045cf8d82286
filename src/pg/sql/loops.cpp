// SQL function behind advisor.n_plus_one: one row per N+1 / write-loop / duplicate finding of
// the current database, with the set-based rewrite, the ORM's fix and the reason.
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
#include "pg/loops/loop_description.h"
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
    pga_require_shared_state();
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kLoopColumns, "advisor.n_plus_one");
    Oid me = GetUserId();
    bool see_all = pga_can_see_all_statements();
    FindingStore store = pga_finding_store();
    size_t len;
    char *buf = pga_copy_snapshot(
        pga_shared->findings_lock, store.snapshot_capacity(), take_snapshot<FindingStore>,
        reinterpret_cast<char *>(pga_shared) + pga_shared->findings_offset, &len);
    FindingStore::Snapshot snap(buf, len);
    char *sql_buf = static_cast<char *>(palloc(8192));
    char *orm_buf = static_cast<char *>(palloc(2048));
    char *reason_buf = static_cast<char *>(palloc(2048));
    char expected_buf[64];
    for (uint32 i = 0; i < snap.count(); i++) {
        FindingEntry e = snap.entry(i);
        if (e.key.dbid != MyDatabaseId) continue;  // relation OIDs mean nothing elsewhere
        FindingTexts texts;
        if (!decode_finding_texts(snap.blob(i), texts)) continue;
        // Other users' loops (their statements, relations, tags, user ids) only for superusers
        // and members of pg_read_all_stats, as pg_stat_statements shows their texts.
        if (!see_all && e.key.userid != me) continue;
        auto kind = static_cast<LoopKind>(e.key.kind);
        uint64 typical = e.occurrences ? (e.executions + e.occurrences / 2) / e.occurrences : 0;

        PgaLoopFacts facts{kind,          e.child_command,      e.key.child_queryid,
                           e.child_relid, e.key.parent_queryid, texts.child,
                           texts.parent,  e.framework_name(),   typical};
        LoopFixInput fix;
        pga_describe_loop(facts, &fix);
        TextBuffer sql(sql_buf, 8192), orm(orm_buf, 2048), reason(reason_buf, 2048);
        TextBuffer expected(expected_buf, sizeof expected_buf);
        write_suggested_sql(fix, sql);
        write_orm_fix(fix, orm);
        write_expected_queries(fix, expected);
        LoopReasonInput r;
        r.kind = kind;
        r.command = e.child_command;
        r.scope_kind = static_cast<ScopeKind>(e.scope_kind);
        r.parent_choice = static_cast<ParentChoice>(e.parent_choice);
        r.child_table = fix.child_table;
        r.parent_text = texts.parent;
        r.example_scope = e.example_scope();
        r.occurrences = e.occurrences;
        r.executions = e.executions;
        r.max_repeats = e.max_repeats;
        r.max_distinct = e.max_distinct;
        r.max_parent_rows = e.max_parent_rows;
        r.min_repeats = (uint32)pga_n_plus_one_min_repeats;
        write_loop_reason(r, reason);

        Datum values[kLoopColumns];
        bool nulls[kLoopColumns];
        memset(nulls, 0, sizeof nulls);
        int c = 0;
        values[c++] = CStringGetTextDatum(psprintf(
            "%s:%016llx", loop_kind_name(kind), (unsigned long long)FindingEntry::hash_key(e.key)));
        values[c++] = CStringGetTextDatum(loop_kind_name(kind));
        auto put_query = [&](uint64 queryid, std::string_view text) {
            if (queryid == 0) {
                nulls[c++] = true;
                nulls[c++] = true;
                return;
            }
            values[c++] = Int64GetDatum((int64)queryid);
            values[c++] = text_datum(text);
        };
        put_query(e.key.parent_queryid, texts.parent);
        put_query(e.key.child_queryid, texts.child);
        for (Oid rel : {e.child_relid, e.parent_relid}) {
            if (OidIsValid(rel))
                values[c++] = ObjectIdGetDatum(rel);
            else
                nulls[c++] = true;
        }
        values[c++] = Int64GetDatum((int64)e.occurrences);
        values[c++] = Int64GetDatum((int64)e.executions);
        values[c++] = Int64GetDatum((int64)e.max_repeats);
        values[c++] = Int64GetDatum((int64)typical);
        values[c++] = Int64GetDatum((int64)e.max_distinct);
        values[c++] = Float8GetDatum((double)e.child_total_ns / 1e6);
        values[c++] = TimestampTzGetDatum(e.first_seen);
        values[c++] = TimestampTzGetDatum(e.last_seen);
        values[c++] = pga_tags_jsonb(texts.tags);
        if (!e.framework_name().empty())
            values[c++] = text_datum(e.framework_name());
        else
            nulls[c++] = true;
        values[c++] = text_datum(sql.view());
        values[c++] = text_datum(orm.view());
        values[c++] = text_datum(expected.view());
        values[c++] = text_datum(reason.view());
        values[c++] = CStringGetTextDatum(scope_kind_name(static_cast<ScopeKind>(e.scope_kind)));
        values[c++] = text_datum(e.example_scope());
        values[c++] = ObjectIdGetDatum(e.key.userid);
        values[c++] = ObjectIdGetDatum(e.key.dbid);
        Assert(c == kLoopColumns);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    pfree(buf);
    return (Datum)0;
}
