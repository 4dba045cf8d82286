// The words of the summary sections: overview lines, the summary paragraph, the recommended
// priority, one line per area, how to get data, what changed since the last snapshot.
#include <algorithm>

#include "core/report/report_model.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

using review::Severity;

size_t count(const Report &r, Severity s) {
    return r.severity_counts[static_cast<size_t>(s)];
}

size_t loop_count(const Report &r) {
    return static_cast<size_t>(std::count_if(r.findings.begin(), r.findings.end(),
                                             [](const FindingView &v) { return v.loop; }));
}

std::string db_name(const ReportInput &in) {
    return in.database.empty() ? "(unnamed)" : in.database;
}

// The title as the end of a sentence.
std::string sentence(const std::string &title) {
    return title.empty() || title.back() == '.' ? title : title + ".";
}

bool any_concurrent_fix(const Report &r) {
    return std::any_of(r.findings.begin(), r.findings.end(), [](const FindingView &v) {
        return v.finding->fix_sql.find("CONCURRENTLY") != std::string::npos;
    });
}

Rich scope_text(const ReportInput &in) {
    Rich out("Database ");
    out.code(db_name(in));
    if (!in.server_version.empty()) out.add(" on " + in.server_version);
    return out;
}

Rich period_text(const ReportInput &in) {
    if (in.period_start != 0 && in.period_end > in.period_start)
        return Rich(utc_minute(in.period_start) + " to " + utc_minute(in.period_end) + " (" +
                    span_text(in.period_end - in.period_start) + ")");
    if (!in.capture_available) return Rich("No statistics captured yet");
    return Rich("Not known");
}

Rich analysed_text(const ReportInput &in) {
    std::string out =
        count_of(static_cast<size_t>(in.tables), "table", "tables") + ", " +
        count_of(static_cast<size_t>(in.indexes), "index", "indexes") + ", " +
        count_of(static_cast<size_t>(in.statements), "captured statement", "captured statements");
    if (in.migrations > 0)
        out += ", " + count_of(static_cast<size_t>(in.migrations), "migration (DDL statement)",
                               "migrations (DDL statements)");
    return Rich(out);
}

std::string severity_breakdown(const Report &r) {
    std::string out;
    for (size_t i = 0; i < r.severity_counts.size(); i++) {
        if (!out.empty()) out += ", ";
        out += std::to_string(r.severity_counts[i]) + " " +
               std::string(review::severity_name(static_cast<Severity>(i)));
    }
    return out;
}

Rich counts_text(const Report &r) {
    if (r.findings.empty()) return Rich("No findings");
    return Rich(severity_breakdown(r) + " (" + std::to_string(r.findings.size()) + " in total)");
}

Rich checks_text(const Report &r) {
    size_t disabled =
        static_cast<size_t>(std::count_if(r.not_checked.begin(), r.not_checked.end(),
                                          [](const NotChecked &n) { return n.disabled; }));
    std::string out = count_of(r.checks_ran, "check ran", "checks ran") + " (" +
                      std::to_string(r.passed.size()) + " passed)";
    if (r.not_checked.size() > disabled)
        out += ", " + std::to_string(r.not_checked.size() - disabled) + " could not run";
    if (disabled) out += ", " + std::to_string(disabled) + " turned off";
    out += "; " + count_of(r.suppressed.size(), "finding", "findings") + " suppressed";
    return Rich(out);
}

Rich priority_text(const Report &r) {
    if (r.findings.empty() && !r.in.capture_available)
        return Rich(
            "Start capturing a workload (see “No workload captured yet”); nothing else "
            "needs doing now.");
    if (r.findings.empty())
        return Rich("Nothing needs doing now; keep capture on so the next review can compare.");
    const FindingView &top = r.findings.front();
    size_t urgent = count(r, Severity::Critical) + count(r, Severity::High);
    Rich out;
    if (count(r, Severity::Critical)) {
        out.add("Fix the " +
                count_of(count(r, Severity::Critical), "critical finding", "critical findings") +
                " first");
    } else if (urgent) {
        out.add("Start with the " +
                count_of(urgent, "high-priority finding", "high-priority findings"));
    } else {
        out.add("Nothing is urgent; plan the findings into regular maintenance");
    }
    return out.add(", beginning with finding 1: " + sentence(top.finding->title));
}

Rich findings_summary(const Report &r) {
    const FindingView &top = r.findings.front();
    size_t urgent = count(r, Severity::Critical) + count(r, Severity::High);
    Rich out("This review of ");
    out.code(db_name(r.in)).add(" found " + count_of(r.findings.size(), "finding", "findings"));
    out.add(". The most important is finding 1 (" +
            std::string(review::severity_name(top.finding->severity)) +
            "): " + sentence(top.finding->title) + " ");
    if (urgent)
        out.add(
            "We suggest fixing the " +
            count_of(urgent, "critical or high-priority item", "critical and high-priority items") +
            " first, in the order below, then planning the rest into regular maintenance. ");
    else
        out.add(
            "Nothing here is urgent: plan the items below into regular maintenance, in order. ");
    out.add(
        "Each finding comes with the fix, implementation steps in a safe order and a way to "
        "check that it worked.");
    if (size_t loops = loop_count(r))
        out.add(" " + count_of(loops, "loop adds", "loops add") +
                " extra queries to requests; loops are fixed in the application code (eager "
                "loading or bulk writes) and are usually the quickest win.");
    if (any_concurrent_fix(r))
        out.add(" The index changes use ")
            .code("CONCURRENTLY")
            .add(", so they can run while the application is live.");
    return out;
}

Rich all_clear_summary(const Report &r) {
    Rich out("Good news: every check that ran on ");
    out.code(db_name(r.in)).add(" passed (" + count_of(r.checks_ran, "check", "checks") + ")");
    if (r.in.period_start && r.in.period_end > r.in.period_start)
        out.add(", over " + span_text(r.in.period_end - r.in.period_start) +
                " of captured workload");
    out.add(". There is nothing to fix right now. Keep capture on (");
    out.code("shared_preload_libraries = 'pg_advisor'");
    out.add(
        ") so that new N+1 loops, missing indexes or risky schema changes show up in the next "
        "review.");
    return out;
}

Rich no_capture_summary(const Report &r) {
    Rich out("There is nothing to review yet for ");
    out.code(db_name(r.in)).add(": no workload has been captured");
    if (!r.in.capture_reason.empty()) out.add(" (" + r.in.capture_reason + ")");
    out.add(". ");
    if (!r.passed.empty())
        out.add("The " + count_of(r.passed.size(), "check", "checks") +
                " that only need the schema passed. ");
    out.add(
        "Follow the steps under “No workload captured yet” to start capturing, then run the "
        "report again.");
    return out;
}

Rich summary_text(const Report &r) {
    Rich out;
    if (!r.findings.empty()) {
        out = findings_summary(r);
        if (!r.in.capture_available)
            out.add(
                " The checks that need a captured workload could not run yet; see “No workload "
                "captured yet”.");
    } else {
        out = r.in.capture_available ? all_clear_summary(r) : no_capture_summary(r);
    }
    if (r.history)
        out.add(" Since the snapshot of " + utc_minute(r.history->previous_at) + ": " +
                std::to_string(r.history->new_findings.size()) + " new, " +
                std::to_string(r.history->resolved.size()) + " resolved.");
    size_t cannot =
        static_cast<size_t>(std::count_if(r.not_checked.begin(), r.not_checked.end(),
                                          [](const NotChecked &n) { return !n.disabled; }));
    if (cannot)
        out.add(" " + count_of(cannot, "check", "checks") +
                " could not run; “Not checked” says why.");
    return out;
}

std::vector<Rich> capture_steps() {
    std::vector<Rich> steps(4);
    steps[0]
        .add("Add pg_advisor to ")
        .code("shared_preload_libraries")
        .add(" in postgresql.conf, keeping any libraries already listed: ");
    steps[0].code("shared_preload_libraries = 'pg_advisor'").add(", then restart the server.");
    steps[1].add("Create the extension in this database: ");
    steps[1].code("CREATE EXTENSION IF NOT EXISTS pg_advisor;");
    steps[2].add("Run the application's usual workload (or its test suite) against the database.");
    steps[3].add(
        "Wait until the statistics cover a representative period (a day of normal "
        "traffic is a good start), then run ");
    steps[3].code("SELECT advisor.report('markdown');").add(" again.");
    return steps;
}

Rich capture_intro(const ReportInput &in) {
    Rich out("pg_advisor has not captured any statements for this database yet");
    if (!in.capture_reason.empty()) out.add(" (" + in.capture_reason + ")");
    return out.add(
        ", so the checks that look at the workload (N+1 loops, slow statements, missing "
        "indexes for real queries) cannot run. To get data:");
}

Rich suppressed_intro(const Report &r) {
    Rich out(count_of(r.suppressed.size(), "finding is", "findings are") +
             " suppressed and left out of this report (see ");
    return out.code("advisor.suppressions").add("):");
}

std::string topics_text(const AreaSummary &a) {
    std::string out;
    for (const auto &[topic, n] : a.topics)
        out += (out.empty() ? "" : ", ") + topic + ": " + std::to_string(n);
    return out;
}

Rich area_line(const Report &r, const AreaSummary &a) {
    if (a.findings == 0 && a.passed)
        return Rich("Nothing to fix: " + count_of(a.passed, "check", "checks") + " passed.");
    if (a.findings == 0)
        return Rich(a.ran ? "Nothing to fix apart from suppressed findings."
                          : "Not checked in this review.");
    const FindingView *top = nullptr;
    for (const FindingView &v : r.findings)
        if (v.area == a.area) {
            top = &v;
            break;
        }
    std::string topics = topics_text(a);
    bool same = a.topics.size() == 1 && a.topics[0].first == top->topic &&
                area_and_topic(*top) == area_name(a.area);
    return Rich(count_of(a.findings, "finding", "findings") + (same ? "" : " (" + topics + ")") +
                ". Most important: finding " + std::to_string(top->number) + ", " +
                sentence(top->finding->title));
}

Rich history_text(const Report &r) {
    const History &h = *r.history;
    Rich out("Since the snapshot of " + utc_minute(h.previous_at) + ": " +
             count_of(h.new_findings.size(), "new finding", "new findings") + " and " +
             count_of(h.resolved.size(), "resolved finding", "resolved findings"));
    out.add(h.resolved.empty() ? "." : ", well done.");
    if (h.not_rechecked)
        out.add(" " + count_of(h.not_rechecked, "earlier finding", "earlier findings") +
                " could not be re-checked because " +
                (h.not_rechecked == 1 ? "its check" : "their checks") + " did not run.");
    return out;
}

}  // namespace

void add_wording(Report &r) {
    const ReportInput &in = r.in;
    r.title = "Database review: " + db_name(in) + ", " + in.date;
    r.generated = in.generated_at ? utc_timestamp(in.generated_at) : "time not given";
    r.scope = scope_text(in);
    r.period = period_text(in);
    r.analysed = analysed_text(in);
    r.counts = counts_text(r);
    r.checks = checks_text(r);
    r.priority = priority_text(r);
    if (r.history) r.history->text = history_text(r);
    if (!in.capture_available) {
        r.capture_steps = capture_steps();
        r.capture_intro = capture_intro(in);
    }
    if (!r.suppressed.empty()) r.suppressed_intro = suppressed_intro(r);
    for (AreaSummary &a : r.areas)
        a.line = area_line(r, a);
    r.summary = summary_text(r);
}

}  // namespace pg_advisor::report
