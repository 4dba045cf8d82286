#include "core/review/rules/index_ddl.h"

#include <cctype>

#include "core/catalog/definitions.h"
#include "core/review/finding.h"
#include "core/review/rules/table_facts.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::ddl {

namespace {

constexpr size_t kMaxIdentifierBytes = 63;  // NAMEDATALEN - 1

bool is_partitioned(const Table &t, const Index &ix) {
    return t.relkind == 'p' || ix.relkind == 'I';
}

// Cuts a name to at most `bytes` bytes without splitting a UTF-8 character.
std::string truncate_name(const std::string &s, size_t bytes) {
    if (s.size() <= bytes) return s;
    size_t n = bytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        n--;
    return s.substr(0, n);
}

}  // namespace

std::string index_definition(const Table &t, const Index &ix) {
    return !ix.definition.empty() ? ix.definition : catalog::index_definition(t, ix);
}

std::string recreate_index(const Table &t, const Index &ix) {
    std::string def = ddl::index_definition(t, ix);
    if (def.empty()) return "";
    // The server prints a partitioned index ON ONLY; recreated that way it would stay invalid
    // without its partitions' indexes.
    size_t only = def.find(" ON ONLY ");
    if (only != std::string::npos) def.erase(only + 3, 5);
    if (!is_partitioned(t, ix)) {
        for (const char *head : {"CREATE UNIQUE INDEX ", "CREATE INDEX "}) {
            std::string h = head;
            if (def.compare(0, h.size(), h) == 0) {
                def = h + "CONCURRENTLY " + def.substr(h.size());
                break;
            }
        }
    }
    return def + ";";
}

std::string drop_index(const std::string &schema, const std::string &name, bool partitioned) {
    return std::string(partitioned ? "DROP INDEX " : "DROP INDEX CONCURRENTLY ") +
           catalog::qualified_name(schema, name) + ";";
}

std::string drop_index(const Table &t, const Index &ix) {
    return drop_index(t.schema, ix.name, is_partitioned(t, ix));
}

void NameRegistry::collect() {
    collected_ = true;
    for (const Table &t : cat_.tables) {
        taken_.insert(t.schema + '\0' + t.name);
        for (const Index &ix : t.indexes)
            taken_.insert(t.schema + '\0' + ix.name);
    }
    for (const catalog::Sequence &s : cat_.sequences)
        taken_.insert(s.schema + '\0' + s.name);
}

std::string NameRegistry::choose(const std::string &schema, const std::string &table,
                                 const std::vector<std::string> &columns,
                                 const std::string &suffix) {
    if (!collected_) collect();
    std::string middle;
    for (const std::string &c : columns)
        middle += (middle.empty() ? "" : "_") + c;
    std::string base = middle.empty() ? table : table + "_" + middle;
    for (int n = 0;; n++) {
        std::string tail = "_" + suffix + (n ? std::to_string(n) : "");
        std::string name = truncate_name(base, kMaxIdentifierBytes - tail.size()) + tail;
        if (taken_.insert(schema + '\0' + name).second) return name;
    }
}

std::string create_index(const Table &t, const NewIndex &ix, const PartitionMap &partitions,
                         NameRegistry &names) {
    std::string head = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    std::string tail = " USING " + ix.method + " (" + ix.keys_sql + ")" + ix.options_sql +
                       (ix.predicate.empty() ? "" : " WHERE " + ix.predicate) + ";";
    if (t.relkind != 'p')
        return head + "CONCURRENTLY " + catalog::quote_ident(ix.name) + " ON " + t.qualified() +
               tail;
    std::string sql = head + catalog::quote_ident(ix.name) + " ON ONLY " + t.qualified() + tail;
    auto it = partitions.find(t.oid);
    if (it == partitions.end()) return sql;
    for (const Table *p : it->second) {
        NewIndex child = ix;
        child.name = names.choose(p->schema, p->name, ix.name_columns, "idx");
        sql += "\n" + create_index(*p, child, partitions, names);
        sql += "\nALTER INDEX " + catalog::qualified_name(t.schema, ix.name) +
               " ATTACH PARTITION " + catalog::qualified_name(p->schema, child.name) + ";";
    }
    return sql;
}

std::string drop_new_index(const Table &t, const NewIndex &ix) {
    // Dropping a partitioned index drops the partitions' indexes attached to it.
    return drop_index(t.schema, ix.name, t.relkind == 'p');
}

std::string created_index_name(const std::string &sql) {
    // CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON ...
    size_t i = 0;
    auto skip_space = [&] {
        while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i])))
            i++;
    };
    auto word = [&](std::string *raw) {
        skip_space();
        std::string out;
        if (i < sql.size() && sql[i] == '"') {
            i++;
            while (i < sql.size()) {
                if (sql[i] == '"' && i + 1 < sql.size() && sql[i + 1] == '"') {
                    out += '"';
                    i += 2;
                } else if (sql[i] == '"') {
                    i++;
                    break;
                } else {
                    out += sql[i++];
                }
            }
            if (raw) *raw = "\"";
            return out;
        }
        while (i < sql.size() && !std::isspace(static_cast<unsigned char>(sql[i])) && sql[i] != '(')
            out += sql[i++];
        if (raw) *raw = out;
        std::string lower;
        for (char ch : out)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return lower;
    };
    std::string w = word(nullptr);
    if (w != "create") return "";
    w = word(nullptr);
    if (w == "unique") w = word(nullptr);
    if (w != "index") return "";
    std::string raw;
    w = word(&raw);
    if (w == "concurrently" && raw != "\"") w = word(&raw);
    if (w == "if" && raw != "\"") {
        word(nullptr);  // not
        word(nullptr);  // exists
        w = word(&raw);
    }
    if (w == "on" && raw != "\"") return "";
    return w;  // quoted names keep their case; unquoted ones fold to lower case
}

namespace {

std::string named_ddl(const workload::IndexAdviceEvidence &a, const Table *t, NameRegistry &names,
                      std::string *name) {
    *name = created_index_name(a.ddl);
    if (!name->empty() || t == nullptr) return a.ddl;
    std::vector<std::string> parts;
    for (const std::string &k : a.key_columns) {
        std::string p;
        for (char ch : k) {
            if (ch == ' ') break;  // "created_at DESC"
            if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') p += ch;
        }
        parts.push_back(p.empty() ? "expr" : p);
    }
    *name = names.choose(t->schema, t->name, parts, "idx");
    std::string ddl = a.ddl;
    for (const char *head : {"CREATE INDEX CONCURRENTLY ", "CREATE UNIQUE INDEX CONCURRENTLY ",
                             "CREATE INDEX ", "CREATE UNIQUE INDEX "}) {
        std::string h = head;
        if (ddl.compare(0, h.size(), h) == 0)
            return h + catalog::quote_ident(*name) + " " + ddl.substr(h.size());
    }
    name->clear();  // not a statement we can name
    return a.ddl;
}

std::string terminated(std::string sql) {
    while (!sql.empty() && (sql.back() == ' ' || sql.back() == '\n'))
        sql.pop_back();
    if (!sql.empty() && sql.back() != ';') sql += ';';
    return sql;
}

// The schema of a qualified name as findings spell it ("public"."t", public.t): unquoted.
std::string schema_of(const std::string &relation) {
    std::string out;
    size_t i = 0;
    if (!relation.empty() && relation[0] == '"') {
        for (i = 1; i < relation.size(); i++) {
            if (relation[i] != '"') {
                out += relation[i];
            } else if (i + 1 < relation.size() && relation[i + 1] == '"') {
                out += '"';
                i++;
            } else {
                break;
            }
        }
        // A quoted name without a schema ("t"): none.
        return i + 1 < relation.size() && relation[i + 1] == '.' ? out : "";
    }
    size_t dot = relation.find('.');
    return dot == std::string::npos ? "" : relation.substr(0, dot);
}

}  // namespace

std::string recommended_index(const workload::IndexAdviceEvidence &a, const Table *t,
                              NameRegistry &names, std::string *name) {
    return terminated(named_ddl(a, t, names, name));
}

IndexFix recommended_index_fix(const workload::IndexAdviceEvidence &a, const Table *t,
                               NameRegistry &names) {
    IndexFix fix;
    fix.fix_sql = recommended_index(a, t, names, &fix.name);
    fix.fix_key = index_fix_key(a.relation, a.key_columns, a.predicate);
    if (!fix.name.empty())
        fix.undo_sql =
            drop_index(t ? t->schema : schema_of(a.relation), fix.name, t && t->relkind == 'p');
    return fix;
}

}  // namespace pg_advisor::review::ddl
