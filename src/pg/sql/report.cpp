// SQL functions of the report: advisor.report(format), advisor.export_report(directory) and
// advisor.snapshot() (the findings kept with a timestamp, so reports say what is new and what
// was resolved).
#include <exception>
#include <set>
#include <string>
#include <vector>

#include "core/report/report.h"
#include "core/review/engine.h"

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/boundary/run_as.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/compat.h"
#include "pg/review/export_files.h"
#include "pg/review/review_run.h"
#include "pg/review/review_settings.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

PGA_SQL_FUNCTION(pg_advisor_report, "advisor.report") {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("advisor.report: the format is NULL"),
                        errhint("Use 'markdown', 'json' or 'html'.")));
    char *format = text_to_cstring(PG_GETARG_TEXT_PP(0));
    if (strcmp(format, "markdown") != 0 && strcmp(format, "json") != 0 &&
        strcmp(format, "html") != 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown report format \"%s\"", pga_clip_input(format)),
                        errhint("Use 'markdown', 'json' or 'html'.")));
    PgaReview review;
    pga_run_review(review);
    std::string out = report::render(pga_report_input(review), format);
    text *result = nullptr;
    pga_pg_subxact([&] { result = cstring_to_text_with_len(out.data(), (int)out.size()); });
    PG_RETURN_TEXT_P(result);
}

PGA_SQL_FUNCTION(pg_advisor_export_report, "advisor.export_report") {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("advisor.export_report: the directory is NULL")));
    char *directory = text_to_cstring(PG_GETARG_TEXT_PP(0));
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, 1, "advisor.export_report");
    std::string dir = pga_export_target(directory);  // refusals before any work
    PgaReview review;
    pga_run_review(review);
    std::vector<std::string> paths =
        pga_write_export(dir, report::export_files(pga_report_input(review)));
    pga_pg_subxact([&] {
        for (const std::string &p : paths) {
            Datum value = CStringGetTextDatum(p.c_str());
            bool null = false;
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &null);
        }
    });
    return (Datum)0;
}

// The files advisor.export_report writes, as (path, content) rows, for a client to write on its
// own machine (`pg_advisor report --dsn ... --out DIR`): no file is written on the server, so no
// file-writing privilege is needed, only what advisor.report needs.
PGA_SQL_FUNCTION(pg_advisor_export_files, "advisor.export_files") {
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, 2, "advisor.export_files");
    PgaReview review;
    pga_run_review(review);
    std::vector<report::ReportFile> files = report::export_files(pga_report_input(review));
    pga_pg_subxact([&] {
        for (const report::ReportFile &f : files) {
            Datum values[2] = {CStringGetTextDatum(f.path.c_str()),
                               PointerGetDatum(cstring_to_text_with_len(
                                   f.content.data(), static_cast<int>(f.content.size())))};
            bool nulls[2] = {false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

namespace {

// One text[] parameter per column of advisor.snapshot_findings.
struct SnapshotColumns {
    std::vector<std::string> key, rule, category, severity, object, title;
    std::vector<double> impact;
};

Datum text_array(const std::vector<std::string> &items) {
    Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (items.size() + 1)));
    for (size_t i = 0; i < items.size(); i++)
        elems[i] = CStringGetTextDatum(items[i].c_str());
    return pga_text_array_datums(elems, (int)items.size());
}

// Inserts the snapshot and its findings as the caller, prunes old ones; returns the new id.
int64 store_snapshot(const SnapshotColumns &cols, int suppressed, int retention) {
    int64 id = 0;
    pga_pg_subxact([&] {
        pga_with_safe_search_path([&] {
            if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
            Oid types[2] = {INT4OID, INT4OID};
            Datum args[2] = {Int32GetDatum((int32)cols.key.size()), Int32GetDatum(suppressed)};
            int rc = SPI_execute_with_args(
                "INSERT INTO advisor.snapshots (findings, suppressed) VALUES ($1, $2) RETURNING id",
                2, types, args, NULL, false, 1);
            if (rc != SPI_OK_INSERT_RETURNING || SPI_processed != 1)
                elog(ERROR, "could not insert into advisor.snapshots");
            bool isnull;
            id = DatumGetInt64(
                SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
            Datum *impacts = static_cast<Datum *>(palloc(sizeof(Datum) * (cols.impact.size() + 1)));
            for (size_t i = 0; i < cols.impact.size(); i++)
                impacts[i] = Float8GetDatum(cols.impact[i]);
            Oid ftypes[8] = {INT8OID,      TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
                             TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID, FLOAT8ARRAYOID};
            Datum fargs[8] = {
                Int64GetDatum(id),
                text_array(cols.key),
                text_array(cols.rule),
                text_array(cols.category),
                text_array(cols.severity),
                text_array(cols.object),
                text_array(cols.title),
                PointerGetDatum(construct_array(impacts, (int)cols.impact.size(), FLOAT8OID, 8,
                                                FLOAT8PASSBYVAL, TYPALIGN_DOUBLE))};
            rc = SPI_execute_with_args(
                "INSERT INTO advisor.snapshot_findings (snapshot_id, finding_key, rule, category, "
                "severity, object, title, impact) SELECT $1, * FROM unnest($2::text[], "
                "$3::text[], "
                "$4::text[], $5::text[], $6::text[], $7::text[], $8::float8[])",
                8, ftypes, fargs, NULL, false, 0);
            if (rc != SPI_OK_INSERT) elog(ERROR, "could not insert into advisor.snapshot_findings");
            Datum keep = Int32GetDatum(retention);
            Oid ktype = INT4OID;
            rc = SPI_execute_with_args(
                "DELETE FROM advisor.snapshots WHERE id NOT IN "
                "(SELECT id FROM advisor.snapshots ORDER BY id DESC LIMIT $1)",
                1, &ktype, &keep, NULL, false, 0);
            if (rc != SPI_OK_DELETE) elog(ERROR, "could not prune advisor.snapshots");
            SPI_finish();
        });
    });
    return id;
}

}  // namespace

PGA_SQL_FUNCTION(pg_advisor_snapshot, "advisor.snapshot") {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("advisor.snapshot: return type must be a row type")));
    PgaReview review;
    pga_run_review(review);
    SnapshotColumns cols;
    std::set<std::string> now_keys;
    for (const review::Finding &f : review.result.findings) {
        cols.key.push_back(f.finding_key);
        cols.rule.push_back(f.rule);
        cols.category.emplace_back(review::category_name(f.category));
        cols.severity.emplace_back(review::severity_name(f.severity));
        cols.object.push_back(f.object);
        cols.title.push_back(f.title);
        cols.impact.push_back(f.impact);
        now_keys.insert(f.finding_key);
    }
    int64 fresh = 0, resolved = 0;
    if (review.previous) {
        std::set<std::string> before;
        for (const report::PreviousFinding &p : review.previous->findings)
            before.insert(p.finding_key);
        for (const std::string &k : now_keys)
            fresh += before.count(k) == 0;
        for (const std::string &k : before)
            resolved += now_keys.count(k) == 0;
    } else {
        fresh = static_cast<int64>(now_keys.size());
    }
    int64 id = store_snapshot(cols, (int)review.result.suppressed.size(), pga_snapshot_retention);
    Datum result = (Datum)0;
    pga_pg_subxact([&] {
        Datum values[5] = {
            Int64GetDatum(id), TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()),
            Int32GetDatum((int32)now_keys.size()), Int64GetDatum(fresh), Int64GetDatum(resolved)};
        bool nulls[5] = {false, false, false, false, false};
        result = HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls));
    });
    return result;
}
