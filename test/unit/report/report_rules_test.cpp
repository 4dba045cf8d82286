// The rule ids the report names specially must be rules of the registry: a renamed or removed
// rule would otherwise silently lose its special treatment (area, loop wording, metrics).
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/report/report_model.h"
#include "core/review/registry.h"
#include "report_fixture.h"

using namespace pg_advisor;

TEST(ReportRules, EveryRuleTheReportNamesIsInTheRegistry) {
    for (std::string_view id : report::loop_rule_ids())
        EXPECT_NE(review::find_rule(id), nullptr) << "loop rule " << id;
    for (std::string_view id : report::constraint_rule_ids())
        EXPECT_NE(review::find_rule(id), nullptr) << "constraint rule " << id;
    EXPECT_EQ(report::loop_rule_ids().size(), 2u);
    EXPECT_EQ(report::constraint_rule_ids().size(), 6u);
}

TEST(ReportRules, TheSampleUsesTheRegistryRules) {
    report::testing::Sample s;
    ASSERT_EQ(s.result.outcomes.size(), 13u);
    for (const review::RuleOutcome &o : s.result.outcomes)
        EXPECT_EQ(o.rule, review::find_rule(o.rule->id)) << o.rule->id;
    for (const review::Finding &f : s.result.findings)
        EXPECT_NE(review::find_rule(f.rule), nullptr) << f.rule;
    EXPECT_THROW(report::testing::ran("row_by_row_writes"), std::logic_error);
}
