// One review of the current database (see review_run.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "core/catalog/snapshot_sql.h"
#include "core/review/engine.h"
#include "core/review/registry.h"

extern "C" {
#include "postgres.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/boundary/run_as.h"
#include "pg/catalog/snapshot_spi.h"
#include "pg/compat.h"
#include "pg/review/review_run.h"
#include "pg/ddl/history.h"
#include "pg/review/review_settings.h"
#include "pg/review/workload_evidence.h"

using namespace pg_advisor;

namespace {

int64_t micros_of(const catalog::RowReader &r, size_t col) {
    return r.micros(col);
}

std::vector<review::Suppression> read_suppressions() {
    std::vector<review::Suppression> out;
    std::vector<catalog::Row> rows = pga_spi_rows(
        "SELECT finding_key, rule, object, reason, extract(epoch FROM until) "
        "FROM advisor.suppression");
    for (size_t i = 0; i < rows.size(); i++) {
        catalog::RowReader r("suppressions", i, rows[i]);
        review::Suppression s;
        s.finding_key = r.text(0);
        s.rule = r.text(1);
        s.object = r.text(2);
        s.reason = r.text(3);
        s.until = micros_of(r, 4);
        out.push_back(std::move(s));
    }
    return out;
}

// The history tables belong to the extension's owner and are not readable by everyone: the
// first time a key was seen is read as their owner (only for keys the caller already sees,
// so nothing else of the history reaches it).
void read_first_seen(review::ReviewOptions &options) {
    Oid owner = InvalidOid;
    pga_pg_subxact([&] {
        Oid nsp = get_namespace_oid("advisor", false);
        Oid rel = get_relname_relid("snapshot_findings", nsp);
        if (!OidIsValid(rel)) ereport(ERROR, (errmsg("advisor.snapshot_findings is missing")));
        owner = pga_relation_owner(rel);
    });
    std::vector<catalog::Row> rows = pga_spi_rows(
        "SELECT f.finding_key, extract(epoch FROM min(s.taken_at)) "
        "FROM advisor.snapshot_findings f JOIN advisor.snapshots s ON s.id = f.snapshot_id "
        "GROUP BY f.finding_key",
        owner);
    for (size_t i = 0; i < rows.size(); i++) {
        catalog::RowReader r("first seen", i, rows[i]);
        options.first_seen[r.text(0)] = micros_of(r, 1);
    }
}

// The latest snapshot's findings, when the caller may read the history itself.
void read_previous(PgaReview &out) {
    bool readable = false;
    pga_pg_subxact([&] {
        Oid nsp = get_namespace_oid("advisor", false);
        Oid f = get_relname_relid("snapshot_findings", nsp);
        Oid s = get_relname_relid("snapshots", nsp);
        readable = OidIsValid(f) && OidIsValid(s) &&
                   pg_class_aclcheck(f, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
                   pg_class_aclcheck(s, GetUserId(), ACL_SELECT) == ACLCHECK_OK;
    });
    if (!readable) {
        out.history_note =
            "what is new and what was resolved since the last snapshot is shown to roles that "
            "may read advisor.snapshots and advisor.snapshot_findings";
        return;
    }
    std::vector<catalog::Row> rows = pga_spi_rows(
        "SELECT extract(epoch FROM s.taken_at), f.finding_key, f.rule, f.object, f.title, "
        "f.severity FROM advisor.snapshots s LEFT JOIN advisor.snapshot_findings f "
        "ON f.snapshot_id = s.id WHERE s.id = (SELECT max(id) FROM advisor.snapshots)");
    if (rows.empty()) {
        out.history_note = "no snapshot taken yet (advisor.snapshot())";
        return;
    }
    report::PreviousSnapshot prev;
    for (size_t i = 0; i < rows.size(); i++) {
        catalog::RowReader r("previous snapshot", i, rows[i]);
        prev.taken_at = micros_of(r, 0);
        if (r.is_null(1)) continue;
        report::PreviousFinding f;
        f.finding_key = r.text(1);
        f.rule = r.text(2);
        f.object = r.text(3);
        f.title = r.text(4);
        (void)review::parse_severity(r.text(5), &f.severity);
        prev.findings.push_back(std::move(f));
    }
    out.previous = std::move(prev);
}

}  // namespace

namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// The migration findings of DDL the server reviewed and ran (ddl/history.h), ranked in,
// unless suppressed or their rule disabled.
void add_reviewed_ddl(review::ReviewResult &result, const review::ReviewOptions &options) {
    for (review::Finding &f : pga_ddl_history_findings()) {
        if (std::find(options.disabled_rules.begin(), options.disabled_rules.end(), f.rule) !=
            options.disabled_rules.end())
            continue;
        bool suppressed =
            std::any_of(options.suppressions.begin(), options.suppressions.end(),
                        [&](const review::Suppression &s) { return s.matches(f, options.now); });
        (suppressed ? result.suppressed : result.findings).push_back(std::move(f));
    }
    std::stable_sort(result.findings.begin(), result.findings.end(), review::ranks_before);
}

void pga_run_review(PgaReview &out) {
    auto started = std::chrono::steady_clock::now();
    pga_read_catalog_snapshot(out.catalog);
    double catalog_ms = ms_since(started);
    auto workload_started = std::chrono::steady_clock::now();
    pga_read_workload_evidence(out.workload);
    double workload_ms = ms_since(workload_started);
    review::ReviewOptions options;
    pga_review_settings(&out.settings, &options.disabled_rules);
    options.now = out.catalog.database.now;
    options.suppressions = read_suppressions();
    read_first_seen(options);
    review::ReviewInput in{out.catalog, out.workload, out.settings};
    auto rules_started = std::chrono::steady_clock::now();
    out.result = review::run_review(in, options);
    add_reviewed_ddl(out.result, options);
    double rules_ms = ms_since(rules_started);
    read_previous(out);
    // SET client_min_messages = debug1 shows where a review spends its time.
    double total_ms = ms_since(started);
    if (message_level_is_interesting(DEBUG1))
        pga_pg_subxact([&] {
            elog(DEBUG1,
                 "pg_advisor review: %.0f ms (catalog %.0f ms, workload %.0f ms, rules %.0f ms)",
                 total_ms, catalog_ms, workload_ms, rules_ms);
        });
}

report::ReportInput pga_report_input(const PgaReview &review) {
    report::ReportInput in(review.result);
    const catalog::Database &db = review.catalog.database;
    in.database = db.name;
    in.server_version = "PostgreSQL " + db.server_version;
    in.generated_at = db.now;
    char date[16] = "";
    const char *zone = "UTC";
    pga_pg_subxact([&] {
        // The date in the session's time zone names the files.
        TimestampTz now = GetCurrentTimestamp();
        struct pg_tm tm;
        fsec_t fsec;
        int tz;
        if (timestamp2tm(now, &tz, &tm, &fsec, NULL, NULL) == 0)
            snprintf(date, sizeof date, "%04d-%02d-%02d", tm.tm_year, tm.tm_mon, tm.tm_mday);
        zone = pg_get_timezone_name(session_timezone);
    });
    in.date = date;
    in.time_zone = zone ? zone : "UTC";
    in.period_start = review.workload.window_start;
    in.period_end = review.workload.window_end;
    report::count_catalog(in, review.catalog);
    in.statements = static_cast<int64_t>(review.workload.statements.size());
    in.capture_available = review.workload.available;
    in.capture_reason = review.workload.unavailable_reason;
    in.previous = review.previous;
    std::vector<const workload::StatementEvidence *> top;
    for (const workload::StatementEvidence &s : review.workload.statements)
        top.push_back(&s);
    std::sort(top.begin(), top.end(), [](const auto *a, const auto *b) {
        return a->total_ms > b->total_ms || (a->total_ms == b->total_ms && a->queryid < b->queryid);
    });
    for (size_t i = 0; i < top.size() && i < 10; i++)
        in.top_statements.push_back({top[i]->queryid, top[i]->query,
                                     static_cast<int64_t>(std::llround(top[i]->calls)),
                                     top[i]->total_ms});
    return in;
}
