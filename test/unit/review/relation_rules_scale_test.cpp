// The indexing and schema rules grow linearly with the catalog: four times the tables must not
// cost much more than four times the time (a quadratic rule would cost sixteen times).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <unordered_set>

#include "core/review/engine.h"
#include "synthetic_catalog.h"

namespace pg_advisor::review {
namespace {

std::vector<std::string> relation_rule_ids() {
    std::vector<std::string> ids;
    for (const RuleInfo &r : index_rules())
        ids.push_back(r.id);
    for (const RuleInfo &r : schema_rules())
        ids.push_back(r.id);
    return ids;
}

// Best of three runs, in milliseconds.
double review_ms(const catalog::CatalogSnapshot &cat, size_t *findings) {
    Settings settings;
    workload::WorkloadSnapshot workload;
    ReviewInput in{cat, workload, settings};
    ReviewOptions options;
    options.now = cat.database.now;
    options.only_rules = relation_rule_ids();
    double best = 1e18;
    for (int i = 0; i < 3; i++) {
        auto start = std::chrono::steady_clock::now();
        ReviewResult r = run_review(in, options);
        std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
        *findings = r.findings.size();
        for (const RuleOutcome &o : r.outcomes)
            EXPECT_TRUE(o.ran || o.disabled || o.rule->id == std::string("missing_index"))
                << o.rule->id << ": " << o.reason;
    }
    return best;
}

TEST(RelationRulesScale, LinearInTheNumberOfTables) {
    catalog::CatalogSnapshot small = synthetic::catalog_of(2500);
    catalog::CatalogSnapshot large = synthetic::catalog_of(10000);
    size_t small_findings = 0, large_findings = 0;
    double t_small = review_ms(small, &small_findings);
    double t_large = review_ms(large, &large_findings);
    EXPECT_GT(small_findings, 2500u);  // the defects are found...
    EXPECT_NEAR(static_cast<double>(large_findings) / small_findings, 4.0,
                0.2);  // ...in proportion
    // Linear: about 4x, and up to 6x once the larger catalog no longer fits the CPU caches.
    // Allow for noise on a shared machine, not for a quadratic rule (16x).
    EXPECT_LT(t_large / t_small, 10.0)
        << t_small << " ms for 2,500 tables, " << t_large << " ms for 10,000";
    RecordProperty("ms_10000_tables", std::to_string(t_large));
}

TEST(RelationRulesScale, FindingKeysAreUniqueAndEveryFindingIsComplete) {
    catalog::CatalogSnapshot cat = synthetic::catalog_of(300);
    Settings settings;
    workload::WorkloadSnapshot workload;
    ReviewInput in{cat, workload, settings};
    ReviewOptions options;
    options.now = cat.database.now;
    options.only_rules = relation_rule_ids();
    ReviewResult r = run_review(in, options);
    ASSERT_GT(r.findings.size(), 300u);
    std::unordered_set<std::string> keys;
    for (const Finding &f : r.findings) {
        EXPECT_TRUE(keys.insert(f.finding_key).second)
            << f.rule << " " << f.object << " " << f.identity;
        EXPECT_FALSE(f.title.empty()) << f.rule;
        EXPECT_FALSE(f.object.empty()) << f.rule;
        EXPECT_FALSE(f.object_type.empty()) << f.rule;
        EXPECT_FALSE(f.recommendation.empty()) << f.rule;
        EXPECT_FALSE(f.evidence.empty()) << f.rule;
        // Identity by names, never OIDs (every OID of the synthetic catalog is >= 100000).
        std::string token;
        for (char ch : f.identity + " ") {
            if (std::isdigit(static_cast<unsigned char>(ch))) {
                token += ch;
                continue;
            }
            EXPECT_LT(token.size(), 6u) << f.rule << ": " << f.identity;
            token.clear();
        }
    }
}

}  // namespace
}  // namespace pg_advisor::review
