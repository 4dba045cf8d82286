#include "core/workload/session_tracker.h"

#include <cstring>

#include "core/common/no_postgres.h"

namespace pg_advisor {

const char *boundary_name(Boundary b) {
    switch (b) {
        case Boundary::None:
            return "";
        case Boundary::Begin:
            return "BEGIN";
        case Boundary::Commit:
            return "COMMIT";
        case Boundary::Rollback:
            return "ROLLBACK";
        case Boundary::Savepoint:
            return "SAVEPOINT";
        case Boundary::Release:
            return "RELEASE";
        case Boundary::RollbackTo:
            return "ROLLBACK TO";
        case Boundary::Prepare:
            return "PREPARE TRANSACTION";
    }
    return "";
}

void SessionTracker::advance_burst(int64_t start_us, uint16_t nesting) {
    // Only top-level statements open bursts: a function's inner statements belong to the
    // burst of the statement that called it.
    if (nesting != 0) return;
    if (!any_ || start_us - last_end_us_ > idle_gap_us_) burst_seq_++;
    any_ = true;
}

void SessionTracker::record_in_place(StatementEvent &ev) {
    advance_burst(ev.start_us, ev.nesting);
    ev.seq = next_seq_++;
    ev.xact_seq = xact_seq_;
    ev.burst_seq = burst_seq_;
    if (ev.nesting == 0 && ev.end_us > last_end_us_) last_end_us_ = ev.end_us;
    // The slot the next statement writes has not been touched for 255 statements: fetch it
    // now, while this one's work goes on.
    __builtin_prefetch(&ring_[ev.seq % kCapacity], 1);
}

void SessionTracker::record_stamped(StatementEvent &ev) {
    StatementEvent &slot = ring_[(next_seq_ - 1) % kCapacity];
    record_in_place(ev);
    slot = ev;
}

const StatementEvent &SessionTracker::record(const StatementEvent &ev) {
    StatementEvent stamped = ev;
    record_stamped(stamped);
    return ring_[(stamped.seq - 1) % kCapacity];
}

const StatementEvent &SessionTracker::record_boundary(Boundary b, int64_t now_us,
                                                      bool explicit_xact) {
    StatementEvent &ev = next_slot();
    ev.start_us = ev.end_us = now_us;
    ev.command = 6;  // CommandKind::Utility
    ev.boundary = static_cast<uint8_t>(b);
    if (explicit_xact) ev.flags |= kEventExplicitXact;
    record_in_place(ev);
    return ev;
}

const StatementEvent &SessionTracker::at(size_t i) const {
    uint64_t first = next_seq_ - size();
    return ring_[(first + i - 1) % kCapacity];
}

void SessionTracker::clear() {
    next_seq_ = 1;
    any_ = false;
    last_end_us_ = 0;
}

}  // namespace pg_advisor
