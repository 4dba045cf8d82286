// Per-backend record of the recent statements of one session with their scope keys: the
// input of the N+1 / write-loop / duplicate detectors. Lives in backend-local memory; a fixed
// ring, so it costs the same at the millionth statement as at the first.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/sql/query_tags.h"

namespace pg_advisor {

enum class Boundary : uint8_t {
    None = 0,
    Begin = 1,
    Commit = 2,
    Rollback = 3,
    Savepoint = 4,
    Release = 5,
    RollbackTo = 6,
    Prepare = 7,  // PREPARE TRANSACTION
};
const char *boundary_name(Boundary b);

enum EventFlags : uint16_t {
    kEventExplicitXact = 1 << 0,  // ran inside BEGIN ... COMMIT
    kEventSampled = 1 << 1,       // node instrumentation was on
    kEventForUpdate = 1 << 2,
    kEventSkipLocked = 1 << 3,
    kEventHasLimit = 1 << 4,
    kEventHasOffset = 1 << 5,
    kEventCatalogOnly = 1 << 6,
    kEventCursor = 1 << 7,         // executed through a cursor (FETCH)
    kEventMultiRow = 1 << 8,       // multi-row VALUES / INSERT ... SELECT
    kEventParamsUnknown = 1 << 9,  // parameter values could not be fingerprinted
    kEventRowsUnknown = 1 << 10,   // row count not known (statements read from a server log)
};

struct StatementEvent {
    uint64_t seq;       // position in this session (1, 2, ...)
    uint64_t queryid;   // 0 for a transaction boundary
    uint64_t param_fp;  // fingerprint of bound parameters and constants (0: none)
    uint64_t rows;
    uint64_t elapsed_ns;
    int64_t start_us;  // PostgreSQL timestamps (microseconds)
    int64_t end_us;
    TraceId trace;         // trace-id of a traceparent tag, if any
    uint64_t request_key;  // request-level tags (request_id, controller+action, job, route)
    uint64_t tags_fp;      // all tags
    uint64_t xact_seq;     // transaction number in this session
    uint64_t burst_seq;    // idle-gap burst number in this session
    uint32_t relid;        // main relation (result relation, else first scanned)
    uint32_t nvalues;      // largest IN-list / ANY array length among the quals (batched loads)
    uint16_t nesting;      // executor nesting level (0 = top level)
    uint16_t flags;        // EventFlags
    uint8_t command;       // CommandKind
    uint8_t boundary;      // Boundary (for transaction-control events)
    uint8_t pad[6];
};

class SessionTracker {
  public:
    static constexpr size_t kCapacity = 256;

    // Statements separated by more than this much idleness belong to different bursts.
    void set_idle_gap_us(int64_t gap) { idle_gap_us_ = gap; }

    // Assigns seq, xact_seq and burst_seq, appends, and returns the stored event.
    const StatementEvent &record(const StatementEvent &ev);
    // The same, stamping the caller's event (sequence, transaction and burst numbers) so that
    // it can read its own copy, still in cache, rather than the ring's slot.
    void record_stamped(StatementEvent &ev);
    // The same without a copy: the caller fills the slot the next statement goes to (zeroed
    // here), then records it there.
    StatementEvent &next_slot() {
        StatementEvent &slot = ring_[(next_seq_ - 1) % kCapacity];
        slot = StatementEvent{};
        return slot;
    }
    void record_in_place(StatementEvent &slot);
    // A transaction-control statement (BEGIN/COMMIT/SAVEPOINT...).
    const StatementEvent &record_boundary(Boundary b, int64_t now_us, bool explicit_xact);
    // Any transaction (explicit or implicit) committed or aborted.
    void transaction_ended() { xact_seq_++; }

    uint64_t xact_seq() const { return xact_seq_; }
    uint64_t burst_seq() const { return burst_seq_; }
    uint64_t total() const { return next_seq_ - 1; }
    size_t size() const { return next_seq_ - 1 < kCapacity ? next_seq_ - 1 : kCapacity; }
    // i = 0 is the oldest retained event.
    const StatementEvent &at(size_t i) const;
    const StatementEvent *last() const { return size() ? &at(size() - 1) : nullptr; }
    void clear();

  private:
    void advance_burst(int64_t start_us, uint16_t nesting);
    StatementEvent ring_[kCapacity];
    uint64_t next_seq_ = 1;
    uint64_t xact_seq_ = 1;
    uint64_t burst_seq_ = 0;
    int64_t last_end_us_ = 0;
    bool any_ = false;
    int64_t idle_gap_us_ = 500000;
};

}  // namespace pg_advisor
