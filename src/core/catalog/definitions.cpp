#include "core/catalog/definitions.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

namespace {

std::string column_sql(const Table &t, int16_t attnum) {
    for (const Column &c : t.columns)
        if (c.attnum == attnum) return quote_ident(c.name);
    return "";
}

std::string column_list(const Table &t, const std::vector<int16_t> &attnums) {
    std::string out;
    for (int16_t a : attnums) {
        std::string c = column_sql(t, a);
        if (c.empty()) return "";
        out += (out.empty() ? "" : ", ") + c;
    }
    return out;
}

// An expression key: as is when it is one parenthesised expression, else in parentheses.
std::string expression_key(const std::string &e) {
    if (e.size() >= 2 && e.front() == '(' && e.back() == ')') {
        int depth = 0;
        bool whole = true;
        for (size_t i = 0; i < e.size() && whole; i++) {
            depth += e[i] == '(' ? 1 : e[i] == ')' ? -1 : 0;
            whole = depth > 0 || i + 1 == e.size();
        }
        if (whole) return e;
    }
    return "(" + e + ")";
}

// An operator class or collation name, qualified unless it is in pg_catalog.
std::string in_schema(const std::vector<std::string> &schemas, size_t k, const std::string &name) {
    if (k < schemas.size() && !schemas[k].empty()) return qualified_name(schemas[k], name);
    return quote_ident(name);
}

// One key: column or expression, collation, operator class (when not the default), order.
std::string index_key(const Table &t, const Index &ix, size_t k) {
    std::string s;
    if (ix.keys[k] != 0) {
        s = column_sql(t, ix.keys[k]);
    } else if (k < ix.key_expressions.size() && !ix.key_expressions[k].empty()) {
        s = expression_key(ix.key_expressions[k]);
    }
    if (s.empty()) return "";
    if (k < ix.collations.size() && !ix.collations[k].empty())
        s += " COLLATE " + in_schema(ix.collation_schemas, k, ix.collations[k]);
    bool named = k < ix.opclasses.size() && !ix.opclasses[k].empty() &&
                 !(k < ix.default_opclass.size() && ix.default_opclass[k]);
    if (named) s += " " + in_schema(ix.opclass_schemas, k, ix.opclasses[k]);
    bool desc = k < ix.descending.size() && ix.descending[k];
    bool nulls_first = k < ix.nulls_first.size() && ix.nulls_first[k];
    if (desc) s += " DESC";
    if (nulls_first != desc) s += nulls_first ? " NULLS FIRST" : " NULLS LAST";
    return s;
}

std::string with_options(const std::vector<std::string> &options) {
    if (options.empty()) return "";
    std::string s = " WITH (";
    for (size_t i = 0; i < options.size(); i++)
        s += (i ? ", " : "") + options[i];
    return s + ")";
}

const char *action(char a) {
    switch (a) {
        case 'r':
            return "RESTRICT";
        case 'c':
            return "CASCADE";
        case 'n':
            return "SET NULL";
        case 'd':
            return "SET DEFAULT";
        default:
            return nullptr;  // NO ACTION, the default
    }
}

std::string deferrable(bool is_deferrable, bool deferred) {
    if (!is_deferrable) return "";
    return deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE";
}

}  // namespace

std::string index_definition(const Table &t, const Index &ix) {
    if (ix.partial && ix.predicate.empty()) return "";
    std::string def = ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    def += quote_ident(ix.name) + " ON " + (ix.relkind == 'I' ? "ONLY " : "") + t.qualified() +
           " USING " + ix.am + " (";
    for (size_t k = 0; k < ix.keys.size(); k++) {
        std::string key = index_key(t, ix, k);
        if (key.empty()) return "";
        def += (k ? ", " : "") + key;
    }
    def += ")";
    if (!ix.include.empty()) {
        std::string inc = column_list(t, ix.include);
        if (inc.empty()) return "";
        def += " INCLUDE (" + inc + ")";
    }
    if (ix.nulls_not_distinct) def += " NULLS NOT DISTINCT";
    def += with_options(ix.options);
    if (ix.partial) def += " WHERE " + ix.predicate;
    return def;
}

std::string key_constraint_definition(const Table &t, const Constraint &c, bool deferred) {
    const Index *ix = nullptr;
    for (const Index &i : t.indexes)
        if (i.oid == c.index_oid) ix = &i;
    std::string cols = column_list(t, c.columns);
    if (ix == nullptr || cols.empty()) return "";
    std::string def = c.type == 'p' ? "PRIMARY KEY" : "UNIQUE";
    if (ix->nulls_not_distinct) def += " NULLS NOT DISTINCT";
    def += " (" + cols + ")";
    if (!ix->include.empty()) def += " INCLUDE (" + column_list(t, ix->include) + ")";
    def += with_options(ix->options);
    return def + deferrable(c.deferrable, deferred);
}

std::string foreign_key_definition(const Table &t, const Constraint &c,
                                   const std::string &ref_table,
                                   const std::vector<std::string> &ref_columns, bool deferred) {
    std::string cols = column_list(t, c.columns);
    if (cols.empty() || ref_table.empty() || ref_columns.size() != c.columns.size()) return "";
    std::string refs;
    for (const std::string &r : ref_columns)
        refs += (refs.empty() ? "" : ", ") + quote_ident(r);
    std::string def = "FOREIGN KEY (" + cols + ") REFERENCES " + ref_table + "(" + refs + ")";
    if (c.match_type == 'f') def += " MATCH FULL";
    if (c.match_type == 'p') def += " MATCH PARTIAL";
    if (const char *a = action(c.on_update)) def += std::string(" ON UPDATE ") + a;
    if (const char *a = action(c.on_delete)) def += std::string(" ON DELETE ") + a;
    return def + deferrable(c.deferrable, deferred);
}

}  // namespace pg_advisor::catalog
