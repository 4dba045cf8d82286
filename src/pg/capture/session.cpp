// The backend's session tracker, its current scope, and where transactions end.
#include <exception>
#include <string_view>

#include "core/sql/query_normalizer.h"
#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/workload/session_tracker.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "storage/proc.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/ddl/live_review.h"
#include "pg/hooks/execution_timer.h"
#include "pg/shmem/shared_state.h"

int pga_nesting_level = 0;
int pga_nesting_base = 0;
pg_advisor::SessionTracker pga_session;
pg_advisor::EntryCache<pg_advisor::PatternEntry, 256> pga_pattern_cache;
PgaScope pga_current_scope;
PgaUncommented pga_uncommented;

void pga_scope_from_comments(const char *source, int stmt_location, int stmt_len) {
    PgaScope &s = pga_current_scope;
    std::string_view text(source);
    pg_advisor::StatementSpan span = pg_advisor::statement_span(text, stmt_location, stmt_len);
    // The span excludes a trailing ';' but the statement's own comment may follow it.
    pg_advisor::QueryTags tags;
    if (!pg_advisor::extract_statement_tags(text, span.begin, span.end, tags)) return;
    s.trace = pg_advisor::parse_traceparent(tags.find("traceparent"));
    s.request_key = pg_advisor::request_key(tags);
    s.tags_fp = pg_advisor::tags_fingerprint(tags);
    s.tags_len = (uint16)pg_advisor::serialize_tags(tags, s.tags, sizeof s.tags);
    std::string_view fw = pg_advisor::tags_framework(tags);
    size_t n = Min(fw.size(), sizeof s.framework - 1);
    memcpy(s.framework, fw.data(), n);
    s.framework[n] = '\0';
}

// Explicit blocks by local transaction id: the one BEGIN opened, and the transaction a chain
// statement ran in (the chained one starts after its commit, with the next id).
static LocalTransactionId explicit_lxid = InvalidLocalTransactionId;
static LocalTransactionId chain_origin = InvalidLocalTransactionId;

// pga_in_explicit_block()'s answer for a local transaction id, until a transaction statement.
LocalTransactionId pga_explicit_answered_lxid = InvalidLocalTransactionId;
bool pga_explicit_answer = false;

void pga_note_transaction_statement(const TransactionStmt *stmt) {
    pga_explicit_answered_lxid = InvalidLocalTransactionId;
    if (stmt->kind == TRANS_STMT_BEGIN || stmt->kind == TRANS_STMT_START) {
        if (IsTransactionBlock()) explicit_lxid = PGA_LOCAL_XID();
    } else if ((stmt->kind == TRANS_STMT_COMMIT || stmt->kind == TRANS_STMT_ROLLBACK) &&
               stmt->chain) {
        chain_origin = PGA_LOCAL_XID();
    }
}

bool pga_find_explicit_block(void) {
    LocalTransactionId now = PGA_LOCAL_XID();
    pga_explicit_answered_lxid = now;
    pga_explicit_answer = false;
    if (!IsTransactionBlock()) return false;
    if (chain_origin != InvalidLocalTransactionId && chain_origin != now) {
        explicit_lxid = now;  // the first statement of the chained transaction
        chain_origin = InvalidLocalTransactionId;
    }
    pga_explicit_answer = explicit_lxid == now;
    return pga_explicit_answer;
}

// The transaction the hooks last saw (its local id).
LocalTransactionId pga_synced_lxid = InvalidLocalTransactionId;

static void end_transaction(void) {
    // A chain statement whose commit failed started no chained transaction.
    if (chain_origin != InvalidLocalTransactionId && !IsTransactionBlock())
        chain_origin = InvalidLocalTransactionId;
    pga_session.transaction_ended();
    // An error skipped the executor hooks' exits: back to the level of the procedure whose
    // transaction control ended the transaction, or the top (without an error the level is
    // there already).
    pga_nesting_level = pga_nesting_base;
    pga_clear_pending_constants();
    pga_uncommented.source = NULL;
    pga_timer_reset();
    if (pga_ddl_transaction_touched) pga_ddl_transaction_end();
}

void pga_transaction_changed(void) {
    // A transaction ends by committing, which starts the next one with another local id, or by
    // aborting, which takes its id at once: a failed transaction block (which runs nothing
    // but its ROLLBACK or COMMIT) has id 0, and its end is seen there.
    if (pga_synced_lxid != InvalidLocalTransactionId) end_transaction();
    pga_synced_lxid = PGA_LOCAL_XID();
}

// The executor's nesting level when each open subtransaction began, by subtransaction depth:
// an error that a subtransaction's abort recovers from (a PL/pgSQL exception block, ROLLBACK TO
// SAVEPOINT) skipped the executor hooks' exits, and the level they would have restored is the
// one the subtransaction began at.
static constexpr int kNestingDepths = 1024;
static int nesting_at_subxact_start[kNestingDepths];

static void pga_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
                                 SubTransactionId parentSubid, void *arg) {
    int depth = GetCurrentTransactionNestLevel();
    if (event == SUBXACT_EVENT_START_SUB) {
        if (depth < kNestingDepths) nesting_at_subxact_start[depth] = pga_nesting_level;
    } else if (event == SUBXACT_EVENT_ABORT_SUB) {
        if (depth < kNestingDepths) pga_nesting_level = nesting_at_subxact_start[depth];
        pga_timer_subxact_aborted(depth);
    }
}

void pga_install_session_callbacks(void) {
    RegisterSubXactCallback(pga_subxact_callback, NULL);
}
