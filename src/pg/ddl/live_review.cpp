// The live DDL review (see live_review.h).
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ddl/lint.h"
#include "core/ddl/migration_state.h"
#include "core/ddl/schema_change.h"
#include "core/review/finding.h"

extern "C" {
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
}

#include "pg/boundary/protect.h"
#include "pg/ddl/ddl_review.h"
#include "pg/ddl/history.h"
#include "pg/ddl/live_review.h"
#include "pg/ddl/translate.h"
#include "pg/guc.h"

using pg_advisor::review::Severity;

int pga_ddl_review = PGA_ACTION_WARNING;
int pga_ddl_block_severity = static_cast<int>(Severity::High);
bool pga_allow_unsafe_ddl = false;
bool pga_ddl_exclusive_xact = false;

namespace {

const struct config_enum_entry review_options[] = {
    {"off", PGA_ACTION_OFF, false},
    {"log", PGA_ACTION_LOG, false},
    {"warning", PGA_ACTION_WARNING, false},
    {"error", PGA_ACTION_ERROR, false},
    {NULL, 0, false},
};

const struct config_enum_entry severity_options[] = {
    {"critical", static_cast<int>(Severity::Critical), false},
    {"high", static_cast<int>(Severity::High), false},
    {"medium", static_cast<int>(Severity::Medium), false},
    {"low", static_cast<int>(Severity::Low), false},
    {"info", static_cast<int>(Severity::Info), false},
    {NULL, 0, false},
};

constexpr int kMaxPending = 8;

// The findings of the statement being reviewed, in fixed buffers: they are reported after the
// C++ frames are gone, and recorded once the statement ran.
struct Pending {
    int count;
    PgaDdlHistoryEntry entries[kMaxPending];
};

Pending pending;
pg_advisor::ddl::MigrationState *state = nullptr;  // this backend's, reset at transaction end

// Savepoints: the state as it was when each open subtransaction started, restored by ROLLBACK
// TO SAVEPOINT (which also releases the locks and undoes the tables taken or created since)
// and dropped by RELEASE. A savepoint taken while the migration had recorded nothing (always,
// before this backend reviewed any DDL) costs no copy. Beyond kMaxSavepoints nested ones, or
// when a copy cannot be made (out of memory), a rollback to them is not seen.
constexpr int kMaxSavepoints = 32;
struct Savepoint {
    SubTransactionId id;
    bool empty;                             // nothing recorded yet
    pg_advisor::ddl::MigrationState *copy;  // else the copy (null: not saved)
};
Savepoint savepoints[kMaxSavepoints];
int nsavepoints = 0;

void drop_savepoints(int keep) {
    while (nsavepoints > keep)
        delete savepoints[--nsavepoints].copy;
}

void subxact_callback(SubXactEvent event, SubTransactionId subid, SubTransactionId, void *) {
    // pg_advisor's own subtransactions (catalog reads while it reviews) change nothing here.
    if (pga_active_function != NULL) return;
    if (event == SUBXACT_EVENT_START_SUB) {
        if (nsavepoints == kMaxSavepoints) return;
        bool empty = state == nullptr || state->records_nothing();
        pg_advisor::ddl::MigrationState *copy = nullptr;
        if (!empty) {
            try {
                copy = new pg_advisor::ddl::MigrationState(*state);
            } catch (...) {
                copy = nullptr;
            }
        }
        savepoints[nsavepoints++] = {subid, empty, copy};
        pga_ddl_transaction_touched = true;
        return;
    }
    if (event != SUBXACT_EVENT_COMMIT_SUB && event != SUBXACT_EVENT_ABORT_SUB) return;
    int at = nsavepoints - 1;
    while (at >= 0 && savepoints[at].id != subid)
        at--;
    if (at < 0) return;
    if (event == SUBXACT_EVENT_ABORT_SUB && state != nullptr) {
        if (savepoints[at].empty)
            state->forget_records();
        else if (savepoints[at].copy != nullptr)
            std::swap(*state, *savepoints[at].copy);
        pga_ddl_exclusive_xact = !state->exclusive_tables.empty();
    }
    drop_savepoints(at);
}

}  // namespace

// A transaction that recorded DDL ends (noinline: the common case below stays a few loads).
static __attribute__((noinline)) void end_ddl_transaction(void) {
    if (nsavepoints > 0) drop_savepoints(0);
    if (state != nullptr && !state->is_initial()) *state = pg_advisor::ddl::MigrationState();
}

bool pga_ddl_transaction_touched = false;

void pga_ddl_transaction_end(void) {
    // Committed or aborted alike: nothing to do unless the transaction recorded DDL.
    if (nsavepoints > 0 || state != nullptr) end_ddl_transaction();
    pga_ddl_exclusive_xact = false;
    pga_ddl_transaction_touched = state != nullptr;
}

namespace {

void copy(char *dst, size_t cap, const std::string &s) {
    pga_copy_message(dst, cap, s.c_str());
}

// The statement's text: the query string's slice for this statement, from its first token, with
// its ignore comments; *offset is where the text starts in the query string ("" when empty).
pg_advisor::ddl::Statement statement_text(const PlannedStmt *pstmt, const char *query_string,
                                          size_t *offset) {
    std::string_view all(query_string);
    size_t loc = pstmt->stmt_location > 0 ? static_cast<size_t>(pstmt->stmt_location) : 0;
    if (loc > all.size()) loc = all.size();
    size_t len = pstmt->stmt_len > 0 ? static_cast<size_t>(pstmt->stmt_len) : all.size() - loc;
    std::string_view slice = all.substr(loc, len);
    pg_advisor::ddl::Statement stmt;
    std::vector<pg_advisor::ddl::Span> spans = pg_advisor::ddl::split_statements(slice);
    if (spans.empty()) return stmt;
    stmt.text = std::string(slice.substr(spans[0].begin, spans[0].end - spans[0].begin));
    stmt.ignored_rules = pg_advisor::ddl::ignored_rules(slice);
    *offset = loc + spans[0].begin;
    return stmt;
}

// A utility statement: translated from the server's own parse tree.
pg_advisor::ddl::Statement statement_of(const PlannedStmt *pstmt, const char *query_string) {
    size_t offset = 0;
    pg_advisor::ddl::Statement stmt = statement_text(pstmt, query_string, &offset);
    if (!stmt.text.empty()) pga_ddl_translate(pstmt->utilityStmt, offset, stmt);
    return stmt;
}

// A data change (reviewed only inside a transaction that took ACCESS EXCLUSIVE through DDL).
pg_advisor::ddl::Statement dml_statement(const PlannedStmt *pstmt, const char *query_string) {
    size_t offset = 0;
    pg_advisor::ddl::Statement stmt = statement_text(pstmt, query_string, &offset);
    if (stmt.text.empty()) return stmt;
    pga_ddl_parse_statement(stmt);
    return stmt;
}

void review(pg_advisor::ddl::Statement statement) {
    if (state == nullptr) state = new pg_advisor::ddl::MigrationState();
    pga_ddl_transaction_touched = true;
    std::vector<pg_advisor::ddl::Statement> statements{std::move(statement)};
    if (statements[0].text.empty()) return;
    pga_ddl_session_state(*state);
    pg_advisor::ddl::LintResult result = pga_ddl_lint(statements, *state, true);
    for (const pg_advisor::ddl::DdlFinding &d : result.findings) {
        if (pending.count == kMaxPending) break;
        const pg_advisor::review::Finding &f = d.finding;
        PgaDdlHistoryEntry &e = pending.entries[pending.count++];
        e.severity = static_cast<uint8>(f.severity);
        copy(e.rule, sizeof e.rule, f.rule);
        copy(e.object, sizeof e.object, f.object);
        copy(e.title, sizeof e.title, f.title);
        copy(e.why, sizeof e.why, f.why);
        copy(e.recommendation, sizeof e.recommendation, f.recommendation);
        copy(e.fix_sql, sizeof e.fix_sql, f.fix_sql);
        copy(e.statement, sizeof e.statement, statements[0].text);
    }
    pga_ddl_exclusive_xact = !state->exclusive_tables.empty();
}

const char *severity_text(uint8 s) {
    static const char *const names[] = {"critical", "high", "medium", "low", "info"};
    return s < 5 ? names[s] : "info";
}

bool blocks(const PgaDdlHistoryEntry &e) {
    return pga_ddl_review == PGA_ACTION_ERROR && !pga_allow_unsafe_ddl &&
           static_cast<int>(e.severity) <= pga_ddl_block_severity;
}

void report(const PgaDdlHistoryEntry &e, int level) {
    ereport(level, (errcode(ERRCODE_WARNING),
                    errmsg("pg_advisor [%s, %s]: %s", e.rule, severity_text(e.severity), e.title),
                    e.why[0] ? errdetail("%s", e.why) : 0,
                    e.fix_sql[0] ? errhint("%s Safe alternative: %s", e.recommendation, e.fix_sql)
                    : e.recommendation[0] ? errhint("%s", e.recommendation)
                                          : 0));
}

void block(const PgaDdlHistoryEntry &e) {
    const char *alternative = e.fix_sql[0] ? e.fix_sql : e.recommendation;
    ereport(
        ERROR,
        (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
         errmsg("pg_advisor blocked this statement [%s, %s]: %s; safe alternative: %s", e.rule,
                severity_text(e.severity), e.title, alternative),
         e.why[0] ? errdetail("%s", e.why) : 0,
         errhint("%s%s%s To run it as written: SET LOCAL pg_advisor.allow_unsafe_ddl = on, "
                 "or add /* pg_advisor:ignore %s */ to the statement.",
                 e.recommendation, e.fix_sql[0] ? " Safe alternative: " : "", e.fix_sql, e.rule)));
}

// Reports the pending findings: LOG or WARNING (info findings, on tables known to be small, are
// only logged), then ERROR for the first blocking one.
void report_pending(void) {
    for (int i = 0; i < pending.count; i++) {
        const PgaDdlHistoryEntry &e = pending.entries[i];
        bool info = e.severity == static_cast<uint8>(Severity::Info);
        if (!blocks(e)) report(e, pga_ddl_review == PGA_ACTION_LOG || info ? LOG : WARNING);
    }
    for (int i = 0; i < pending.count; i++)
        if (blocks(pending.entries[i])) block(pending.entries[i]);
}

}  // namespace

void pga_define_ddl_gucs(void) {
    DefineCustomEnumVariable(
        "pg_advisor.ddl_review",
        "Reviews DDL statements before they run: off, log, warning (findings as WARNINGs) or "
        "error (findings at or above ddl_block_severity block the statement).",
        NULL, &pga_ddl_review, PGA_ACTION_WARNING, review_options, PGC_SUSET, 0, NULL, NULL, NULL);
    DefineCustomEnumVariable("pg_advisor.ddl_block_severity",
                             "Least severe DDL finding that blocks the statement when "
                             "ddl_review = error (lower ones are WARNINGs).",
                             NULL, &pga_ddl_block_severity, static_cast<int>(Severity::High),
                             severity_options, PGC_SUSET, 0, NULL, NULL, NULL);
    DefineCustomBoolVariable("pg_advisor.allow_unsafe_ddl",
                             "Lets reviewed DDL with blocking findings run (use SET LOCAL): the "
                             "findings are reported as WARNINGs.",
                             NULL, &pga_allow_unsafe_ddl, false, PGC_USERSET, 0, NULL, NULL, NULL);
}

void pga_ddl_install(void) {
    pga_ddl_history_install();
    // From the start: a savepoint taken before the backend's first DDL must be followed too.
    // (Transaction ends come through pga_ddl_transaction_end.)
    RegisterSubXactCallback(subxact_callback, NULL);
}

void pga_ddl_review_before(PlannedStmt *pstmt, const char *query_string) {
    pending.count = 0;
    if (query_string == NULL || creating_extension || IsParallelWorker() || IsBinaryUpgrade ||
        pga_active_function != NULL)
        return;
    volatile bool pushed = false;
    if (!ActiveSnapshotSet()) {
        PushActiveSnapshot(GetTransactionSnapshot());
        pushed = true;
    }
    // What the review reads (catalog queries) is the advisor's, never the captured workload.
    pga_active_function = "DDL review";
    PG_TRY();
    {
        pga_run_protected("reviewing a DDL statement",
                          [&] { review(statement_of(pstmt, query_string)); });
    }
    PG_FINALLY();
    { pga_active_function = NULL; }
    PG_END_TRY();
    if (pushed) PopActiveSnapshot();
    report_pending();
}

void pga_ddl_current_state(pg_advisor::ddl::MigrationState &out) {
    out = state != nullptr ? *state : pg_advisor::ddl::MigrationState();
    pga_ddl_session_state(out);
}

void pga_ddl_review_dml(QueryDesc *query_desc) {
    CmdType op = query_desc->operation;
    if ((op != CMD_UPDATE && op != CMD_DELETE && op != CMD_INSERT) ||
        pga_ddl_review == PGA_ACTION_OFF || query_desc->sourceText == NULL ||
        pga_active_function != NULL || IsParallelWorker())
        return;
    pending.count = 0;
    pga_active_function = "DDL review";
    PG_TRY();
    {
        pga_run_protected("reviewing a data change under a DDL lock", [&] {
            review(dml_statement(query_desc->plannedstmt, query_desc->sourceText));
        });
    }
    PG_FINALLY();
    { pga_active_function = NULL; }
    PG_END_TRY();
    report_pending();
    pending.count = 0;
}

void pga_ddl_review_after(void) {
    TimestampTz now = GetCurrentTimestamp();
    for (int i = 0; i < pending.count; i++) {
        PgaDdlHistoryEntry &e = pending.entries[i];
        if (e.severity == static_cast<uint8>(Severity::Info)) continue;  // small tables
        e.at = now;
        e.userid = GetUserId();
        e.dbid = MyDatabaseId;
        pga_ddl_history_add(&e);
    }
    pending.count = 0;
}
