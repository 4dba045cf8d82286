// The review engine: stable keys, suppressions (by key, by rule and object, expiry), disabled
// and selected rules, first seen from history, ranking, and one finding per defect when several
// rules propose the same fix.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/review/engine.h"
#include "core/review/finding.h"
#include "relation_snapshot.h"

namespace pg_advisor::review {
namespace {

using relation_test::Builder;
using relation_test::kDay;
using relation_test::kInt8;
using relation_test::kText;

// A parent and a 50,000-row child whose foreign key has no index, and a table with no
// primary key: fk_missing_index and no_primary_key each find one thing.
struct Shop {
    Builder b;
    Shop() {
        catalog::Table &parent = b.table("customers", 5000);
        b.column(parent, "id", kInt8, true);
        b.index(parent, "customers_pkey", {"id"}).primary = true;
        b.constraint(parent, "customers_pkey", 'p', {1}, "PRIMARY KEY (id)");
        catalog::Table &child = b.table("orders", 50000);
        b.column(child, "id", kInt8, true);
        b.column(child, "customer_id", kInt8, true);
        b.index(child, "orders_pkey", {"id"}).primary = true;
        b.constraint(child, "orders_pkey", 'p', {1}, "PRIMARY KEY (id)");
        b.fk(child, "orders_customer_id_fkey", {2}, parent, {1});
        catalog::Table &log = b.table("event_log", 50000);
        b.column(log, "at", kText);
    }
};

ReviewResult review(const catalog::CatalogSnapshot &cat, const ReviewOptions &base,
                    const workload::WorkloadSnapshot &w = workload::WorkloadSnapshot()) {
    Settings settings;
    ReviewInput in{cat, w, settings};
    ReviewOptions options = base;
    if (options.now == 0) options.now = cat.database.now;
    if (options.only_rules.empty())
        options.only_rules = {"fk_missing_index", "no_primary_key", "missing_index"};
    return run_review(in, options);
}

std::vector<std::string> rules_of(const std::vector<Finding> &fs) {
    std::vector<std::string> out;
    for (const Finding &f : fs)
        out.push_back(f.rule + " " + f.object);
    return out;
}

const Finding &of_rule(const std::vector<Finding> &fs, const std::string &rule) {
    for (const Finding &f : fs)
        if (f.rule == rule) return f;
    ADD_FAILURE() << "no finding of " << rule;
    return fs.front();
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

const RuleOutcome &outcome(const ReviewResult &r, const char *rule) {
    for (const RuleOutcome &o : r.outcomes)
        if (std::string(o.rule->id) == rule) return o;
    ADD_FAILURE() << "no outcome for " << rule;
    return r.outcomes.front();
}

TEST(ReviewEngine, KeysAreStableAndNameTheRule) {
    Shop s;
    ReviewResult a = review(s.b.done(), {});
    ReviewResult b = review(s.b.done(), {});
    ASSERT_EQ(a.findings.size(), 2u);
    for (size_t i = 0; i < a.findings.size(); i++) {
        EXPECT_EQ(a.findings[i].finding_key, b.findings[i].finding_key);
        EXPECT_EQ(a.findings[i].finding_key.rfind(a.findings[i].rule + ":", 0), 0u);
        EXPECT_EQ(a.findings[i].finding_key.size(), a.findings[i].rule.size() + 17);
    }
    const std::string key = of_rule(a.findings, "fk_missing_index").finding_key;
    // From names, not OIDs: another database with other OIDs gives the same key.
    EXPECT_EQ(finding_key("fk_missing_index", "public.orders", "orders_customer_id_fkey"), key);
    EXPECT_NE(finding_key("fk_missing_index", "public.orders", "other_fkey"), key);
}

TEST(ReviewEngine, RanksBySeverityThenImpact) {
    Finding a, b, c;
    a.severity = Severity::Medium;
    a.impact = 10;
    b.severity = Severity::Medium;
    b.impact = 20;
    c.severity = Severity::High;
    c.impact = 1;
    std::vector<Finding> v{a, b, c};
    std::sort(v.begin(), v.end(), ranks_before);
    EXPECT_EQ(v[0].severity, Severity::High);
    EXPECT_EQ(v[1].impact, 20);
    EXPECT_EQ(v[2].impact, 10);
    Shop s;
    ReviewResult r = review(s.b.done(), {});
    EXPECT_TRUE(std::is_sorted(r.findings.begin(), r.findings.end(), ranks_before));
}

TEST(ReviewEngine, SuppressionByKeyByRuleAndObjectAndExpiry) {
    Shop s;
    const catalog::CatalogSnapshot &cat = s.b.done();
    std::string key = of_rule(review(cat, {}).findings, "fk_missing_index").finding_key;
    ReviewOptions o;
    o.suppressions.push_back({key, "", "", "owned by another team", 0});
    ReviewResult r = review(cat, o);
    EXPECT_EQ(rules_of(r.findings), std::vector<std::string>{"no_primary_key public.event_log"});
    ASSERT_EQ(r.suppressed.size(), 1u);
    EXPECT_EQ(r.suppressed[0].finding_key, key);
    EXPECT_EQ(outcome(r, "fk_missing_index").suppressed, 1u);
    EXPECT_EQ(outcome(r, "fk_missing_index").findings, 0u);

    // Until a time: it comes back once the time has passed.
    o.suppressions[0].until = cat.database.now + kDay;
    EXPECT_EQ(review(cat, o).findings.size(), 1u);
    o.now = cat.database.now + kDay;
    EXPECT_EQ(review(cat, o).findings.size(), 2u);

    // A rule on one object, and a rule on every object.
    ReviewOptions rule_wide;
    rule_wide.suppressions.push_back({"", "no_primary_key", "public.other", "x", 0});
    EXPECT_EQ(review(cat, rule_wide).findings.size(), 2u);
    rule_wide.suppressions[0].object = "public.event_log";
    EXPECT_EQ(rules_of(review(cat, rule_wide).findings),
              std::vector<std::string>{"fk_missing_index public.orders"});
    rule_wide.suppressions[0].object = "";
    EXPECT_EQ(review(cat, rule_wide).findings.size(), 1u);
}

TEST(ReviewEngine, DisabledAndSelectedRules) {
    Shop s;
    ReviewOptions o;
    o.disabled_rules = {"no_primary_key"};
    ReviewResult r = review(s.b.done(), o);
    EXPECT_EQ(rules_of(r.findings), std::vector<std::string>{"fk_missing_index public.orders"});
    EXPECT_TRUE(outcome(r, "no_primary_key").disabled);
    EXPECT_EQ(outcome(r, "no_primary_key").reason, "disabled (pg_advisor.disabled_rules)");
    EXPECT_EQ(r.outcomes.size(), all_rules().size());
}

TEST(ReviewEngine, DerivedValuesAreMadeOncePerReviewAndTimed) {
    DerivedValues derived;
    int made = 0;
    auto make = [&] { return std::vector<int>(3, ++made); };
    const std::vector<int> &first = derived.get<std::vector<int>>("groups", make);
    const std::vector<int> &again = derived.get<std::vector<int>>("groups", make);
    EXPECT_EQ(made, 1);
    EXPECT_EQ(&first, &again);
    EXPECT_EQ(derived.get<std::vector<int>>("other", make), std::vector<int>(3, 2));

    // Each rule that runs is timed between two readings of the clock (here 1.5 ms apart);
    // rules that do not run take no time.
    Shop s;
    ReviewOptions o;
    double ticks = 0;
    o.clock_ms = [&ticks] { return ticks += 1.5; };
    o.disabled_rules = {"no_primary_key"};
    ReviewResult r = review(s.b.done(), o);
    EXPECT_TRUE(outcome(r, "fk_missing_index").ran);
    EXPECT_EQ(outcome(r, "fk_missing_index").elapsed_ms, 1.5);
    EXPECT_EQ(outcome(r, "no_primary_key").elapsed_ms, 0.0);
    size_t timed = 0;
    for (const RuleOutcome &oc : r.outcomes)
        if (!oc.disabled) timed++;
    EXPECT_EQ(ticks, 2 * 1.5 * static_cast<double>(timed));
}

TEST(ReviewEngine, FirstSeenFromHistoryLastSeenNow) {
    Shop s;
    const catalog::CatalogSnapshot &cat = s.b.done();
    ReviewResult first = review(cat, {});
    for (const Finding &f : first.findings) {
        EXPECT_EQ(f.first_seen, cat.database.now);
        EXPECT_EQ(f.last_seen, cat.database.now);
    }
    ReviewOptions o;
    o.first_seen[of_rule(first.findings, "fk_missing_index").finding_key] =
        cat.database.now - 3 * kDay;
    ReviewResult later = review(cat, o);
    EXPECT_EQ(of_rule(later.findings, "fk_missing_index").first_seen, cat.database.now - 3 * kDay);
    EXPECT_EQ(of_rule(later.findings, "no_primary_key").first_seen, cat.database.now);
}

TEST(ReviewEngine, NotCheckedRulesSayWhy) {
    Shop s;
    ReviewOptions o;
    workload::WorkloadSnapshot w;  // nothing captured
    w.unavailable_reason = "pg_advisor is not in shared_preload_libraries";
    ReviewResult r = review(s.b.done(), o, w);
    const RuleOutcome &m = outcome(r, "missing_index");
    EXPECT_FALSE(m.ran);
    EXPECT_FALSE(m.disabled);
    EXPECT_NE(m.reason.find("pg_advisor is not in shared_preload_libraries"), std::string::npos);
}

// A rule that finds one defect on one object twice (here two tables that name alike, which a
// real catalog never has) yields one finding: keys are unique in a review.
TEST(ReviewEngine, OneFindingPerKeyOfARule) {
    Builder b;
    for (int i = 0; i < 2; i++) {
        catalog::Table &t = b.table("lonely", 10);
        b.column(t, "a", kText);
    }
    ReviewOptions o;
    o.only_rules = {"wide_or_degenerate_table"};
    ReviewResult r = review(b.done(), o);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.lonely");
    EXPECT_EQ(r.findings[0].identity, "degenerate");
    EXPECT_EQ(outcome(r, "wide_or_degenerate_table").findings, 1u);
}

// The foreign key's index is also what the index advisor verified for captured statements:
// one defect, one finding (the more severe, fk_missing_index), with the advisor's finding
// and statements folded in.
TEST(ReviewEngine, OneFindingWhenRulesProposeTheSameIndex) {
    Shop s;
    workload::WorkloadSnapshot w;
    w.available = true;
    workload::IndexAdviceEvidence a;
    a.relation = "public.orders";
    a.key_columns = {"customer_id"};
    a.ddl = "CREATE INDEX CONCURRENTLY ON public.orders USING btree (customer_id)";
    a.queryids = {7, 8};
    a.calls = 50;  // below missing_index_low_calls: low
    a.cost_before = 900;
    a.cost_after = 8;
    a.saving_pct = 99;
    a.benefit = 44600;
    w.index_advice.push_back(a);
    ReviewResult r = review(s.b.done(), {}, w);
    EXPECT_EQ(sorted(rules_of(r.findings)),
              (std::vector<std::string>{"fk_missing_index public.orders",
                                        "no_primary_key public.event_log"}));
    const Finding &f = of_rule(r.findings, "fk_missing_index");
    EXPECT_EQ(f.fix_key, "index public.orders (customer_id)");
    std::string also = f.evidence.get("also_reported_by");
    EXPECT_NE(also.find("\"rule\": \"missing_index\""), std::string::npos) << also;
    EXPECT_NE(also.find("\"finding_key\": \"missing_index:"), std::string::npos) << also;
    EXPECT_EQ(f.queryids, (std::vector<uint64_t>{7, 8}));
    EXPECT_EQ(outcome(r, "missing_index").findings, 0u);
    EXPECT_EQ(outcome(r, "missing_index").merged, 1u);
    EXPECT_EQ(outcome(r, "fk_missing_index").findings, 1u);

    // A wider verified index that starts with the foreign key's column serves both: the
    // foreign key's fix becomes that index, still one finding.
    w.index_advice[0].key_columns = {"customer_id", "id"};
    w.index_advice[0].ddl =
        "CREATE INDEX CONCURRENTLY ON public.orders USING btree (customer_id, id)";
    ReviewResult wider = review(s.b.done(), {}, w);
    ASSERT_EQ(wider.findings.size(), 2u);
    const Finding &fk = of_rule(wider.findings, "fk_missing_index");
    EXPECT_EQ(fk.fix_key, "index public.orders (customer_id, id)");
    EXPECT_EQ(fk.fix_sql,
              "CREATE INDEX CONCURRENTLY orders_customer_id_id_idx ON public.orders "
              "USING btree (customer_id, id);");
    EXPECT_EQ(fk.undo_sql, "DROP INDEX CONCURRENTLY public.orders_customer_id_id_idx;");
    EXPECT_EQ(fk.evidence.get("verified_index"), "[\"customer_id\", \"id\"]");
    EXPECT_EQ(outcome(wider, "missing_index").merged, 1u);

    // An index that does not start with it: two defects, two findings.
    w.index_advice[0].key_columns = {"id", "customer_id"};
    w.index_advice[0].ddl =
        "CREATE INDEX CONCURRENTLY ON public.orders USING btree (id, customer_id)";
    ReviewResult two = review(s.b.done(), {}, w);
    EXPECT_EQ(two.findings.size(), 3u);
    EXPECT_EQ(of_rule(two.findings, "fk_missing_index").fix_key,
              "index public.orders (customer_id)");
}

// One defect found by two rules: the first rule in registry order keeps its finding and key
// whichever is more severe, at the higher severity; a suppression of either key sets the
// defect aside (and the kept key does not change when severities do).
TEST(ReviewEngine, ConsolidationKeepsTheFirstRulesKeyAndSuppressesByAnyKey) {
    Shop s;
    workload::WorkloadSnapshot w;
    w.available = true;
    workload::IndexAdviceEvidence a;
    a.relation = "public.orders";
    a.key_columns = {"customer_id"};
    a.ddl = "CREATE INDEX CONCURRENTLY ON public.orders USING btree (customer_id)";
    a.queryids = {7};
    a.calls = 100000;  // many calls, a large saving: high, above fk_missing_index's medium
    a.cost_before = 900;
    a.cost_after = 8;
    a.saving_pct = 99;
    a.benefit = 1e8;
    w.index_advice.push_back(a);
    ReviewResult r = review(s.b.done(), {}, w);
    ASSERT_EQ(r.findings.size(), 2u);
    const Finding &f = of_rule(r.findings, "fk_missing_index");
    EXPECT_EQ(f.severity, Severity::High);
    EXPECT_EQ(f.finding_key,
              finding_key("fk_missing_index", "public.orders", "orders_customer_id_fkey"));
    std::string also = f.evidence.get("also_reported_by");
    size_t at = also.find("\"finding_key\": \"missing_index:");
    ASSERT_NE(at, std::string::npos) << also;
    std::string folded_key = also.substr(at + 16, std::string("missing_index:").size() + 16);
    EXPECT_EQ(outcome(r, "missing_index").merged, 1u);
    EXPECT_EQ(outcome(r, "fk_missing_index").findings, 1u);

    // Suppressing the folded finding's key suppresses the defect.
    ReviewOptions o;
    o.suppressions.push_back({folded_key, "", "", "accepted", 0});
    ReviewResult quiet = review(s.b.done(), o, w);
    EXPECT_EQ(rules_of(quiet.findings),
              std::vector<std::string>{"no_primary_key public.event_log"});
    ASSERT_EQ(quiet.suppressed.size(), 1u);
    EXPECT_EQ(quiet.suppressed[0].finding_key, f.finding_key);
    EXPECT_EQ(outcome(quiet, "fk_missing_index").suppressed, 1u);
    // Suppressing the rule that would have been kept before does not bring the other back.
    ReviewOptions by_rule;
    by_rule.suppressions.push_back({"", "fk_missing_index", "", "x", 0});
    ReviewResult none = review(s.b.done(), by_rule, w);
    EXPECT_EQ(rules_of(none.findings), std::vector<std::string>{"no_primary_key public.event_log"});
}

}  // namespace
}  // namespace pg_advisor::review
