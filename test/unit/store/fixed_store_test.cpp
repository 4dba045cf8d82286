#include "core/store/fixed_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/common/hash.h"
#include "core/workload/query_pattern.h"

using namespace pg_advisor;

namespace {

// A minimal entry satisfying the requirements documented at the top of fixed_store.h.
struct TestKey {
    uint64_t id;
};
struct TestEntry {
    TestKey key;
    uint64_t usage;
    uint64_t value;
    static uint64_t hash_key(const TestKey &k) { return mix64(k.id); }
    void snapshot_to(TestEntry &dst) const { std::memcpy(&dst, this, sizeof dst); }
};
using TestStore = FixedStore<TestEntry>;

// Every key hashes to the same bucket: exercises the collision chains.
struct CollidingEntry {
    TestKey key;
    uint64_t usage;
    static uint64_t hash_key(const TestKey &) { return 42; }
    void snapshot_to(CollidingEntry &dst) const { std::memcpy(&dst, this, sizeof dst); }
};

// Same key type as TestEntry but a different size: its store must reject TestEntry blocks.
struct WideEntry {
    TestKey key;
    uint64_t usage;
    uint64_t a, b, c;
    static uint64_t hash_key(const TestKey &k) { return mix64(k.id); }
    void snapshot_to(WideEntry &dst) const { std::memcpy(&dst, this, sizeof dst); }
};

TestKey key(uint64_t id) {
    return TestKey{id};
}

// Distinct, deterministic content per id (embedded NULs included).
std::string blob_for(uint64_t id, size_t len) {
    std::string s(len, '\0');
    for (size_t i = 0; i < len; i++)
        s[i] = static_cast<char>((id * 31 + i * 7) % 251);
    return s;
}

// An 8-byte aligned block of exactly required_size() bytes, formatted.
template <class E>
struct Block {
    std::vector<uint64_t> mem;
    FixedStore<E> store;
    Block(uint32_t capacity, uint64_t arena)
        : mem(FixedStore<E>::required_size(capacity, arena) / 8, 0) {
        store = FixedStore<E>::format(mem.data(), capacity, arena);
    }
    Block(const Block &) = delete;
    Block &operator=(const Block &) = delete;
};

std::vector<char> take_snapshot(const TestStore &s) {
    std::vector<char> buf(s.snapshot_capacity());
    size_t n = s.snapshot(buf.data(), buf.size());
    buf.resize(n);
    return buf;
}

}  // namespace

TEST(FixedStore, RequiredSizeIsAMultipleOfEight) {
    for (uint32_t cap : {0u, 1u, 7u, 100u, 1000u})
        for (uint64_t arena : {0u, 1u, 100u, 4096u})
            EXPECT_EQ(TestStore::required_size(cap, arena) % 8, 0u) << cap << " " << arena;
}

TEST(FixedStore, BucketsArePowersOfTwoWithHeadroom) {
    EXPECT_EQ(TestStore::buckets_for(0), 16u);
    EXPECT_EQ(TestStore::buckets_for(10), 16u);  // 10 + 5 = 15 < 16
    EXPECT_EQ(TestStore::buckets_for(11), 16u);  // 11 + 5 = 16
    EXPECT_EQ(TestStore::buckets_for(12), 32u);  // 12 + 6 = 18
    EXPECT_EQ(TestStore::buckets_for(1000), 2048u);
}

TEST(FixedStore, FormatProducesAnEmptyValidStore) {
    Block<TestEntry> b(20, 100);
    const TestStore &s = b.store;
    EXPECT_TRUE(s.valid());
    EXPECT_EQ(s.capacity(), 20u);
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(s.arena_size(), 104u);  // rounded up to 8
    EXPECT_EQ(s.arena_used(), 0u);
    EXPECT_EQ(s.generation(), 0u);
    EXPECT_EQ(s.stats().evictions, 0u);
    EXPECT_EQ(s.stats().compactions, 0u);
    EXPECT_EQ(s.stats().rejected, 0u);
    EXPECT_EQ(s.stats().reset_time, 0);
    EXPECT_EQ(s.find(key(1)), nullptr);
    int visited = 0;
    s.for_each([&](const TestEntry &, std::string_view) { visited++; });
    EXPECT_EQ(visited, 0);
}

TEST(FixedStore, ValidRejectsForeignMemory) {
    EXPECT_FALSE(TestStore().valid());

    std::vector<uint64_t> zeros(TestStore::required_size(8, 64) / 8, 0);
    EXPECT_FALSE(TestStore(zeros.data()).valid());

    Block<TestEntry> b(8, 64);
    EXPECT_TRUE(TestStore(b.mem.data()).valid());               // attaching to a formatted block
    EXPECT_FALSE(FixedStore<WideEntry>(b.mem.data()).valid());  // other entry size

    // The magic is the first field; flip one of its bits through a char lvalue (a uint64_t
    // store would not alias the store's uint32_t read).
    reinterpret_cast<unsigned char *>(b.mem.data())[0] ^= 1;
    EXPECT_FALSE(TestStore(b.mem.data()).valid());
}

TEST(FixedStore, InsertAndFind) {
    Block<TestEntry> b(16, 1024);
    TestStore &s = b.store;
    TestEntry *e1 = s.insert(key(1), "one");
    TestEntry *e2 = s.insert(key(2), "two");
    ASSERT_NE(e1, nullptr);
    ASSERT_NE(e2, nullptr);
    EXPECT_NE(e1, e2);
    EXPECT_EQ(s.count(), 2u);
    EXPECT_EQ(s.find(key(1)), e1);
    EXPECT_EQ(s.find(key(2)), e2);
    EXPECT_EQ(s.find(key(3)), nullptr);
    // New entries are zeroed except for the key and a first call's worth of usage.
    EXPECT_EQ(e1->key.id, 1u);
    EXPECT_EQ(e1->value, 0u);
    EXPECT_EQ(e1->usage, TestStore::kUsagePerCall);
    EXPECT_EQ(s.stats().rejected, 0u);
}

TEST(FixedStore, InsertingAnExistingKeyReturnsTheSameEntry) {
    Block<TestEntry> b(16, 1024);
    TestStore &s = b.store;
    TestEntry *e = s.insert(key(7), "original");
    e->value = 99;
    e->usage = 12345;
    uint64_t used = s.arena_used();
    TestEntry *again = s.insert(key(7), "a different blob");
    EXPECT_EQ(again, e);
    EXPECT_EQ(s.count(), 1u);
    EXPECT_EQ(e->value, 99u);          // not re-zeroed
    EXPECT_EQ(e->usage, 12345u);       // not reset
    EXPECT_EQ(s.blob(e), "original");  // first blob kept
    EXPECT_EQ(s.arena_used(), used);   // nothing appended
}

TEST(FixedStore, BlobContentAndArenaAccounting) {
    Block<TestEntry> b(16, 4096);
    TestStore &s = b.store;
    std::string with_nuls("a\0b\0c", 5);
    TestEntry *e1 = s.insert(key(1), with_nuls);
    EXPECT_EQ(s.arena_used(), 16u);  // 8-byte blob header + 5, rounded to 8
    TestEntry *e2 = s.insert(key(2), "");
    EXPECT_EQ(s.arena_used(), 24u);
    std::string big = blob_for(3, 300);
    TestEntry *e3 = s.insert(key(3), big);
    EXPECT_EQ(s.arena_used(), 24u + 312u);
    EXPECT_EQ(s.blob(e1), with_nuls);
    EXPECT_EQ(s.blob(e2), "");
    EXPECT_EQ(s.blob(e3), big);
}

TEST(FixedStore, BlobLargerThanAQuarterOfTheArenaIsTruncated) {
    Block<TestEntry> b(8, 1020);  // arena rounded to 1024; a blob may use at most 256 bytes
    TestStore &s = b.store;
    EXPECT_EQ(s.arena_size(), 1024u);
    std::string big = blob_for(1, 1000);
    TestEntry *e = s.insert(key(1), big);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(s.blob(e).size(), 256u);
    EXPECT_EQ(s.blob(e), big.substr(0, 256));

    std::string exact = blob_for(2, 256);
    EXPECT_EQ(s.blob(s.insert(key(2), exact)), exact);
    std::string one_more = blob_for(3, 257);
    EXPECT_EQ(s.blob(s.insert(key(3), one_more)), one_more.substr(0, 256));
}

TEST(FixedStore, FullTableEvictsTenLeastUsedAfterOnePercentDecay) {
    Block<TestEntry> b(100, 16384);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 100; i++) {
        TestEntry *e = s.insert(key(i), "x");
        ASSERT_NE(e, nullptr);
        e->usage = (i + 1) * 1000;
    }
    EXPECT_EQ(s.count(), 100u);
    EXPECT_EQ(s.generation(), 0u);

    TestEntry *fresh = s.insert(key(1000), "new");
    ASSERT_NE(fresh, nullptr);
    // 5% of 100 is 5, so the minimum of 10 applies.
    EXPECT_EQ(s.stats().evictions, 10u);
    EXPECT_EQ(s.generation(), 1u);
    EXPECT_EQ(s.stats().compactions, 0u);
    EXPECT_EQ(s.count(), 91u);
    for (uint64_t i = 0; i < 10; i++)
        EXPECT_EQ(s.find(key(i)), nullptr) << i;
    for (uint64_t i = 10; i < 100; i++) {
        TestEntry *e = s.find(key(i));
        ASSERT_NE(e, nullptr) << i;
        EXPECT_EQ(e->usage, (i + 1) * 990) << i;  // decayed by 1%
    }
    // A newcomer starts with one call's worth of usage, below the (decayed) median of
    // 51 * 990: it must earn its place.
    EXPECT_EQ(fresh->usage, TestStore::kUsagePerCall);
    EXPECT_EQ(s.blob(fresh), "new");
}

TEST(FixedStore, LargeTableEvictsFivePercent) {
    Block<TestEntry> b(400, 65536);
    TestStore &s = b.store;
    std::vector<uint64_t> cold;
    for (uint64_t i = 0; i < 400; i++) {
        TestEntry *e = s.insert(key(i), "x");
        ASSERT_NE(e, nullptr);
        bool hot = i % 4 == 0;
        e->usage = hot ? 10000000 : 1000 + i;
        if (!hot) cold.push_back(i);
    }
    TestEntry *fresh = s.insert(key(5000), "y");
    ASSERT_NE(fresh, nullptr);
    EXPECT_EQ(s.stats().evictions, 20u);
    EXPECT_EQ(s.count(), 381u);
    std::set<uint64_t> victims(cold.begin(), cold.begin() + 20);
    for (uint64_t i = 0; i < 400; i++)
        EXPECT_EQ(s.find(key(i)) == nullptr, victims.count(i) == 1) << i;
    // The median (the 201st smallest decayed usage, cold id 267: 1267 - 12 = 1255) is above
    // one call's worth, so the newcomer starts at one call's worth.
    EXPECT_EQ(cold[200], 267u);
    EXPECT_EQ(fresh->usage, TestStore::kUsagePerCall);
}

TEST(FixedStore, EvictionTiesGoToLowerSlots) {
    Block<TestEntry> b(30, 4096);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 30; i++)
        s.insert(key(i), "");  // all at kUsagePerCall
    s.insert(key(100), "");
    for (uint64_t i = 0; i < 10; i++)
        EXPECT_EQ(s.find(key(i)), nullptr) << i;
    for (uint64_t i = 10; i < 30; i++)
        EXPECT_NE(s.find(key(i)), nullptr) << i;
    EXPECT_EQ(s.find(key(100))->usage, 990u);
}

TEST(FixedStore, EvictOnEmptyStoreIsANoOp) {
    Block<TestEntry> b(10, 256);
    b.store.evict();
    EXPECT_EQ(b.store.generation(), 0u);
    EXPECT_EQ(b.store.stats().evictions, 0u);
}

TEST(FixedStore, EvictionOfASmallTableRemovesEverything) {
    Block<TestEntry> b(20, 1024);
    for (uint64_t i = 0; i < 7; i++)
        b.store.insert(key(i), "z");
    b.store.evict();  // at least 10 victims, capped at the 7 present
    EXPECT_EQ(b.store.count(), 0u);
    EXPECT_EQ(b.store.stats().evictions, 7u);
    EXPECT_EQ(b.store.generation(), 1u);
    EXPECT_NE(b.store.insert(key(1), "again"), nullptr);
}

TEST(FixedStore, HotEntriesSurviveRepeatedEvictions) {
    Block<TestEntry> b(50, 1 << 16);
    TestStore &s = b.store;
    const std::vector<uint64_t> hot = {3, 17, 25, 33, 49};
    for (uint64_t i = 0; i < 50; i++)
        s.insert(key(i), blob_for(i, 20));
    for (uint64_t h : hot)
        s.find(key(h))->usage += 1000000;
    // 200 one-off statements: every 10th insert into the full table evicts 10 entries.
    for (uint64_t i = 100; i < 300; i++)
        ASSERT_NE(s.insert(key(i), blob_for(i, 20)), nullptr);
    EXPECT_EQ(s.stats().evictions, 200u);
    EXPECT_EQ(s.generation(), 20u);
    EXPECT_EQ(s.count(), 50u);
    uint64_t expected = 1001000;
    for (int round = 0; round < 20; round++)
        expected -= expected / 100;
    for (uint64_t h : hot) {
        TestEntry *e = s.find(key(h));
        ASSERT_NE(e, nullptr) << h;
        EXPECT_EQ(e->usage, expected) << h;
        EXPECT_EQ(s.blob(e), blob_for(h, 20)) << h;
    }
}

TEST(FixedStore, ArenaExhaustionCompactsBeforeEvicting) {
    // 100-byte blobs take 112 arena bytes each: exactly 9 fit in 1008.
    Block<TestEntry> b(32, 1008);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 9; i++)
        ASSERT_NE(s.insert(key(i), blob_for(i, 100)), nullptr);
    EXPECT_EQ(s.arena_used(), 1008u);
    EXPECT_EQ(s.remove_if([](const TestEntry &e) { return e.key.id % 2 == 0 && e.key.id < 6; }),
              3u);
    EXPECT_EQ(s.arena_used(), 1008u);  // dead blobs stay until compaction

    ASSERT_NE(s.insert(key(9), blob_for(9, 100)), nullptr);
    EXPECT_EQ(s.stats().compactions, 1u);
    EXPECT_EQ(s.stats().evictions, 0u);
    EXPECT_EQ(s.count(), 7u);
    EXPECT_EQ(s.arena_used(), 7u * 112u);
    for (uint64_t i : {1, 3, 5, 6, 7, 8, 9}) {
        TestEntry *e = s.find(key(i));
        ASSERT_NE(e, nullptr) << i;
        EXPECT_EQ(s.blob(e), blob_for(i, 100)) << i;
    }
}

TEST(FixedStore, CompactionIgnoresTheOldBlobOfAReusedSlot) {
    Block<TestEntry> b(32, 1008);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 8; i++)
        s.insert(key(i), blob_for(i, 100));
    s.remove_if([](const TestEntry &e) { return e.key.id == 1; });
    // Reuses slot 1; its new blob goes to the end, the old one is dead but names slot 1.
    s.insert(key(20), blob_for(20, 100));
    EXPECT_EQ(s.arena_used(), 1008u);
    ASSERT_NE(s.insert(key(21), blob_for(21, 100)), nullptr);
    EXPECT_EQ(s.stats().compactions, 1u);
    EXPECT_EQ(s.stats().evictions, 0u);
    EXPECT_EQ(s.arena_used(), 1008u);
    for (uint64_t i : {0, 2, 3, 4, 5, 6, 7, 20, 21}) {
        TestEntry *e = s.find(key(i));
        ASSERT_NE(e, nullptr) << i;
        EXPECT_EQ(s.blob(e), blob_for(i, 100)) << i;
    }
}

TEST(FixedStore, ArenaExhaustionEvictsWhenCompactionIsNotEnough) {
    // 40-byte blobs take 48 bytes: 85 fit in 4096; the table itself has room for 256.
    Block<TestEntry> b(256, 4096);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 85; i++) {
        TestEntry *e = s.insert(key(i), blob_for(i, 40));
        ASSERT_NE(e, nullptr);
        e->usage = (i + 1) * 1000;
    }
    EXPECT_EQ(s.arena_used(), 4080u);
    ASSERT_NE(s.insert(key(85), blob_for(85, 40)), nullptr);
    EXPECT_EQ(s.stats().compactions, 2u);  // one that freed nothing, one after evicting
    EXPECT_EQ(s.stats().evictions, 10u);
    EXPECT_EQ(s.generation(), 1u);
    EXPECT_EQ(s.count(), 76u);
    EXPECT_EQ(s.arena_used(), 76u * 48u);
    for (uint64_t i = 0; i < 10; i++)
        EXPECT_EQ(s.find(key(i)), nullptr) << i;
    for (uint64_t i = 10; i <= 85; i++) {
        TestEntry *e = s.find(key(i));
        ASSERT_NE(e, nullptr) << i;
        EXPECT_EQ(s.blob(e), blob_for(i, 40)) << i;
    }
}

TEST(FixedStore, InsertIsRejectedWhenNothingCanFit) {
    Block<TestEntry> no_slots(0, 1024);
    EXPECT_EQ(no_slots.store.insert(key(1), "x"), nullptr);
    EXPECT_EQ(no_slots.store.stats().rejected, 1u);
    EXPECT_EQ(no_slots.store.count(), 0u);

    Block<TestEntry> no_arena(4, 0);
    EXPECT_EQ(no_arena.store.insert(key(1), ""), nullptr);
    EXPECT_EQ(no_arena.store.stats().rejected, 1u);
    EXPECT_EQ(no_arena.store.stats().compactions, 9u);  // one, then 8 evict+compact tries
    EXPECT_EQ(no_arena.store.count(), 0u);
}

TEST(FixedStore, ResetEmptiesTheStoreAndKeepsStatistics) {
    Block<TestEntry> b(20, 2048);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 21; i++)
        s.insert(key(i), blob_for(i, 10));  // one eviction
    ASSERT_EQ(s.generation(), 1u);
    ASSERT_EQ(s.stats().evictions, 10u);
    s.reset(1234567);
    EXPECT_EQ(s.count(), 0u);
    EXPECT_EQ(s.arena_used(), 0u);
    EXPECT_EQ(s.generation(), 2u);
    EXPECT_EQ(s.stats().reset_time, 1234567);
    EXPECT_EQ(s.stats().evictions, 10u);
    for (uint64_t i = 0; i < 21; i++)
        EXPECT_EQ(s.find(key(i)), nullptr) << i;
    int visited = 0;
    s.for_each([&](const TestEntry &, std::string_view) { visited++; });
    EXPECT_EQ(visited, 0);

    // The whole capacity is usable again and new entries start from kUsagePerCall (the
    // median of the evicted population is forgotten).
    for (uint64_t i = 100; i < 120; i++) {
        TestEntry *e = s.insert(key(i), blob_for(i, 10));
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->usage, TestStore::kUsagePerCall);
    }
    EXPECT_EQ(s.count(), 20u);
    EXPECT_EQ(s.stats().evictions, 10u);
    s.reset(7);
    EXPECT_EQ(s.generation(), 3u);
    EXPECT_EQ(s.stats().reset_time, 7);
}

TEST(FixedStore, RemoveIf) {
    Block<TestEntry> b(32, 4096);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 20; i++)
        s.insert(key(i), blob_for(i, 5))->value = i * 10;
    EXPECT_EQ(s.remove_if([](const TestEntry &e) { return e.value % 20 == 10; }), 10u);
    EXPECT_EQ(s.count(), 10u);
    EXPECT_EQ(s.generation(), 1u);
    for (uint64_t i = 0; i < 20; i++)
        EXPECT_EQ(s.find(key(i)) != nullptr, i % 2 == 0) << i;

    EXPECT_EQ(s.remove_if([](const TestEntry &) { return false; }), 0u);
    EXPECT_EQ(s.generation(), 1u);  // nothing disappeared

    // Freed slots are reused.
    for (uint64_t i = 100; i < 122; i++)
        ASSERT_NE(s.insert(key(i), "r"), nullptr);
    EXPECT_EQ(s.count(), 32u);
    EXPECT_EQ(s.stats().evictions, 0u);
}

TEST(FixedStore, ForEachVisitsEveryLiveEntryWithItsBlob) {
    Block<TestEntry> b(64, 8192);
    TestStore &s = b.store;
    std::map<uint64_t, std::string> expected;
    for (uint64_t i = 0; i < 40; i++) {
        expected[i] = blob_for(i, i * 3);
        s.insert(key(i), expected[i]);
    }
    s.remove_if([](const TestEntry &e) { return e.key.id % 5 == 0; });
    for (auto it = expected.begin(); it != expected.end();)
        it = it->first % 5 == 0 ? expected.erase(it) : std::next(it);
    std::map<uint64_t, std::string> seen;
    s.for_each([&](const TestEntry &e, std::string_view blob) {
        EXPECT_TRUE(seen.emplace(e.key.id, std::string(blob)).second) << "twice: " << e.key.id;
    });
    EXPECT_EQ(seen, expected);
}

TEST(FixedStore, CollidingKeysShareOneChain) {
    Block<CollidingEntry> b(40, 4096);
    FixedStore<CollidingEntry> &s = b.store;
    for (uint64_t i = 0; i < 30; i++)
        ASSERT_NE(s.insert(key(i), ""), nullptr);
    for (uint64_t i = 0; i < 30; i++) {
        CollidingEntry *e = s.find(key(i));
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->key.id, i);
    }
    // Unlink from the head, the middle and the tail of the chain.
    EXPECT_EQ(s.remove_if([](const CollidingEntry &e) { return e.key.id % 3 == 0; }), 10u);
    for (uint64_t i = 0; i < 30; i++)
        EXPECT_EQ(s.find(key(i)) != nullptr, i % 3 != 0) << i;
    for (uint64_t i = 0; i < 30; i += 3)
        ASSERT_NE(s.insert(key(i), ""), nullptr);
    for (uint64_t i = 0; i < 30; i++)
        EXPECT_EQ(s.find(key(i))->key.id, i);
    EXPECT_EQ(s.count(), 30u);
}

TEST(FixedStore, NeverWritesOutsideItsBlock) {
    const uint32_t cap = 37;
    const uint64_t arena = 1000;
    size_t words = TestStore::required_size(cap, arena) / 8;
    const uint64_t guard = 0xDEADBEEFCAFEF00DULL;
    std::vector<uint64_t> mem(words + 16, guard);
    TestStore s = TestStore::format(mem.data(), cap, arena);
    for (uint64_t i = 0; i < 300; i++) {
        TestEntry *e = s.insert(key(i), blob_for(i, (i * 37) % 400));
        ASSERT_NE(e, nullptr);
        e->usage = (i * 7919) % 5000;
    }
    s.remove_if([](const TestEntry &e) { return e.key.id % 2 == 1; });
    s.insert(key(1000), blob_for(1000, 250));
    for (size_t w = words; w < mem.size(); w++)
        EXPECT_EQ(mem[w], guard) << w;
    EXPECT_GT(s.stats().compactions, 0u);
    EXPECT_GT(s.stats().evictions, 0u);
    s.for_each([&](const TestEntry &e, std::string_view blob) {
        size_t len = std::min<size_t>(e.key.id == 1000 ? 250 : (e.key.id * 37) % 400, 250);
        EXPECT_EQ(blob, blob_for(e.key.id, len)) << e.key.id;
    });
}

TEST(FixedStore, GenerationChangesOnlyWhenEntriesDisappear) {
    Block<TestEntry> b(20, 4096);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 20; i++)
        s.insert(key(i), "g");
    s.insert(key(3), "g");  // existing
    EXPECT_EQ(s.generation(), 0u);
    s.insert(key(20), "g");  // evicts
    EXPECT_EQ(s.generation(), 1u);
    s.evict();
    EXPECT_EQ(s.generation(), 2u);
    s.remove_if([](const TestEntry &) { return true; });
    EXPECT_EQ(s.generation(), 3u);
    s.reset(0);
    EXPECT_EQ(s.generation(), 4u);
}

// ---- Snapshots

TEST(FixedStore, SnapshotRoundTrip) {
    Block<TestEntry> b(32, 4096);
    TestStore &s = b.store;
    std::map<uint64_t, std::string> blobs;
    for (uint64_t i = 0; i < 12; i++) {
        blobs[i] = blob_for(i, i * 11);
        TestEntry *e = s.insert(key(i), blobs[i]);
        e->value = 1000 + i;
        e->usage = 5000 + i;
    }
    s.remove_if([](const TestEntry &e) { return e.key.id == 4; });
    blobs.erase(4);

    std::vector<char> buf(s.snapshot_capacity());
    size_t n = s.snapshot(buf.data(), buf.size());
    size_t blob_total = 0;
    for (auto &kv : blobs)
        blob_total += kv.second.size();
    EXPECT_EQ(
        n, sizeof(TestStore::SnapshotHeader) + 11 * sizeof(TestStore::SnapshotEntry) + blob_total);

    TestStore::Snapshot snap(buf.data(), n);
    ASSERT_TRUE(snap.ok());
    ASSERT_EQ(snap.count(), 11u);
    EXPECT_EQ(snap.stats().generation, 1u);
    EXPECT_EQ(snap.stats().evictions, 0u);
    std::set<uint64_t> seen;
    for (uint32_t i = 0; i < snap.count(); i++) {
        TestEntry e = snap.entry(i);
        const TestEntry *live = s.find(e.key);
        ASSERT_NE(live, nullptr) << e.key.id;
        EXPECT_EQ(std::memcmp(&e, live, sizeof e), 0) << e.key.id;
        EXPECT_EQ(snap.blob(i), blobs[e.key.id]) << e.key.id;
        seen.insert(e.key.id);
    }
    EXPECT_EQ(seen.size(), 11u);
}

TEST(FixedStore, SnapshotOfAnEmptyStore) {
    Block<TestEntry> b(8, 256);
    std::vector<char> buf = take_snapshot(b.store);
    EXPECT_EQ(buf.size(), sizeof(TestStore::SnapshotHeader));
    TestStore::Snapshot snap(buf.data(), buf.size());
    EXPECT_TRUE(snap.ok());
    EXPECT_EQ(snap.count(), 0u);
}

TEST(FixedStore, SnapshotFailsWhenTheBufferIsTooSmall) {
    Block<TestEntry> b(8, 1024);
    TestStore &s = b.store;
    for (uint64_t i = 0; i < 3; i++)
        s.insert(key(i), blob_for(i, 50));
    const size_t full =
        sizeof(TestStore::SnapshotHeader) + 3 * sizeof(TestStore::SnapshotEntry) + 150;
    std::vector<char> buf(full);
    EXPECT_EQ(s.snapshot(buf.data(), sizeof(TestStore::SnapshotHeader) - 1), 0u);
    EXPECT_EQ(s.snapshot(buf.data(), full - 150 - 1), 0u);  // entries do not fit
    EXPECT_EQ(s.snapshot(buf.data(), full - 1), 0u);        // last blob does not fit
    EXPECT_EQ(s.snapshot(buf.data(), full), full);
    EXPECT_TRUE(TestStore::Snapshot(buf.data(), full).ok());
}

class SnapshotCorruption : public ::testing::Test {
  protected:
    using SH = TestStore::SnapshotHeader;
    using SE = TestStore::SnapshotEntry;

    void SetUp() override {
        block_ = std::make_unique<Block<TestEntry>>(8, 1024);
        block_->store.insert(key(1), "alpha");
        block_->store.insert(key(2), "");
        block_->store.insert(key(3), "gamma-gamma");
        good_ = take_snapshot(block_->store);
        ASSERT_TRUE(TestStore::Snapshot(good_.data(), good_.size()).ok());
    }
    SH header(const std::vector<char> &v) const {
        SH h;
        std::memcpy(&h, v.data(), sizeof h);
        return h;
    }
    void set_header(std::vector<char> &v, const SH &h) const {
        std::memcpy(v.data(), &h, sizeof h);
    }
    SE entry(const std::vector<char> &v, size_t i) const {
        SE e;
        std::memcpy(&e, v.data() + sizeof(SH) + i * sizeof(SE), sizeof e);
        return e;
    }
    void set_entry(std::vector<char> &v, size_t i, const SE &e) const {
        std::memcpy(v.data() + sizeof(SH) + i * sizeof(SE), &e, sizeof e);
    }
    static bool ok(const std::vector<char> &v) {
        TestStore::Snapshot s(v.data(), v.size());
        if (!s.ok()) {
            EXPECT_EQ(s.count(), 0u);
        }
        return s.ok();
    }

    std::unique_ptr<Block<TestEntry>> block_;
    std::vector<char> good_;
};

TEST_F(SnapshotCorruption, ShortBuffers) {
    EXPECT_FALSE(TestStore::Snapshot(nullptr, 0).ok());
    EXPECT_FALSE(TestStore::Snapshot(good_.data(), sizeof(SH) - 1).ok());
    for (size_t len = 0; len < good_.size(); len++)
        EXPECT_FALSE(TestStore::Snapshot(good_.data(), len).ok()) << len;
}

TEST_F(SnapshotCorruption, TrailingByte) {
    std::vector<char> v = good_;
    v.push_back('x');
    EXPECT_FALSE(ok(v));
}

TEST_F(SnapshotCorruption, BadMagic) {
    std::vector<char> v = good_;
    SH h = header(v);
    h.magic ^= 0x100;
    set_header(v, h);
    EXPECT_FALSE(ok(v));
}

TEST_F(SnapshotCorruption, WrongEntrySize) {
    std::vector<char> v = good_;
    SH h = header(v);
    h.entry_size += 8;
    set_header(v, h);
    EXPECT_FALSE(ok(v));
    // A snapshot of another entry type.
    EXPECT_FALSE(FixedStore<WideEntry>::Snapshot(good_.data(), good_.size()).ok());
}

TEST_F(SnapshotCorruption, CountDisagreesWithLength) {
    std::vector<char> v = good_;
    SH h = header(v);
    h.count = 4;
    set_header(v, h);
    EXPECT_FALSE(ok(v));
    h.count = UINT32_MAX;
    set_header(v, h);
    EXPECT_FALSE(ok(v));
    h.count = 2;
    set_header(v, h);
    EXPECT_FALSE(ok(v));
}

TEST_F(SnapshotCorruption, BlobBytesDisagreesWithLength) {
    std::vector<char> v = good_;
    SH h = header(v);
    EXPECT_EQ(h.blob_bytes, 16u);
    h.blob_bytes = 15;
    set_header(v, h);
    EXPECT_FALSE(ok(v));
}

TEST_F(SnapshotCorruption, BlobOutOfRange) {
    SH h = header(good_);
    {
        std::vector<char> v = good_;
        SE e = entry(v, 0);
        e.blob_off = h.blob_bytes + 1;
        e.blob_len = 0;
        set_entry(v, 0, e);
        EXPECT_FALSE(ok(v));
    }
    {
        std::vector<char> v = good_;
        SE e = entry(v, 2);
        e.blob_len = static_cast<uint32_t>(h.blob_bytes - e.blob_off + 1);
        set_entry(v, 2, e);
        EXPECT_FALSE(ok(v));
    }
    {
        // off + len would wrap around: must not pass the check.
        std::vector<char> v = good_;
        SE e = entry(v, 1);
        e.blob_off = UINT64_MAX - 2;
        e.blob_len = 5;
        set_entry(v, 1, e);
        EXPECT_FALSE(ok(v));
    }
    {
        // Boundaries that are still in range are accepted.
        std::vector<char> v = good_;
        SE e = entry(v, 1);
        e.blob_off = h.blob_bytes;
        e.blob_len = 0;
        set_entry(v, 1, e);
        SE whole = entry(v, 0);
        whole.blob_off = 0;
        whole.blob_len = static_cast<uint32_t>(h.blob_bytes);
        set_entry(v, 0, whole);
        ASSERT_TRUE(ok(v));
        TestStore::Snapshot s(v.data(), v.size());
        EXPECT_EQ(s.blob(0), "alphagamma-gamma");
        EXPECT_EQ(s.blob(1), "");
    }
}

TEST(FixedStore, RestoreIntoAFreshStore) {
    Block<TestEntry> src(64, 8192);
    for (uint64_t i = 0; i < 50; i++) {
        TestEntry *e = src.store.insert(key(i), blob_for(i, i * 2));
        e->value = i * i;
        e->usage = 100 + i;
    }
    std::vector<char> buf = take_snapshot(src.store);
    TestStore::Snapshot snap(buf.data(), buf.size());
    ASSERT_TRUE(snap.ok());

    Block<TestEntry> dst(64, 8192);
    EXPECT_EQ(dst.store.restore(snap), 50u);
    EXPECT_EQ(dst.store.count(), 50u);
    EXPECT_EQ(dst.store.stats().evictions, 0u);
    for (uint64_t i = 0; i < 50; i++) {
        const TestEntry *a = src.store.find(key(i));
        const TestEntry *r = dst.store.find(key(i));
        ASSERT_NE(r, nullptr) << i;
        EXPECT_EQ(std::memcmp(a, r, sizeof *a), 0) << i;  // counters and usage included
        EXPECT_EQ(dst.store.blob(r), blob_for(i, i * 2)) << i;
    }
}

TEST(FixedStore, RestoreOfAnInvalidSnapshotRestoresNothing) {
    Block<TestEntry> src(8, 1024);
    src.store.insert(key(1), "a");
    std::vector<char> buf = take_snapshot(src.store);
    buf.pop_back();
    TestStore::Snapshot snap(buf.data(), buf.size());
    Block<TestEntry> dst(8, 1024);
    EXPECT_EQ(dst.store.restore(snap), 0u);
    EXPECT_EQ(dst.store.count(), 0u);
}

TEST(FixedStore, RestoreIntoASmallerStoreKeepsTheMostUsed) {
    Block<TestEntry> src(128, 8192);
    for (uint64_t i = 0; i < 100; i++)
        src.store.insert(key(i), blob_for(i, 8))->usage = (i + 1) * 1000;
    std::vector<char> buf = take_snapshot(src.store);
    TestStore::Snapshot snap(buf.data(), buf.size());
    Block<TestEntry> dst(50, 8192);
    dst.store.restore(snap);
    EXPECT_EQ(dst.store.count(), 50u);
    EXPECT_EQ(dst.store.stats().evictions, 50u);  // 5 rounds of 10 while re-inserting
    for (uint64_t i = 0; i < 100; i++)
        EXPECT_EQ(dst.store.find(key(i)) != nullptr, i >= 50) << i;
}

TEST(FixedStore, RestoreReturnsTheNumberOfEntriesPresent) {
    // Restoring 100 entries into a store of capacity 50 (a max setting lowered between runs)
    // reports the 50 kept, not the 100 inserted (the restore log line relies on it).
    Block<TestEntry> src(128, 8192);
    for (uint64_t i = 0; i < 100; i++)
        src.store.insert(key(i), "r")->usage = (i + 1) * 1000;
    std::vector<char> buf = take_snapshot(src.store);
    TestStore::Snapshot snap(buf.data(), buf.size());
    Block<TestEntry> dst(50, 8192);
    uint32_t restored = dst.store.restore(snap);
    EXPECT_EQ(restored, 50u);
    EXPECT_EQ(restored, dst.store.count());
}

TEST(FixedStore, PatternStoreSnapshotRestoreRoundTrip) {
    Block<PatternEntry> src(16, 4096);
    for (uint32_t i = 0; i < 10; i++) {
        PatternEntry *e = insert_pattern(src.store, make_pattern_key(10, 20, 1000 + i, i % 2),
                                         "SELECT " + std::to_string(i), 1, 500 + i);
        ASSERT_NE(e, nullptr);
        for (uint32_t k = 0; k <= i; k++)
            record_execution(*e, {100 * k + 1, k, 600 + k, k % 2 == 0});
        record_context(*e, 77 + i, "a=" + std::to_string(i), 5, "app");
    }
    std::vector<char> buf(src.store.snapshot_capacity());
    buf.resize(src.store.snapshot(buf.data(), buf.size()));
    PatternStore::Snapshot snap(buf.data(), buf.size());
    ASSERT_TRUE(snap.ok());
    ASSERT_EQ(snap.count(), 10u);
    EXPECT_FALSE(FixedStore<TestEntry>::Snapshot(buf.data(), buf.size()).ok());

    Block<PatternEntry> dst(16, 4096);
    EXPECT_EQ(dst.store.restore(snap), 10u);
    for (uint32_t i = 0; i < 10; i++) {
        PatternKey k = make_pattern_key(10, 20, 1000 + i, i % 2);
        const PatternEntry *a = src.store.find(k);
        const PatternEntry *r = dst.store.find(k);
        ASSERT_NE(r, nullptr) << i;
        EXPECT_EQ(std::memcmp(a, r, sizeof *a), 0) << i;
        EXPECT_EQ(r->calls, i + 1u);
        EXPECT_EQ(r->serialized_tags(), "a=" + std::to_string(i));
        EXPECT_EQ(dst.store.blob(r), "SELECT " + std::to_string(i));
    }
}

// A flood of one-off entries (each inserted, then used once) must not evict an entry that
// earned its usage: newcomers never start above one call's worth, and usage decays at most
// once per second of the caller's clock, however many evictions a burst causes.
TEST(FixedStore, FloodOfOneOffsKeepsHotEntry) {
    Block<TestEntry> b(100, 65536);
    TestStore &s = b.store;
    int64_t now = 1000000000;
    TestEntry *hot = s.insert(key(0), "hot", now);
    ASSERT_NE(hot, nullptr);
    hot->usage = 3000 * TestStore::kUsagePerCall;  // 3,000 calls
    for (uint64_t i = 1; i <= 20000; i++) {
        now += 10;  // 20,000 statements in 0.2 s
        TestEntry *e = s.insert(key(i), "one-off", now);
        ASSERT_NE(e, nullptr) << i;
        e->usage += TestStore::kUsagePerCall;  // its one execution
    }
    EXPECT_GT(s.stats().evictions, 19000u);
    TestEntry *still = s.find(key(0));
    ASSERT_NE(still, nullptr);
    // One decay at most (the first eviction of the burst).
    EXPECT_EQ(still->usage, 2970u * TestStore::kUsagePerCall);
    EXPECT_LE(s.count(), 100u);
}

// Usage still decays over time: a hot entry nobody uses any more is forgotten once the flood
// has lasted long enough (here one eviction per second).
TEST(FixedStore, UnusedHotEntryDecaysOverTime) {
    Block<TestEntry> b(100, 65536);
    TestStore &s = b.store;
    int64_t now = 1000000000;
    TestEntry *hot = s.insert(key(0), "hot", now);
    ASSERT_NE(hot, nullptr);
    hot->usage = 3000 * TestStore::kUsagePerCall;
    uint64_t i = 1;
    for (; i <= 200000 && s.find(key(0)) != nullptr; i++) {
        now += 100000;  // 0.1 s per statement: an eviction round every second
        TestEntry *e = s.insert(key(i), "one-off", now);
        ASSERT_NE(e, nullptr) << i;
        e->usage += TestStore::kUsagePerCall;
    }
    EXPECT_EQ(s.find(key(0)), nullptr);
    // 3,000,000 decays below the one-offs' 2,000 after about ln(1500) / ln(1/0.99) = 728
    // eviction rounds of 10 inserts each.
    EXPECT_GT(i, 7000u);
    EXPECT_LT(i, 7500u);
}
