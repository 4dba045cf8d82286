#include "core/store/entry_cache.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

using pg_advisor::EntryCache;

namespace {

struct Key {
    uint64_t a;
    uint64_t b;
};
struct Entry {
    Key key;
};

}  // namespace

TEST(EntryCache, RemembersAnEntryWithItsGenerationUntilAnotherKeyTakesItsSlot) {
    auto cache = std::make_unique<EntryCache<Entry, 16>>();
    Entry e1{{1, 2}}, e2{{3, 4}}, e3{{5, 6}};
    uint64_t generation = 0;
    EXPECT_EQ(cache->find(e1.key, 7, &generation), nullptr);  // empty
    cache->put(e1.key, 7, &e1, 40);
    EXPECT_EQ(cache->find(e1.key, 7, &generation), &e1);
    EXPECT_EQ(generation, 40u);
    // Same slot, same hash, another key: not taken for it.
    EXPECT_EQ(cache->find(e2.key, 7, &generation), nullptr);
    // Another hash for the same key (never, in use): not found either.
    EXPECT_EQ(cache->find(e1.key, 8, &generation), nullptr);
    // A key whose hash maps to another slot leaves the first alone.
    cache->put(e2.key, 8, &e2, 41);
    EXPECT_EQ(cache->find(e1.key, 7, &generation), &e1);
    EXPECT_EQ(cache->find(e2.key, 8, &generation), &e2);
    EXPECT_EQ(generation, 41u);
    // One that maps to the same slot (7 + 16) replaces it: a repeated lookup, no wrong entry.
    cache->put(e3.key, 23, &e3, 42);
    EXPECT_EQ(cache->find(e1.key, 7, &generation), nullptr);
    EXPECT_EQ(cache->find(e3.key, 23, &generation), &e3);
    EXPECT_EQ(generation, 42u);
}
