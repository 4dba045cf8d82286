// advisor.lint_ddl(sql): the migration rules' findings for DDL text, with the statement's line
// and column, without running it; facts (sizes, columns, indexes, captured statements, locks)
// from the live database as the calling role may see them. A statement that does not parse is
// a row with rule 'parse_error' at the error's position; the others are still linted.
#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/report/json_writer.h"
#include "core/ddl/lint.h"
#include "core/ddl/migration_state.h"
#include "core/review/finding.h"

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/regproc.h"
#include "utils/tuplestore.h"
}

#include "pg/boundary/pg_guard.h"
#include "pg/boundary/protect.h"
#include "pg/boundary/sql_function.h"
#include "pg/compat.h"
#include "pg/ddl/ddl_review.h"
#include "pg/ddl/live_review.h"
#include "pg/ddl/server_facts.h"
#include "pg/shmem/shared_state.h"
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
    pga_require_shared_state();  // its settings and history exist only when preloaded
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

void strings(report::JsonWriter &w, const std::vector<std::string> &items) {
    w.begin_array();
    for (const std::string &item : items)
        w.string(item);
    w.end_array();
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
    report::JsonWriter w;
    w.begin_object().field("name", t->name.plain()).field("bytes", static_cast<double>(t->bytes));
    w.field("rows", t->rows).key("columns").begin_array();
    for (const ddl::ColumnFacts &col : t->columns)
        w.begin_object()
            .field("name", col.name)
            .field("type", col.type.sql())
            .field("not_null", col.not_null)
            .end_object();
    w.end_array().key("indexes").begin_array();
    for (const ddl::IndexFacts &x : t->indexes) {
        w.begin_object().field("name", x.name.plain()).key("columns");
        strings(w, x.columns);
        w.field("unique", x.unique).field("constraint", x.constraint).end_object();
    }
    std::vector<std::string> queries;
    for (const ddl::QueryUse &q : facts.queries_using(table, column))
        queries.push_back(q.text);
    std::sort(queries.begin(), queries.end());
    w.end_array().key("queries");
    strings(w, queries);
    double conflicts = facts.conflicting_locks(table, ddl::LockMode::AccessExclusive).size();
    w.field("access_exclusive_conflicts", conflicts).end_object();
    return w.take();
}

}  // namespace

// advisor._ddl_facts(table, column): the facts advisor.lint_ddl reads for a table (for tests
// and for seeing why a finding says what it says).
PGA_SQL_FUNCTION(pg_advisor_ddl_facts, "advisor._ddl_facts") {
    pga_require_shared_state();  // its settings and history exist only when preloaded
    text *rel = PG_GETARG_TEXT_PP(0);
    text *col = PG_GETARG_TEXT_PP(1);
    char *name = text_to_cstring(rel);
    char *shown = pga_clip_input(name, 200);  // before any C++ object exists: it pallocs
    std::string column(VARDATA_ANY(col), VARSIZE_ANY_EXHDR(col));
    // As the server reads a qualified name: "My.Schema".orders is two parts, not three.
    List *parts = NIL;
    std::string why;
    try {
        pga_pg_subxact([&] { parts = PGA_QUALIFIED_NAME_LIST(name); });
        if (list_length(parts) > 2) why = "more than schema.table";
    } catch (const PgError &e) {
        if (e.sqlerrcode != ERRCODE_INVALID_NAME) throw;  // not the name's fault
        why = e.message;
    }
    if (!why.empty()) {
        char message[1024];
        snprintf(message, sizeof message, "advisor._ddl_facts: \"%s\" is not a table name: %s",
                 shown, why.c_str());
        throw PgError::make(ERRCODE_INVALID_NAME, message);
    }
    ddl::Name table;
    table.name = strVal(llast(parts));
    if (list_length(parts) == 2) table.schema = strVal(linitial(parts));
    std::string json = facts_json(table, column);
    Datum result = (Datum)0;
    pga_pg_subxact([&] { result = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
    return result;
}

namespace {

// A change as JSON, fields at their defaults left out (for tests and for comparing the two
// front ends).
class ChangeJson {
  public:
    explicit ChangeJson(report::JsonWriter &w) : w_(w) { w_.begin_object(); }
    ~ChangeJson() { w_.end_object(); }
    void text(const char *name, const std::string &v) {
        if (!v.empty()) w_.field(name, v);
    }
    void flag(const char *name, bool v) {
        if (v) w_.field(name, true);
    }
    void names(const char *name, const std::vector<std::string> &v) {
        if (!v.empty()) strings(w_.key(name), v);
    }
    void expr(const char *name, const ddl::Expr &e) {
        if (!e.present()) return;
        w_.key(name).begin_object().field("text", e.text).key("functions");
        strings(w_, e.functions);
        w_.field("constant", e.constant).end_object();
    }
    report::JsonWriter &key(const char *name) { return w_.key(name); }

  private:
    report::JsonWriter &w_;
};

std::string type_text(const ddl::TypeSpec &t) {
    return t.schema.empty() ? t.sql() : t.schema + "." + t.sql();
}

void constraint_json(report::JsonWriter &w, const ddl::Constraint &k) {
    ChangeJson j(w);
    j.text("kind", std::string(ddl::constraint_kind_name(k.kind)));
    j.text("name", k.name);
    j.names("columns", k.columns);
    j.text("references", k.references.table.plain());
    j.names("ref_columns", k.references.columns);
    j.expr("check", k.check);
    j.flag("not_valid", k.not_valid);
    j.text("using_index", k.using_index);
}

void constraints_json(ChangeJson &j, const std::vector<ddl::Constraint> &ks) {
    if (ks.empty()) return;
    report::JsonWriter &w = j.key("constraints").begin_array();
    for (const ddl::Constraint &k : ks)
        constraint_json(w, k);
    w.end_array();
}

void column_json(report::JsonWriter &w, const ddl::ColumnSpec &c) {
    ChangeJson j(w);
    j.text("name", c.name);
    j.text("type", type_text(c.type));
    j.flag("not_null", c.not_null);
    j.flag("primary_key", c.primary_key);
    j.flag("unique", c.unique);
    j.expr("default", c.default_value);
    j.flag("generated_stored", c.generated_stored);
    j.flag("identity", c.identity);
    constraints_json(j, c.constraints);
}

void change_json(report::JsonWriter &w, const ddl::Change &c) {
    ChangeJson j(w);
    j.text("action", std::string(ddl::action_name(c.action)));
    j.text("target", c.target.plain());
    j.text("column", c.column);
    j.text("object", c.object);
    j.text("new_name", c.new_name);
    if (c.action == ddl::Action::AddColumn) column_json(j.key("column_def"), c.column_def);
    if (c.action == ddl::Action::SetDefault) j.expr("default", c.column_def.default_value);
    if (!c.new_type.empty()) j.text("new_type", type_text(c.new_type));
    j.expr("using", c.using_expr);
    if (c.action == ddl::Action::AddConstraint || c.action == ddl::Action::CreateDomain ||
        c.action == ddl::Action::AlterDomainAddConstraint)
        constraint_json(j.key("constraint"), c.constraint);
    if (!c.columns.empty()) {
        report::JsonWriter &cols = j.key("columns").begin_array();
        for (const ddl::ColumnSpec &col : c.columns)
            column_json(cols, col);
        cols.end_array();
    }
    constraints_json(j, c.constraints);
    if (c.action == ddl::Action::CreateIndex) {
        strings(j.key("keys"), c.index.columns);
        j.names("include", c.index.include);
        j.flag("unique", c.index.unique);
        j.text("method", c.index.method);
        j.expr("where", c.index.predicate);
    }
    j.flag("concurrently", c.concurrently);
    j.flag("if_exists", c.if_exists);
    j.flag("if_not_exists", c.if_not_exists);
    j.flag("cascade", c.cascade);
    j.flag("temporary", c.temporary);
    j.flag("has_where", c.has_where);
    j.flag("enum_position", c.enum_position);
    j.text("enum_value", c.enum_value);
    j.text("reindex_kind", c.reindex_kind);
    j.text("setting", c.setting);
    j.text("value", c.value);
    j.flag("local", c.local);
}

}  // namespace

// advisor._ddl_model(sql): what the server's front end makes of DDL text, one row per change
// (statement number, change as JSON); statements that do not parse give their error.
PGA_SQL_FUNCTION(pg_advisor_ddl_model, "advisor._ddl_model") {
    pga_require_shared_state();  // its settings and history exist only when preloaded
    ReturnSetInfo *rsinfo = pga_materialize(fcinfo, 2, "advisor._ddl_model");
    text *arg = PG_GETARG_TEXT_PP(0);
    std::string script(VARDATA_ANY(arg), VARSIZE_ANY_EXHDR(arg));
    std::vector<std::pair<int, std::string>> rows;
    std::vector<ddl::Statement> statements = pga_ddl_parse_script(script);
    for (size_t i = 0; i < statements.size(); i++) {
        if (!statements[i].parse_error.empty()) {
            report::JsonWriter w;
            w.begin_object().field("parse_error", statements[i].parse_error).end_object();
            rows.push_back({(int)i + 1, w.take()});
        }
        for (const ddl::Change &c : statements[i].changes) {
            report::JsonWriter w;
            change_json(w, c);
            rows.push_back({(int)i + 1, w.take()});
        }
    }
    pga_pg_subxact([&] {
        for (const auto &r : rows) {
            Datum values[2] = {Int32GetDatum(r.first),
                               DirectFunctionCall1(jsonb_in, CStringGetDatum(r.second.c_str()))};
            bool nulls[2] = {false, false};
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    });
    return (Datum)0;
}

// advisor._ddl_facts_of(sql): the function volatilities and enum labels advisor.lint_ddl reads
// for DDL text (functions its expressions call, enums it alters).
PGA_SQL_FUNCTION(pg_advisor_ddl_facts_of, "advisor._ddl_facts_of") {
    pga_require_shared_state();  // its settings and history exist only when preloaded
    text *arg = PG_GETARG_TEXT_PP(0);
    std::string script(VARDATA_ANY(arg), VARSIZE_ANY_EXHDR(arg));
    std::vector<ddl::Statement> statements = pga_ddl_parse_script(script);
    PgaServerFacts facts;
    facts.prefetch(statements);
    std::string json = facts.other_json();
    Datum result = (Datum)0;
    pga_pg_subxact([&] { result = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.c_str())); });
    return result;
}
