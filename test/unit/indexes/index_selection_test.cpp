#include "core/indexes/index_selection.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

TableInfo table(uint32_t relid = 100) {
    TableInfo t;
    t.relid = relid;
    t.name = "t";
    t.name_sql = "public.t";
    t.reltuples = 100000;
    for (int16_t a = 1; a <= 3; a++) {
        ColumnInfo c;
        c.attnum = a;
        c.name = c.name_sql = "c" + std::to_string(a);
        c.avg_width = 8;
        t.columns.push_back(c);
    }
    return t;
}

Candidate candidate(std::vector<int16_t> keys, uint32_t relid = 100,
                    CandidateRule rule = CandidateRule::Equality) {
    Candidate c;
    c.relid = relid;
    for (int16_t k : keys)
        c.keys.push_back(IndexKey{k, "", false, false, ""});
    c.rule = rule;
    return c;
}

struct Fixture {
    std::vector<TableInfo> tables{table()};
    std::vector<Candidate> candidates;
    std::vector<WhatIfCost> costs;
    std::vector<StatementCalls> calls;
    std::vector<TableWrites> writes;
    AdvisorSettings settings;

    std::vector<IndexDecision> run() {
        return select_indexes(tables, candidates, costs, calls, writes, settings);
    }
};

}  // namespace

TEST(IndexSelection, ChosenWithCostsAndReason) {
    Fixture f;
    f.candidates = {candidate({1})};
    f.calls = {{11, 100}};
    f.costs = {{0, 11, 1000, 10, true, ""}};
    std::vector<IndexDecision> d = f.run();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_TRUE(d[0].chosen);
    EXPECT_DOUBLE_EQ(d[0].calls, 100);
    EXPECT_DOUBLE_EQ(d[0].cost_before, 1000);
    EXPECT_DOUBLE_EQ(d[0].cost_after, 10);
    EXPECT_DOUBLE_EQ(d[0].saving_pct, 99);
    EXPECT_DOUBLE_EQ(d[0].benefit, 99000);
    ASSERT_EQ(d[0].served.size(), 1u);
    EXPECT_EQ(d[0].served[0].queryid, 11u);
    EXPECT_EQ(d[0].reason,
              "serves 1 statement (100.00 calls): cost per execution 1000.00 -> 10.00 (-99%); "
              "rule: equality");
    EXPECT_EQ(d[0].notes, std::vector<std::string>({"statement 11: cost 1000.00 -> 10.00 (-99%)"}));
}

TEST(IndexSelection, RejectionReasons) {
    Fixture f;
    f.candidates = {candidate({1}), candidate({2}), candidate({3}), candidate({2, 3})};
    f.calls = {{1, 10}, {2, 10}, {3, 10}, {4, 10}};
    f.costs = {
        {0, 1, 50, 8, true, ""},        // below the minimum initial cost
        {1, 2, 1000, 1000, false, ""},  // not used by the planner
        {2, 3, 1000, 600, true, ""},    // saves only 40%
        {3, 4, 0, 0, false, "boom"},    // planning failed
    };
    std::vector<IndexDecision> d = f.run();
    ASSERT_EQ(d.size(), 4u);
    for (const IndexDecision &x : d)
        EXPECT_FALSE(x.chosen);
    EXPECT_EQ(d[0].reason, "not chosen: statement 1: low initial cost (50.00 < 100.00)");
    EXPECT_EQ(d[1].reason,
              "not chosen: statement 2: the planner does not use the index (cost stays 1000.00)");
    EXPECT_EQ(d[2].reason,
              "not chosen: statement 3: saving 40.0% below 50% (cost 1000.00 -> 600.00)");
    EXPECT_EQ(d[3].reason, "not chosen: statement 4: could not be planned (boom)");
}

TEST(IndexSelection, WiderIndexMustBeatTheNarrowerByTheMargin) {
    Fixture f;
    f.candidates = {candidate({1}), candidate({1, 2}, 100, CandidateRule::EqualityRange)};
    f.calls = {{5, 100}};
    f.costs = {{0, 5, 1000, 10, true, ""}, {1, 5, 1000, 9, true, ""}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_TRUE(d[0].chosen);
    EXPECT_FALSE(d[1].chosen);
    EXPECT_EQ(d[1].reason,
              "not chosen: statement 5: the narrower index (c1) serves it almost as well (9.00 vs "
              "10.00, needs 20% better)");
    // 25% better than the narrower one: the wider index takes the statement, the narrower one
    // gives it up (never both).
    f.costs[1].cost_after = 7.5;
    d = f.run();
    EXPECT_FALSE(d[0].chosen);
    EXPECT_TRUE(d[1].chosen);
    EXPECT_EQ(d[0].reason,
              "not chosen: statement 5: the wider index (c1, c2) serves it clearly better (7.50 "
              "vs 10.00)");
}

TEST(IndexSelection, AnotherIndexMustStillCutTheCostByTheMinimumSaving) {
    Fixture f;
    f.candidates = {candidate({1}), candidate({2})};
    f.calls = {{1, 100}};
    // Once (c1) brings the statement to 10, (c2) at 6 saves only 40% more.
    f.costs = {{0, 1, 1000, 10, true, ""}, {1, 1, 1000, 6, true, ""}};
    std::vector<IndexDecision> d = f.run();
    // (c2) alone is better per byte (same size, lower cost): it is chosen first, and then
    // (c1) adds nothing.
    EXPECT_FALSE(d[0].chosen);
    EXPECT_TRUE(d[1].chosen);
    EXPECT_EQ(d[0].reason, "not chosen: the indexes already chosen serve its statements as well");
}

TEST(IndexSelection, WriteOverheadCanOutweighTheBenefit) {
    Fixture f;
    f.candidates = {candidate({1})};
    f.calls = {{1, 10}};
    f.costs = {{0, 1, 1000, 10, true, ""}};  // benefit 9900
    f.writes = {{100, 1000000}};             // 1e6 rows x 0.05 = 50000
    std::vector<IndexDecision> d = f.run();
    EXPECT_FALSE(d[0].chosen);
    EXPECT_DOUBLE_EQ(d[0].write_overhead, 50000);
    EXPECT_EQ(d[0].reason, "not chosen: write overhead (50000.00) exceeds the benefit (9900.00)");
    // Fewer writes: chosen, with the overhead charged.
    f.writes = {{100, 1000}};
    d = f.run();
    EXPECT_TRUE(d[0].chosen);
    EXPECT_DOUBLE_EQ(d[0].benefit, 9900 - 50);
    // Writes to another table cost nothing here.
    f.writes = {{999, 1000000}};
    d = f.run();
    EXPECT_TRUE(d[0].chosen);
    EXPECT_DOUBLE_EQ(d[0].write_overhead, 0);
}

TEST(IndexSelection, PartialIndexPaysWritesOnlyForItsRows) {
    Fixture f;
    f.candidates = {candidate({1})};
    f.candidates[0].predicate = "c2 IS NULL";
    f.candidates[0].predicate_fraction = 0.1;
    f.calls = {{1, 10}};
    f.costs = {{0, 1, 1000, 10, true, ""}};
    f.writes = {{100, 1000}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_DOUBLE_EQ(d[0].write_overhead, 5);
}

TEST(IndexSelection, GreedyTakesTheBestAndSkipsWhatAddsNothing) {
    Fixture f;
    f.candidates = {candidate({1}), candidate({2})};
    f.calls = {{1, 100}};
    f.costs = {{0, 1, 1000, 10, true, ""}, {1, 1, 1000, 20, true, ""}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_TRUE(d[0].chosen);
    EXPECT_FALSE(d[1].chosen);
    EXPECT_EQ(d[1].reason, "not chosen: the indexes already chosen serve its statements as well");
}

TEST(IndexSelection, FrequencyWeightsTheBenefit) {
    Fixture f;
    f.candidates = {candidate({1}), candidate({2})};
    f.calls = {{1, 1}, {2, 1000}};
    // The first saves more per execution, the second runs 1000 times as often.
    f.costs = {{0, 1, 100000, 10, true, ""}, {1, 2, 1000, 10, true, ""}};
    f.settings.max_per_table = 1;
    std::vector<IndexDecision> d = f.run();
    EXPECT_FALSE(d[0].chosen);
    EXPECT_TRUE(d[1].chosen);
    EXPECT_DOUBLE_EQ(d[1].benefit, 990000);
    EXPECT_EQ(d[0].reason,
              "not chosen: the per-table cap of 1 new index is reached "
              "(pg_advisor.max_indexes_per_table)");
}

TEST(IndexSelection, BenefitPerByteBreaksTies) {
    Fixture f;
    TableInfo wide = table();
    wide.columns[2].avg_width = 400;  // c3: a wide key makes a big index
    f.tables = {wide};
    f.candidates = {candidate({3}), candidate({1})};
    f.calls = {{1, 10}};
    f.costs = {{0, 1, 1000, 10, true, ""}, {1, 1, 1000, 10, true, ""}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_FALSE(d[0].chosen);
    EXPECT_TRUE(d[1].chosen);
    EXPECT_GT(d[0].size_bytes, 10 * d[1].size_bytes);
}

TEST(IndexSelection, OneIndexServingManyStatements) {
    Fixture f;
    f.candidates = {candidate({1})};
    f.calls = {{1, 10}, {2, 30}};
    f.costs = {{0, 1, 1000, 10, true, ""}, {0, 2, 2000, 20, true, ""}};
    std::vector<IndexDecision> d = f.run();
    ASSERT_TRUE(d[0].chosen);
    EXPECT_DOUBLE_EQ(d[0].calls, 40);
    EXPECT_DOUBLE_EQ(d[0].cost_before, (10 * 1000 + 30 * 2000) / 40.0);
    EXPECT_DOUBLE_EQ(d[0].cost_after, (10 * 10 + 30 * 20) / 40.0);
    EXPECT_DOUBLE_EQ(d[0].benefit, 10 * 990 + 30 * 1980);
    EXPECT_EQ(d[0].served.size(), 2u);
}

TEST(IndexSelection, IndexesThatHelpOnlyTogether) {
    Fixture f;
    TableInfo other = table(200);
    other.name = "t2";
    f.tables.push_back(other);
    f.candidates = {candidate({1}, 100), candidate({1}, 200)};
    f.calls = {{1, 10}};
    // Alone, neither passes the minimum saving (a join: the other table dominates).
    f.costs = {{0, 1, 1000, 900, true, ""}, {1, 1, 1000, 950, true, ""}};
    WhatIfCombo combo{1, 1000, 20, {0, 1}};
    std::vector<IndexDecision> d =
        select_indexes(f.tables, f.candidates, f.costs, f.calls, f.writes, f.settings, {combo});
    ASSERT_TRUE(d[0].chosen);
    ASSERT_TRUE(d[1].chosen);
    EXPECT_EQ(d[0].reason,
              "serves statement 1 (10.00 calls) together with (c1) on t2: cost per execution "
              "1000.00 -> 20.00 (-98%); rule: equality");
    EXPECT_DOUBLE_EQ(d[0].benefit + d[1].benefit, 10 * 980);
    // Without the combination, neither is chosen.
    d = f.run();
    EXPECT_FALSE(d[0].chosen);
    EXPECT_FALSE(d[1].chosen);
    // A combination that saves too little is not taken either.
    combo.cost_after = 600;
    d = select_indexes(f.tables, f.candidates, f.costs, f.calls, f.writes, f.settings, {combo});
    EXPECT_FALSE(d[0].chosen);
}

TEST(IndexSelection, AnIndexMadeRedundantLaterIsDropped) {
    Fixture f;
    Candidate partial = candidate({1});
    partial.predicate = "c2 IS NOT NULL";
    partial.predicate_fraction = 0.05;  // small: the best benefit per byte, chosen first
    Candidate covering = candidate({1}, 100, CandidateRule::Covering);
    covering.include = {3};
    f.candidates = {partial, covering};
    f.calls = {{1, 10}};
    f.costs = {{0, 1, 1000, 33, true, ""}, {1, 1, 1000, 6, true, ""}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_FALSE(d[0].chosen);
    EXPECT_TRUE(d[1].chosen);
    EXPECT_EQ(d[0].reason,
              "not chosen: statement 1: the full index (c1) INCLUDE (c3) serves every value as "
              "well or better (33.00 vs 6.00, a partial index needs 20% better)");
}

TEST(IndexSelection, APartialIndexMustBeatItsFullForm) {
    Fixture f;
    Candidate full = candidate({1, 2});
    Candidate partial = candidate({1}, 100, CandidateRule::Partial);
    partial.predicate = "c2 = 'open'";
    partial.predicate_fraction = 0.1;
    f.candidates = {full, partial};
    f.calls = {{1, 10}};
    // Almost as cheap as the full index, which serves every value: the full one.
    f.costs = {{0, 1, 1000, 100, true, ""}, {1, 1, 1000, 90, true, ""}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_TRUE(d[0].chosen);
    EXPECT_FALSE(d[1].chosen);
    EXPECT_EQ(d[1].reason,
              "not chosen: statement 1: the full index (c1, c2) serves every value almost as "
              "well (90.00 vs 100.00, a partial index needs 20% better)");
    // Clearly cheaper: the partial one, and its reason says by how much.
    f.costs[1].cost_after = 50;
    d = f.run();
    EXPECT_FALSE(d[0].chosen);
    ASSERT_TRUE(d[1].chosen);
    EXPECT_EQ(d[1].reason,
              "serves 1 statement (10.00 calls): cost per execution 1000.00 -> 50.00 (-95%); "
              "rule: partial; partial: 50% cheaper than the full index (c1, c2) (50.00 vs "
              "100.00, needs 20%)");
    EXPECT_EQ(d[0].reason,
              "not chosen: statement 1: the partial index (c1) WHERE c2 = 'open' serves it "
              "clearly better (50.00 vs 100.00)");
}

TEST(IndexSelection, ANarrowerIndexTheWiderOneServesAlmostAsWellIsDropped) {
    Fixture f;
    // (c1) for statement 1 alone; (c1, c2) for statement 2, and statement 1 almost as well.
    f.candidates = {candidate({1}), candidate({1, 2}, 100, CandidateRule::EqualityOrder)};
    f.calls = {{1, 10}, {2, 10}};
    f.costs = {
        {0, 1, 1000, 100, true, ""}, {1, 1, 1000, 110, true, ""}, {1, 2, 1000, 20, true, ""}};
    std::vector<IndexDecision> d = f.run();
    EXPECT_FALSE(d[0].chosen);
    ASSERT_TRUE(d[1].chosen);
    EXPECT_EQ(d[0].reason,
              "not chosen: (c1, c2) serves its statements as well, or almost (within 20%)");
    ASSERT_EQ(d[1].served.size(), 2u);
    EXPECT_EQ(d[1].reason,
              "serves 2 statements (20.00 calls): cost per execution 1000.00 -> 65.00 (-94%); "
              "rule: equality + order by");
    // Clearly better for its statement: both stay.
    f.costs[1].cost_after = 200;
    d = f.run();
    EXPECT_TRUE(d[0].chosen);
    EXPECT_TRUE(d[1].chosen);
}

TEST(IndexSelection, ACoveringIndexSaysHowMuchOfTheTableIsAllVisible) {
    Fixture f;
    f.tables[0].allvisible = 0.4;
    Candidate covering = candidate({1}, 100, CandidateRule::Covering);
    covering.include = {3};
    f.candidates = {covering};
    f.calls = {{1, 10}};
    f.costs = {{0, 1, 1000, 6, true, ""}};
    std::vector<IndexDecision> d = f.run();
    ASSERT_TRUE(d[0].chosen);
    EXPECT_EQ(d[0].reason,
              "serves 1 statement (10.00 calls): cost per execution 1000.00 -> 6.00 (-99%); rule: "
              "covering (INCLUDE); index-only scans: 40% of the table's pages are all-visible "
              "(VACUUM keeps them so)");
}
