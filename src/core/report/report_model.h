// The report model: every section of the review, built once from a ReportInput, with all the
// wording decided here. The Markdown, JSON and HTML renderers only lay it out, so the three
// formats say the same thing.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/report/json_reader.h"
#include "core/report/report.h"
#include "core/review/finding.h"
#include "core/review/registry.h"

namespace pg_advisor::report {

// A piece of report text: words, with code (names, SQL, settings) marked so each format can
// show it as code. plain() writes code between backticks (the JSON spelling).
struct Span {
    std::string text;
    bool code = false;
};

class Rich {
  public:
    Rich() = default;
    Rich(std::string_view words) { add(words); }  // NOLINT: implicit on purpose
    Rich(const char *words) { add(words); }       // NOLINT
    Rich &add(std::string_view words);
    Rich &code(std::string_view code_text);
    Rich &append(const Rich &other);
    bool empty() const { return spans_.empty(); }
    const std::vector<Span> &spans() const { return spans_; }
    std::string plain() const;

  private:
    std::vector<Span> spans_;
};

// The areas of the "Findings by category" section.
enum class Area : uint8_t { Security, Performance, DataSafety, SchemaQuality, Operations };
constexpr size_t kAreaCount = 5;
std::string_view area_id(Area a);    // "security", "performance", "data_safety", ...
std::string_view area_name(Area a);  // "Security", "Performance", "Data safety", ...

struct EvidenceItem {
    std::string name;
    std::string value;  // as shown: strings without quotes, numbers as written, JSON otherwise
};

struct BeforeAfter {
    bool known = false;
    double before = 0;
    double after = 0;
};

struct FindingView {
    const review::Finding *finding = nullptr;
    const review::RuleInfo *rule = nullptr;  // nullptr when the rule is not known
    size_t number = 0;                       // 1-based, in priority order
    std::string slug;
    std::string file;    // path in the export: "database-review-DATE/finding-001-<slug>.md"
    std::string anchor;  // "finding-001-<slug>": in-page link target
    Area area = Area::SchemaQuality;
    std::string topic;      // "indexing", "queries", "N+1 loops", "constraints", ...
    bool loop = false;      // an N+1 or write loop: fixed in the application code
    bool is_new = false;    // not in the previous snapshot (false without one)
    std::string framework;  // the "framework" application tag, "" when not captured
    Rich issue;
    Rich impact;
    std::string current_state;  // the rule's definition or statement, "" when not given
    bool current_state_is_sql = false;
    Rich fix;  // the recommendation in words
    Rich why;
    std::vector<Rich> steps;
    Rich verify;
    Rich undo;  // words about the undo SQL (the SQL itself is the finding's undo_sql)
    std::vector<EvidenceItem> evidence;
    JsonValue evidence_json;  // always an object (the rule's, or {"unparsed": text})
    BeforeAfter queries;      // per request / unit of work, for loops
    BeforeAfter cost;         // planner cost, for indexes
    Rich action;              // the line of the prioritised action items
};

struct AreaSummary {
    Area area = Area::Security;
    size_t findings = 0;
    std::vector<std::pair<std::string, size_t>> topics;  // findings per topic, in rank order
    size_t ran = 0;                                      // checks of the area that ran
    size_t passed = 0;                                   // ... and found nothing
    Rich line;
};

struct PassedCheck {
    std::string rule;
    std::string title;
    std::string sentence;  // the rule's "passed" sentence
};

struct NotChecked {
    std::string rule;
    std::string title;
    std::string reason;
    bool disabled = false;  // turned off, rather than unable to run
};

struct Metric {
    std::string kind;  // "queries_per_request", "index_cost", "loop_time", "critical_findings",
                       // "high_findings"
    Rich text;
    size_t finding = 0;  // the finding it measures, 0 for the whole review
    double now = 0;      // today's value
    double target = 0;   // the value when done
    std::string unit;    // "queries", "cost", "ms", "findings"
};

struct History {
    int64_t previous_at = 0;
    std::vector<size_t> new_findings;       // numbers of findings not in the previous snapshot
    std::vector<PreviousFinding> resolved;  // previous findings that are gone
    size_t not_rechecked = 0;               // previous findings whose check did not run this time
    Rich text;
};

struct Report {
    explicit Report(const ReportInput &input) : in(input) {}

    const ReportInput &in;
    std::string title;      // "Database review: shop, 2025-01-15"
    std::string generated;  // UTC timestamp, or "time not given"
    Rich scope;             // database and server version
    Rich period;            // the period the captured statistics cover
    Rich analysed;          // what was analysed
    std::array<size_t, 5> severity_counts{};
    Rich counts;                      // "1 critical, 2 high, ... (5 in total)"
    Rich checks;                      // how many checks ran, passed, could not run; suppressed
    Rich priority;                    // the recommended priority in one line
    Rich summary;                     // the friendly paragraph
    bool all_clear = false;           // no visible findings
    std::vector<Rich> capture_steps;  // how to get data; empty when a workload was captured
    Rich capture_intro;               // the sentence before the capture steps
    Rich suppressed_intro;            // the sentence before the suppressed findings' table
    std::vector<AreaSummary> areas;
    std::vector<FindingView> findings;
    std::vector<PassedCheck> passed;
    std::vector<NotChecked> not_checked;
    std::vector<Metric> metrics;
    std::vector<PreviousFinding> suppressed;
    std::optional<History> history;
    size_t checks_ran = 0;
};

// Builds the model. Throws std::invalid_argument when in.date is not YYYY-MM-DD (it names
// files).
Report build_report(const ReportInput &in);

// Parts of build_report, one file each.
FindingView build_finding_view(const review::Finding &f, const review::RuleInfo *rule);
// A finding's evidence as a JSON object: the rule's, or {"unparsed": text} should it not parse.
JsonValue evidence_json(const review::Evidence &e);
void add_wording(Report &r);  // scope .. summary, area lines, capture steps, history text
void add_metrics(Report &r);  // success metrics

// The area and topic of a finding.
Area finding_area(const review::Finding &f);
// "Performance (indexing)"; just "Security" when the topic repeats the area.
std::string area_and_topic(const FindingView &v);
bool is_loop(const review::Finding &f);

// Rule ids the report treats specially (each is a registry rule: checked by the unit tests).
// Loops, fixed in the application code: shown with the ORM fix, counted in the loop metrics.
const std::vector<std::string_view> &loop_rule_ids();
// Schema rules about constraints and key capacity: data safety rather than model quality.
const std::vector<std::string_view> &constraint_rule_ids();

}  // namespace pg_advisor::report
