// One review of the current database, as the calling role: the catalog snapshot and the
// captured workload it may see, the rules of the registry with the current settings, the
// suppressions, and when each finding was first seen (from earlier snapshots). advisor.findings,
// advisor.report(), advisor.export_report() and advisor.snapshot() all start here.
//
// C++ results: call from inside pga_sql_call(); PostgreSQL errors arrive as PgError. Include
// after postgres.h.
#pragma once

#include <optional>
#include <string>

#include "core/catalog/catalog_snapshot.h"
#include "core/report/report.h"
#include "core/review/engine.h"
#include "core/workload/workload_snapshot.h"

struct PgaReview {
    pg_advisor::catalog::CatalogSnapshot catalog;
    pg_advisor::workload::WorkloadSnapshot workload;
    pg_advisor::review::Settings settings;
    pg_advisor::review::ReviewResult result;
    // The latest snapshot's findings, when the role may read the history (advisor.snapshots).
    std::optional<pg_advisor::report::PreviousSnapshot> previous;
    std::string history_note;  // why there is no previous snapshot, when there is none
};

void pga_run_review(PgaReview &out);

// The report input of a review (database facts, captured period, top statements, history).
pg_advisor::report::ReportInput pga_report_input(const PgaReview &review);
