#include "core/catalog/catalog_snapshot.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

namespace {

// Keywords quote_identifier() quotes (every category but unreserved), across PostgreSQL 14-18:
// quoting one more than a given server would is harmless, one less is not.
constexpr std::string_view kQuotedKeywords[] = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};

bool is_quoted_keyword(std::string_view word) {
    return std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), word);
}

}  // namespace

std::string quote_ident(const std::string &name) {
    bool safe = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        safe = safe && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (safe && !is_quoted_keyword(name)) return name;
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string qualified_name(const std::string &schema, const std::string &name) {
    return schema.empty() ? quote_ident(name) : quote_ident(schema) + "." + quote_ident(name);
}

std::string quote_literal(const std::string &value) {
    std::string out;
    bool backslash = value.find('\\') != std::string::npos;
    if (backslash) out += 'E';
    out += '\'';
    for (char c : value) {
        if (c == '\'') out += '\'';
        if (c == '\\') out += '\\';
        out += c;
    }
    out += '\'';
    return out;
}

const Column *Table::column(int16_t attnum) const {
    for (const Column &c : columns)
        if (c.attnum == attnum) return &c;
    return nullptr;
}

const Column *Table::column(const std::string &col) const {
    for (const Column &c : columns)
        if (c.name == col) return &c;
    return nullptr;
}

std::string Table::qualified() const {
    return qualified_name(schema, name);
}

std::string Sequence::qualified() const {
    return qualified_name(schema, name);
}

std::string Function::qualified() const {
    return qualified_name(schema, name) + "(" + arguments + ")";
}

std::string Database::setting(const std::string &setting_name, const std::string &fallback) const {
    auto it = settings.find(setting_name);
    return it == settings.end() ? fallback : it->second;
}

double Database::setting_number(const std::string &setting_name, double fallback) const {
    auto it = settings.find(setting_name);
    if (it == settings.end() || it->second.empty()) return fallback;
    char *end = nullptr;
    double v = std::strtod(it->second.c_str(), &end);
    return end == it->second.c_str() ? fallback : v;
}

const Table *CatalogSnapshot::table(uint32_t oid) const {
    auto it = table_by_oid_.find(oid);
    return it == table_by_oid_.end() ? nullptr : &tables[it->second];
}

const Schema *CatalogSnapshot::schema(const std::string &schema_name) const {
    auto it = schema_by_name_.find(schema_name);
    return it == schema_by_name_.end() ? nullptr : &schemas[it->second];
}

void CatalogSnapshot::index() {
    table_by_oid_.clear();
    schema_by_name_.clear();
    for (size_t i = 0; i < tables.size(); i++)
        table_by_oid_[tables[i].oid] = i;
    for (size_t i = 0; i < schemas.size(); i++)
        schema_by_name_[schemas[i].name] = i;
}

}  // namespace pg_advisor::catalog
