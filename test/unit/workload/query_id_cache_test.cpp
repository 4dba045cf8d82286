#include "core/workload/query_id_cache.h"

#include <gtest/gtest.h>

using pg_advisor::QueryIdCache;

TEST(QueryIdCache, FindsWhatWasStored) {
    QueryIdCache<16> c;
    EXPECT_EQ(c.find(42), 0u);
    c.store(42, 1001);
    c.store(0, 1002);  // 0 is a valid shape
    EXPECT_EQ(c.find(42), 1001u);
    EXPECT_EQ(c.find(0), 1002u);
    EXPECT_EQ(c.find(43), 0u);
    EXPECT_EQ(c.size(), 2u);
    c.store(42, 2001);  // replaced in place
    EXPECT_EQ(c.find(42), 2001u);
    EXPECT_EQ(c.size(), 2u);
}

TEST(QueryIdCache, AFullSetReplacesItsOldestEntry) {
    QueryIdCache<4> c;
    // Shapes that all fall into set 0.
    const uint64_t shapes[5] = {4, 8, 12, 16, 20};
    for (int i = 0; i < 5; i++)
        c.store(shapes[i], 100 + i);
    EXPECT_EQ(c.find(4), 0u);  // the oldest went
    for (int i = 1; i < 5; i++)
        EXPECT_EQ(c.find(shapes[i]), uint64_t(100 + i));
    EXPECT_EQ(c.size(), 4u);
}

TEST(QueryIdCache, ClearForgetsEverything) {
    QueryIdCache<16> c;
    for (uint64_t s = 1; s <= 40; s++)
        c.store(s * 977, s);
    c.clear();
    EXPECT_EQ(c.size(), 0u);
    for (uint64_t s = 1; s <= 40; s++)
        EXPECT_EQ(c.find(s * 977), 0u);
}

TEST(QueryIdCache, ClearIsLazyAndEntriesComeBack) {
    QueryIdCache<4> c;
    c.store(4, 1);
    for (int i = 0; i < 1000; i++) {
        c.clear();
        EXPECT_EQ(c.find(4), 0u);
        c.store(4, 100 + i);
        EXPECT_EQ(c.find(4), uint64_t(100 + i));
        EXPECT_EQ(c.size(), 1u);
    }
}
