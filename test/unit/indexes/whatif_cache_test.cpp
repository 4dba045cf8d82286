#include "core/indexes/whatif_cache.h"

#include <gtest/gtest.h>

using namespace pg_advisor;

TEST(WhatIfCache, StoresAndFinds) {
    WhatIfCache cache;
    CachedCost c;
    EXPECT_FALSE(cache.find(1, c));
    cache.store(1, {123.5, true, ""});
    cache.store(2, {0, false, "relation \"x\" does not exist"});
    ASSERT_TRUE(cache.find(1, c));
    EXPECT_DOUBLE_EQ(c.cost, 123.5);
    EXPECT_TRUE(c.used);
    ASSERT_TRUE(cache.find(2, c));
    EXPECT_EQ(c.error, "relation \"x\" does not exist");
    EXPECT_EQ(cache.size(), 2u);
}

TEST(WhatIfCache, InvalidatedByItsRelationsOnly) {
    WhatIfCache cache;
    CachedCost c;
    cache.depend_on(16400);
    cache.store(1, {10, true, ""});
    cache.invalidate(99999);  // another table
    EXPECT_TRUE(cache.find(1, c));
    EXPECT_EQ(cache.invalidations(), 0u);
    cache.invalidate(16400);
    EXPECT_FALSE(cache.find(1, c));
    EXPECT_EQ(cache.invalidations(), 1u);
    // The dependencies stay (an invalidation can arrive in the middle of a run).
    cache.store(1, {10, true, ""});
    cache.invalidate(16400);
    EXPECT_FALSE(cache.find(1, c));
    cache.clear();
    cache.store(1, {10, true, ""});
    cache.invalidate(16400);
    EXPECT_TRUE(cache.find(1, c));
    // 0: every relation (a full relcache reset).
    cache.invalidate(0);
    EXPECT_FALSE(cache.find(1, c));
}

TEST(WhatIfCache, BoundedByClearing) {
    WhatIfCache cache(3);
    for (uint64_t k = 1; k <= 3; k++)
        cache.store(k, {double(k), false, ""});
    EXPECT_EQ(cache.size(), 3u);
    cache.store(4, {4, false, ""});
    EXPECT_EQ(cache.size(), 1u);
    CachedCost c;
    EXPECT_TRUE(cache.find(4, c));
    EXPECT_FALSE(cache.find(1, c));
}
