// advisor.lint_ddl(sql): the migration rules' findings for DDL text, with the statement's line
// and column, without running it; facts (sizes, columns, indexes, captured statements, locks)
// from the live database as the calling role may see them. A statement that does not parse is
// a row with rule 'parse_error' at the error's position; the others are still linted.
#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/common/json.h"
#include "core/ddl/lint.h"
#include "core/ddl/migration_state.h"
#include "core/review/finding.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/compat.h"
#include "pg/ddl/ddl_review.h"
#include "pg/ddl/live_review.h"
#include "pg/ddl/server_facts.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

namespace {

constexpr int kLintColumns = 11;

// One output row as plain strings; the Datums are made in a subtransaction.
struct LintRow {
    int statement = 0, line = 0, column = 0;
    std::string rule, severity, object, title, message, recommendation, fix_sql, evidence;
};

Datum text_or_null(const std::string &s, bool *null) {
    *null = s.empty();
    return s.empty() ? (Datum)0
                     : PointerGetDatum(cstring_to_text_with_len(s.data(), (int)s.size()));
}

void put_row(ReturnSetInfo *rsinfo, const LintRow &r) {
    Datum values[kLintColumns];
    bool nulls[kLintColumns];
    memset(nulls, 0, sizeof nulls);
    int c = 0;
    values[c++] = Int32GetDatum(r.statement);
    values[c++] = Int32GetDatum(r.line);
    values[c++] = Int32GetDatum(r.column);
    values[c++] = CStringGetTextDatum(r.rule.c_str());
    values[c++] = CStringGetTextDatum(r.severity.c_str());
    for (const std::string *s : {&r.object, &r.title, &r.message, &r.recommendation, &r.fix_sql}) {
        values[c] = text_or_null(*s, &nulls[c]);
        c++;
    }
    values[c++] = DirectFunctionCall1(jsonb_in, CStringGetDatum(r.evidence.c_str()));
    tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

LintRow finding_row(const ddl::DdlFinding &d) {
    const review::Finding &f = d.finding;
    LintRow r;
    r.statement = (int)d.statement + 1;
    r.line = d.line;
    r.column = d.column;
    r.rule = f.rule;
    r.severity = std::string(review::severity_name(f.severity));
    r.object = f.object;
    r.title = f.title;
    r.message = f.why;
    r.recommendation = f.recommendation;
    r.fix_sql = f.fix_sql;
    r.evidence = f.evidence.json();
    return r;
}

LintRow parse_error_row(std::string_view script, const ddl::Statement &s, size_t index) {
    LintRow r;
    r.statement = (int)index + 1;
    ddl::line_and_column(script, s.error_offset, &r.line, &r.column);
    r.rule = "parse_error";
    r.severity = "error";
    r.title = s.parse_error;
    r.message = s.parse_error;
    r.evidence = "{}";
    return r;
}

}  // namespace

PGA_SQL_FUNCTION(pg_advisor_lint_ddl, "advisor.lint_ddl") {
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, kLintColumns, "advisor.lint_ddl");
    text *arg = PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0);
    if (arg == NULL) return (Datum)0;
    std::string script(VARDATA_ANY(arg), VARSIZE_ANY_EXHDR(arg));
    std::vector<ddl::Statement> statements = pga_ddl_parse_script(script);
    ddl::MigrationState state;
    pga_ddl_current_state(state);
    ddl::LintResult result = pga_ddl_lint(statements, state, false);
    std::vector<LintRow> rows;
    size_t next = 0;
    for (size_t i = 0; i < statements.size(); i++) {
        if (!statements[i].parse_error.empty())
            rows.push_back(parse_error_row(script, statements[i], i));
        for (; next < result.findings.size() && result.findings[next].statement == i; next++)
            rows.push_back(finding_row(result.findings[next]));
    }
    pga_pg_subxact([&] {
        for (const LintRow &r : rows)
            put_row(rsinfo, r);
    });
    return (Datum)0;
}

namespace {

std::string strings_json(const std::vector<std::string> &items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); i++)
        out += (i ? ", " : "") + json::quote(items[i]);
    return out + "]";
}

// What the linter would know about a table (and a column's captured statements), as JSON.
std::string facts_json(const ddl::Name &table, const std::string &column) {
    ddl::Statement s;
    ddl::Change c;
    c.action = ddl::Action::Other;
    c.target = table;
    s.changes.push_back(c);
    PgaServerFacts facts;
    facts.prefetch({s});
    std::optional<ddl::TableFacts> t = facts.table(table);
    if (!t) return "null";
    std::string out = "{\"name\": " + json::quote(t->name.plain()) +
                      ", \"bytes\": " + json::number((double)t->bytes) +
                      ", \"rows\": " + json::number(t->rows) + ", \"columns\": [";
    for (size_t i = 0; i < t->columns.size(); i++)
        out += std::string(i ? ", " : "") + "{\"name\": " + json::quote(t->columns[i].name) +
               ", \"type\": " + json::quote(t->columns[i].type.sql()) +
               ", \"not_null\": " + (t->columns[i].not_null ? "true" : "false") + "}";
    out += "], \"indexes\": [";
    for (size_t i = 0; i < t->indexes.size(); i++)
        out += std::string(i ? ", " : "") +
               "{\"name\": " + json::quote(t->indexes[i].name.plain()) +
               ", \"columns\": " + strings_json(t->indexes[i].columns) +
               ", \"unique\": " + (t->indexes[i].unique ? "true" : "false") +
               ", \"constraint\": " + json::quote(t->indexes[i].constraint) + "}";
    std::vector<std::string> queries;
    for (const ddl::QueryUse &q : facts.queries_using(table, column))
        queries.push_back(q.text);
    std::sort(queries.begin(), queries.end());
    out += "], \"queries\": " + strings_json(queries);
    out +=
        ", \"access_exclusive_conflicts\": " +
        json::number((double)facts.conflicting_locks(table, ddl::LockMode::AccessExclusive).size());
    return out + "}";
}

}  // namespace

// advisor._ddl_facts(table, column): the facts advisor.lint_ddl reads for a table (for tests
// and for seeing why a finding says what it says).
PGA_SQL_FUNCTION(pg_advisor_ddl_facts, "advisor._ddl_facts") {
    text *rel = PG_GETARG_TEXT_PP(0);
    text *col = PG_GETARG_TEXT_PP(1);
    std::string name(VARDATA_ANY(rel), VARSIZE_ANY_EXHDR(rel));
    std::string column(VARDATA_ANY(col), VARSIZE_ANY_EXHDR(col));
    ddl::Name table;
    size_t dot = name.find('.');
    if (dot == std::string::npos) {
        table.name = name;
    } else {
        table.schema = name.substr(0, dot);
        table.name = name.substr(dot + 1);
    }
    std::string json = facts_json(table, column);
    Datum result = (Datum)0;
    pga_pg_subxact([&] { result = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
    return result;
}
