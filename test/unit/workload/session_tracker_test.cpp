#include "core/workload/session_tracker.h"

#include "core/workload/scan_shape.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

using namespace pg_advisor;

namespace {

StatementEvent stmt(int64_t start_us, int64_t end_us, uint16_t nesting = 0, uint64_t queryid = 1) {
    StatementEvent ev{};
    ev.queryid = queryid;
    ev.start_us = start_us;
    ev.end_us = end_us;
    ev.nesting = nesting;
    return ev;
}

class SessionTrackerTest : public ::testing::Test {
  protected:
    std::unique_ptr<SessionTracker> t_ = std::make_unique<SessionTracker>();
};

}  // namespace

TEST_F(SessionTrackerTest, StartsEmpty) {
    EXPECT_EQ(t_->total(), 0u);
    EXPECT_EQ(t_->size(), 0u);
    EXPECT_EQ(t_->last(), nullptr);
    EXPECT_EQ(t_->xact_seq(), 1u);
    EXPECT_EQ(t_->burst_seq(), 0u);
}

TEST_F(SessionTrackerTest, RecordCopiesTheEventAndNumbersItFromOne) {
    StatementEvent ev = stmt(100, 200);
    ev.seq = 999;  // assigned by the tracker, whatever the caller put there
    ev.xact_seq = 999;
    ev.burst_seq = 999;
    ev.param_fp = 0xABC;
    ev.rows = 12;
    ev.elapsed_ns = 100000;
    ev.trace = TraceId{1, 2};
    ev.request_key = 33;
    ev.tags_fp = 44;
    ev.relid = 16384;
    ev.nvalues = 5;
    ev.flags = kEventSampled | kEventHasLimit;
    ev.command = 1;
    const StatementEvent &stored = t_->record(ev);
    EXPECT_EQ(stored.seq, 1u);
    EXPECT_EQ(stored.xact_seq, 1u);
    EXPECT_EQ(stored.burst_seq, 1u);
    EXPECT_EQ(stored.queryid, 1u);
    EXPECT_EQ(stored.param_fp, 0xABCu);
    EXPECT_EQ(stored.rows, 12u);
    EXPECT_EQ(stored.elapsed_ns, 100000u);
    EXPECT_EQ(stored.start_us, 100);
    EXPECT_EQ(stored.end_us, 200);
    EXPECT_EQ(stored.trace, (TraceId{1, 2}));
    EXPECT_EQ(stored.request_key, 33u);
    EXPECT_EQ(stored.tags_fp, 44u);
    EXPECT_EQ(stored.relid, 16384u);
    EXPECT_EQ(stored.nvalues, 5u);
    EXPECT_EQ(stored.flags, kEventSampled | kEventHasLimit);
    EXPECT_EQ(stored.command, 1u);
    EXPECT_EQ(t_->last(), &stored);

    EXPECT_EQ(t_->record(stmt(210, 220)).seq, 2u);
    EXPECT_EQ(t_->record(stmt(230, 240)).seq, 3u);
    EXPECT_EQ(t_->total(), 3u);
    EXPECT_EQ(t_->size(), 3u);
    for (size_t i = 0; i < 3; i++)
        EXPECT_EQ(t_->at(i).seq, i + 1);
    EXPECT_EQ(t_->last()->seq, 3u);
}

TEST_F(SessionTrackerTest, TransactionNumbersMoveOnlyWhenATransactionEnds) {
    EXPECT_EQ(t_->record(stmt(0, 1)).xact_seq, 1u);
    EXPECT_EQ(t_->record(stmt(2, 3)).xact_seq, 1u);
    EXPECT_EQ(t_->record_boundary(Boundary::Commit, 4, true).xact_seq, 1u);
    EXPECT_EQ(t_->xact_seq(), 1u);
    t_->transaction_ended();
    EXPECT_EQ(t_->xact_seq(), 2u);
    EXPECT_EQ(t_->record(stmt(5, 6)).xact_seq, 2u);
    t_->transaction_ended();
    t_->transaction_ended();
    EXPECT_EQ(t_->record(stmt(7, 8)).xact_seq, 4u);
    EXPECT_EQ(t_->at(1).xact_seq, 1u);  // stored events keep their number
}

TEST_F(SessionTrackerTest, BurstsSplitOnIdleGapsLongerThanTheLimit) {
    t_->set_idle_gap_us(1000);
    EXPECT_EQ(t_->record(stmt(0, 100)).burst_seq, 1u);      // the first opens a burst
    EXPECT_EQ(t_->record(stmt(1100, 1200)).burst_seq, 1u);  // gap == limit: same burst
    EXPECT_EQ(t_->record(stmt(2201, 2300)).burst_seq, 2u);  // gap 1001
    EXPECT_EQ(t_->record(stmt(2250, 2400)).burst_seq, 2u);  // overlapping
    EXPECT_EQ(t_->burst_seq(), 2u);
    EXPECT_EQ(t_->record(stmt(100000, 100001)).burst_seq, 3u);
}

TEST_F(SessionTrackerTest, DefaultIdleGapIsHalfASecond) {
    EXPECT_EQ(t_->record(stmt(1000000, 1000000)).burst_seq, 1u);
    EXPECT_EQ(t_->record(stmt(1500000, 1500010)).burst_seq, 1u);
    EXPECT_EQ(t_->record(stmt(2000011, 2000020)).burst_seq, 2u);
}

TEST_F(SessionTrackerTest, LastEndTimeNeverMovesBackwards) {
    t_->set_idle_gap_us(1000);
    t_->record(stmt(0, 5000));
    t_->record(stmt(100, 200));  // ends before the previous one
    // Measured from 5000, not 200.
    EXPECT_EQ(t_->record(stmt(5900, 6000)).burst_seq, 1u);
}

TEST_F(SessionTrackerTest, NestedStatementsNeitherOpenBurstsNorMoveTheEndTime) {
    t_->set_idle_gap_us(1000);
    EXPECT_EQ(t_->record(stmt(0, 1000)).burst_seq, 1u);
    // Long after the gap, but nested: belongs to the calling statement's burst.
    const StatementEvent &inner = t_->record(stmt(4000, 5000, 1));
    EXPECT_EQ(inner.burst_seq, 1u);
    EXPECT_EQ(inner.nesting, 1u);
    EXPECT_EQ(t_->burst_seq(), 1u);
    // 2500 - 1000 > 1000: a new burst. Had the nested end (5000) counted, it would not be.
    EXPECT_EQ(t_->record(stmt(2500, 2600)).burst_seq, 2u);
    EXPECT_EQ(t_->total(), 3u);
}

TEST_F(SessionTrackerTest, NestedStatementFirstDoesNotOpenABurst) {
    EXPECT_EQ(t_->record(stmt(0, 10, 2)).burst_seq, 0u);
    EXPECT_EQ(t_->burst_seq(), 0u);
    EXPECT_EQ(t_->record(stmt(20, 30)).burst_seq, 1u);
}

TEST_F(SessionTrackerTest, RecordBoundary) {
    t_->record(stmt(0, 10, 0, 77));
    const StatementEvent &b = t_->record_boundary(Boundary::Commit, 777, true);
    EXPECT_EQ(b.seq, 2u);
    EXPECT_EQ(b.command, 6u);
    EXPECT_EQ(b.command, static_cast<uint8_t>(CommandKind::Utility));
    EXPECT_EQ(b.boundary, static_cast<uint8_t>(Boundary::Commit));
    EXPECT_EQ(b.flags, kEventExplicitXact);
    EXPECT_EQ(b.start_us, 777);
    EXPECT_EQ(b.end_us, 777);
    EXPECT_EQ(b.queryid, 0u);
    EXPECT_EQ(b.rows, 0u);
    EXPECT_EQ(b.nesting, 0u);
    EXPECT_EQ(b.burst_seq, 1u);

    const StatementEvent &r = t_->record_boundary(Boundary::RollbackTo, 2000000, false);
    EXPECT_EQ(r.flags, 0u);
    EXPECT_EQ(r.boundary, 6u);
    EXPECT_EQ(r.burst_seq, 2u);  // boundaries take part in burst detection
    EXPECT_EQ(t_->last(), &r);
}

TEST(SessionTracker, BoundaryNames) {
    EXPECT_STREQ(boundary_name(Boundary::None), "");
    EXPECT_STREQ(boundary_name(Boundary::Begin), "BEGIN");
    EXPECT_STREQ(boundary_name(Boundary::Commit), "COMMIT");
    EXPECT_STREQ(boundary_name(Boundary::Rollback), "ROLLBACK");
    EXPECT_STREQ(boundary_name(Boundary::Savepoint), "SAVEPOINT");
    EXPECT_STREQ(boundary_name(Boundary::Release), "RELEASE");
    EXPECT_STREQ(boundary_name(Boundary::RollbackTo), "ROLLBACK TO");
    EXPECT_STREQ(boundary_name(Boundary::Prepare), "PREPARE TRANSACTION");
    EXPECT_STREQ(boundary_name(static_cast<Boundary>(50)), "");
}

TEST_F(SessionTrackerTest, RingHoldsExactlyCapacityEvents) {
    const size_t cap = SessionTracker::kCapacity;
    for (size_t i = 1; i <= cap; i++)
        t_->record(stmt(int64_t(i), int64_t(i), 0, 1000 + i));
    EXPECT_EQ(t_->size(), cap);
    EXPECT_EQ(t_->total(), cap);
    EXPECT_EQ(t_->at(0).seq, 1u);
    EXPECT_EQ(t_->at(0).queryid, 1001u);
    EXPECT_EQ(t_->at(cap - 1).seq, cap);
    EXPECT_EQ(t_->last()->queryid, 1000 + cap);
}

TEST_F(SessionTrackerTest, RingWrapsAroundKeepingTheNewest) {
    const size_t cap = SessionTracker::kCapacity;
    const size_t n = cap + 44;
    for (size_t i = 1; i <= n; i++) {
        const StatementEvent &ev = t_->record(stmt(int64_t(i), int64_t(i), 0, 1000 + i));
        ASSERT_EQ(ev.seq, i);
    }
    EXPECT_EQ(t_->total(), n);
    EXPECT_EQ(t_->size(), cap);
    EXPECT_EQ(t_->at(0).seq, 45u);  // the oldest retained
    for (size_t i = 0; i < cap; i++) {
        EXPECT_EQ(t_->at(i).seq, 45 + i) << i;
        EXPECT_EQ(t_->at(i).queryid, 1045 + i) << i;
    }
    EXPECT_EQ(t_->last()->seq, n);
    EXPECT_EQ(t_->last(), &t_->at(cap - 1));

    // Several more laps.
    for (size_t i = n + 1; i <= 5 * cap + 3; i++)
        t_->record(stmt(int64_t(i), int64_t(i)));
    EXPECT_EQ(t_->size(), cap);
    EXPECT_EQ(t_->total(), 5 * cap + 3);
    EXPECT_EQ(t_->at(0).seq, 4 * cap + 4);
    EXPECT_EQ(t_->last()->seq, 5 * cap + 3);
}

TEST_F(SessionTrackerTest, Clear) {
    t_->set_idle_gap_us(1000);
    for (int i = 0; i < 300; i++)
        t_->record(stmt(i, i));
    t_->transaction_ended();
    ASSERT_EQ(t_->burst_seq(), 1u);
    t_->clear();
    EXPECT_EQ(t_->total(), 0u);
    EXPECT_EQ(t_->size(), 0u);
    EXPECT_EQ(t_->last(), nullptr);

    // Numbering restarts; the next statement opens a new burst even within the idle gap.
    // clear() forgets events only: the transaction and burst counters keep increasing, so
    // numbers from before and after a clear never collide.
    const StatementEvent &ev = t_->record(stmt(300, 301));
    EXPECT_EQ(ev.seq, 1u);
    EXPECT_EQ(ev.burst_seq, 2u);
    EXPECT_EQ(ev.xact_seq, 2u);
    EXPECT_EQ(t_->size(), 1u);
    EXPECT_EQ(t_->at(0).seq, 1u);
    EXPECT_EQ(t_->last(), &ev);
}

TEST_F(SessionTrackerTest, RecordingInPlaceIsRecordingACopy) {
    // The executor fills the ring's next slot and records it there; a copy of the same events
    // recorded the usual way gives the same ring, across the ring's wrap-around.
    auto copy = std::make_unique<SessionTracker>();
    for (int i = 0; i < 600; i++) {
        int64_t start = 1000 + i * (i % 7 == 0 ? 900'000 : 100);
        StatementEvent ev = stmt(start, start + 50, static_cast<uint16_t>(i % 3 == 0), 40 + i % 5);
        StatementEvent &slot = t_->next_slot();
        EXPECT_EQ(slot.queryid, 0u);  // zeroed
        slot = ev;
        t_->record_in_place(slot);
        const StatementEvent &kept = copy->record(ev);
        if (i % 50 == 0) {
            t_->transaction_ended();
            copy->transaction_ended();
        }
        EXPECT_EQ(slot.seq, kept.seq);
        EXPECT_EQ(slot.burst_seq, kept.burst_seq);
        EXPECT_EQ(slot.xact_seq, kept.xact_seq);
    }
    ASSERT_EQ(t_->size(), copy->size());
    for (size_t i = 0; i < t_->size(); i++)
        EXPECT_EQ(0, std::memcmp(&t_->at(i), &copy->at(i), sizeof(StatementEvent))) << i;
}
