// Migration rules on indexes: MIG-01 index_not_concurrent, MIG-02 drop_index_not_concurrent,
// MIG-03 reindex_not_concurrent, MIG-04 concurrent_in_transaction, MIG-25 cic_timeout_misfit,
// MIG-33 replace_index_order, MIG-34 new_fk_without_index, MIG-35 index_version_bug.
#include "core/review/rules/migration_rules.h"

#include <algorithm>
#include <utility>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::LockMode;

void index_not_concurrent(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::CreateIndex || c.concurrently) return;
    const ddl::Name &table = c.index.table;
    if (no_risk(cx, table)) return;
    std::string index = c.object.empty() ? std::string("(unnamed)") : c.object;
    review::Finding f = cx.make("table", table.sql(), index);
    f.title = "CREATE INDEX " + index + " on " + table.plain() + " without CONCURRENTLY";
    describe_impact(f, cx, table, {LockMode::Share, false, true});
    f.recommendation =
        "Build the index with CREATE INDEX CONCURRENTLY, as its own statement outside a "
        "transaction block; it takes SHARE UPDATE EXCLUSIVE, which lets reads and writes go on.";
    // the statement as written, with CONCURRENTLY after INDEX
    const std::string &sql = cx.statement().text;
    size_t begin = 0, at = 0;
    if (find_keyword(sql, "index", false, &begin, &at))
        f.fix_sql = sql.substr(0, at) + " CONCURRENTLY" + sql.substr(at) + ";";
    f.steps = {"Run the CREATE INDEX CONCURRENTLY statement on its own, outside BEGIN ... COMMIT.",
               "If it fails, drop the INVALID index it leaves behind before retrying."};
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration

namespace pg_advisor::review::migration {

namespace {

bool created_here(const ddl::DdlRuleContext &cx, const ddl::Name &index) {
    for (const ddl::Name &n : cx.state().created_index_names)
        if (ddl::same_table(n, index)) return true;
    return false;
}

// The object a change on an index or table is reported on: the index for DROP INDEX and
// REINDEX INDEX, the table otherwise.
std::pair<std::string, std::string> index_or_table(const ddl::DdlRuleContext &cx,
                                                   const ddl::Change &c) {
    if (c.action == Action::DropIndex || (c.action == Action::Reindex && c.reindex_kind == "index"))
        return {"index", c.target.sql()};
    if (c.action == Action::Reindex && (c.reindex_kind == "schema" || c.reindex_kind == "database"))
        return {c.reindex_kind, c.target.sql()};
    return {"table", change_table(cx, c).sql()};
}

bool concurrent_kind(Action a) {
    return a == Action::CreateIndex || a == Action::DropIndex || a == Action::Reindex ||
           a == Action::DetachPartition;
}

std::string create_index_sql(const ddl::IndexSpec &ix, const std::string &name, bool concurrently) {
    std::string sql = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    if (concurrently) sql += "CONCURRENTLY ";
    sql += quoted(name) + " ON " + ix.table.sql();
    if (!ix.method.empty() && ix.method != "btree") sql += " USING " + ix.method;
    std::string keys;
    for (const std::string &k : ix.columns) {
        bool plain = k.find_first_of("() +-*/|:'\"") == std::string::npos;
        keys += (keys.empty() ? "" : ", ") + (plain ? quoted(k) : k);
    }
    sql += " (" + keys + ")";
    if (!ix.include.empty()) sql += " INCLUDE (" + quoted_list(ix.include) + ")";
    if (ix.predicate.present()) sql += " WHERE " + ix.predicate.text;
    return sql + ";";
}

}  // namespace

void drop_index_not_concurrent(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::DropIndex || c.concurrently || created_here(cx, c.target)) return;
    ddl::Name table = change_table(cx, c);
    if (!table.empty() && no_risk(cx, table)) return;
    std::optional<ddl::IndexFacts> ix = cx.facts().index(c.target);
    if (ix && !ix->constraint.empty()) return;  // the constraint owns it: DROP INDEX fails
    review::Finding f = cx.make("index", c.target.sql(), "");
    f.title = "DROP INDEX " + c.target.plain() + " without CONCURRENTLY";
    describe_impact(f, cx, table, {LockMode::AccessExclusive, false, false});
    f.recommendation =
        "Drop the index with DROP INDEX CONCURRENTLY, as its own statement outside a transaction "
        "block: it waits for the queries using the index instead of queueing every query on the "
        "table behind its lock.";
    f.fix_sql = std::string("DROP INDEX CONCURRENTLY ") + (c.if_exists ? "IF EXISTS " : "") +
                c.target.sql() + ";";
    f.steps = {"Run DROP INDEX CONCURRENTLY on its own, outside BEGIN ... COMMIT.",
               "Drop a constraint's index with ALTER TABLE ... DROP CONSTRAINT instead."};
    cx.add(std::move(f));
}

void reindex_not_concurrent(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::Reindex || c.concurrently) return;
    ddl::Name table = change_table(cx, c);
    bool per_table = c.reindex_kind == "index" || c.reindex_kind == "table";
    if (per_table && !table.empty() && no_risk(cx, table)) return;
    auto [type, object] = index_or_table(cx, c);
    review::Finding f = cx.make(type, object, c.reindex_kind);
    std::string kind = c.reindex_kind.empty() ? std::string("index") : c.reindex_kind;
    std::string upper;
    for (char ch : kind)
        upper += static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    f.title = "REINDEX " + upper + " " + c.target.plain() + " without CONCURRENTLY";
    f.why =
        "The rebuilt indexes are locked ACCESS EXCLUSIVE too: queries whose plan uses them wait "
        "until the rebuild ends.";
    describe_impact(f, cx, per_table ? table : ddl::Name{}, {LockMode::Share, false, true});
    f.recommendation =
        "Rebuild with REINDEX ... CONCURRENTLY (PostgreSQL 12+), outside a transaction block: it "
        "builds a new copy next to the old one and swaps them, letting reads and writes go on.";
    f.fix_sql = "REINDEX " + upper + " CONCURRENTLY " + c.target.sql() + ";";
    f.steps = {"Run REINDEX ... CONCURRENTLY on its own, outside BEGIN ... COMMIT.",
               "If it fails, drop the leftover *_ccnew index (INVALID) before retrying."};
    cx.add(std::move(f));
}

void concurrent_in_transaction(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (!c.concurrently || !concurrent_kind(c.action) || !cx.state().in_transaction) return;
    auto [type, object] = index_or_table(cx, c);
    review::Finding f = cx.make(type, object, std::string(ddl::action_name(c.action)));
    f.title =
        "CONCURRENTLY inside a transaction block: " + std::string(ddl::action_name(c.action)) +
        " on " + object + " fails";
    f.why =
        "PostgreSQL refuses to run it inside BEGIN ... COMMIT (\"cannot run inside a transaction "
        "block\"): the migration stops there.";
    describe_impact(f, cx, change_table(cx, c), {change_lock(c), false, false, false});
    f.recommendation =
        "Run the statement on its own, outside the transaction: end the transaction before it, "
        "or mark the migration non-transactional (Rails disable_ddl_transaction!, Django "
        "atomic = False, Alembic autocommit_block()).";
    f.fix_sql = "COMMIT;\n" + cx.statement().text + ";";
    f.steps = {"Move the statement into a migration of its own that runs without a transaction.",
               "Keep it idempotent (IF [NOT] EXISTS) so a retry after a failure works."};
    cx.add(std::move(f));
}

void cic_timeout_misfit(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (!c.concurrently || !concurrent_kind(c.action) || c.action == Action::DetachPartition)
        return;
    int64_t timeout = cx.state().lock_timeout_ms;
    double limit = cx.threshold("migration_cic_min_lock_timeout_ms");
    if (timeout <= 0 || static_cast<double>(timeout) >= limit) return;
    ddl::Name table = change_table(cx, c);
    if (!table.empty() && no_risk(cx, table)) return;
    auto [type, object] = index_or_table(cx, c);
    review::Finding f = cx.make(type, object, std::string(ddl::action_name(c.action)));
    f.title = std::string(ddl::action_name(c.action)) + " CONCURRENTLY on " + object +
              " runs with lock_timeout " + std::to_string(timeout) + " ms";
    f.evidence.add("lock_timeout_ms", timeout).add("min_lock_timeout_ms", limit);
    f.why =
        "A concurrent build waits for every transaction older than itself, and that wait counts "
        "against lock_timeout: a short timeout cancels it midway and leaves an INVALID index "
        "behind, which still slows every write.";
    describe_impact(f, cx, table, {change_lock(c), false, c.action != Action::DropIndex, false});
    f.recommendation =
        "Give the concurrent statement a long lock_timeout (or none) and bound it with "
        "statement_timeout instead; keep the short lock_timeout for the statements that block.";
    f.fix_sql = "SET lock_timeout = 0;\n" + cx.statement().text + ";\nSET lock_timeout = '" +
                std::to_string(timeout) + "ms';";
    f.steps = {"Raise lock_timeout just for the concurrent statement.",
               "If an earlier attempt failed, drop the INVALID index it left before retrying."};
    cx.add(std::move(f));
}

namespace {

// The CREATE INDEX later in the migration that replaces the dropped index: the same name, or
// (when the database knows the dropped index) the same table and key columns.
const ddl::Change *replacement(const ddl::DdlRuleContext &cx, const ddl::Name &dropped,
                               const std::optional<ddl::IndexFacts> &ix) {
    for (size_t i = cx.index() + 1; i < cx.all().size(); i++)
        for (const ddl::Change &n : cx.all()[i].changes) {
            if (n.action != Action::CreateIndex) continue;
            if (n.object == dropped.name) return &n;
            if (ix && ddl::same_table(n.index.table, ix->table) && n.index.columns == ix->columns)
                return &n;
        }
    return nullptr;
}

void report_replacement(ddl::DdlRuleContext &cx, const ddl::Name &old_index,
                        const ddl::IndexSpec &spec, const std::string &new_name) {
    if (!spec.table.empty() && no_risk(cx, spec.table)) return;
    review::Finding f = cx.make("index", old_index.sql(), "");
    f.title = "Index " + old_index.plain() + " is dropped before its replacement exists";
    f.evidence.add("replacement", new_name).add("columns", spec.columns);
    f.why =
        "Between the DROP and the end of the new build, queries on the table run without the "
        "index (sequential scans), and a UNIQUE index stops enforcing uniqueness.";
    describe_impact(f, cx, spec.table, {change_lock(cx.change()), false, false});
    f.recommendation =
        "Build the new index concurrently first (under a temporary name when it keeps the old "
        "one's), then drop the old one concurrently.";
    // the same name: build under a temporary one and rename after the drop
    bool same = new_name == old_index.name;
    std::string build = same ? old_index.name + "_new" : new_name;
    f.fix_sql =
        create_index_sql(spec, build, true) + "\nDROP INDEX CONCURRENTLY " + old_index.sql() + ";";
    if (same)
        f.fix_sql += "\nALTER INDEX " + ddl::Name{old_index.schema, build}.sql() + " RENAME TO " +
                     quoted(new_name) + ";";
    f.steps = {"Create the replacement with CREATE INDEX CONCURRENTLY and check it is valid.",
               "Drop the old index with DROP INDEX CONCURRENTLY.",
               "Rename the replacement when it was built under a temporary name."};
    cx.add(std::move(f));
}

}  // namespace

void replace_index_order(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action == Action::DropIndex && !created_here(cx, c.target)) {
        std::optional<ddl::IndexFacts> ix = cx.facts().index(c.target);
        const ddl::Change *next = replacement(cx, c.target, ix);
        if (next != nullptr)
            report_replacement(cx, c.target, next->index,
                               next->object.empty() ? c.target.name : next->object);
        return;
    }
    // live, one statement at a time: the index being created replaces one this session dropped
    if (c.action != Action::CreateIndex || !cx.live() || c.object.empty()) return;
    for (const ddl::Name &d : cx.state().dropped_indexes)
        if (d.name == c.object) report_replacement(cx, d, c.index, c.object);
}

namespace {

using Keys = std::vector<std::string>;

// Whether an index on `keys` serves a foreign key on `fk`: its leading keys are the foreign
// key's columns, in any order.
bool covers(const Keys &keys, const Keys &fk) {
    if (fk.empty() || keys.size() < fk.size()) return false;
    for (const std::string &col : fk)
        if (std::find(keys.begin(), keys.begin() + static_cast<long>(fk.size()), col) ==
            keys.begin() + static_cast<long>(fk.size()))
            return false;
    return true;
}

void table_keys(const ddl::Change &n, std::vector<Keys> &out) {
    for (const ddl::ColumnSpec &col : n.columns)
        if (col.primary_key || col.unique) out.push_back({col.name});
    for (const ddl::Constraint &k : n.constraints)
        if (k.kind == ddl::ConstraintKind::PrimaryKey || k.kind == ddl::ConstraintKind::Unique)
            out.push_back(k.columns);
}

// Every key column list that will index the table at the end of the migration: the database's
// indexes, those created earlier (state) and anywhere in the migration, primary keys and
// unique constraints of its CREATE TABLE and of ADD CONSTRAINT.
std::vector<Keys> indexed_keys(const ddl::DdlRuleContext &cx, const ddl::Name &table) {
    std::vector<Keys> out;
    if (std::optional<ddl::TableFacts> t = table_facts(cx, table))
        for (const ddl::IndexFacts &ix : t->indexes)
            if (ix.valid && !ix.partial) out.push_back(ix.columns);
    for (const ddl::IndexSpec &ix : cx.state().created_indexes)
        if (ddl::same_table(ix.table, table) && !ix.predicate.present()) out.push_back(ix.columns);
    for (const ddl::Statement &s : cx.all())
        for (const ddl::Change &n : s.changes) {
            if (n.action == Action::CreateIndex && ddl::same_table(n.index.table, table) &&
                !n.index.predicate.present())
                out.push_back(n.index.columns);
            if (!ddl::same_table(n.target, table)) continue;
            if (n.action == Action::CreateTable) table_keys(n, out);
            if (n.action == Action::AddConstraint &&
                (n.constraint.kind == ddl::ConstraintKind::PrimaryKey ||
                 n.constraint.kind == ddl::ConstraintKind::Unique))
                out.push_back(n.constraint.columns);
        }
    return out;
}

void check_fk(ddl::DdlRuleContext &cx, const ddl::Name &table, const ddl::Constraint &fk,
              bool new_table) {
    std::vector<Keys> keys = indexed_keys(cx, table);
    for (const Keys &k : keys)
        if (covers(k, fk.columns)) return;
    std::string name = constraint_name(table, fk);
    review::Finding f = cx.make("table", table.sql(), name);
    f.title = "Foreign key " + name + " on " + table.plain() + " (" + quoted_list(fk.columns) +
              ") has no index";
    f.evidence.add("constraint", name)
        .add("columns", fk.columns)
        .add("references", fk.references.table.plain());
    if (std::optional<ddl::TableFacts> t = table_facts(cx, table); t && t->bytes >= 0)
        f.evidence.add("table_bytes", t->bytes).add("table_rows", t->rows);
    f.why = "Every DELETE on " + fk.references.table.sql() +
            " (or change of its key) looks for referencing rows in " + table.sql() +
            ": without an index on the foreign key columns that is a sequential scan of " +
            table.sql() + " per row, under a lock.";
    f.recommendation =
        "Index " + table.plain() + " (" + quoted_list(fk.columns) + ") in the same migration.";
    ddl::IndexSpec ix;
    ix.table = table;
    ix.columns = fk.columns;
    std::string index = table.name;
    for (const std::string &col : fk.columns)
        index += "_" + col;
    f.fix_sql = create_index_sql(ix, index + "_idx", !new_table);
    f.fix_key = review::index_fix_key(table.sql(), fk.columns, "");
    f.steps = {new_table ? "Create the index right after the table, in the same migration."
                         : "Create the index concurrently, outside a transaction block, before "
                           "the foreign key is added."};
    // About to run, one statement at a time: the index usually comes with the next statement
    // of the same migration (Django, Rails), which the live review cannot see yet. Logged only;
    // fk_missing_index reports the foreign key if the index never came.
    if (cx.live()) {
        f.severity = Severity::Info;
        f.why +=
            " (Reviewed live, one statement at a time: an index created later in the same "
            "migration is not seen here; fk_missing_index reports it if it never comes.)";
    }
    cx.add(std::move(f));
}

}  // namespace

void new_fk_without_index(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    bool new_table = c.action == Action::CreateTable || no_risk(cx, c.target);
    if (c.action == Action::AddConstraint && c.constraint.kind == ddl::ConstraintKind::ForeignKey) {
        check_fk(cx, c.target, c.constraint, new_table);
        return;
    }
    std::vector<ddl::ColumnSpec> columns;
    if (c.action == Action::CreateTable) columns = c.columns;
    if (c.action == Action::AddColumn) columns = {c.column_def};
    for (const ddl::ColumnSpec &col : columns)
        for (ddl::Constraint k : col.constraints)
            if (k.kind == ddl::ConstraintKind::ForeignKey) {
                if (k.columns.empty()) k.columns = {col.name};
                check_fk(cx, c.target, k, new_table);
            }
    if (c.action == Action::CreateTable)
        for (const ddl::Constraint &k : c.constraints)
            if (k.kind == ddl::ConstraintKind::ForeignKey) check_fk(cx, c.target, k, true);
}

void index_version_bug(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    int v = cx.facts().server_version();
    if (v < 140000 || v >= 140004 || !c.concurrently ||
        (c.action != Action::CreateIndex && c.action != Action::Reindex))
        return;
    auto [type, object] = index_or_table(cx, c);
    review::Finding f = cx.make(type, object, std::string(ddl::action_name(c.action)));
    f.title = "Concurrent index build on PostgreSQL " + std::to_string(v / 10000) + "." +
              std::to_string(v % 100) + " can corrupt the index";
    f.evidence.add("server_version", v);
    f.why =
        "PostgreSQL 14.0 to 14.3 can miss rows in indexes built or rebuilt CONCURRENTLY while "
        "rows are updated (fixed in 14.4).";
    f.recommendation = "Upgrade to the latest 14.x minor release first, then build the index.";
    f.steps = {"Upgrade the server to 14.4 or later.",
               "Rebuild indexes built concurrently on 14.0-14.3 with REINDEX ... CONCURRENTLY."};
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration
