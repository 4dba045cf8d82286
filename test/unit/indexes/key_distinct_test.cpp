#include "core/indexes/key_distinct.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace pg_advisor;

namespace {

// posts(id, user_id 1000 values, blog_id 100 values, score numeric 500 values, status 3 values,
//       region 20 values), 100,000 rows
TableInfo posts() {
    TableInfo t;
    t.relid = 17000;
    t.name = "posts";
    t.name_sql = "public.posts";
    t.reltuples = 100000;
    auto col = [&](int16_t attnum, const char *name, double n_distinct, bool dedup = true) {
        ColumnInfo c;
        c.attnum = attnum;
        c.name = name;
        c.name_sql = name;
        c.n_distinct = n_distinct;
        c.avg_width = 4;
        c.dedup = dedup;
        t.columns.push_back(c);
    };
    col(1, "id", -1);
    col(2, "user_id", 1000);
    col(3, "blog_id", 100);
    col(4, "score", 500, false);  // numeric: no deduplication
    col(5, "status", 3);
    col(6, "region", 20);
    col(7, "no_stats", 0);
    return t;
}

Candidate on(std::initializer_list<int16_t> attnums) {
    Candidate c;
    c.relid = 17000;
    for (int16_t a : attnums) {
        IndexKey k;
        k.attnum = a;
        c.keys.push_back(k);
    }
    return c;
}

}  // namespace

TEST(Duj1, ScalesTheSampleToTheTable) {
    // Every sampled value seen once: as many values as rows.
    EXPECT_DOUBLE_EQ(duj1_estimate(1000, 1000, 1000, 100000), 100000);
    // No singleton: the sample saw every value.
    EXPECT_DOUBLE_EQ(duj1_estimate(1000, 10, 0, 1e6), 10);
    // The whole table was read: exact.
    EXPECT_DOUBLE_EQ(duj1_estimate(5000, 1234, 300, 5000), 1234);
    // Half the sampled values seen once.
    double d = duj1_estimate(30000, 2000, 1000, 1e6);
    EXPECT_NEAR(d, 30000.0 * 2000 / (30000 - 1000 + 1000 * 30000 / 1e6), 1e-6);
    EXPECT_EQ(duj1_estimate(0, 0, 0, 1000), 0);
}

TEST(KeyDistinct, BoundsFromTheColumnsStatistics) {
    TableInfo t = posts();
    KeyDistinct one = key_distinct_bounds(t, on({2}));
    EXPECT_DOUBLE_EQ(one.low, 1000);
    EXPECT_DOUBLE_EQ(one.high, 1000);
    EXPECT_FALSE(one.needs_sample);
    // user_id x blog_id: between 1,000 and 100,000 combinations, which changes the size a lot.
    KeyDistinct two = key_distinct_bounds(t, on({2, 3}));
    EXPECT_DOUBLE_EQ(two.low, 1000);
    EXPECT_DOUBLE_EQ(two.high, 100000);
    EXPECT_TRUE(two.needs_sample);
    // status x region: at most 60 of 100,000: posting lists either way, no sample needed.
    KeyDistinct few = key_distinct_bounds(t, on({5, 6}));
    EXPECT_DOUBLE_EQ(few.low, 20);
    EXPECT_DOUBLE_EQ(few.high, 60);
    EXPECT_FALSE(few.needs_sample);
}

TEST(KeyDistinct, NoDeduplicationWhereTheIndexCannotDoIt) {
    TableInfo t = posts();
    EXPECT_DOUBLE_EQ(key_distinct_bounds(t, on({4})).high, 0);     // numeric
    EXPECT_DOUBLE_EQ(key_distinct_bounds(t, on({2, 4})).high, 0);  // numeric in the key
    EXPECT_DOUBLE_EQ(key_distinct_bounds(t, on({7})).high, 0);     // no statistics
    Candidate covering = on({2});
    covering.include = {3};
    EXPECT_DOUBLE_EQ(key_distinct_bounds(t, covering).high, 0);
    Candidate expr = on({0});
    expr.keys[0].expr = "lower(region)";
    EXPECT_DOUBLE_EQ(key_distinct_bounds(t, expr).high, 0);
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, on({4})), 0);
}

TEST(KeyDistinct, TheSampledCountDecidesTheSize) {
    TableInfo t = posts();
    Candidate c = on({2, 3});
    // Not sampled: the upper bound (no deduplication assumed).
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 100000);
    double unsampled = estimate_index_bytes(t, c);
    // Sampled: user_id decides blog_id, 1,000 combinations.
    c.distinct_keys = 1000;
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 1000);
    double sampled = estimate_index_bytes(t, c);
    EXPECT_LT(sampled, unsampled * 0.5);
    // An estimate outside the bounds is clamped to them.
    c.distinct_keys = 10;
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 1000);
    c.distinct_keys = 1e9;
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 100000);
}
