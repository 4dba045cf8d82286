// DDL review in the server: every DDL statement a client sends is reviewed by the migration
// rules before it runs (pg_advisor.ddl_review = off | log | warning | error), with a
// per-backend migration state (tables created in the current transaction; lock_timeout and
// statement_timeout from the session's live values; the transaction state from
// IsTransactionBlock), reset at transaction end. `error` blocks a statement with a finding at
// or above pg_advisor.ddl_block_severity unless pg_advisor.allow_unsafe_ddl is on (SET LOCAL)
// or a /* pg_advisor:ignore rule */ comment names the rule. The findings of statements that
// ran go to the history (history.h). Include after postgres.h.
#pragma once

#include "core/ddl/migration_state.h"

extern "C" {
#include "executor/execdesc.h"
#include "access/xact.h"
#include "nodes/plannodes.h"
}

extern int pga_ddl_review;          // PgaLoopAction: off, log, warning, error
extern int pga_ddl_block_severity;  // review::Severity
extern bool pga_allow_unsafe_ddl;

// Defines the settings above (from pga_define_gucs).
void pga_define_ddl_gucs(void);
// Shared memory of the history and the savepoint callback (from _PG_init).
void pga_ddl_install(void);
// A transaction ended, as the capture hooks see it (capture.h: pga_transaction_sync), called
// when the DDL review has something to end: a savepoint it follows or a migration state (from
// the backend's first reviewed DDL on).
extern bool pga_ddl_transaction_touched;
void pga_ddl_transaction_end(void);

// Before a reviewed statement runs: reviews it and reports its findings (LOG / WARNING), or
// raises ERROR for a blocking one.
void pga_ddl_review_before(PlannedStmt *pstmt, const char *query_string);
// After it ran: its findings join the history.
void pga_ddl_review_after(void);

// The session's migration state now (tables created in the current transaction through
// reviewed DDL, the transaction block, lock_timeout, statement_timeout): where advisor.lint_ddl
// starts from.
void pga_ddl_current_state(pg_advisor::ddl::MigrationState &out);

// Set while the current transaction holds ACCESS EXCLUSIVE on a table through reviewed DDL:
// only then does the executor hook look at data changes (backfill_under_ddl_lock).
extern bool pga_ddl_exclusive_xact;
// A top-level INSERT / UPDATE / DELETE in such a transaction: reviewed like DDL (reported,
// blocked in `error` mode), not recorded.
void pga_ddl_review_dml(QueryDesc *query_desc);
