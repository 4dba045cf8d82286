// The indexing and schema rules grow linearly with the catalog: four times the tables must not
// cost much more than four times the time (a quadratic rule would cost sixteen times), for the
// whole review and for every rule on its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <vector>
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

// Best of three runs of the whole review, in milliseconds.
double review_ms(const catalog::CatalogSnapshot &cat, size_t *findings) {
    Settings settings;
    workload::WorkloadSnapshot workload;
    ReviewOptions options;
    options.now = cat.database.now;
    options.only_rules = relation_rule_ids();
    double best = 1e18;
    for (int i = 0; i < 3; i++) {
        ReviewInput in{cat, workload, settings};  // nothing derived is kept between runs
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

// Evicts the catalog from the CPU caches (writes a buffer twice the size of a 32 MB last-level
// cache), so that a rule over the small catalog does not run from a cache the large one does
// not fit in.
void evict_caches() {
    static std::vector<char> buffer(size_t{64} << 20);
    static unsigned char round = 0;
    round++;
    for (size_t i = 0; i < buffer.size(); i += 64)
        buffer[i] = static_cast<char>(round);
}

// CPU time of the calling thread, in milliseconds.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// One rule alone, from cold caches: the best of three runs of its RuleOutcome::elapsed_ms (wall
// clock), each capped at the CPU time the thread used for the whole run_review, so that time
// spent descheduled on a busy machine does not count (a run that was not descheduled uses at
// least the rule's elapsed time).
double rule_ms(const catalog::CatalogSnapshot &cat, const std::string &id) {
    Settings settings;
    workload::WorkloadSnapshot workload;
    ReviewOptions options;
    options.now = cat.database.now;
    options.only_rules = {id};
    double best = 1e18;
    for (int i = 0; i < 3; i++) {
        ReviewInput in{cat, workload, settings};
        evict_caches();
        double cpu_start = thread_cpu_ms();
        ReviewResult r = run_review(in, options);
        double cpu = thread_cpu_ms() - cpu_start;
        for (const RuleOutcome &o : r.outcomes) {
            if (o.rule->id != id) continue;
            EXPECT_TRUE(o.ran) << id << ": " << o.reason;
            best = std::min(best, std::min(o.elapsed_ms, cpu));
        }
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

// Every rule on its own: one quadratic rule among many linear ones would hide in the total.
// Each is timed alone from cold caches, so both sizes pay for reading the catalog from memory
// (from warm caches the small catalog fits in the last-level cache and the large one does not:
// up to 17x for a rule that just reads every column). Rules under a millisecond at 10,000
// tables are too quick to time reliably (and cannot matter); the small catalog's time has a
// floor of 0.05 ms against a division by almost zero. A rule over the limit is timed again, up
// to four more times, keeping the best of each size: a busy machine can slow any one run, but
// a quadratic rule stays at about 16x however often it runs. The limit, 11x, sits between that
// and what linear rules measured on this 2-core machine under a parallel ctest (up to 8.9x:
// nullable_fk, which reads every column of every table, from memory at 10,000 tables).
constexpr double kLinearLimit = 11.0;  // x the time for 4x the tables (quadratic: 16x)

TEST(RelationRulesScale, EveryRuleIsLinearInTheNumberOfTables) {
    catalog::CatalogSnapshot small = synthetic::catalog_of(2500);
    catalog::CatalogSnapshot large = synthetic::catalog_of(10000);
    size_t timed = 0;
    for (const std::string &id : relation_rule_ids()) {
        if (id == "missing_index") continue;  // needs captured statements: does not run here
        double small_ms = 1e18, large_ms = 1e18;
        for (int attempt = 0; attempt < 5; attempt++) {
            small_ms = std::min(small_ms, std::max(rule_ms(small, id), 0.05));
            large_ms = std::min(large_ms, rule_ms(large, id));
            if (large_ms < 1.0 || large_ms / small_ms < kLinearLimit) break;
        }
        if (large_ms < 1.0) continue;
        timed++;
        EXPECT_LT(large_ms / small_ms, kLinearLimit)
            << id << ": " << small_ms << " ms for 2,500 tables, " << large_ms << " ms for 10,000";
    }
    EXPECT_GE(timed, 10u);  // most rules are timed, not skipped as too quick
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
