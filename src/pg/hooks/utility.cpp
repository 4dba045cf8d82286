// ProcessUtility_hook: transaction boundaries reach the session tracker, and statements run by
// utility commands (DO blocks, CALL, ...) count as nested, while EXECUTE, DECLARE/FETCH,
// CREATE TABLE AS and COPY (query) run the client's own statement at its level.
#include <exception>

#include "core/workload/query_pattern.h"
#include "core/workload/session_tracker.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "tcop/utility.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/ddl/live_review.h"
#include "pg/ddl/translate.h"
#include "pg/loops/detect_loops.h"
#include "pg/guc.h"
#include "pg/boundary/protect.h"
#include "pg/shmem/shared_state.h"

using pg_advisor::Boundary;

static ProcessUtility_hook_type prev_ProcessUtility = NULL;

static Boundary boundary_of(const TransactionStmt *stmt) {
    switch (stmt->kind) {
        case TRANS_STMT_BEGIN:
        case TRANS_STMT_START:
            return Boundary::Begin;
        case TRANS_STMT_COMMIT:
            return Boundary::Commit;
        case TRANS_STMT_ROLLBACK:
            return Boundary::Rollback;
        case TRANS_STMT_SAVEPOINT:
            return Boundary::Savepoint;
        case TRANS_STMT_RELEASE:
            return Boundary::Release;
        case TRANS_STMT_ROLLBACK_TO:
            return Boundary::RollbackTo;
        case TRANS_STMT_PREPARE:
            return Boundary::Prepare;
        default:
            return Boundary::None;
    }
}

static bool runs_client_statement(const Node *parsetree) {
    switch (nodeTag(parsetree)) {
        case T_ExecuteStmt:
        case T_PrepareStmt:
        case T_DeallocateStmt:
        case T_DeclareCursorStmt:
        case T_FetchStmt:
        case T_ClosePortalStmt:
        case T_CreateTableAsStmt:
        case T_CopyStmt:
        case T_TransactionStmt:
        case T_VariableSetStmt:
        case T_VariableShowStmt:
            return true;
        default:
            return false;
    }
}

static __attribute__((noinline)) void process_utility(PGA_PROCESS_UTILITY_PARAMS) {
    Node *parsetree = pstmt->utilityStmt;
    pga_transaction_sync();
    // DDL review: the node tag decides first; other statements pay nothing more.
    volatile bool reviewed = pga_ddl_reviewed_tag(nodeTag(parsetree)) &&
                             pga_ddl_review != PGA_ACTION_OFF &&
                             context == PROCESS_UTILITY_TOPLEVEL;
    if (reviewed) pga_ddl_review_before(pstmt, queryString);
    if (pga_shared != NULL && pga_tracking(pga_nesting_level) && !IsParallelWorker() &&
        IsA(parsetree, TransactionStmt)) {
        Boundary b = boundary_of((TransactionStmt *)parsetree);
        if (b != Boundary::None)
            // Nothing here raises (a loop's verdicts are recorded under their own boundary).
            pga_run_cpp_only("recording a transaction boundary", [&] {
                bool in_block = pga_in_explicit_block() || b == Boundary::Begin;
                pga_session.record_boundary(b, GetCurrentTimestamp(), in_block);
                // A transaction ends: the detector may release its single statement.
                if (b == Boundary::Commit || b == Boundary::Rollback || b == Boundary::Prepare) {
                    bool healthy = b == Boundary::Commit && !IsAbortedTransactionBlockState();
                    pga_detect_transaction_end(pga_session.xact_seq(), healthy);
                    if (!healthy) pga_discard_pending_guard();
                }
            });
        // The guard fails the COMMIT of a transaction that completed a write loop.
        pga_raise_pending_guard();
    }
    if (runs_client_statement(parsetree)) {
        if (prev_ProcessUtility)
            prev_ProcessUtility(PGA_PROCESS_UTILITY_ARGS);
        else
            standard_ProcessUtility(PGA_PROCESS_UTILITY_ARGS);
        if (IsA(parsetree, TransactionStmt))
            pga_note_transaction_statement((const TransactionStmt *)parsetree);
        if (reviewed) pga_ddl_review_after();
        return;
    }
    volatile int outer_base = pga_nesting_base;
    pga_nesting_level++;
    pga_nesting_base = pga_nesting_level;
    PG_TRY();
    {
        if (prev_ProcessUtility)
            prev_ProcessUtility(PGA_PROCESS_UTILITY_ARGS);
        else
            standard_ProcessUtility(PGA_PROCESS_UTILITY_ARGS);
    }
    PG_FINALLY();
    {
        pga_nesting_level--;
        pga_nesting_base = outer_base;
    }
    PG_END_TRY();
    if (reviewed) pga_ddl_review_after();
}

static void pga_ProcessUtility(PGA_PROCESS_UTILITY_PARAMS) {
    // EXECUTE, FETCH, SET, ...: run at the client's level with nothing to record, passed on
    // before the work's frame is set up (a transaction statement is a boundary to record, DDL
    // may be reviewed).
    Node *parsetree = pstmt->utilityStmt;
    if (runs_client_statement(parsetree) && !IsA(parsetree, TransactionStmt) &&
        !pga_ddl_reviewed_tag(nodeTag(parsetree))) {
        if (prev_ProcessUtility) return prev_ProcessUtility(PGA_PROCESS_UTILITY_ARGS);
        return standard_ProcessUtility(PGA_PROCESS_UTILITY_ARGS);
    }
    process_utility(PGA_PROCESS_UTILITY_ARGS);
}

void pga_install_utility_hook(void) {
    prev_ProcessUtility = ProcessUtility_hook;
    ProcessUtility_hook = pga_ProcessUtility;
}
