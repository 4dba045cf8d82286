// Parsing, session state and the linter run for the server's DDL review (see ddl_review.h).
#include <exception>
#include <string>
#include <vector>

#include "core/ddl/lint.h"
#include "core/ddl/migration_state.h"
#include "core/ddl/schema_change.h"
#include "core/review/registry.h"

extern "C" {
#include "postgres.h"

#include "access/xact.h"
#include "mb/pg_wchar.h"
#include "parser/parser.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/ddl/ddl_review.h"
#include "pg/ddl/server_facts.h"
#include "pg/ddl/translate.h"
#include "pg/review/review_settings.h"

using namespace pg_advisor::ddl;
using DName = pg_advisor::ddl::Name;

namespace {

// What raw_parser said about one statement.
struct ParseResult {
    List *tree;
    bool failed;
    int cursorpos;  // 1-based character position of the error in the text, 0 when none
    char message[512];
};

// raw_parser() in an internal subtransaction; a syntax error is returned with its position
// (pga_pg_subxact() keeps only the message). Plain PostgreSQL work: no C++ object lives here.
void parse_protected(const char *sql, ParseResult *out) {
    pga_require_serial();
    MemoryContext cxt = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    volatile bool interrupted = false;
    PgError interrupt;
    out->tree = NIL;
    out->failed = false;
    out->cursorpos = 0;
    out->message[0] = '\0';
    pga_pg_call([] { BeginInternalSubTransaction(NULL); });
    MemoryContextSwitchTo(cxt);
    PG_TRY();
    {
        out->tree = raw_parser(sql, RAW_PARSE_DEFAULT);
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(cxt);
        CurrentResourceOwner = owner;
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(cxt);
        ErrorData *edata = CopyErrorData();
        FlushErrorState();
        if (pga_error_must_propagate(edata)) {
            interrupted = true;
            interrupt.sqlerrcode = edata->sqlerrcode;
            pga_copy_message(interrupt.message, sizeof interrupt.message,
                             edata->message ? edata->message : "interrupted");
        }
        out->failed = true;
        out->cursorpos = edata->cursorpos;
        pga_copy_message(out->message, sizeof out->message,
                         edata->message ? edata->message : "syntax error");
        FreeErrorData(edata);
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(cxt);
        CurrentResourceOwner = owner;
    }
    PG_END_TRY();
    if (interrupted) throw PgInterrupt{interrupt};
}

// The byte offset of a 1-based character position in text (the server encoding's characters).
size_t byte_offset(const std::string &text, int cursorpos) {
    size_t at = 0;
    for (int chars = 1; chars < cursorpos && at < text.size(); chars++)
        at += static_cast<size_t>(pg_mblen(text.c_str() + at));
    return at < text.size() ? at : text.size();
}

}  // namespace

void pga_ddl_parse_statement(Statement &stmt) {
    ParseResult parsed;
    parse_protected(stmt.text.c_str(), &parsed);
    if (parsed.failed) {
        stmt.parse_error = parsed.message;
        stmt.error_offset =
            stmt.offset + (parsed.cursorpos > 0 ? byte_offset(stmt.text, parsed.cursorpos) : 0);
        return;
    }
    const ListCell *lc;
    foreach (lc, parsed.tree)
        pga_ddl_translate((const Node *)lfirst(lc), 0, stmt);
}

std::vector<Statement> pga_ddl_parse_script(std::string_view script) {
    std::vector<Statement> statements = script_statements(script);
    for (Statement &stmt : statements)
        pga_ddl_parse_statement(stmt);
    return statements;
}

void pga_ddl_session_state(MigrationState &state) {
    // IsTransactionBlock, not pga_in_explicit_block: an implicit block (a multi-statement query
    // string) is one transaction too, holding its locks to the end, and PostgreSQL refuses
    // CONCURRENTLY in it.
    state.in_transaction = IsTransactionBlock();
    state.begin_depth = state.in_transaction ? 1 : 0;
    state.lock_timeout_ms = LockTimeout;
    state.statement_timeout_ms = StatementTimeout;
    state.lock_timeout_outside_ms = LockTimeout;
    state.statement_timeout_outside_ms = StatementTimeout;
}

LintResult pga_ddl_lint(const std::vector<Statement> &statements, MigrationState &state,
                        bool live) {
    PgaServerFacts facts;
    facts.prefetch(statements);
    pg_advisor::review::Settings settings;
    LintOptions options;
    pga_review_settings(&settings, &options.disabled_rules);
    options.settings = &settings;
    options.live = live;
    return lint(statements, facts, state, options);
}
