// Live facts over libpq (see live_facts.h).
#include "cli/libpq/live_facts.h"

#include "cli/libpq/connection.h"
#include "core/catalog/catalog_snapshot.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <stdexcept>

namespace pg_advisor::cli {

namespace {

// Resolves a relation (or type) name the way the migration's session would: qualified as
// written, or the first schema of the session's search_path that has it.
const char *const kResolve =
    "SELECT c.oid::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relname = $1 AND c.relkind = ANY (string_to_array($3, ',')::\"char\"[]) "
    "AND CASE WHEN $2 = '' THEN n.nspname = ANY ($4::text[]) ELSE n.nspname = $2 END "
    "ORDER BY array_position($4::text[], n.nspname::text) NULLS LAST LIMIT 1";

const char *const kTable =
    "SELECT n.nspname, c.relname, c.relkind = 'p', "
    "CASE WHEN c.relkind = 'p' THEN (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0) "
    "FROM pg_partition_tree(c.oid) t) ELSE pg_total_relation_size(c.oid) END, "
    "CASE WHEN c.relkind = 'p' THEN (SELECT sum(greatest(r.reltuples, 0)) FROM "
    "pg_partition_tree(c.oid) t JOIN pg_class r ON r.oid = t.relid WHERE t.isleaf) "
    "ELSE c.reltuples END "
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::oid";

const char *const kColumns =
    "SELECT a.attname, CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN e.typname "
    "ELSE t.typname END, CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN en.nspname "
    "ELSE tn.nspname END, a.atttypmod, a.attnotnull, t.typcategory = 'A' AND t.typelem <> 0 "
    "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
    "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
    "LEFT JOIN pg_type e ON e.oid = t.typelem LEFT JOIN pg_namespace en ON en.oid = e.typnamespace "
    "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

// Index rows: name, schema, table, table schema, unique, primary, valid, partial, constraint,
// bytes, key columns joined by a unit separator.
const char *const kIndexes =
    "SELECT ic.relname, n.nspname, tc.relname, tn.nspname, i.indisunique, i.indisprimary, "
    "i.indisvalid, i.indpred IS NOT NULL, "
    "coalesce((SELECT conname FROM pg_constraint WHERE conindid = i.indexrelid AND "
    "contype IN ('p', 'u', 'x') LIMIT 1), ''), pg_relation_size(ic.oid), "
    "(SELECT string_agg(pg_get_indexdef(i.indexrelid, k, true), E'\\x1f' ORDER BY k) "
    "FROM generate_series(1, i.indnkeyatts) k) "
    "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
    "JOIN pg_namespace n ON n.oid = ic.relnamespace JOIN pg_class tc ON tc.oid = i.indrelid "
    "JOIN pg_namespace tn ON tn.oid = tc.relnamespace WHERE ";

const char *const kLocks =
    "SELECT l.pid, l.mode, l.granted, "
    "coalesce(extract(epoch FROM now() - a.xact_start), 0)::float8, coalesce(a.state, ''), "
    "coalesce(left(a.query, 200), '') FROM pg_locks l "
    "LEFT JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'relation' "
    "AND l.relation = $1::oid AND l.database = (SELECT oid FROM pg_database WHERE datname = "
    "current_database()) AND l.pid <> pg_backend_pid() ORDER BY l.granted DESC, l.pid";

// A word match for an identifier inside a query text (PostgreSQL regex: \m ... \M).
std::string word_regex(const std::string &identifier) {
    std::string out = "\\m";
    for (char c : identifier) {
        if (std::string_view("\\.^$|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out + "\\M";
}

std::string key(const ddl::Name &n) {
    return n.schema + "\x1f" + n.name;
}

bool truthy(const std::optional<std::string> &v) {
    return v && *v == "t";
}

}  // namespace

std::vector<int64_t> decode_typmod(const std::string &type, int typmod) {
    if (typmod < 0) return {};
    if (type == "varchar" || type == "bpchar") return {typmod - 4};
    if (type == "numeric") {
        int v = typmod - 4;
        return {(v >> 16) & 0xffff, v & 0xffff};
    }
    if (type == "timestamp" || type == "timestamptz" || type == "time" || type == "timetz" ||
        type == "bit" || type == "varbit")
        return {typmod};
    return {};
}

LibpqFacts::LibpqFacts(const std::string &dsn) {
    // Pinned like every connection of the command line; the migration's own search_path is
    // read first (qualified) to resolve its unqualified names.
    conn_ = connect_pinned(dsn, &search_path_).release();
    server_version_ = PQserverVersion(conn_);
    Rows ext = query(
        "SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON "
        "n.oid = e.extnamespace WHERE e.extname IN ('pg_advisor', 'pg_stat_statements') "
        "ORDER BY e.extname",
        {});
    for (const auto &row : ext) {
        if (*row[0] == "pg_advisor" && query_source_.empty())
            query_source_ = "advisor.query_patterns";
        if (*row[0] == "pg_stat_statements") pgss_schema_ = *row[1];
    }
    if (query_source_.empty() && !pgss_schema_.empty()) query_source_ = "pg_stat_statements";
}

LibpqFacts::~LibpqFacts() {
    if (conn_) PQfinish(conn_);
}

LibpqFacts::Rows LibpqFacts::query(const std::string &sql,
                                   const std::vector<std::string> &params) const {
    std::vector<const char *> values;
    for (const std::string &p : params)
        values.push_back(p.c_str());
    PGresult *res = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0);
    std::unique_ptr<PGresult, decltype(&PQclear)> guard(res, &PQclear);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        throw std::runtime_error("reading the database's facts: " + last_error(conn_));
    Rows rows;
    for (int r = 0; r < PQntuples(res); r++) {
        std::vector<std::optional<std::string>> row;
        for (int c = 0; c < PQnfields(res); c++)
            row.push_back(PQgetisnull(res, r, c)
                              ? std::nullopt
                              : std::optional<std::string>(PQgetvalue(res, r, c)));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<std::string> LibpqFacts::relation_oid(const ddl::Name &name,
                                                    const char *kinds) const {
    Rows r = query(kResolve, {name.name, name.schema, kinds, search_path_});
    if (r.empty() || !r[0][0]) return std::nullopt;
    return *r[0][0];
}

std::vector<ddl::ColumnFacts> LibpqFacts::columns(const std::string &oid) const {
    std::vector<ddl::ColumnFacts> out;
    for (const auto &row : query(kColumns, {oid})) {
        ddl::ColumnFacts c;
        c.name = row[0].value_or("");
        c.type.name = row[1].value_or("");
        std::string schema = row[2].value_or("");
        if (schema != "pg_catalog") c.type.schema = schema;
        c.type.modifiers = decode_typmod(c.type.name, std::atoi(row[3].value_or("-1").c_str()));
        c.not_null = truthy(row[4]);
        c.type.array = truthy(row[5]);
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<ddl::IndexFacts> LibpqFacts::indexes(const std::string &where,
                                                 const std::string &param) const {
    std::vector<ddl::IndexFacts> out;
    for (const auto &row : query(std::string(kIndexes) + where + " ORDER BY ic.relname", {param})) {
        ddl::IndexFacts ix;
        ix.name = {row[1].value_or(""), row[0].value_or("")};
        ix.table = {row[3].value_or(""), row[2].value_or("")};
        ix.unique = truthy(row[4]);
        ix.primary = truthy(row[5]);
        ix.valid = truthy(row[6]);
        ix.partial = truthy(row[7]);
        ix.constraint = row[8].value_or("");
        ix.bytes = std::strtoll(row[9].value_or("-1").c_str(), nullptr, 10);
        std::string cols = row[10].value_or("");
        size_t start = 0;
        while (!cols.empty()) {
            size_t sep = cols.find('\x1f', start);
            ix.columns.push_back(cols.substr(start, sep - start));
            if (sep == std::string::npos) break;
            start = sep + 1;
        }
        out.push_back(std::move(ix));
    }
    return out;
}

std::optional<ddl::TableFacts> LibpqFacts::table(const ddl::Name &name) const {
    auto it = tables_.find(key(name));
    if (it != tables_.end()) return it->second;
    std::optional<ddl::TableFacts> facts;
    if (std::optional<std::string> oid = relation_oid(name, "r,p,m,f")) {
        Rows r = query(kTable, {*oid});
        if (!r.empty()) {
            ddl::TableFacts t;
            t.name = {r[0][0].value_or(""), r[0][1].value_or("")};
            t.partitioned = truthy(r[0][2]);
            t.bytes = std::strtoll(r[0][3].value_or("-1").c_str(), nullptr, 10);
            t.rows = r[0][4] ? std::strtod(r[0][4]->c_str(), nullptr) : -1;
            if (t.rows < 0) t.rows = -1;
            t.columns = columns(*oid);
            t.indexes = indexes("i.indrelid = $1::oid", *oid);
            facts = std::move(t);
        }
    }
    tables_[key(name)] = facts;
    return facts;
}

std::optional<ddl::IndexFacts> LibpqFacts::index(const ddl::Name &name) const {
    auto it = indexes_.find(key(name));
    if (it != indexes_.end()) return it->second;
    std::optional<ddl::IndexFacts> facts;
    if (std::optional<std::string> oid = relation_oid(name, "i,I")) {
        std::vector<ddl::IndexFacts> found = indexes("i.indexrelid = $1::oid", *oid);
        if (!found.empty()) facts = std::move(found[0]);
    }
    indexes_[key(name)] = facts;
    return facts;
}

std::vector<ddl::QueryUse> LibpqFacts::queries_using(const ddl::Name &table,
                                                     const std::string &column) const {
    std::string k = key(table) + "\x1f" + column;
    auto it = uses_.find(k);
    if (it != uses_.end()) return it->second;
    std::vector<ddl::QueryUse> out;
    std::string from;
    if (query_source_ == "advisor.query_patterns")
        from = "advisor.query_patterns WHERE command <> 'UTILITY' AND ";
    else if (query_source_ == "pg_stat_statements")
        from = catalog::quote_ident(pgss_schema_) + ".pg_stat_statements WHERE ";
    if (!from.empty()) {
        std::string sql =
            "SELECT queryid::text, query, calls::text FROM " + from +
            "dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND query ~* $1 AND ($2 = '' OR query ~* $2) AND query !~* "
            "'^\\s*(alter|create|drop|comment|grant|revoke|truncate|reindex|vacuum|analyze)\\M' "
            "ORDER BY calls DESC, query LIMIT 20";
        for (const auto &row :
             query(sql, {word_regex(table.name), column.empty() ? "" : word_regex(column)})) {
            ddl::QueryUse u;
            u.queryid =
                static_cast<uint64_t>(std::strtoll(row[0].value_or("0").c_str(), nullptr, 10));
            u.text = row[1].value_or("");
            u.calls = std::strtoll(row[2].value_or("0").c_str(), nullptr, 10);
            out.push_back(std::move(u));
        }
    }
    uses_[k] = out;
    return out;
}

std::vector<ddl::LockHolder> LibpqFacts::conflicting_locks(const ddl::Name &table,
                                                           ddl::LockMode mode) const {
    std::string k = key(table) + "\x1f" + std::to_string(static_cast<int>(mode));
    auto it = locks_.find(k);
    if (it != locks_.end()) return it->second;
    std::vector<ddl::LockHolder> out;
    if (std::optional<std::string> oid = relation_oid(table, "r,p,m,f")) {
        for (const auto &row : query(kLocks, {*oid})) {
            ddl::LockHolder h;
            h.pid = std::atoi(row[0].value_or("0").c_str());
            h.mode = row[1].value_or("");
            h.granted = truthy(row[2]);
            h.xact_seconds = std::strtod(row[3].value_or("0").c_str(), nullptr);
            h.state = row[4].value_or("");
            h.query = row[5].value_or("");
            if (ddl::locks_conflict(mode, ddl::lock_mode_of(h.mode))) out.push_back(std::move(h));
        }
    }
    locks_[k] = out;
    return out;
}

std::optional<char> LibpqFacts::function_volatility(const std::string &name) const {
    auto it = volatility_.find(name);
    if (it != volatility_.end()) return it->second;
    // the most volatile of the overloads ('i' < 's' < 'v')
    Rows r = query("SELECT max(provolatile::text) FROM pg_proc WHERE proname = $1", {name});
    std::optional<char> v;
    if (!r.empty() && r[0][0] && !r[0][0]->empty()) v = (*r[0][0])[0];
    volatility_[name] = v;
    return v;
}

std::vector<std::string> LibpqFacts::enum_labels(const ddl::Name &type) const {
    auto it = labels_.find(key(type));
    if (it != labels_.end()) return it->second;
    std::vector<std::string> out;
    Rows r = query(
        "SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = (SELECT t.oid FROM pg_type t "
        "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = $1 AND t.typtype = 'e' "
        "AND CASE WHEN $2 = '' THEN n.nspname = ANY ($3::text[]) ELSE n.nspname = $2 END "
        "ORDER BY array_position($3::text[], n.nspname::text) NULLS LAST LIMIT 1) "
        "ORDER BY e.enumsortorder",
        {type.name, type.schema, search_path_});
    for (const auto &row : r)
        out.push_back(row[0].value_or(""));
    labels_[key(type)] = out;
    return out;
}

}  // namespace pg_advisor::cli
