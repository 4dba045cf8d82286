// Executor timers (see execution_timer.h).
#include <exception>

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "utils/timestamp.h"
}

#include "pg/hooks/execution_timer.h"

namespace {

struct Timer {
    const QueryDesc *query;
    int64 elapsed_ns;
    int64 last_end_ns;  // monotonic
    int xact_level;     // (sub)transaction nesting level at the start
};

constexpr int kTimers = 16;
Timer timers[kTimers];
int ntimers = 0;

// Wall clock = monotonic + offset, the offset read again every kCalibrateEvery stops.
constexpr int kCalibrateEvery = 256;
int64 wall_offset_us = 0;
int stops_until_calibration = 0;

int64 now_ns() {
    instr_time t;
    INSTR_TIME_SET_CURRENT(t);
    return PGA_INSTR_TIME_NS(t);
}

}  // namespace

bool pga_timer_start(const QueryDesc *queryDesc) {
    int i = pga_timer_find(queryDesc);  // a stale timer of a freed descriptor at this address
    if (i < 0) {
        if (ntimers == kTimers) return false;
        i = ntimers++;
    }
    timers[i] = {queryDesc, 0, 0, GetCurrentTransactionNestLevel()};
    return true;
}

int pga_timer_find(const QueryDesc *queryDesc) {
    for (int i = ntimers - 1; i >= 0; i--)
        if (timers[i].query == queryDesc) return i;
    return -1;
}

void pga_timer_add(int timer, const instr_time &since) {
    if (timer < 0) return;
    int64 end = now_ns();
    timers[timer].elapsed_ns += end - PGA_INSTR_TIME_NS(since);
    timers[timer].last_end_ns = end;
}

bool pga_timer_stop(const QueryDesc *queryDesc, uint64 *elapsed_ns, TimestampTz *end) {
    int i = pga_timer_find(queryDesc);
    if (i < 0) return false;
    Timer t = timers[i];
    timers[i] = timers[--ntimers];
    *elapsed_ns = (uint64)Max(t.elapsed_ns, 0);
    if (t.last_end_ns == 0) t.last_end_ns = now_ns();  // never ran (no ExecutorRun)
    if (--stops_until_calibration < 0) {
        int64 mono = now_ns();
        wall_offset_us = GetCurrentTimestamp() - mono / 1000;
        stops_until_calibration = kCalibrateEvery;
    }
    *end = wall_offset_us + t.last_end_ns / 1000;
    return true;
}

void pga_timer_reset(void) {
    ntimers = 0;
}

void pga_timer_subxact_aborted(int xact_level) {
    for (int i = ntimers - 1; i >= 0; i--)
        if (timers[i].xact_level >= xact_level) timers[i] = timers[--ntimers];
}
