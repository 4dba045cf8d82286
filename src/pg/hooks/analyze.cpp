// post_parse_analyze_hook: gives each recorded statement the server's query id (query_id.h),
// each new query pattern its normalised text (constants replaced by $n, tag comments removed),
// and fingerprints the constant values of simple-protocol statements for the executor, all from
// one pass over the statement's text (core/statement_fingerprint.h).
#include <exception>
#include <string_view>

#include "core/sql/query_normalizer.h"
#include "core/workload/query_pattern.h"
#include "core/sql/query_tags.h"
#include "core/sql/fingerprint_cache.h"
#include "core/sql/statement_fingerprint.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "parser/analyze.h"
#include "parser/parser.h"
#include "storage/lwlock.h"
#include "utils/timestamp.h"
}

#include "pg/compat.h"
#include "pg/capture/capture.h"
#include "pg/guc.h"
#include "pg/boundary/protect.h"
#include "pg/capture/query_id.h"
#include "pg/shmem/shared_state.h"

static post_parse_analyze_hook_type prev_post_parse_analyze_hook = NULL;

// A statement is parsed, then (simple protocol) planned and executed before the next is parsed;
// nested statements parse while an outer one runs. A few slots cover both.
struct PendingConstants {
    uint64 queryid;
    int location;
    PgaConstants constants;
};
static PendingConstants pending[4];
static int pending_next = 0;
int pga_pending_constants = 0;  // slots with a queryid: most executions find none to look at

const PgaConstants *pga_take_pending_constants(uint64 queryid, int stmt_location) {
    if (pga_pending_constants == 0) return NULL;
    for (PendingConstants &p : pending) {
        if (p.queryid == queryid && p.location == stmt_location) {
            p.queryid = 0;
            pga_pending_constants--;
            return &p.constants;
        }
    }
    return NULL;
}

pg_advisor::sql::LexOptions pga_lex_options(void) {
    pg_advisor::sql::LexOptions opts;
    opts.standard_conforming_strings = standard_conforming_strings;
    return opts;
}

void pga_drop_pending_constants(void) {
    for (PendingConstants &p : pending)
        p.queryid = 0;
    pga_pending_constants = 0;
}

static void remember_constants(uint64 queryid, int location,
                               const pg_advisor::StatementFingerprint &fp,
                               pg_advisor::PatternEntry *pattern, uint64 generation) {
    PendingConstants &p = pending[pending_next++ % 4];
    if (p.queryid == 0) pga_pending_constants++;
    p.queryid = queryid;
    p.location = location;
    p.constants.fingerprint = fp.values;
    p.constants.nliterals = Min(fp.literals, (uint32)pg_advisor::kTrackedLiterals);
    memcpy(p.constants.literals, fp.literal_hash, sizeof p.constants.literals);
    p.constants.pattern = pattern;
    p.constants.pattern_generation = generation;
}

// Builds the text stored for a new pattern, in palloc'd memory.
static char *pattern_text(const char *source, const Query *query, const JumbleState *jstate,
                          int *len_out) {
    std::string_view text(source);
    pg_advisor::StatementSpan span =
        pg_advisor::statement_span(text, query->stmt_location, query->stmt_len);
    int nconst = jstate ? jstate->clocations_count : 0;
    size_t cap = pg_advisor::normalized_capacity(span, (size_t)nconst);
    char *normalized = static_cast<char *>(palloc(cap));
    pg_advisor::sql::LexOptions opts = pga_lex_options();
    if (nconst > 0) {
        int *locations = static_cast<int *>(palloc(sizeof(int) * nconst));
        for (int i = 0; i < nconst; i++)
            locations[i] = jstate->clocations[i].location;
        pg_advisor::normalize_constants(text, span, locations, (size_t)nconst,
                                        jstate->highest_extern_param_id + 1, normalized, cap, opts);
        pfree(locations);
    } else {
        memcpy(normalized, source + span.begin, span.size());
        normalized[span.size()] = '\0';
    }
    char *stripped = static_cast<char *>(palloc(cap));
    size_t n = pg_advisor::strip_tag_comments(normalized, stripped, cap);
    pfree(normalized);
    int len = pg_mbcliplen(stripped, (int)n, pga_max_query_length);
    stripped[len] = '\0';
    *len_out = len;
    return stripped;
}

// Stores the pattern of a statement not seen before (or evicted since).
static void note_new_pattern(const char *source, Query *query, JumbleState *jstate,
                             const pg_advisor::PatternKey &key, uint64 hash) {
    pg_advisor::PatternStore store = pga_pattern_store();
    LWLockAcquire(pga_shared->patterns_lock, LW_SHARED);
    uint64 generation = store.generation();
    pg_advisor::PatternEntry *found = store.find(key);
    LWLockRelease(pga_shared->patterns_lock);
    bool exists = found != nullptr;
    if (!exists) {
        // A reused query id comes without the jumble's constant locations: jumble now.
        if (jstate == NULL) jstate = pga_jumble(query, source);
        int len;
        char *text = pattern_text(source, query, jstate, &len);
        uint8 command = static_cast<uint8>(pga_command_kind(query->commandType));
        TimestampTz now = GetCurrentTimestamp();
        bool literals = jstate != NULL && jstate->clocations_count > 0;
        LWLockAcquire(pga_shared->patterns_lock, LW_EXCLUSIVE);
        found = pg_advisor::insert_pattern(store, key, std::string_view(text, (size_t)len), command,
                                           now);
        generation = store.generation();  // after the insert, which may have evicted
        if (found != nullptr && literals) found->flags |= pg_advisor::kPatternHasLiterals;
        exists = found != nullptr;
        LWLockRelease(pga_shared->patterns_lock);
        pfree(text);
        if (!exists) pga_capture_failed("storing a new query pattern", "no room in shared memory");
    }
    if (exists) pga_pattern_cache.put(key, hash, found, generation);
}

// The query a utility statement runs for the client, analysed with it; NULL for others.
static Query *runnable_query(Node *utility) {
    Node *inner = NULL;
    if (IsA(utility, DeclareCursorStmt))
        inner = ((DeclareCursorStmt *)utility)->query;
    else if (IsA(utility, CreateTableAsStmt))
        inner = ((CreateTableAsStmt *)utility)->query;
    if (inner == NULL || !IsA(inner, Query)) return NULL;
    Query *q = (Query *)inner;
    return q->utilityStmt == NULL ? q : NULL;
}

// Whether a C string has no '/' (what follows a statement: mostly ";" or nothing).
static inline bool no_slash(const char *p) {
    for (; *p != '\0'; p++)
        if (*p == '/') return false;
    return true;
}

// This backend's recent statement texts, replayed when only their values differ (about 187 kB
// of backend memory, touched as it fills).
static pg_advisor::FingerprintCache fingerprint_cache;

static __attribute__((noinline)) void analyze_statement(PGA_POST_PARSE_PARAMS) {
    if (pga_shared == NULL || IsParallelWorker()) return;
    pga_transaction_sync();
    // pg_advisor's own statements (catalog reads, what-if planning): no id, no shape, no record.
    if (pga_active_function != NULL) return;
    const char *source = pstate->p_sourcetext;
    if (source == NULL) return;
    if (query->utilityStmt != NULL) {
        // DECLARE CURSOR and CREATE TABLE AS run a query of the client's: it is recorded like
        // any other (the server gives it no id of its own).
        query = runnable_query(query->utilityStmt);
        if (query == NULL || query->queryId != 0) return;
        jstate = NULL;
    }
    // Statements not recorded now still get their id: a function's statements are analysed
    // once and run many times, perhaps after pg_advisor.track has changed. (With
    // pg_advisor.enabled off nothing is done at all.)
    if (!pga_enabled) return;
    if (!pga_tracking(pga_nesting_level)) {
        if (query->queryId == 0) {
            JumbleState *unused;
            pga_assign_query_id(pstate, query, NULL, &unused);
        }
        return;
    }

    // The per-statement path: one pass over the text, a reused query id, a probe of local
    // memory. Nothing in it raises; the jumble, when it runs, has its own error boundary.
    std::string_view text(source);
    pg_advisor::StatementSpan span =
        pg_advisor::statement_span(text, query->stmt_location, query->stmt_len);
    pg_advisor::sql::LexOptions opts = pga_lex_options();
    pg_advisor::StatementFingerprint fp;
    fingerprint_cache.fingerprint(text, span, opts, true, &fp);
    // The executor reads a top-level statement's tags from the block comments of its whole
    // text: one that has none (nothing before the statement, no comment in it, no '/' after
    // it) needs no second look.
    bool uncommented = pga_nesting_level == 0 && fp.complete && !fp.has_block_comment &&
                       span.begin == 0 && no_slash(source + span.end);
    pga_uncommented.source = uncommented ? source : NULL;
    pga_uncommented.stmt_location = query->stmt_location;
    uint64 queryid = pga_queryid(query->queryId);
    JumbleState *js = jstate;
    if (queryid == 0) {
        queryid = pga_assign_query_id(pstate, query, &fp, &js);
        if (queryid == 0) return;
    }
    pg_advisor::PatternKey key =
        pg_advisor::make_pattern_key(GetUserId(), MyDatabaseId, queryid, pga_nesting_level == 0);
    uint64 hash = pg_advisor::PatternEntry::hash_key(key);
    uint64 generation = 0;
    pg_advisor::PatternEntry *pattern = pga_pattern_cache.find(key, hash, &generation);
    bool known = pattern != nullptr && generation == pga_pattern_store().generation();
    // A known pattern's entry is handed over too: the executor counts in it without a lookup.
    if (known || fp.literals > 0)
        remember_constants(queryid, query->stmt_location, fp, known ? pattern : nullptr,
                           generation);
    if (known) return;
    pga_run_protected("recording a parsed statement",
                      [&] { note_new_pattern(source, query, js, key, hash); });
}

static void pga_post_parse_analyze(PGA_POST_PARSE_PARAMS) {
    if (prev_post_parse_analyze_hook) prev_post_parse_analyze_hook(PGA_POST_PARSE_ARGS);
    // Utility statements that run no query of the client's (EXECUTE, SET, BEGIN, DDL): nothing
    // to do, decided before the work's frame is set up.
    Node *utility = query->utilityStmt;
    if (utility != NULL && !IsA(utility, DeclareCursorStmt) && !IsA(utility, CreateTableAsStmt))
        return;
    analyze_statement(PGA_POST_PARSE_ARGS);
}

void pga_install_analyze_hook(void) {
    prev_post_parse_analyze_hook = post_parse_analyze_hook;
    post_parse_analyze_hook = pga_post_parse_analyze;
}
