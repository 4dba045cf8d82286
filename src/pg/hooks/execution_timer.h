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
#include "executor/execdesc.h"
}

#include "pg/compat.h"

// Starts timing queryDesc (ExecutorStart); false when no timer is free.
bool pga_timer_start(const QueryDesc *queryDesc);

// The timer of queryDesc, or -1; and adding the time since `since` to a timer (-1: none).
int pga_timer_find(const QueryDesc *queryDesc);
void pga_timer_add(int timer, const instr_time &since);

// Stops the timer of queryDesc (ExecutorEnd): executor nanoseconds and the wall-clock time of
// its last return from the executor. False when queryDesc had no timer.
bool pga_timer_stop(const QueryDesc *queryDesc, uint64 *elapsed_ns, TimestampTz *end);

// Drops every timer (transaction end).
void pga_timer_reset(void);

// Drops the timers started in a subtransaction that aborts, or deeper (its nesting level).
void pga_timer_subxact_aborted(int xact_level);
