#include "core/loops/n_plus_one_detector.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"

using namespace pg_advisor;

namespace {

constexpr uint64_t kParent = 1000, kChild = 2000, kGrand = 3000, kOther = 4000;

// Replays a session through the same tracker the extension uses, then the detector.
struct Session {
    SessionTracker tracker;
    LoopDetector detector;
    std::vector<LoopVerdict> verdicts;
    int64_t now = 1'000'000'000;
    bool in_xact = false;
    TraceId trace{};
    uint64_t request = 0;
    ShapeFacts facts{};

    Session(uint32_t min_repeats = 5) {
        DetectorConfig c;
        c.min_repeats = min_repeats;
        detector.configure(c);
        tracker.set_idle_gap_us(500'000);
    }

    static ShapeFacts lookup(void *ctx, uint64_t) { return static_cast<Session *>(ctx)->facts; }

    void stmt(uint64_t queryid, uint64_t param, uint64_t rows,
              CommandKind cmd = CommandKind::Select, uint16_t flags = 0, uint32_t relid = 42,
              uint32_t nvalues = 0, int64_t gap_us = 200, uint16_t nesting = 0) {
        now += gap_us;
        StatementEvent ev{};
        ev.queryid = queryid;
        ev.param_fp = param;
        ev.rows = rows;
        ev.elapsed_ns = 50'000;
        ev.start_us = now;
        now += 50;
        ev.end_us = now;
        ev.command = static_cast<uint8_t>(cmd);
        ev.flags = flags | (in_xact ? kEventExplicitXact : 0);
        ev.relid = relid;
        ev.nvalues = nvalues;
        ev.nesting = nesting;
        ev.trace = trace;
        ev.request_key = request;
        const StatementEvent &stored = tracker.record(ev);
        LoopVerdict out[LoopDetector::kMaxVerdicts];
        size_t n = detector.observe(stored, out, lookup, this);
        verdicts.insert(verdicts.end(), out, out + n);
        if (!in_xact && nesting == 0) end_transaction();
    }
    void begin() {
        tracker.record_boundary(Boundary::Begin, now, true);
        in_xact = true;
    }
    void commit() {
        tracker.record_boundary(Boundary::Commit, now, true);
        in_xact = false;
        end_transaction();
    }
    void end_transaction() {
        uint64_t x = tracker.xact_seq();
        tracker.transaction_ended();
        LoopVerdict out[LoopDetector::kMaxVerdicts];
        size_t n = detector.transaction_ended(x, out, lookup, this);
        verdicts.insert(verdicts.end(), out, out + n);
    }
    std::vector<LoopVerdict> first() const {
        std::vector<LoopVerdict> f;
        for (const auto &v : verdicts)
            if (v.first) f.push_back(v);
        return f;
    }
    uint64_t executions_of(uint64_t child) const {
        uint64_t n = 0;
        for (const auto &v : verdicts)
            if (v.child_queryid == child) n += v.executions;
        return n;
    }
    // A page: one parent query returning n rows, then one child query per row.
    void n_plus_one_page(uint32_t n, uint64_t param_base = 0) {
        stmt(kParent, 7, n);
        for (uint32_t i = 0; i < n; i++)
            stmt(kChild, param_base + i + 1, 3);
    }
};

}  // namespace

TEST(LoopDetector, ClassicNPlusOneAfterParent) {
    Session s;
    s.n_plus_one_page(20);
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, LoopKind::NPlusOne);
    EXPECT_EQ(f[0].parent_queryid, kParent);
    EXPECT_EQ(f[0].parent_rows, 20u);
    EXPECT_EQ(f[0].parent_choice, ParentChoice::MultiRow);
    EXPECT_EQ(f[0].parent_relid, 42u);
    EXPECT_EQ(f[0].child_queryid, kChild);
    EXPECT_EQ(f[0].repeats, 5u);
    EXPECT_EQ(f[0].distinct_params, 5u);
    EXPECT_EQ(f[0].executions, 5u);
    EXPECT_EQ(f[0].scope_kind, ScopeKind::Burst);
    // The loop keeps counting after the threshold: 20 executions in total.
    EXPECT_EQ(s.executions_of(kChild), 20u);
    EXPECT_EQ(s.verdicts.back().repeats, 20u);
    // 20 distinct values: counted exactly (32 are kept before estimating).
    EXPECT_EQ(s.verdicts.back().distinct_params, 20u);
}

TEST(LoopDetector, BelowThresholdIsNotReported) {
    Session s;
    s.n_plus_one_page(4);
    EXPECT_TRUE(s.verdicts.empty());
    Session lower(3);
    lower.n_plus_one_page(4);
    EXPECT_EQ(lower.first().size(), 1u);  // the threshold is a setting
}

TEST(LoopDetector, IdenticalParametersAreADuplicateNotAnNPlusOne) {
    Session s;
    s.stmt(kParent, 1, 10);
    for (int i = 0; i < 6; i++)
        s.stmt(kChild, 99, 1);
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, LoopKind::Duplicate);
    EXPECT_EQ(f[0].distinct_params, 1u);
    EXPECT_EQ(f[0].parent_queryid, 0u);
    EXPECT_EQ(s.executions_of(kChild), 6u);
}

TEST(LoopDetector, InterleavedChildrenShareTheParent) {
    Session s;
    s.stmt(kParent, 1, 10);
    for (int i = 0; i < 10; i++) {
        s.stmt(kOther, 100 + i, 1);  // author of post i
        s.stmt(kChild, 200 + i, 4);  // comments of post i
    }
    auto f = s.first();
    ASSERT_EQ(f.size(), 2u);
    for (const auto &v : f) {
        EXPECT_EQ(v.kind, LoopKind::NPlusOne);
        EXPECT_EQ(v.parent_queryid, kParent);
    }
}

TEST(LoopDetector, NestedLoopsGiveTwoLinkedFindings) {
    Session s;
    s.stmt(kParent, 1, 6);  // 6 posts
    for (int p = 0; p < 6; p++) {
        s.stmt(kChild, 100 + p, 3);  // 3 comments per post
        for (int c = 0; c < 3; c++)
            s.stmt(kGrand, 1000 + p * 3 + c, 1);  // author per comment
    }
    auto f = s.first();
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].child_queryid, kGrand);   // the grandchild crosses the threshold first
    EXPECT_EQ(f[0].parent_queryid, kChild);  // its parent is the child
    EXPECT_EQ(f[1].child_queryid, kChild);
    EXPECT_EQ(f[1].parent_queryid, kParent);
    EXPECT_EQ(s.executions_of(kGrand), 18u);
    EXPECT_EQ(s.executions_of(kChild), 6u);
}

TEST(LoopDetector, OffsetAndKeysetPaginationAreNotLoops) {
    Session offset;
    for (int page = 0; page < 10; page++)
        offset.stmt(kChild, page, 100, CommandKind::Select, kEventHasLimit | kEventHasOffset);
    EXPECT_TRUE(offset.verdicts.empty());

    Session keyset;  // WHERE id > $1 ORDER BY id LIMIT 100: full pages, no parent
    keyset.stmt(kOther, 1, 1);
    for (int page = 0; page < 10; page++)
        keyset.stmt(kChild, page, 100, CommandKind::Select, kEventHasLimit);
    EXPECT_TRUE(keyset.verdicts.empty());

    Session keyset_facts;  // keyset with single-row pages, recognised from the plan
    keyset_facts.facts.keyset = true;
    keyset_facts.stmt(kOther, 1, 1);
    for (int page = 0; page < 10; page++)
        keyset_facts.stmt(kChild, page, 1, CommandKind::Select, kEventHasLimit);
    EXPECT_TRUE(keyset_facts.verdicts.empty());

    Session first_per_parent;  // .first() per parent row: LIMIT 1, one row each: an N+1
    first_per_parent.stmt(kParent, 1, 10);
    for (int i = 0; i < 10; i++)
        first_per_parent.stmt(kChild, i, 1, CommandKind::Select, kEventHasLimit);
    ASSERT_EQ(first_per_parent.first().size(), 1u);
    EXPECT_EQ(first_per_parent.first()[0].kind, LoopKind::NPlusOne);
}

TEST(LoopDetector, SingleRowLookupsWithOffsetZeroAreNotPages) {
    Session s;  // Peewee Model.get(): ... LIMIT 1 OFFSET 0 per parent row
    s.stmt(kParent, 1, 10);
    for (int i = 0; i < 10; i++)
        s.stmt(kChild, i, 1, CommandKind::Select, kEventHasLimit | kEventHasOffset);
    ASSERT_EQ(s.first().size(), 1u);
    EXPECT_EQ(s.first()[0].kind, LoopKind::NPlusOne);
    EXPECT_EQ(s.executions_of(kChild), 10u);
}

TEST(LoopDetector, PipelinedWritesInOneImplicitTransactionAreOneRoundTrip) {
    Session s;  // asyncpg executemany: 12 INSERTs, one Sync, one implicit transaction
    for (int i = 0; i < 12; i++) {
        StatementEvent ev{};
        s.now += 10;
        ev.queryid = kChild;
        ev.param_fp = static_cast<uint64_t>(i);
        ev.rows = 1;
        ev.start_us = s.now;
        ev.end_us = s.now + 5;
        ev.command = static_cast<uint8_t>(CommandKind::Insert);
        ev.relid = 42;
        LoopVerdict out[LoopDetector::kMaxVerdicts];
        s.verdicts.resize(s.verdicts.size() + s.detector.observe(s.tracker.record(ev), out));
    }
    s.end_transaction();
    EXPECT_TRUE(s.verdicts.empty());

    Session explicit_tx;  // the same rows sent one by one inside BEGIN ... COMMIT
    explicit_tx.begin();
    for (int i = 0; i < 12; i++)
        explicit_tx.stmt(kChild, i, 1, CommandKind::Insert);
    explicit_tx.commit();
    ASSERT_EQ(explicit_tx.first().size(), 1u);
    EXPECT_EQ(explicit_tx.first()[0].kind, LoopKind::WriteLoop);
}

TEST(LoopDetector, BatchedLoadsAreNotLoops) {
    Session any;  // = ANY($1) chunks of 500 (SQLAlchemy selectinload)
    any.stmt(kParent, 1, 2000);
    for (int chunk = 0; chunk < 6; chunk++)
        any.stmt(kChild, chunk, 1500, CommandKind::Select, 0, 42, 500);
    EXPECT_TRUE(any.verdicts.empty());

    Session in_list;  // IN ($1, ..., $500) literal lists: known from the plan
    in_list.facts.in_list_values = 500;
    in_list.stmt(kParent, 1, 2000);
    for (int chunk = 0; chunk < 6; chunk++)
        in_list.stmt(kChild, chunk, 1500);
    EXPECT_TRUE(in_list.verdicts.empty());
}

TEST(LoopDetector, PlumbingIsNeverALoop) {
    Session s;
    s.stmt(kParent, 1, 10);
    for (int i = 0; i < 10; i++)
        s.stmt(kChild, i, 1, CommandKind::Select, kEventSkipLocked);
    for (int i = 0; i < 10; i++)
        s.stmt(kOther, i, 1, CommandKind::Select, kEventCatalogOnly);
    for (int i = 0; i < 10; i++)
        s.stmt(kGrand, i, 1, CommandKind::Select, 0, /*relid=*/0);
    for (int i = 0; i < 10; i++)  // foreign-key checks and function bodies run nested
        s.stmt(kGrand + 1, i, 1, CommandKind::Select, 0, 42, 0, 200, /*nesting=*/1);
    EXPECT_TRUE(s.verdicts.empty());
}

TEST(LoopDetector, PollingSeparatedByIdleGapsIsNotALoop) {
    Session s;
    for (int i = 0; i < 20; i++)
        s.stmt(kChild, i % 3, 1, CommandKind::Select, 0, 42, 0, 2'000'000);
    EXPECT_TRUE(s.verdicts.empty());
}

TEST(LoopDetector, UnrelatedRequestsOnAPooledConnectionAreNotALoop) {
    // Requests tagged with their request id, interleaved on one server connection
    // (pgbouncer transaction pooling): each runs the lookup 3 times.
    Session tagged;
    for (int i = 0; i < 3; i++) {
        for (uint64_t req : {11u, 12u}) {
            tagged.request = req;
            if (i == 0) tagged.stmt(kParent, req, 3);
            tagged.stmt(kChild, req * 100 + i, 1);
        }
    }
    EXPECT_TRUE(tagged.verdicts.empty());

    // Untagged: the repeats are scattered among one-off statements of other requests.
    Session untagged;
    untagged.stmt(kParent, 1, 30);
    for (int i = 0; i < 12; i++) {
        untagged.stmt(kChild, i, 1);
        untagged.stmt(5000 + 2 * i, i, 1);
        untagged.stmt(5001 + 2 * i, i, 2);
    }
    EXPECT_TRUE(untagged.verdicts.empty());
}

TEST(LoopDetector, TraceBeatsBurstAndRequestTagsSplitRequests) {
    Session traced;  // one trace across idle gaps is one unit of work
    traced.trace = {0x4bf92f3577b34da6ULL, 0xa3ce929d0e0e4736ULL};
    traced.stmt(kParent, 1, 10);
    for (int i = 0; i < 6; i++)
        traced.stmt(kChild, i, 1, CommandKind::Select, 0, 42, 0, 900'000);
    ASSERT_EQ(traced.first().size(), 1u);
    EXPECT_EQ(traced.first()[0].scope_kind, ScopeKind::Trace);
    EXPECT_EQ(traced.first()[0].trace, traced.trace);

    Session requests;  // two requests to the same page: two occurrences
    requests.request = 77;
    requests.n_plus_one_page(6);
    requests.stmt(kOther, 1, 1, CommandKind::Select, 0, 42, 0, 2'000'000);  // idle gap
    requests.n_plus_one_page(6, 100);
    auto f = requests.first();
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].scope_kind, ScopeKind::Request);
    EXPECT_NE(f[0].scope_key, f[1].scope_key);
    EXPECT_EQ(requests.executions_of(kChild), 12u);
}

TEST(LoopDetector, AutocommitAndTransactionLoopsAreBothFound) {
    Session autocommit;
    autocommit.n_plus_one_page(8);
    ASSERT_EQ(autocommit.first().size(), 1u);
    EXPECT_EQ(autocommit.first()[0].scope_kind, ScopeKind::Burst);

    Session in_tx;  // SQLAlchemy: the whole unit of work inside BEGIN ... COMMIT
    in_tx.begin();
    in_tx.n_plus_one_page(8);
    in_tx.commit();
    ASSERT_EQ(in_tx.first().size(), 1u);
    EXPECT_EQ(in_tx.first()[0].scope_kind, ScopeKind::Transaction);
    EXPECT_EQ(in_tx.executions_of(kChild), 8u);
}

TEST(LoopDetector, WriteLoopsAutocommitAndPerRowTransactions) {
    Session autocommit;  // Django .save() in a loop
    for (int i = 0; i < 12; i++)
        autocommit.stmt(kChild, i, 1, CommandKind::Insert);
    ASSERT_EQ(autocommit.first().size(), 1u);
    EXPECT_EQ(autocommit.first()[0].kind, LoopKind::WriteLoop);
    EXPECT_EQ(autocommit.executions_of(kChild), 12u);

    Session rails;  // ActiveRecord wraps each save in BEGIN/COMMIT
    for (int i = 0; i < 7; i++) {
        rails.begin();
        rails.stmt(kChild, i, 1, CommandKind::Update);
        rails.commit();
    }
    ASSERT_EQ(rails.first().size(), 1u);
    EXPECT_EQ(rails.first()[0].kind, LoopKind::WriteLoop);
    EXPECT_EQ(rails.first()[0].scope_kind, ScopeKind::Burst);
    EXPECT_EQ(rails.executions_of(kChild), 7u);
}

TEST(LoopDetector, SetBasedAndPerJobWritesAreNotLoops) {
    Session multi;  // already batched
    for (int i = 0; i < 10; i++)
        multi.stmt(kChild, i, 100, CommandKind::Insert, kEventMultiRow);
    for (int i = 0; i < 10; i++)
        multi.stmt(kOther, i, 50, CommandKind::Update);
    EXPECT_TRUE(multi.verdicts.empty());

    Session jobs;  // a worker: each job is its own transaction with several statements
    for (int j = 0; j < 10; j++) {
        jobs.begin();
        jobs.stmt(kParent, j, 1);
        jobs.stmt(kChild, j, 1, CommandKind::Update);
        jobs.commit();
    }
    EXPECT_TRUE(jobs.verdicts.empty());
}

TEST(LoopDetector, LookupsAfterASingleRowStatementUseThePrecedingParent) {
    Session s;  // the application loops over a list it holds: parent = nearest statement
    s.stmt(kParent, 1, 1);
    for (int i = 0; i < 5; i++)
        s.stmt(kChild, i, 1);
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].parent_choice, ParentChoice::Preceding);
    EXPECT_EQ(f[0].parent_queryid, kParent);

    Session orphan;  // nothing before the loop: no parent, no N+1
    for (int i = 0; i < 6; i++)
        orphan.stmt(kChild, i, 1);
    EXPECT_TRUE(orphan.verdicts.empty());
}

TEST(LoopDetector, DistinctParameterSetsBeyondTheExactSetAreEstimated) {
    Session s;
    s.stmt(kParent, 1, 200);
    for (int i = 0; i < 100; i++)
        s.stmt(kChild, 0x1000 + i, 1);
    uint32_t d = s.verdicts.back().distinct_params;
    EXPECT_GE(d, 85u);
    EXPECT_LE(d, 100u);  // estimated beyond 32, never above the executions
}

TEST(LoopDetector, ManyConcurrentScopesStayBounded) {
    Session s;
    for (uint64_t req = 1; req <= 40; req++) {
        s.request = req;
        s.n_plus_one_page(5, req * 100);
    }
    EXPECT_EQ(s.first().size(), 40u);  // every request's loop found while scopes were recycled
    // every slot in use, none beyond: the oldest scopes gave way to the newest
    EXPECT_EQ(s.detector.active_scopes(), LoopDetector::kMaxScopes);
    EXPECT_EQ(LoopDetector::kMaxScopes, 8u);
}

TEST(LoopDetector, OneStatementRepeatedWithoutAParentIsNoLoop) {
    // A benchmark or batch job: one lookup over and over with varying keys, nothing before it.
    Session s;
    for (uint64_t i = 0; i < 500; i++)
        s.stmt(kChild, i + 1, 1);
    EXPECT_TRUE(s.verdicts.empty());
    // The same lookups after a parent in a new burst are an N+1 again.
    s.now += 10'000'000;
    s.n_plus_one_page(6, 1000);
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, LoopKind::NPlusOne);
    EXPECT_EQ(f[0].parent_queryid, kParent);
    EXPECT_EQ(f[0].repeats, 5u);
}

TEST(LoopDetector, NoiseCountsOneOffStatementsOfTheLoopWindow) {
    // After the parent, every child is followed by a different one-off statement: half the
    // window is one-off, which is not more than the 0.5 allowed -> reported at the 5th child.
    Session s;
    s.stmt(kParent, 7, 10);
    for (uint64_t i = 0; i < 5; i++) {
        s.stmt(kChild, i + 1, 1);
        s.stmt(kOther + i, 1, 1);
    }
    ASSERT_EQ(s.first().size(), 1u);
    EXPECT_EQ(s.first()[0].repeats, 5u);
    // Two different one-off statements per child: 2/3 of the window is noise -> never.
    Session t;
    t.stmt(kParent, 7, 10);
    for (uint64_t i = 0; i < 12; i++) {
        t.stmt(kChild, i + 1, 1);
        t.stmt(kOther + 2 * i, 1, 1);
        t.stmt(kOther + 2 * i + 1, 1, 1);
    }
    EXPECT_TRUE(t.verdicts.empty());
}

// Statements read from a server log carry no row count (kEventRowsUnknown).
TEST(LoopDetector, RowsUnknownParentIsTheNearestSelectOfAnotherShape) {
    Session s;
    s.stmt(kOther, 1, 0, CommandKind::Insert, kEventRowsUnknown, 43);
    s.stmt(kParent, 7, 0, CommandKind::Select, kEventRowsUnknown);
    s.stmt(kOther + 1, 1, 1, CommandKind::Select);  // one row known (LIMIT 1): not a list
    for (uint64_t i = 1; i <= 5; i++)
        s.stmt(kChild, i, 0, CommandKind::Select, kEventRowsUnknown | kEventHasLimit);
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, LoopKind::NPlusOne);
    EXPECT_EQ(f[0].parent_queryid, kParent);
    EXPECT_EQ(f[0].parent_choice, ParentChoice::MultiRow);
    EXPECT_EQ(f[0].parent_rows, 0u);
    EXPECT_EQ(f[0].repeats, 5u);
}

TEST(LoopDetector, RowsUnknownOffsetPagesAreNotLoopsLimitLookupsAre) {
    Session pages;
    pages.stmt(kParent, 7, 0, CommandKind::Select, kEventRowsUnknown);
    for (uint64_t page = 1; page <= 8; page++)
        pages.stmt(kChild, page, 0, CommandKind::Select,
                   kEventRowsUnknown | kEventHasLimit | kEventHasOffset);
    EXPECT_TRUE(pages.verdicts.empty());
    Session keyset;
    keyset.facts.keyset = true;
    keyset.stmt(kParent, 7, 0, CommandKind::Select, kEventRowsUnknown);
    for (uint64_t page = 1; page <= 8; page++)
        keyset.stmt(kChild, page, 0, CommandKind::Select, kEventRowsUnknown | kEventHasLimit);
    EXPECT_TRUE(keyset.verdicts.empty());
}

TEST(LoopDetector, RowsUnknownWritesAreSingleRowUnlessMultiRow) {
    Session s;
    s.begin();
    for (uint64_t i = 1; i <= 5; i++)
        s.stmt(kChild, i, 0, CommandKind::Insert, kEventRowsUnknown);
    s.commit();
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].kind, LoopKind::WriteLoop);
    EXPECT_EQ(f[0].repeats, 5u);
    Session multi;
    multi.begin();
    for (uint64_t i = 1; i <= 5; i++)
        multi.stmt(kChild, i, 0, CommandKind::Insert, kEventRowsUnknown | kEventMultiRow);
    multi.commit();
    EXPECT_TRUE(multi.verdicts.empty());
}

TEST(LoopDetector, AScopeWithMoreShapesThanItTracksRecyclesTheLeastRecent) {
    // A transaction runs more distinct statements than a scope tracks, then a page of
    // children: the recycled shape slots start from zero, so the loop and its counts are exact.
    Session s;
    s.begin();
    for (uint64_t q = 0; q < LoopDetector::kMaxShapes + 6; q++)
        s.stmt(10000 + q, q, 1, CommandKind::Select, 0, 43);
    s.n_plus_one_page(20);
    s.commit();
    auto f = s.first();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].scope_kind, ScopeKind::Transaction);
    EXPECT_EQ(f[0].parent_queryid, kParent);
    EXPECT_EQ(f[0].parent_rows, 20u);
    EXPECT_EQ(f[0].repeats, 5u);
    EXPECT_EQ(f[0].distinct_params, 5u);
    EXPECT_EQ(s.executions_of(kChild), 20u);
    EXPECT_EQ(s.verdicts.back().distinct_params, 20u);
}

namespace pg_advisor {

// Reaches the detector's parent choice: the parent taken from the scope's markers must be the
// one a walk back through the recent window finds.
struct LoopDetectorPeer {
    static void check_random_windows() {
        auto detector = std::make_unique<LoopDetector>();
        auto scope = std::make_unique<LoopDetector::Scope>();
        LoopDetector::Scope &s = *scope;
        std::mt19937 rng(11);
        size_t walks = 0, multi_row = 0, preceding = 0, none = 0;
        for (int round = 0; round < 3000; round++) {
            s.nrecent = 0;
            s.last_multi_row = s.last_eligible = LoopDetector::kNoRecent;
            // Up to twice the window, so that markers fall out of it.
            int len = static_cast<int>(rng() % (2 * LoopDetector::kRecent + 2));
            for (int i = 0; i <= len; i++) {
                LoopDetector::Recent &r = s.recent[s.nrecent % LoopDetector::kRecent];
                s.nrecent++;
                r.queryid = 1 + rng() % 5;
                r.rows = rng() % 8 == 0 ? 3 : rng() % 2;
                r.relid = static_cast<uint32_t>(rng() % 3);
                r.command = static_cast<uint8_t>(rng() % 3 == 0 ? CommandKind::Update
                                                                : CommandKind::Select);
                r.eligible_parent = rng() % 4 != 0;
                r.rows_unknown = rng() % 20 == 0;
                if (i < len) {
                    LoopDetector::note_parent_candidate(s, r);
                    continue;
                }
                // The last entry is the child, seen for the first time in the scope.
                LoopDetector::ShapeStat from_markers{}, walked{};
                detector->choose_parent(s, from_markers, r.queryid, s.last_multi_row,
                                        s.last_eligible);
                detector->walk_for_parent(s, walked, r.queryid);
                ASSERT_EQ(from_markers.parent_choice, walked.parent_choice) << round;
                if (walked.parent_choice != ParentChoice::None) {
                    ASSERT_EQ(from_markers.parent_queryid, walked.parent_queryid) << round;
                    ASSERT_EQ(from_markers.parent_rows, walked.parent_rows) << round;
                    ASSERT_EQ(from_markers.parent_relid, walked.parent_relid) << round;
                }
                walks += 1;
                multi_row += walked.parent_choice == ParentChoice::MultiRow;
                preceding += walked.parent_choice == ParentChoice::Preceding;
                none += walked.parent_choice == ParentChoice::None;
            }
        }
        // Every kind of answer was compared.
        EXPECT_EQ(walks, 3000u);
        EXPECT_GT(multi_row, 300u);
        EXPECT_GT(preceding, 300u);
        EXPECT_GT(none, 30u) << multi_row << " " << preceding;
    }
};

}  // namespace pg_advisor

TEST(LoopDetector, ParentFromTheScopesMarkersIsTheParentAWalkFinds) {
    LoopDetectorPeer::check_random_windows();
}
