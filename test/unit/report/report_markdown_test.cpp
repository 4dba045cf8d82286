#include <gtest/gtest.h>

#include <string>

#include "core/report/report.h"
#include "golden.h"
#include "report_fixture.h"

using namespace pg_advisor;
using namespace pg_advisor::report;
using report::testing::expect_golden;
using report::testing::Sample;

namespace {

bool contains(const std::string &text, const std::string &part) {
    return text.find(part) != std::string::npos;
}

size_t position(const std::string &text, const std::string &part) {
    size_t at = text.find(part);
    EXPECT_NE(at, std::string::npos) << "missing: " << part;
    return at;
}

}  // namespace

TEST(ReportGolden, SampleReviewMarkdown) {
    Sample s;
    expect_golden("sample_review.md", render_markdown(s.input));
}

TEST(ReportGolden, SampleExportSummaryAndLoopFinding) {
    Sample s;
    std::vector<ReportFile> files = export_files(s.input);
    ASSERT_GE(files.size(), 3u);
    expect_golden("sample_summary.md", files[0].content);
    EXPECT_EQ(files[3].path, "database-review-2025-01-15/finding-003-n-plus-one-order-items.md");
    expect_golden("sample_finding_n_plus_one.md", files[3].content);
}

TEST(ReportGolden, NoCaptureAndAllClear) {
    Sample none;
    report::testing::make_no_capture(none);
    expect_golden("no_capture.md", render_markdown(none.input));
    Sample clear;
    report::testing::make_all_clear(clear);
    expect_golden("all_clear.md", render_markdown(clear.input));
}

TEST(ReportMarkdown, SectionsInTheExpectedOrder) {
    Sample s;
    std::string md = render_markdown(s.input);
    EXPECT_EQ(md.rfind("# Database review: shop, 2025-01-15\n", 0), 0u);
    const char *sections[] = {"## Overview",
                              "## Summary",
                              "## Findings by category",
                              "## Prioritised action items",
                              "## Changes since the last review",
                              "## Good patterns found",
                              "## Success metrics",
                              "## Not checked",
                              "## Suppressed",
                              "## Findings"};
    size_t last = 0;
    for (const char *section : sections) {
        size_t at = position(md, std::string("\n") + section + "\n");
        EXPECT_GT(at, last) << section << " is out of order";
        last = at;
    }
}

TEST(ReportMarkdown, FindingSectionsCarryEveryPart) {
    Sample s;
    std::string md = render_markdown(s.input);
    size_t loop = position(md, "### Finding 3: N+1");
    size_t next = position(md, "### Finding 4:");
    std::string section = md.substr(loop, next - loop);
    for (const char *part :
         {"#### Issue", "#### Location", "#### Impact", "#### Current state",
          "#### Recommended fix", "#### Why this helps", "#### Implementation steps",
          "#### How to verify", "#### Undo", "**Severity:** high", "`controller=orders`",
          "In the application (django):", "prefetch_related(\"items\")",
          "Before the fix: 21 queries; after: 2.", "`-8126010868647436448`",
          "**New since the last review**"})
        EXPECT_TRUE(contains(section, part)) << "missing: " << part;
}

TEST(ReportMarkdown, IndexFindingShowsCostBeforeAndAfter) {
    Sample s;
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "estimated cost 18,250 today, 12.5 with the index"));
    EXPECT_TRUE(contains(md, "the estimated cost should fall from 18,250 to about 12.5"));
}

// Times and sizes are spelled as the rules spell them in titles (core/common/text_format.h).
TEST(ReportMarkdown, ImpactsUseTheSharedSpellings) {
    Sample s;
    for (review::Finding &f : s.result.findings) {
        if (f.rule == "n_plus_one") f.impact = 93000;  // ms
        if (f.rule == "bulk_write_loop") f.impact = 12.5;
        if (f.rule == "timestamp_without_tz") {
            f.impact = 2.0 * 1024 * 1024 * 1024;
            f.impact_unit = "bytes";
        }
    }
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "About 1 min 33 s of database time over the captured period."));
    EXPECT_TRUE(contains(md, "About 12.5 ms of database time over the captured period."));
    EXPECT_TRUE(contains(md, "\n2 GB of storage.\n"));
    EXPECT_TRUE(contains(md, "Time spent in N+1 and write loops: 1 min 33 s over the captured"));
}

TEST(ReportMarkdown, SaysWhatWasSuppressedAndNotChecked) {
    Sample s;
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "1 finding is suppressed"));
    EXPECT_TRUE(contains(md, "`no_primary_key`"));
    EXPECT_TRUE(contains(md, "- **Unused index** (`unused_index`): the statistics cover 2 days"));
    EXPECT_TRUE(contains(md, "- Turned off (pg_advisor.disabled_rules): `index_bloat`\n"));
    // A suppressed finding is not listed among the findings.
    EXPECT_TRUE(contains(md, "### Finding 7: "));
    EXPECT_FALSE(contains(md, "Finding 8"));
}

TEST(ReportMarkdown, HistoryMarksNewAndListsResolved) {
    Sample s;
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "6 new findings and 1 resolved finding"));
    EXPECT_TRUE(contains(md,
                         "| medium | `invalid_index` | `\"public\".\"orders_tmp_idx\"` | Index "
                         "orders_tmp_idx is invalid |"));
    // Its check was skipped this time: not resolved, not re-checked.
    EXPECT_FALSE(contains(md, "events_old_idx"));
    EXPECT_TRUE(contains(md, "1 earlier finding could not be re-checked"));
    // The foreign key finding was in the previous snapshot: not new.
    EXPECT_TRUE(contains(md, "2. **high**: [Foreign key"));
    EXPECT_TRUE(contains(md, "3. **high** (new): [N+1"));
}

TEST(ReportMarkdown, GoodPatternsComeFromChecksThatRanAndFoundNothing) {
    Sample s;
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "- No index duplicates another.\n"));
    EXPECT_TRUE(contains(md, "- JSON columns are jsonb.\n"));
    EXPECT_TRUE(contains(md, "- No index is left invalid.\n"));
    EXPECT_FALSE(contains(md, "Every foreign key is indexed."));      // it has a finding
    EXPECT_FALSE(contains(md, "Every table has a primary key."));     // suppressed, still there
    EXPECT_FALSE(contains(md, "Every droppable index was scanned"));  // it did not run
}

TEST(ReportMarkdown, NothingCapturedSaysHowToGetData) {
    Sample s;
    report::testing::make_no_capture(s);
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md,
                         "There is nothing to review yet for `shop`: no workload has been "
                         "captured (pg_advisor is not in shared_preload_libraries)."));
    EXPECT_TRUE(contains(md, "## No workload captured yet"));
    EXPECT_TRUE(contains(md, "`shared_preload_libraries = 'pg_advisor'`"));
    EXPECT_TRUE(contains(md, "`CREATE EXTENSION IF NOT EXISTS pg_advisor;`"));
    EXPECT_TRUE(contains(md, "Run the application's usual workload"));
    EXPECT_TRUE(contains(md, "Wait until the statistics cover a representative period"));
    EXPECT_TRUE(contains(md, "- **Captured statistics:** No statistics captured yet"));
}

TEST(ReportMarkdown, AllClearSaysSoAndListsEveryPassedCheck) {
    Sample s;
    report::testing::make_all_clear(s);
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "Good news: every check that ran on `shop` passed (13 checks)"));
    EXPECT_TRUE(contains(md, "There is nothing to fix right now. Keep capture on"));
    EXPECT_FALSE(contains(md, "## No workload captured yet"));
    EXPECT_FALSE(contains(md, "## Findings\n"));
    for (const review::RuleOutcome &o : s.result.outcomes)
        EXPECT_TRUE(contains(md, std::string("- ") + o.rule->passed + "\n")) << o.rule->id;
    EXPECT_TRUE(contains(md, "Critical findings: 0 today; keep it that way."));
}

TEST(ReportMarkdown, HostileTextCannotInjectMarkupOrHtml) {
    Sample s;
    review::Finding &f = s.result.findings[0];
    f.title = "Drop <script>alert(1)</script> | [x](http://evil) *now*";
    f.object = "\"public\".\"we`ird\"";
    std::string md = render_markdown(s.input);
    EXPECT_FALSE(contains(md, "<script>"));
    EXPECT_FALSE(contains(md, "[x](http://evil)"));
    EXPECT_TRUE(contains(md,
                         "Drop \\<script\\>alert(1)\\</script\\> \\| \\[x\\](http://evil) "
                         "\\*now\\*"));
    EXPECT_TRUE(contains(md, "``\"public\".\"we`ird\"``"));
}

TEST(ReportMarkdown, RejectsADateThatIsNotOne) {
    Sample s;
    s.input.date = "../../etc";
    EXPECT_THROW(render_markdown(s.input), std::invalid_argument);
    EXPECT_THROW(render(s.input, "markdown"), std::invalid_argument);
    s.input.date = "2025-01-15";
    EXPECT_THROW(render(s.input, "pdf"), std::invalid_argument);
    EXPECT_EQ(render(s.input, "markdown"), render_markdown(s.input));
}

TEST(ReportMarkdown, UnknownTimesAreSaidSo) {
    Sample s;
    s.input.generated_at = 0;
    s.input.period_start = s.input.period_end = 0;
    s.result.findings[0].first_seen = 0;
    std::string md = render_markdown(s.input);
    EXPECT_TRUE(contains(md, "- **Captured statistics:** Not known\n"));
    EXPECT_TRUE(contains(md, "- **Generated:** time not given (report date 2025-01-15"));
    EXPECT_TRUE(
        contains(md, "(OPS-08) on table `\"public\".\"events\"`. Last seen 2025-01-15 10:00 UTC."));
    EXPECT_FALSE(contains(md, "1970"));
}
