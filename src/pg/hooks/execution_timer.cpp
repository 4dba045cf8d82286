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

// Wall clock = monotonic + offset, the offset read again every kCalibrateEvery stops.
constexpr int kCalibrateEvery = 256;
int64 pga_wall_offset_us = 0;
int pga_stops_until_calibration = 0;

void pga_timer_calibrate(void) {
    instr_time t;
    INSTR_TIME_SET_CURRENT(t);
    pga_wall_offset_us = GetCurrentTimestamp() - PGA_INSTR_TIME_NS(t) / 1000;
    pga_stops_until_calibration = kCalibrateEvery;
}

void pga_timer_subxact_aborted(int xact_level) {
    for (int i = pga_ntimers - 1; i >= 0; i--)
        if (pga_timers[i].xact_level >= xact_level) pga_timers[i] = pga_timers[--pga_ntimers];
}
