// Executor time of each recorded execution, measured by pg_advisor's ExecutorRun and
// ExecutorFinish wrappers, without the per-statement query-level Instrumentation (allocated,
// zeroed, started and stopped for every statement) when no other executor hook needs it.
// Also gives the wall-clock end of an execution from the same clock reading (a backend-local
// offset between the monotonic clock and the wall clock, re-read every 256 executions).
//
// Up to 16 executions can be timed at once in a backend (open cursors, nested statements); a
// 17th is timed with the Instrumentation instead. Timers of executions that never reach
// ExecutorEnd (an error) are dropped when their (sub)transaction aborts, so that a later query
// descriptor at the same address never finds one. Include after postgres.h.
#pragma once

extern "C" {
#include "access/xact.h"
#include "executor/execdesc.h"
#include "portability/instr_time.h"
}

#include "pg/compat.h"

// The timers (execution_timer.cpp), read by the inline functions below: every execution
// calls them.
struct PgaTimer {
    const QueryDesc *query;
    int64 elapsed_ns;
    int64 last_end_ns;  // monotonic
    int xact_level;     // (sub)transaction nesting level at the start
    int nesting;        // executor nesting level of the execution (pga_nesting_level's sense)
};
constexpr int kPgaTimers = 16;
extern PgaTimer pga_timers[kPgaTimers];
extern int pga_ntimers;

// The timer of queryDesc, or -1 (the newest first: the execution that runs).
static inline int pga_timer_find(const QueryDesc *queryDesc) {
    for (int i = pga_ntimers - 1; i >= 0; i--)
        if (pga_timers[i].query == queryDesc) return i;
    return -1;
}

// Starts timing queryDesc (ExecutorStart) at this nesting level; false when no timer is free.
static inline bool pga_timer_start(const QueryDesc *queryDesc, int nesting) {
    int i = pga_timer_find(queryDesc);  // a stale timer of a freed descriptor at this address
    if (i < 0) {
        if (pga_ntimers == kPgaTimers) return false;
        i = pga_ntimers++;
    }
    pga_timers[i] = {queryDesc, 0, 0, GetCurrentTransactionNestLevel(), nesting};
    return true;
}

// Adds the time since `since` to a timer (-1: none).
static inline void pga_timer_add(int timer, const instr_time &since) {
    if (timer < 0) return;
    instr_time now;
    INSTR_TIME_SET_CURRENT(now);
    int64 end = PGA_INSTR_TIME_NS(now);
    pga_timers[timer].elapsed_ns += end - PGA_INSTR_TIME_NS(since);
    pga_timers[timer].last_end_ns = end;
}

// Wall clock = monotonic + this offset (microseconds), read again every 256 stops.
extern int64 pga_wall_offset_us;
extern int pga_stops_until_calibration;
void pga_timer_calibrate(void);

// Stops the timer of queryDesc (ExecutorEnd): executor nanoseconds and the wall-clock time of
// its last return from the executor, and its nesting level. False when queryDesc had no timer.
static inline bool pga_timer_stop(const QueryDesc *queryDesc, uint64 *elapsed_ns, TimestampTz *end,
                                  int *nesting) {
    int i = pga_timer_find(queryDesc);
    if (i < 0) return false;
    *nesting = pga_timers[i].nesting;
    int64 elapsed = pga_timers[i].elapsed_ns;
    int64 last_end = pga_timers[i].last_end_ns;
    pga_timers[i] = pga_timers[--pga_ntimers];
    *elapsed_ns = elapsed > 0 ? (uint64)elapsed : 0;
    if (last_end == 0) {  // never ran (no ExecutorRun)
        instr_time now;
        INSTR_TIME_SET_CURRENT(now);
        last_end = PGA_INSTR_TIME_NS(now);
    }
    if (unlikely(--pga_stops_until_calibration < 0)) pga_timer_calibrate();
    *end = pga_wall_offset_us + last_end / 1000;
    return true;
}

// Drops every timer (transaction end).
static inline void pga_timer_reset(void) {
    pga_ntimers = 0;
}

// Drops the timers started in a subtransaction that aborts, or deeper (its nesting level).
void pga_timer_subxact_aborted(int xact_level);
