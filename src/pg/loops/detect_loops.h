// Loop detection glue (see detect_loops.cpp). Include after postgres.h.
#pragma once

#include "core/workload/session_tracker.h"

// SQLSTATE of the N+1 guard (pg_advisor.n_plus_one_action = error): class N1 is
// implementation-defined; "N1001" reads as "N+1".
#define ERRCODE_PGA_N_PLUS_ONE MAKE_SQLSTATE('N', '1', '0', '0', '1')

// A recorded top-level statement; may arm the guard. Raises nothing: what can raise (scan
// shapes, findings) runs under pga_run_protected.
void pga_detect_statement(const pg_advisor::StatementEvent &ev);
// The session's transaction xact_seq ends (COMMIT, ROLLBACK). allow_guard: the transaction is
// healthy and the guard may act (catalog access); false for rollbacks and failed transactions.
void pga_detect_transaction_end(uint64 xact_seq, bool allow_guard);
// Forgets the session's scopes (advisor.reset()).
void pga_reset_detector(void);
// Raises the guard's error if one is armed. Call outside pga_run_protected().
void pga_raise_pending_guard(void);
// Whether the guard's error is armed.
bool pga_guard_armed(void);
// Drops an armed guard (the statement failed for another reason).
void pga_discard_pending_guard(void);
