// The capture layer: hooks that turn PostgreSQL's parse trees, plans and executions into core
// records. Include after postgres.h (and after the core headers it names).
#pragma once

#include "core/store/entry_cache.h"
#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/sql/sql_lexer.h"
#include "core/sql/tracked_literals.h"
#include "core/workload/scan_shape.h"
#include "core/workload/session_tracker.h"

extern "C" {
#include "storage/proc.h"
}

#include "pg/compat.h"

// Executor nesting depth of the current backend (0 = a statement sent by the client). The
// executor hooks raise and lower it without a try block: an error that skips their exits is
// recovered from by a subtransaction's abort, whose callback (session.cpp) restores the level
// the subtransaction began at, or by the transaction's end (pga_transaction_sync), which
// restores pga_nesting_base.
extern int pga_nesting_level;
// The nesting level inside the innermost CALL or DO running (0 outside any): where a
// procedure's transaction control happens, and where an aborted transaction leaves the level.
extern int pga_nesting_base;

// This backend's recent statements.
extern pg_advisor::SessionTracker pga_session;

// Transaction ends, noticed by the hooks instead of a transaction callback (a registered one
// costs every transaction of the backend two calls): the first hook that runs with another
// local transaction id (parse analysis, utility, executor start) ends the transaction it last
// saw. What that transaction left behind is dropped (the level an error left raised, timers
// and constants of executions that never ended, the DDL review's state) and the session's
// transaction number moves on. A transaction that failed loses its id at once: the ROLLBACK
// of a failed block sees id 0 and ends it there.
extern LocalTransactionId pga_synced_lxid;
void pga_transaction_changed(void);
static inline void pga_transaction_sync(void) {
    if (unlikely(PGA_LOCAL_XID() != pga_synced_lxid)) pga_transaction_changed();
}

// Where the pattern store keeps the patterns this backend records (entry_cache.h).
extern pg_advisor::EntryCache<pg_advisor::PatternEntry, 256> pga_pattern_cache;

// Whether the current transaction is an explicit block: opened by BEGIN / START TRANSACTION,
// or chained to one by COMMIT / ROLLBACK AND CHAIN. IsTransactionBlock() alone is also true for
// the implicit block of a multi-statement query string, which the client sent in one round
// trip: batching, not a unit of work.
// Within a transaction the answer changes only with a transaction statement (BEGIN turns an
// implicit transaction into a block): it is kept for the transaction's id until then.
extern LocalTransactionId pga_explicit_answered_lxid;
extern bool pga_explicit_answer;
bool pga_find_explicit_block(void);
static inline bool pga_in_explicit_block(void) {
    LocalTransactionId now = PGA_LOCAL_XID();
    if (now == pga_explicit_answered_lxid && now != InvalidLocalTransactionId)
        return pga_explicit_answer;
    return pga_find_explicit_block();
}
// Called by the utility hook after each transaction statement ran.
struct TransactionStmt;
void pga_note_transaction_statement(const TransactionStmt *stmt);

// The unit of work the current top-level statement belongs to, from its comment tags.
struct PgaScope {
    pg_advisor::TraceId trace;
    uint64 request_key;
    uint64 tags_fp;
    uint16 tags_len;
    char tags[pg_advisor::PatternEntry::kTagsSize];  // serialize_tags() format
    char framework[16];                              // tags_framework(), or empty
};
extern PgaScope pga_current_scope;

// Hook installation, one per capture file.
void pga_install_analyze_hook(void);
void pga_install_planner_hook(void);
void pga_install_executor_hooks(void);
void pga_install_utility_hook(void);
void pga_install_session_callbacks(void);  // the subtransaction callback
void pga_install_invalidation_callbacks(void);

// What post_parse_analyze hands to the executor about a statement parsed just before it runs
// (simple protocol): the fingerprint of its constants' values and a hash of each of the first
// ones (statement_fingerprint.h), and the pattern entry the backend's cache gave for it (the
// executor checks its key and generation before counting in it). NULL if none is pending.
struct PgaConstants {
    uint64 fingerprint;
    uint32 nliterals;
    uint32 literals[pg_advisor::kTrackedLiterals];
    pg_advisor::PatternEntry *pattern;  // NULL: look it up
    uint64 pattern_generation;
};
// The slot stays as it is until the next statement's parse analysis.
const PgaConstants *pga_take_pending_constants(uint64 queryid, int stmt_location);
extern int pga_pending_constants;  // how many are pending
void pga_drop_pending_constants(void);
// Forgets them (transaction end); mostly there are none.
static inline void pga_clear_pending_constants(void) {
    if (pga_pending_constants > 0) pga_drop_pending_constants();
}

// How pg_advisor's own scanners read this session's SQL (standard_conforming_strings).
pg_advisor::sql::LexOptions pga_lex_options(void);

// Computes pga_current_scope from a top-level statement's source text: empty without a block
// comment (most statements: one pass, no strlen first), else from its tags.
void pga_scope_from_comments(const char *source, int stmt_location, int stmt_len);
// A top-level statement whose whole text parse analysis found without a block comment (no
// tags): its executor start need not look (one use; cleared at transaction end).
struct PgaUncommented {
    const char *source;
    int stmt_location;
};
extern PgaUncommented pga_uncommented;
static inline void pga_update_scope(const char *source, int stmt_location, int stmt_len) {
    PgaScope &s = pga_current_scope;
    s.trace = {};
    s.request_key = 0;
    s.tags_fp = 0;
    s.tags_len = 0;
    s.framework[0] = '\0';
    if (source == NULL) return;
    bool uncommented =
        source == pga_uncommented.source && stmt_location == pga_uncommented.stmt_location;
    pga_uncommented.source = NULL;
    if (uncommented) return;
    const char *slash = strchr(source, '/');
    while (slash != NULL && slash[1] != '*')
        slash = strchr(slash + 1, '/');
    if (slash != NULL) pga_scope_from_comments(source, stmt_location, stmt_len);
}

// Maps a command type to the core's CommandKind.
static inline pg_advisor::CommandKind pga_command_kind(CmdType cmd) {
    using pg_advisor::CommandKind;
    switch (cmd) {
        case CMD_SELECT:
            return CommandKind::Select;
        case CMD_INSERT:
            return CommandKind::Insert;
        case CMD_UPDATE:
            return CommandKind::Update;
        case CMD_DELETE:
            return CommandKind::Delete;
#if PG_VERSION_NUM >= 150000
        case CMD_MERGE:
            return CommandKind::Merge;
#endif
        case CMD_UTILITY:
            return CommandKind::Utility;
        default:
            return CommandKind::Unknown;
    }
}
