// The review report: one model (report/report_model.h) built from a ReviewResult and what the
// caller knows about the database and its captured workload, rendered as Markdown, JSON and
// HTML so the three never disagree. advisor.report(format), advisor.export_report(dir) and the
// command line call these; they write nothing themselves.
//
// Evidence names the report reads (rules that set them get richer success metrics):
//   queries_before / queries_after (numbers), or expected_queries ("21 -> 2"): queries per
//     request or unit of work before and after a loop fix;
//   cost_before / cost_after (or total_cost_before / total_cost_after): planner cost of the
//     statement before and after an index.
// Application tags: "framework" picks the ORM named next to orm_fix; "controller", "action",
// "route", "job" locate a loop in the application.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/review/engine.h"
#include "core/review/finding.h"

namespace pg_advisor::report {

// A statement of the captured workload, for the "where the time goes" chart.
struct TopStatement {
    uint64_t queryid = 0;
    std::string query;  // normalised text
    int64_t calls = 0;
    double total_ms = 0;
};

// A finding of the previous snapshot (advisor.snapshot()).
struct PreviousFinding {
    std::string finding_key;
    std::string rule;
    std::string object;
    std::string title;
    review::Severity severity = review::Severity::Info;
};

struct PreviousSnapshot {
    int64_t taken_at = 0;                   // microseconds since the epoch
    std::vector<PreviousFinding> findings;  // every finding open at that time (their keys)
};

struct ReportInput {
    explicit ReportInput(const review::ReviewResult &result) : review(result) {}

    const review::ReviewResult &review;
    std::string database;
    std::string server_version;  // "PostgreSQL 16.4"
    std::string date;            // "YYYY-MM-DD" in the caller's time zone; names the files
    std::string time_zone;       // the time zone the date is in, e.g. "Europe/Paris"
    int64_t generated_at = 0;    // microseconds since the epoch (shown in UTC)
    // The period the captured statistics cover (microseconds since the epoch; 0 = unknown).
    int64_t period_start = 0;
    int64_t period_end = 0;
    // What was analysed.
    int64_t tables = 0;
    int64_t indexes = 0;
    int64_t statements = 0;  // captured statements
    int64_t migrations = 0;  // DDL statements reviewed (shown when > 0)
    // False when there is no captured workload yet (not preloaded, nothing run, statistics
    // just reset); capture_reason says which.
    bool capture_available = true;
    std::string capture_reason;
    std::optional<PreviousSnapshot> previous;
    std::vector<TopStatement> top_statements;  // most total time first
};

// advisor.report(format): "markdown", "json" or "html". Throws std::invalid_argument for any
// other format or a date that is not YYYY-MM-DD.
std::string render(const ReportInput &in, std::string_view format);

// The whole review as one Markdown document: the summary sections, then every finding.
std::string render_markdown(const ReportInput &in);
// The same content for machines; schema: docs/report.schema.json.
std::string render_json(const ReportInput &in);
// One self-contained HTML page (inline CSS and SVG charts, no script, nothing external).
std::string render_html(const ReportInput &in);

// Fills in.tables and in.indexes from the catalog: ordinary and partitioned tables that are not
// part of an extension, and their indexes.
void count_catalog(ReportInput &in, const catalog::CatalogSnapshot &snap);

struct ReportFile {
    std::string path;  // relative: "database-review-2025-01-15/finding-001-....md"
    std::string content;
};

// advisor.export_report(dir): the summary (database-review-DATE.md, its action items linking
// the finding files), one database-review-DATE/finding-NNN-<slug>.md per finding in priority
// order, database-review-DATE.json and database-review-DATE.html. The caller writes them.
std::vector<ReportFile> export_files(const ReportInput &in);

}  // namespace pg_advisor::report
