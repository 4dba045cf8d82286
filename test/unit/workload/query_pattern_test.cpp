#include "core/workload/query_pattern.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace pg_advisor;

namespace {

struct PatternBlock {
    std::vector<uint64_t> mem;
    PatternStore store;
    explicit PatternBlock(uint32_t capacity = 16, uint64_t arena = 8192)
        : mem(PatternStore::required_size(capacity, arena) / 8, 0) {
        store = PatternStore::format(mem.data(), capacity, arena);
    }
};

ExecutionSample sample(uint64_t elapsed_ns, uint64_t rows, int64_t now, bool sampled) {
    ExecutionSample x;
    x.elapsed_ns = elapsed_ns;
    x.rows = rows;
    x.now = now;
    x.sampled = sampled;
    return x;
}

}  // namespace

TEST(QueryPattern, MakePatternKey) {
    PatternKey k = make_pattern_key(10, 20, 0x123456789ULL, true);
    EXPECT_EQ(k.userid, 10u);
    EXPECT_EQ(k.dbid, 20u);
    EXPECT_EQ(k.queryid, 0x123456789ULL);
    EXPECT_EQ(k.toplevel, 1u);
    EXPECT_EQ(k.pad, 0u);
    EXPECT_EQ(make_pattern_key(10, 20, 1, false).toplevel, 0u);
}

TEST(QueryPattern, HashKeyDependsOnEveryField) {
    PatternKey base = make_pattern_key(10, 20, 30, true);
    uint64_t h = PatternEntry::hash_key(base);
    EXPECT_EQ(h, PatternEntry::hash_key(make_pattern_key(10, 20, 30, true)));
    EXPECT_NE(h, PatternEntry::hash_key(make_pattern_key(11, 20, 30, true)));
    EXPECT_NE(h, PatternEntry::hash_key(make_pattern_key(10, 21, 30, true)));
    EXPECT_NE(h, PatternEntry::hash_key(make_pattern_key(10, 20, 31, true)));
    EXPECT_NE(h, PatternEntry::hash_key(make_pattern_key(10, 20, 30, false)));
    // userid and dbid are not interchangeable.
    EXPECT_NE(PatternEntry::hash_key(make_pattern_key(1, 2, 3, true)),
              PatternEntry::hash_key(make_pattern_key(2, 1, 3, true)));
}

TEST(QueryPattern, InsertPatternInitialisesTheEntry) {
    PatternBlock b;
    PatternKey k = make_pattern_key(1, 2, 3, true);
    PatternEntry *e = insert_pattern(b.store, k, "SELECT * FROM t WHERE id = $1", 1, 1000);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(std::memcmp(&e->key, &k, sizeof k), 0);
    EXPECT_EQ(e->min_ns, UINT64_MAX);
    EXPECT_EQ(e->max_ns, 0u);
    EXPECT_EQ(e->calls, 0u);
    EXPECT_EQ(e->total_ns, 0u);
    EXPECT_EQ(e->rows, 0u);
    EXPECT_EQ(e->sampled_calls, 0u);
    EXPECT_EQ(e->first_seen, 1000);
    EXPECT_EQ(e->last_seen, 1000);
    EXPECT_EQ(e->command, 1u);
    EXPECT_EQ(e->usage, PatternStore::kUsagePerCall);
    EXPECT_EQ(e->application_name(), "");
    EXPECT_EQ(e->serialized_tags(), "");
    EXPECT_EQ(b.store.blob(e), "SELECT * FROM t WHERE id = $1");
    EXPECT_EQ(b.store.find(k), e);
}

TEST(QueryPattern, InsertPatternOfAnExistingKeyChangesNothing) {
    PatternBlock b;
    PatternKey k = make_pattern_key(1, 2, 3, false);
    PatternEntry *e = insert_pattern(b.store, k, "first text", 2, 1000);
    // Not executed yet: a second insert must still keep the first timestamps and command.
    PatternEntry *again = insert_pattern(b.store, k, "second text", 3, 5000);
    EXPECT_EQ(again, e);
    EXPECT_EQ(e->first_seen, 1000);
    EXPECT_EQ(e->last_seen, 1000);
    EXPECT_EQ(e->command, 2u);
    EXPECT_EQ(b.store.blob(e), "first text");

    record_execution(*e, sample(50, 1, 2000, false));
    again = insert_pattern(b.store, k, "third text", 4, 9000);
    EXPECT_EQ(again, e);
    EXPECT_EQ(e->min_ns, 50u);  // not reset to UINT64_MAX
    EXPECT_EQ(e->first_seen, 1000);
    EXPECT_EQ(e->last_seen, 2000);
    EXPECT_EQ(e->calls, 1u);
    EXPECT_EQ(b.store.count(), 1u);
}

TEST(QueryPattern, InsertPatternReturnsNullWhenTheStoreRejects) {
    PatternBlock b(0, 1024);
    EXPECT_EQ(insert_pattern(b.store, make_pattern_key(1, 2, 3, true), "x", 1, 1), nullptr);
}

TEST(QueryPattern, RecordExecutionAccumulates) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 100);
    ASSERT_NE(e, nullptr);
    record_execution(*e, sample(500, 3, 150, true));
    EXPECT_EQ(e->calls, 1u);
    EXPECT_EQ(e->min_ns, 500u);
    EXPECT_EQ(e->max_ns, 500u);
    record_execution(*e, sample(200, 0, 120, false));  // older timestamp: last_seen stays
    record_execution(*e, sample(900, 7, 300, true));
    EXPECT_EQ(e->calls, 3u);
    EXPECT_EQ(e->total_ns, 1600u);
    EXPECT_EQ(e->min_ns, 200u);
    EXPECT_EQ(e->max_ns, 900u);
    EXPECT_EQ(e->rows, 10u);
    EXPECT_EQ(e->first_seen, 100);
    EXPECT_EQ(e->last_seen, 300);
    EXPECT_EQ(e->sampled_calls, 2u);
    EXPECT_EQ(e->usage, 4 * PatternStore::kUsagePerCall);
    record_execution(*e, sample(0, 0, 299, false));
    EXPECT_EQ(e->min_ns, 0u);
    EXPECT_EQ(e->last_seen, 300);
}

TEST(QueryPattern, AnExecutionCallingTheAdvisorMarksThePattern) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 3, true), "q", 1, 100);
    ASSERT_NE(e, nullptr);
    record_execution(*e, sample(10, 1, 200, false));
    EXPECT_EQ(e->flags & kPatternCallsAdvisor, 0);
    ExecutionSample x = sample(10, 1, 300, false);
    x.calls_advisor = true;
    record_execution(*e, x);
    record_execution(*e, sample(10, 1, 400, false));  // stays marked
    EXPECT_EQ(e->flags & kPatternCallsAdvisor, kPatternCallsAdvisor);
}

TEST(QueryPattern, RecordExecutionKeepsTheDeepestOffset) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 2, true), "q", 1, 100);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->max_offset, 0u);
    for (uint32_t offset : {0u, 20u, 1500u, 40u}) {  // page 1, 2, 76, 3
        ExecutionSample x = sample(10, 20, 200, false);
        x.offset = offset;
        record_execution(*e, x);
    }
    EXPECT_EQ(e->max_offset, 1500u);
    PatternEntry copy;
    e->snapshot_to(copy);
    EXPECT_EQ(copy.max_offset, 1500u);
}

TEST(QueryPattern, RecordContextTags) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 0);
    record_context(*e, 11, "route=/a", 0, "");
    EXPECT_EQ(e->tags_fp, 11u);
    EXPECT_EQ(e->serialized_tags(), "route=/a");
    EXPECT_EQ(e->tags_len, 8u);

    // An untagged call keeps the previous tags.
    record_context(*e, 0, "", 0, "");
    EXPECT_EQ(e->tags_fp, 11u);
    EXPECT_EQ(e->serialized_tags(), "route=/a");

    // Same fingerprint: the text is not looked at.
    record_context(*e, 11, "route=/zzzz", 0, "");
    EXPECT_EQ(e->serialized_tags(), "route=/a");

    // New fingerprint: replaced, shorter text leaves no remnant in tags_len.
    record_context(*e, 12, "r=/b", 0, "");
    EXPECT_EQ(e->tags_fp, 12u);
    EXPECT_EQ(e->serialized_tags(), "r=/b");
}

TEST(QueryPattern, RecordContextTagsAtAndBeyondTheLimit) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 0);
    std::string full(PatternEntry::kTagsSize, 't');
    record_context(*e, 1, full, 0, "");
    EXPECT_EQ(e->serialized_tags(), full);
    // Callers serialise within the limit; an oversized text is dropped, not cut.
    std::string over(PatternEntry::kTagsSize + 1, 'u');
    record_context(*e, 2, over, 0, "");
    EXPECT_EQ(e->tags_fp, 2u);
    EXPECT_EQ(e->serialized_tags(), "");
}

TEST(QueryPattern, RecordContextApplicationName) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 0);
    record_context(*e, 0, "", 21, "psql");
    EXPECT_EQ(e->appname_fp, 21u);
    EXPECT_EQ(e->application_name(), "psql");
    EXPECT_EQ(e->tags_fp, 0u);  // untagged: nothing stored for tags
    EXPECT_EQ(e->serialized_tags(), "");

    record_context(*e, 0, "", 21, "something else");  // same fingerprint
    EXPECT_EQ(e->application_name(), "psql");

    record_context(*e, 0, "", 22, "web");
    EXPECT_EQ(e->appname_fp, 22u);
    EXPECT_EQ(e->application_name(), "web");

    // Back to no application name: it changed, so it is cleared.
    record_context(*e, 0, "", 0, "");
    EXPECT_EQ(e->appname_fp, 0u);
    EXPECT_EQ(e->application_name(), "");

    std::string longname(100, 'n');
    longname[63] = 'X';
    longname[64] = 'Y';
    record_context(*e, 0, "", 23, longname);
    EXPECT_EQ(e->application_name().size(), PatternEntry::kAppNameSize);
    EXPECT_EQ(e->application_name(), longname.substr(0, PatternEntry::kAppNameSize));
}

TEST(QueryPattern, RecordContextTagsAndAppNameTogether) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 0);
    record_context(*e, 5, "job=x", 6, "worker");
    EXPECT_EQ(e->serialized_tags(), "job=x");
    EXPECT_EQ(e->application_name(), "worker");
    record_context(*e, 7, "job=y", 6, "ignored");  // only the tags changed
    EXPECT_EQ(e->serialized_tags(), "job=y");
    EXPECT_EQ(e->application_name(), "worker");
    EXPECT_EQ(e->lock, 0u);  // spinlock released
}

TEST(QueryPattern, SnapshotToCopiesEverything) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(4, 5, 6, true), "q", 3, 77);
    record_execution(*e, sample(10, 2, 80, true));
    record_execution(*e, sample(30, 4, 90, false));
    record_context(*e, 99, "a=b", 98, "app");
    PatternEntry copy;
    std::memset(&copy, 0xAB, sizeof copy);
    e->snapshot_to(copy);
    EXPECT_EQ(std::memcmp(&copy, e, sizeof copy), 0);
    EXPECT_EQ(copy.calls, 2u);
    EXPECT_EQ(copy.total_ns, 40u);
    EXPECT_EQ(copy.min_ns, 10u);
    EXPECT_EQ(copy.max_ns, 30u);
    EXPECT_EQ(copy.rows, 6u);
    EXPECT_EQ(copy.sampled_calls, 1u);
    EXPECT_EQ(copy.first_seen, 77);
    EXPECT_EQ(copy.last_seen, 90);
    EXPECT_EQ(copy.usage, 3 * PatternStore::kUsagePerCall);
    EXPECT_EQ(copy.command, 3u);
    EXPECT_EQ(copy.lock, 0u);
    EXPECT_EQ(copy.serialized_tags(), "a=b");
    EXPECT_EQ(copy.application_name(), "app");
}

TEST(QueryPattern, ConcurrentRecordExecutionLosesNothing) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 0);
    ASSERT_NE(e, nullptr);
    constexpr int kThreads = 4;
    constexpr uint64_t kCalls = 100000;
    auto elapsed = [](int t, uint64_t i) { return 1000 * uint64_t(t + 1) + i % 997 + 1; };

    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
        threads.emplace_back([&, t] {
            ready.fetch_add(1);
            while (ready.load() < kThreads) {
            }
            for (uint64_t i = 0; i < kCalls; i++)
                record_execution(*e,
                                 sample(elapsed(t, i), i % 3, static_cast<int64_t>(i), i % 2 == 0));
        });
    }
    for (auto &th : threads)
        th.join();

    uint64_t total = 0, rows = 0, mn = UINT64_MAX, mx = 0;
    for (int t = 0; t < kThreads; t++)
        for (uint64_t i = 0; i < kCalls; i++) {
            total += elapsed(t, i);
            rows += i % 3;
            mn = std::min(mn, elapsed(t, i));
            mx = std::max(mx, elapsed(t, i));
        }
    EXPECT_EQ(e->calls, kThreads * kCalls);
    EXPECT_EQ(e->total_ns, total);
    EXPECT_EQ(e->rows, rows);
    EXPECT_EQ(e->min_ns, mn);
    EXPECT_EQ(e->max_ns, mx);
    EXPECT_EQ(mn, 1001u);
    EXPECT_EQ(mx, 4997u);
    EXPECT_EQ(e->sampled_calls, kThreads * kCalls / 2);
    EXPECT_EQ(e->last_seen, static_cast<int64_t>(kCalls - 1));
    EXPECT_EQ(e->usage, (1 + kThreads * kCalls) * PatternStore::kUsagePerCall);
}

TEST(QueryPattern, SnapshotSeesTagsConsistentWithTheirFingerprint) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 1, 1, true), "q", 1, 0);
    const std::string a(300, 'a'), z(200, 'z');
    record_context(*e, 1, a, 0, "");
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        for (int i = 0; i < 20000; i++) {
            bool odd = i % 2 == 1;
            record_context(*e, odd ? 1 : 2, odd ? a : z, odd ? 3 : 4, odd ? "x" : "yy");
        }
        stop = true;
    });
    int bad = 0, snapshots = 0;
    while (!stop.load() || snapshots == 0) {
        PatternEntry copy;
        e->snapshot_to(copy);
        snapshots++;
        const std::string &want = copy.tags_fp == 1 ? a : z;
        if (copy.serialized_tags() != want) bad++;
        if (copy.appname_fp != 0 && copy.application_name() != (copy.appname_fp == 3 ? "x" : "yy"))
            bad++;
    }
    writer.join();
    EXPECT_EQ(bad, 0) << "of " << snapshots << " snapshots";
}

TEST(QueryPattern, LiteralsThatVaryAreMarked) {
    PatternBlock b;
    PatternEntry *e = insert_pattern(b.store, make_pattern_key(1, 2, 3, true),
                                     "SELECT * FROM t WHERE status = $1 AND id = $2", 1, 1000);
    ASSERT_NE(e, nullptr);
    uint32_t first[2] = {11, 21}, second[2] = {11, 22};
    ExecutionSample x = sample(10, 1, 1000, false);
    x.literals = first;
    x.nliterals = 2;
    EXPECT_FALSE(e->flags & kPatternLiteralsSeen);
    record_execution(*e, x);
    EXPECT_EQ(e->literal_first[0], 11u);
    EXPECT_EQ(e->literal_first[1], 21u);
    EXPECT_EQ(e->literal_varied, 0u);
    x.literals = second;
    record_execution(*e, x);
    EXPECT_EQ(e->literal_varied, 2u);  // the second one varies, the first is a setting
    // An execution without values (a prepared statement) leaves them as they are.
    record_execution(*e, sample(10, 1, 1000, false));
    EXPECT_TRUE(e->flags & kPatternLiteralsSeen);
    EXPECT_EQ(e->calls, 3u);
    EXPECT_EQ(e->literal_varied, 2u);
    EXPECT_EQ(e->literal_first[1], 21u);
}

TEST(QueryPattern, RecordIfCurrentChecksGenerationAndKeyUnderTheSpinlock) {
    PatternBlock b(16);
    PatternKey k1 = make_pattern_key(1, 1, 101, true);
    PatternKey k2 = make_pattern_key(1, 1, 202, true);
    PatternEntry *e = insert_pattern(b.store, k1, "SELECT 1", 1, 100);
    uint64_t generation = b.store.generation();
    ExecutionContext cx{7, "route=/a", 9, "app"};
    ASSERT_TRUE(record_if_current(*e, k1, b.store.generation_word(), generation,
                                  sample(50, 2, 200, true), cx));
    EXPECT_EQ(e->calls, 1u);
    EXPECT_EQ(e->total_ns, 50u);
    EXPECT_EQ(e->rows, 2u);
    EXPECT_EQ(e->sampled_calls, 1u);
    EXPECT_EQ(e->serialized_tags(), "route=/a");
    EXPECT_EQ(e->application_name(), "app");
    // Another key at this address: nothing recorded.
    EXPECT_FALSE(record_if_current(*e, k2, b.store.generation_word(), generation,
                                   sample(50, 2, 200, true), cx));
    // The store lost entries since: the entry may now be another key's, nothing recorded.
    b.store.reset(300);
    PatternEntry *reused = insert_pattern(b.store, k2, "SELECT 2", 1, 300);
    ASSERT_EQ(reused, e);  // the freed slot came back for the new key
    EXPECT_FALSE(record_if_current(*e, k1, b.store.generation_word(), generation,
                                   sample(70, 1, 400, false), cx));
    EXPECT_FALSE(record_if_current(*e, k2, b.store.generation_word(), generation,
                                   sample(70, 1, 400, false), cx));
    EXPECT_EQ(reused->calls, 0u);
    EXPECT_EQ(reused->serialized_tags(), "");
    // Found again in the new generation: recorded.
    EXPECT_TRUE(record_if_current(*e, k2, b.store.generation_word(), b.store.generation(),
                                  sample(70, 1, 400, false), ExecutionContext{0, "", 9, "app"}));
    EXPECT_EQ(reused->calls, 1u);
    EXPECT_EQ(reused->total_ns, 70u);
    EXPECT_EQ(reused->serialized_tags(), "");  // untagged: no tags to keep
}

TEST(QueryPattern, StaleWritersNeverTouchAReusedEntry) {
    // Writers with an entry found in generation G race an evictor that resets the store and
    // reuses the slot for another key: the new key's counters are its own calls only.
    PatternBlock b(16);
    PatternKey old_key = make_pattern_key(1, 1, 1, true);
    PatternEntry *e = insert_pattern(b.store, old_key, "old", 1, 1);
    uint64_t generation = b.store.generation();
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> recorded{0};
    std::thread writer([&] {
        ExecutionContext cx{0, "", 0, ""};
        while (!stop.load())
            if (record_if_current(*e, old_key, b.store.generation_word(), generation,
                                  sample(1, 1, 2, false), cx))
                recorded++;
    });
    while (recorded.load() < 1000)
        std::this_thread::yield();
    b.store.reset(5);  // a new generation (under the exclusive lock, in the server)
    PatternKey new_key = make_pattern_key(1, 1, 2, true);
    PatternEntry *n = insert_pattern(b.store, new_key, "new", 1, 5);
    ASSERT_EQ(n, e);
    for (int i = 0; i < 1000; i++)
        record_if_current(*n, new_key, b.store.generation_word(), b.store.generation(),
                          sample(1, 1, 6, false), ExecutionContext{0, "", 0, ""});
    stop = true;
    writer.join();
    EXPECT_EQ(n->calls, 1000u);
    EXPECT_EQ(std::memcmp(&n->key, &new_key, sizeof new_key), 0);
}
