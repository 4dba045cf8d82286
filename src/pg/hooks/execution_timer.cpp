// Executor timers (see execution_timer.h).
#include <exception>

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "utils/timestamp.h"
}

#include "pg/hooks/execution_timer.h"

PgaTimer pga_timers[kPgaTimers];
int pga_ntimers = 0;

namespace {

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

bool pga_timer_stop(const QueryDesc *queryDesc, uint64 *elapsed_ns, TimestampTz *end) {
    int i = pga_timer_find(queryDesc);
    if (i < 0) return false;
    PgaTimer t = pga_timers[i];
    pga_timers[i] = pga_timers[--pga_ntimers];
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
    pga_ntimers = 0;
}

void pga_timer_subxact_aborted(int xact_level) {
    for (int i = pga_ntimers - 1; i >= 0; i--)
        if (pga_timers[i].xact_level >= xact_level) pga_timers[i] = pga_timers[--pga_ntimers];
}
