#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/report/report.h"
#include "report_fixture.h"

using namespace pg_advisor;
using namespace pg_advisor::report;
using report::testing::Sample;

TEST(ReportExport, LayoutAndNames) {
    Sample s;
    std::vector<ReportFile> files = export_files(s.input);
    std::vector<std::string> paths;
    for (const ReportFile &f : files)
        paths.push_back(f.path);
    std::vector<std::string> want = {
        "database-review-2025-01-15.md",
        "database-review-2025-01-15/finding-001-xid-wraparound-events.md",
        "database-review-2025-01-15/finding-002-fk-missing-index-orders-customer-id.md",
        "database-review-2025-01-15/finding-003-n-plus-one-order-items.md",
        "database-review-2025-01-15/finding-004-public-schema-create-public.md",
        "database-review-2025-01-15/finding-005-seq-scan-hotspot-events.md",
        "database-review-2025-01-15/finding-006-bulk-write-loop-audit-log.md",
        "database-review-2025-01-15/finding-007-timestamp-without-tz-orders-placed-at.md",
        "database-review-2025-01-15.json",
        "database-review-2025-01-15.html",
    };
    EXPECT_EQ(paths, want);
    EXPECT_EQ(files.back().content, render_html(s.input));
    EXPECT_EQ(files[files.size() - 2].content, render_json(s.input));
}

TEST(ReportExport, SummaryLinksEveryFindingFileInPriorityOrder) {
    Sample s;
    std::vector<ReportFile> files = export_files(s.input);
    const std::string &summary = files[0].content;
    size_t last = 0;
    for (size_t i = 1; i + 2 < files.size(); i++) {
        size_t at = summary.find("](" + files[i].path + ")");
        ASSERT_NE(at, std::string::npos) << files[i].path;
        EXPECT_GT(at, last);
        last = at;
        EXPECT_NE(files[i].content.find("[Back to the summary](../database-review-2025-01-15.md)"),
                  std::string::npos);
        EXPECT_EQ(files[i].content.rfind("# Finding " + std::to_string(i) + ": ", 0), 0u);
    }
    // The summary file does not repeat the findings; the one-document Markdown does.
    EXPECT_EQ(summary.find("## Findings\n"), std::string::npos);
    EXPECT_EQ(summary.find("## Location"), std::string::npos);
    EXPECT_NE(render_markdown(s.input).find("](#finding-002-fk-missing-index-orders-customer-id)"),
              std::string::npos);
}

TEST(ReportExport, SameSlugTwiceGetsASuffix) {
    Sample s;
    s.result.findings[3] = s.result.findings[2];
    s.result.findings[3].finding_key += "x";
    std::vector<ReportFile> files = export_files(s.input);
    EXPECT_EQ(files[3].path, "database-review-2025-01-15/finding-003-n-plus-one-order-items.md");
    EXPECT_EQ(files[4].path, "database-review-2025-01-15/finding-004-n-plus-one-order-items-2.md");
    std::set<std::string> unique;
    for (const ReportFile &f : files)
        EXPECT_TRUE(unique.insert(f.path).second) << f.path;
}

TEST(ReportExport, NothingToReportStillGivesTheSummaryJsonAndHtml) {
    Sample s;
    report::testing::make_all_clear(s);
    std::vector<ReportFile> files = export_files(s.input);
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].path, "database-review-2025-01-15.md");
    EXPECT_NE(files[0].content.find("Nothing to do right now."), std::string::npos);
}
