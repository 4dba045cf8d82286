// The server's Facts for the migration linter (see server_facts.h).
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/report/json_writer.h"
#include "core/ddl/facts.h"
#include "core/sql/sql_tokens.h"

extern "C" {
#include "postgres.h"

#include <sys/stat.h>

#include "catalog/namespace.h"
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_type.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
}

#include "pg/boundary/lock_scope.h"
#include "pg/boundary/pg_guard.h"
#include "pg/catalog/snapshot_spi.h"
#include "pg/ddl/server_facts.h"
#include "pg/indexes/captured_workload.h"
#include "pg/shmem/shared_state.h"

using namespace pg_advisor::ddl;
using DName = pg_advisor::ddl::Name;
using pg_advisor::catalog::Row;

namespace {

std::string key_of(const DName &n) {
    return n.schema + "." + n.name;
}

std::string cell(const Row &row, size_t i) {
    return i < row.size() && row[i] ? *row[i] : std::string();
}

// Bytes of a relation's main fork: its segment files (path, path.1, ...) under the data
// directory; 0 when it has none.
int64_t file_bytes(const std::string &path) {
    if (path.empty()) return 0;
    int64_t total = 0;
    for (int segment = 0;; segment++) {
        std::string p = segment == 0 ? path : path + "." + std::to_string(segment);
        struct stat st;
        if (stat(p.c_str(), &st) != 0) break;
        total += st.st_size;
    }
    return total;
}

// Parser-style modifiers of a catalog typmod.
std::vector<int64_t> modifiers_of(const std::string &type, int typmod) {
    if (typmod < 0) return {};
    if (type == "varchar" || type == "bpchar") return {typmod - 4};
    if (type == "numeric") return {((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff};
    if (type == "timestamp" || type == "timestamptz" || type == "time" || type == "timetz" ||
        type == "bit" || type == "varbit")
        return {typmod};
    return {};
}

std::vector<std::string> split(const std::string &s, char sep) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    size_t start = 0;
    for (;;) {
        size_t at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) break;
        start = at + 1;
    }
    return out;
}

// "a, f(b, c), (d)" -> {"a", "f(b, c)", "(d)"}: split at commas outside parentheses and quotes.
std::vector<std::string> split_top_level(const std::string &s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    int depth = 0;
    char quote = 0;
    size_t start = 0;
    for (size_t i = 0; i < s.size(); i++) {
        char c = s[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[') {
            depth++;
        } else if (c == ')' || c == ']') {
            depth--;
        } else if (c == ',' && depth == 0) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
            while (start < s.size() && s[start] == ' ')
                start++;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

std::vector<std::string> identifiers(const std::string &text) {
    std::vector<std::string> out;
    for (const pg_advisor::sql::Token &t : pg_advisor::sql::tokenize(text)) {
        if (t.kind == pg_advisor::sql::TokenKind::Word) {
            std::string w(t.text);
            for (char &c : w)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.push_back(std::move(w));
        } else if (t.kind == pg_advisor::sql::TokenKind::QuotedIdent && t.text.size() >= 2) {
            out.emplace_back(t.text.substr(1, t.text.size() - 2));
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool has(const std::vector<std::string> &sorted, const std::string &s) {
    return std::binary_search(sorted.begin(), sorted.end(), s);
}

// The relation a name resolves to through the session's search_path, without a lock, when the
// calling role holds some privilege on it (InvalidOid otherwise).
Oid visible_relation(const DName &name, Oid *table) {
    const char *schema = name.schema.empty() ? nullptr : name.schema.c_str();
    const char *rel = name.name.c_str();
    Oid relid = InvalidOid;
    pga_pg_subxact([&] {
        RangeVar *rv = makeRangeVar(const_cast<char *>(schema), const_cast<char *>(rel), -1);
        relid = RangeVarGetRelid(rv, NoLock, true);
        if (!OidIsValid(relid)) return;
        *table = relid;
        if (get_rel_relkind(relid) == RELKIND_INDEX ||
            get_rel_relkind(relid) == RELKIND_PARTITIONED_INDEX)
            *table = IndexGetRelation(relid, true);
        const AclMode any = ACL_SELECT | ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE |
                            ACL_REFERENCES | ACL_TRIGGER;
        if (!OidIsValid(*table) || pg_class_aclmask(*table, GetUserId(), any, ACLMASK_ANY) == 0)
            relid = InvalidOid;
    });
    return relid;
}

std::string oid_text(Oid oid) {
    return std::to_string(static_cast<unsigned>(oid));
}

std::vector<ColumnFacts> read_columns(Oid relid) {
    std::vector<ColumnFacts> out;
    for (const Row &r : pga_spi_rows(
             "SELECT a.attname, CASE WHEN e.oid IS NOT NULL THEN en.nspname ELSE tn.nspname END, "
             "coalesce(e.typname, t.typname), a.atttypmod, a.attnotnull, e.oid IS NOT NULL "
             "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
             "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
             "LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typlen = -1 AND t.typelem <> 0 "
             "LEFT JOIN pg_namespace en ON en.oid = e.typnamespace "
             "WHERE a.attrelid = " +
             oid_text(relid) + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
        ColumnFacts c;
        c.name = cell(r, 0);
        std::string schema = cell(r, 1);
        c.type.schema = schema == "pg_catalog" ? std::string() : schema;
        c.type.name = cell(r, 2);
        c.type.modifiers = modifiers_of(c.type.name, std::atoi(cell(r, 3).c_str()));
        c.not_null = cell(r, 4) == "t";
        c.type.array = cell(r, 5) == "t";
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<IndexFacts> read_indexes(Oid relid, const DName &table) {
    std::vector<IndexFacts> out;
    // Deparsing index expressions opens the table (AccessShareLock): only when nobody holds a
    // conflicting lock (the lock ends with the prefetch's subtransaction); "(expression)"
    // otherwise.
    bool deparse = false;
    pga_pg_subxact([&] { deparse = ConditionalLockRelationOid(relid, AccessShareLock); });
    for (const Row &r : pga_spi_rows(
             "SELECT n.nspname, ic.relname, x.indisunique, x.indisprimary, x.indisvalid, "
             "x.indpred IS NOT NULL, coalesce((SELECT c.conname FROM pg_constraint c WHERE "
             "c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', "
             "'x') LIMIT 1), ''), pg_relation_filepath(x.indexrelid), array_to_string(ARRAY("
             "SELECT coalesce(a.attname, '') FROM unnest(x.indkey::int2[]) WITH ORDINALITY "
             "k(attnum, n) LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = "
             "k.attnum WHERE k.n <= x.indnkeyatts ORDER BY k.n), E'\\x1f'), "
             "CASE WHEN " +
             std::string(deparse ? "true" : "false") +
             " THEN pg_get_expr(x.indexprs, x.indrelid) END FROM pg_index x JOIN pg_class ic "
             "ON ic.oid = "
             "x.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace WHERE x.indrelid = " +
             oid_text(relid) + " ORDER BY ic.relname")) {
        IndexFacts i;
        i.name = {cell(r, 0), cell(r, 1)};
        i.table = table;
        i.unique = cell(r, 2) == "t";
        i.primary = cell(r, 3) == "t";
        i.valid = cell(r, 4) == "t";
        i.partial = cell(r, 5) == "t";
        i.constraint = cell(r, 6);
        i.bytes = file_bytes(cell(r, 7));
        // Expression keys ('' in the column list) in order from the expressions' text
        // (pg_get_indexdef would wait for the table's lock).
        i.columns = split(cell(r, 8), '\x1f');
        std::vector<std::string> exprs = split_top_level(cell(r, 9));
        size_t next = 0;
        for (std::string &c : i.columns)
            if (c.empty()) c = next < exprs.size() ? exprs[next++] : "(expression)";
        out.push_back(std::move(i));
    }
    return out;
}

// Heap, TOAST and index bytes of the table (and its partitions), and its rows.
void read_size(Oid relid, TableFacts &t) {
    std::string tree =
        "WITH RECURSIVE tree(r) AS (SELECT " + oid_text(relid) +
        "::oid UNION ALL SELECT i.inhrelid FROM pg_inherits i JOIN tree ON i.inhparent = tree.r "
        "JOIN pg_class p ON p.oid = tree.r AND p.relkind = 'p') ";
    t.bytes = 0;
    for (const Row &r : pga_spi_rows(
             tree + "SELECT pg_relation_filepath(c.oid) FROM tree JOIN pg_class c ON c.oid = "
                    "tree.r UNION ALL SELECT pg_relation_filepath(c.reltoastrelid) FROM tree "
                    "JOIN pg_class c ON c.oid = tree.r WHERE c.reltoastrelid <> 0 UNION ALL "
                    "SELECT pg_relation_filepath(x.indexrelid) FROM tree JOIN pg_index x ON "
                    "x.indrelid = tree.r"))
        t.bytes += file_bytes(cell(r, 0));
    for (const Row &r : pga_spi_rows(
             tree + "SELECT sum(c.reltuples) FILTER (WHERE c.relkind <> 'p' AND c.reltuples >= "
                    "0), count(*) FILTER (WHERE c.relkind <> 'p' AND c.reltuples < 0) FROM tree "
                    "JOIN pg_class c ON c.oid = tree.r")) {
        bool unknown = !r[0] || cell(r, 1) != "0";
        t.rows = unknown ? -1 : std::atof(cell(r, 0).c_str());
    }
}

void add_column_exprs(const ColumnSpec &col, std::vector<const pg_advisor::ddl::Expr *> &out) {
    out.push_back(&col.default_value);
    for (const pg_advisor::ddl::Constraint &k : col.constraints)
        out.push_back(&k.check);
}

// Every expression of a change (defaults, CHECKs, USING, index expressions' predicate).
std::vector<const pg_advisor::ddl::Expr *> expressions(const Change &c) {
    std::vector<const pg_advisor::ddl::Expr *> out{&c.using_expr, &c.constraint.check,
                                                   &c.index.predicate};
    add_column_exprs(c.column_def, out);
    for (const ColumnSpec &col : c.columns)
        add_column_exprs(col, out);
    for (const pg_advisor::ddl::Constraint &k : c.constraints)
        out.push_back(&k.check);
    return out;
}

}  // namespace

const PgaServerFacts::Table *PgaServerFacts::find(const DName &name) const {
    auto k = table_keys_.find(key_of(name));
    if (k == table_keys_.end()) return nullptr;
    auto t = tables_.find(k->second);
    return t == tables_.end() ? nullptr : &t->second;
}

void PgaServerFacts::read_table(const DName &name) {
    if (name.empty() || table_keys_.count(key_of(name))) return;
    table_keys_[key_of(name)] = "";
    Oid table = InvalidOid;
    Oid relid = visible_relation(name, &table);
    if (!OidIsValid(relid) || relid != table) return;
    Table t;
    for (const Row &r : pga_spi_rows(
             "SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON "
             "n.oid = c.relnamespace WHERE c.oid = " +
             oid_text(relid))) {
        t.facts.name = {cell(r, 0), cell(r, 1)};
        t.facts.partitioned = cell(r, 2) == "p";
    }
    if (t.facts.name.empty()) return;
    std::string key = key_of(t.facts.name);
    table_keys_[key_of(name)] = key;
    table_keys_[key] = key;
    if (tables_.count(key)) return;
    read_size(relid, t.facts);
    t.facts.columns = read_columns(relid);
    t.facts.indexes = read_indexes(relid, t.facts.name);
    for (const IndexFacts &i : t.facts.indexes)
        indexes_[key_of(i.name)] = i;
    for (const Row &r : pga_spi_rows(
             "SELECT l.pid, l.mode, l.granted, coalesce(extract(epoch FROM now() - "
             "a.xact_start), 0), coalesce(a.state, ''), coalesce(left(a.query, 200), '') FROM "
             "pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = "
             "'relation' AND l.relation = " +
             oid_text(relid) +
             " AND l.database = (SELECT oid FROM pg_database WHERE datname = "
             "current_database()) AND l.pid IS NOT NULL AND l.pid <> pg_backend_pid() ORDER BY "
             "l.pid, l.mode")) {
        Held h;
        h.holder.pid = std::atoi(cell(r, 0).c_str());
        h.holder.mode = cell(r, 1);
        h.holder.granted = cell(r, 2) == "t";
        h.holder.xact_seconds = std::atof(cell(r, 3).c_str());
        h.holder.state = cell(r, 4);
        h.holder.query = cell(r, 5) == "<insufficient privilege>" ? "" : cell(r, 5);
        h.mode = pg_advisor::ddl::lock_mode_of(h.holder.mode);
        t.locks.push_back(std::move(h));
    }
    tables_.emplace(key, std::move(t));
}

void PgaServerFacts::read_index(const DName &name) {
    if (name.empty() || indexes_.count(key_of(name))) return;
    Oid table = InvalidOid;
    Oid relid = visible_relation(name, &table);
    if (!OidIsValid(relid) || relid == table) return;
    std::string schema, rel;
    for (const Row &r :
         pga_spi_rows("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE c.oid = " +
                      oid_text(table))) {
        schema = cell(r, 0);
        rel = cell(r, 1);
    }
    if (rel.empty()) return;
    read_table({schema, rel});
    const Table *t = find({schema, rel});
    if (t == nullptr) return;
    for (const IndexFacts &i : t->facts.indexes)
        if (i.name.name == name.name && (name.schema.empty() || name.schema == i.name.schema))
            indexes_[key_of(name)] = i;
}

void PgaServerFacts::read_function(const std::string &name) {
    if (name.empty() || volatility_.count(name)) return;
    // catalog::quote_literal: an E'' literal when a backslash is in the name, so it stays one
    // literal whatever standard_conforming_strings says.
    for (const Row &r :
         pga_spi_rows("SELECT CASE WHEN bool_or(provolatile = 'v') THEN 'v' WHEN "
                      "bool_or(provolatile = 's') THEN 's' ELSE 'i' END FROM "
                      "pg_proc WHERE proname = " +
                      pg_advisor::catalog::quote_literal(name) + " HAVING count(*) > 0"))
        volatility_[name] = cell(r, 0).empty() ? 'v' : cell(r, 0)[0];
}

void PgaServerFacts::read_enum(const DName &name) {
    if (name.empty() || enums_.count(key_of(name))) return;
    enums_[key_of(name)];
    const char *schema = name.schema.empty() ? nullptr : name.schema.c_str();
    const char *type = name.name.c_str();
    Oid typid = InvalidOid;
    pga_pg_subxact([&] {
        List *names = schema ? list_make2(makeString(const_cast<char *>(schema)),
                                          makeString(const_cast<char *>(type)))
                             : list_make1(makeString(const_cast<char *>(type)));
        typid = LookupTypeNameOid(NULL, makeTypeNameFromNameList(names), true);
    });
    if (!OidIsValid(typid)) return;
    std::vector<std::string> labels;
    for (const Row &r : pga_spi_rows("SELECT enumlabel FROM pg_enum WHERE enumtypid = " +
                                     oid_text(typid) + " ORDER BY enumsortorder"))
        labels.push_back(cell(r, 0));
    enums_[key_of(name)] = std::move(labels);
}

// The captured statements (those the role may see) that name each table read.
void PgaServerFacts::read_uses() {
    if (tables_.empty() || pga_shared == nullptr) return;
    PgaCapturedWorkload workload;
    workload.read();
    for (auto &[id, s] : workload.statements) {
        std::vector<std::string> ids = identifiers(s.text);
        for (auto &[key, t] : tables_) {
            if (!has(ids, t.facts.name.name)) continue;
            Use u;
            u.query.queryid = id;
            u.query.text = s.text;
            u.query.calls = static_cast<int64_t>(s.calls);
            u.identifiers = ids;
            t.uses.push_back(std::move(u));
        }
    }
}

void PgaServerFacts::prefetch(const std::vector<Statement> &statements) {
    server_version_ = PG_VERSION_NUM;
    pga_with_released_locks([&] {
        for (const Statement &s : statements)
            for (const Change &c : s.changes) {
                switch (c.action) {
                    case Action::DropIndex:
                        read_index(c.target);
                        break;
                    case Action::Reindex:
                        if (c.reindex_kind == "index") read_index(c.target);
                        if (c.reindex_kind == "table") read_table(c.target);
                        break;
                    case Action::AlterEnumAddValue:
                    case Action::AlterEnumRenameValue:
                        read_enum(c.target);
                        break;
                    case Action::RenameSchema:
                    case Action::DropSchema:
                    case Action::DropDatabase:
                    case Action::CreateDomain:
                    case Action::AlterDomainAddConstraint:
                    case Action::Begin:
                    case Action::Commit:
                    case Action::Rollback:
                    case Action::Set:
                        break;
                    default:
                        read_table(c.target);
                        break;
                }
                read_table(c.index.table);
                read_table(c.constraint.references.table);
                for (const pg_advisor::ddl::Expr *e : expressions(c))
                    for (const std::string &f : e->functions)
                        read_function(f);
            }
    });
    // The captured workload is copied only for the drops and renames whose rules ask for it.
    for (const Statement &s : statements)
        for (const pg_advisor::ddl::Change &c : s.changes)
            if (pg_advisor::ddl::asks_captured_queries(c)) return read_uses();
}

std::optional<TableFacts> PgaServerFacts::table(const DName &name) const {
    const Table *t = find(name);
    if (t == nullptr) return std::nullopt;
    return t->facts;
}

std::optional<IndexFacts> PgaServerFacts::index(const DName &name) const {
    auto i = indexes_.find(key_of(name));
    if (i == indexes_.end()) return std::nullopt;
    return i->second;
}

std::vector<QueryUse> PgaServerFacts::queries_using(const DName &table,
                                                    const std::string &column) const {
    std::vector<QueryUse> out;
    const Table *t = find(table);
    if (t == nullptr) return out;
    for (const Use &u : t->uses)
        if (column.empty() || has(u.identifiers, column)) out.push_back(u.query);
    return out;
}

std::vector<LockHolder> PgaServerFacts::conflicting_locks(const DName &table, LockMode mode) const {
    std::vector<LockHolder> out;
    const Table *t = find(table);
    if (t == nullptr) return out;
    for (const Held &h : t->locks)
        if (pg_advisor::ddl::locks_conflict(mode, h.mode)) out.push_back(h.holder);
    return out;
}

std::optional<char> PgaServerFacts::function_volatility(const std::string &name) const {
    auto v = volatility_.find(name);
    if (v == volatility_.end()) return std::nullopt;
    return v->second;
}

std::vector<std::string> PgaServerFacts::enum_labels(const DName &type) const {
    auto e = enums_.find(key_of(type));
    return e == enums_.end() ? std::vector<std::string>() : e->second;
}

std::string PgaServerFacts::other_json() const {
    pg_advisor::report::JsonWriter w;
    w.begin_object().field("server_version", int64_t{server_version_});
    w.key("functions").begin_object();
    for (const auto &[name, v] : volatility_)
        w.field(name, std::string(1, v));
    w.end_object().key("enums").begin_object();
    for (const auto &[name, labels] : enums_) {
        w.key(name).begin_array();
        for (const std::string &label : labels)
            w.string(label);
        w.end_array();
    }
    w.end_object().end_object();
    return w.take();
}
