// SQL functions of the review: advisor.findings (ranked findings the caller may see),
// advisor.review_checks (what each rule did: ran, not checked and why, disabled) and
// advisor.rules (the registry with the current thresholds).
#include <algorithm>
#include <cmath>
#include <exception>
#include <string>
#include <vector>

#include "core/common/json.h"
#include "core/review/engine.h"
#include "core/review/registry.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/compat.h"
#include "pg/review/review_run.h"
#include "pg/review/review_settings.h"
#include "pg/shmem/shared_state.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

namespace {

constexpr int kFindingColumns = 17;
constexpr int64_t kPostgresEpochMicros = 946684800000000LL;

Datum text_datum(const std::string &s) {
    return PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size()));
}

Datum jsonb_datum(const std::string &json) {
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str()));
}

// NULL for "".
void put_text(Datum *values, bool *nulls, int &c, const std::string &s) {
    if (s.empty())
        nulls[c++] = true;
    else
        values[c++] = text_datum(s);
}

void put_time(Datum *values, bool *nulls, int &c, int64_t unix_micros) {
    if (unix_micros == 0)
        nulls[c++] = true;
    else
        values[c++] = TimestampTzGetDatum(unix_micros - kPostgresEpochMicros);
}

// A finding's values as plain data: the Datums are made inside a subtransaction that keeps no
// C++ temporary alive.
struct FindingRow {
    const review::Finding *f;
    std::string category, severity, evidence;
    std::vector<int64> queryids;
};

FindingRow prepare(const review::Finding &f) {
    return {&f, std::string(review::category_name(f.category)),
            std::string(review::severity_name(f.severity)), f.evidence.json(),
            std::vector<int64>(f.queryids.begin(), f.queryids.end())};
}

void put_finding(ReturnSetInfo *rsinfo, const FindingRow &row, int64 rank) {
    const review::Finding &f = *row.f;
    Datum values[kFindingColumns];
    bool nulls[kFindingColumns];
    memset(nulls, 0, sizeof nulls);
    int c = 0;
    values[c++] = Int64GetDatum(rank);
    values[c++] = text_datum(f.finding_key);
    values[c++] = text_datum(f.rule);
    values[c++] = text_datum(row.category);
    values[c++] = text_datum(row.severity);
    values[c++] = text_datum(f.object);
    values[c++] = text_datum(f.object_type);
    values[c++] = text_datum(f.title);
    values[c++] = jsonb_datum(row.evidence);
    put_text(values, nulls, c, f.recommendation);
    put_text(values, nulls, c, f.fix_sql);
    put_text(values, nulls, c, f.undo_sql);
    values[c++] = Float8GetDatum(f.impact);
    put_text(values, nulls, c, f.impact_unit);
    values[c++] = pga_int8_array(row.queryids.data(), (int)row.queryids.size());
    put_time(values, nulls, c, f.first_seen);
    put_time(values, nulls, c, f.last_seen);
    Assert(c == kFindingColumns);
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

}  // namespace

PGA_SQL_FUNCTION(pg_advisor_findings, "advisor.findings") {
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kFindingColumns, "advisor.findings");
    PgaReview review;
    pga_run_review(review);
    std::vector<FindingRow> rows;
    for (const review::Finding &f : review.result.findings)
        rows.push_back(prepare(f));
    pga_pg_subxact([&] {
        int64 rank = 0;
        for (const FindingRow &row : rows)
            put_finding(rsinfo, row, ++rank);
    });
    return (Datum)0;
}

PGA_SQL_FUNCTION(pg_advisor_review_checks, "advisor.review_checks") {
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, 9, "advisor.review_checks");
    PgaReview review;
    pga_run_review(review);
    std::vector<std::string> categories;
    for (const review::RuleOutcome &o : review.result.outcomes)
        categories.emplace_back(review::category_name(o.rule->category));
    pga_pg_subxact([&] {
        for (size_t i = 0; i < review.result.outcomes.size(); i++) {
            const review::RuleOutcome &o = review.result.outcomes[i];
            Datum values[9];
            bool nulls[9] = {false, false, false, false, false, false, false, false, false};
            int c = 0;
            values[c++] = CStringGetTextDatum(o.rule->id);
            values[c++] = CStringGetTextDatum(categories[i].c_str());
            const char *status = o.disabled                       ? "disabled"
                                 : !o.ran                         ? "not checked"
                                 : o.findings + o.suppressed == 0 ? "passed"
                                                                  : "findings";
            values[c++] = CStringGetTextDatum(status);
            values[c++] = Int32GetDatum((int32)o.findings);
            values[c++] = Int32GetDatum((int32)o.suppressed);
            put_text(values, nulls, c, o.reason);
            values[c++] = CStringGetTextDatum(o.rule->title);
            values[c++] = CStringGetTextDatum(o.rule->passed);
            nulls[c] = !o.ran;
            values[c++] = Float8GetDatum(o.elapsed_ms);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

PGA_SQL_FUNCTION(pg_advisor_rules, "advisor.rules") {
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, 7, "advisor.rules");
    review::Settings settings;
    std::vector<std::string> disabled;
    pga_review_settings(&settings, &disabled);
    std::vector<const review::RuleInfo *> rules = review::all_rules();
    for (const review::RuleInfo &m : review::migration_rules())
        rules.push_back(&m);  // the migration family (DDL review, advisor.lint_ddl)
    for (const review::RuleInfo *r : rules) {
        std::string thresholds = "{";
        for (size_t i = 0; i < r->thresholds.size(); i++) {
            const review::Threshold &t = r->thresholds[i];
            if (i) thresholds += ", ";
            json::append_quoted(thresholds, t.name);
            thresholds += ": {\"value\": " + json::number(settings.get(t.name)) +
                          ", \"default\": " + json::number(t.default_value) +
                          ", \"description\": " + json::quote(t.description) + "}";
        }
        thresholds += "}";
        bool off = std::find(disabled.begin(), disabled.end(), r->id) != disabled.end();
        std::string category(review::category_name(r->category));
        std::string severity(review::severity_name(r->default_severity));
        pga_pg_subxact([&] {
            Datum values[7];
            bool nulls[7] = {false, false, false, false, false, false, false};
            int c = 0;
            values[c++] = CStringGetTextDatum(r->id);
            if (r->catalogue_id[0])
                values[c++] = CStringGetTextDatum(r->catalogue_id);
            else
                nulls[c++] = true;
            values[c++] = CStringGetTextDatum(category.c_str());
            values[c++] = CStringGetTextDatum(severity.c_str());
            values[c++] = CStringGetTextDatum(r->title);
            values[c++] = jsonb_datum(thresholds);
            values[c++] = BoolGetDatum(!off);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        });
    }
    return (Datum)0;
}
