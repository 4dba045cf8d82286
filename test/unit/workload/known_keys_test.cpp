#include "core/workload/known_keys.h"

#include <gtest/gtest.h>

using pg_advisor::KnownKeys;

TEST(KnownKeys, KnowsWhatWasAddedUnderTheSameGeneration) {
    KnownKeys<16> k;
    EXPECT_FALSE(k.contains(42, 7));
    k.add(42, 7);
    EXPECT_TRUE(k.contains(42, 7));
    EXPECT_FALSE(k.contains(43, 7));
    k.add(0, 7);  // 0 is a valid key
    EXPECT_TRUE(k.contains(0, 7));
}

TEST(KnownKeys, ANewGenerationForgetsEverything) {
    KnownKeys<16> k;
    k.add(42, 1);
    k.add(43, 1);
    EXPECT_FALSE(k.contains(42, 2));  // evicted or reset since: look again
    EXPECT_FALSE(k.contains(43, 2));
    k.add(43, 2);
    EXPECT_TRUE(k.contains(43, 2));
    EXPECT_FALSE(k.contains(42, 2));
}

TEST(KnownKeys, ACrowdedSetForgetsSomeKeysButNeverInventsOne) {
    KnownKeys<16> k;
    for (uint64_t key = 1; key <= 100; key++)
        k.add(key * 16, 3);  // every key wants the same home slot
    int known = 0;
    for (uint64_t key = 1; key <= 100; key++)
        known += k.contains(key * 16, 3) ? 1 : 0;
    EXPECT_GE(known, 1);
    EXPECT_LE(known, 16);
    for (uint64_t key = 101; key <= 200; key++)
        EXPECT_FALSE(k.contains(key * 16 + 1, 3));
}
