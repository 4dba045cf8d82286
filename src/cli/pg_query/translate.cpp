// libpg_query's JSON parse tree -> the schema-change model (see parse.h). The JSON is the
// protobuf form of PostgreSQL's raw parse nodes: a node is {"TypeName": {...}}, fields holding
// their default value (false, 0, "") are left out.
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cli/pg_query/parse.h"

namespace pg_advisor::cli {

namespace {

using ddl::Action;
using ddl::Change;
using ddl::ConstraintKind;
using report::JsonValue;

const JsonValue kNull;

// --- reading the tree ------------------------------------------------------------------------

const JsonValue &field(const JsonValue &v, std::string_view name) {
    const JsonValue *f = v.find(name);
    return f ? *f : kNull;
}
std::string text_of(const JsonValue &v, std::string_view name) {
    const JsonValue &f = field(v, name);
    return f.is(JsonValue::Type::String) ? f.text : std::string();
}
bool flag(const JsonValue &v, std::string_view name) {
    const JsonValue &f = field(v, name);
    return f.is(JsonValue::Type::Bool) && f.boolean;
}
long long integer(const JsonValue &v, std::string_view name, long long absent = 0) {
    const JsonValue &f = field(v, name);
    return f.is(JsonValue::Type::Number) ? std::strtoll(f.text.c_str(), nullptr, 10) : absent;
}
const std::vector<JsonValue> &items(const JsonValue &v, std::string_view name) {
    static const std::vector<JsonValue> kNone;
    const JsonValue &f = field(v, name);
    return f.is(JsonValue::Type::Array) ? f.items : kNone;
}

// A node's type ("CreateStmt") and body.
std::string_view node_type(const JsonValue &node) {
    if (!node.is(JsonValue::Type::Object) || node.members.size() != 1) return {};
    return node.members[0].first;
}
const JsonValue &node_body(const JsonValue &node) {
    if (!node.is(JsonValue::Type::Object) || node.members.size() != 1) return kNull;
    return node.members[0].second;
}
const JsonValue &body_if(const JsonValue &node, std::string_view type) {
    return node_type(node) == type ? node_body(node) : kNull;
}

// The strings of a list of String nodes (names, column lists).
std::vector<std::string> strings(const std::vector<JsonValue> &list) {
    std::vector<std::string> out;
    for (const JsonValue &n : list)
        if (node_type(n) == "String") out.push_back(text_of(node_body(n), "sval"));
    return out;
}

// A qualified name from a list of strings: the last is the name, the one before the schema.
ddl::Name name_of(const std::vector<std::string> &parts) {
    ddl::Name n;
    if (!parts.empty()) n.name = parts.back();
    if (parts.size() >= 2) n.schema = parts[parts.size() - 2];
    return n;
}
ddl::Name range_var(const JsonValue &rv) {
    return {text_of(rv, "schemaname"), text_of(rv, "relname")};
}

// Where the expression's text starts, as PostgreSQL's exprLocation() gives it for raw parse
// trees (the server front end calls it): the leftmost location of the node and its operands,
// where an operator's node holds the operator's location and its left operand starts earlier.
// Like exprLocation(), a cast's type name does not count: `interval '1 day'` starts at the
// string.
long long leftmost_location(const JsonValue &v) {
    long long best = -1;
    auto take = [&](long long loc) {
        if (loc >= 0 && (best < 0 || loc < best)) best = loc;
    };
    if (v.is(JsonValue::Type::Object)) {
        for (const auto &m : v.members) {
            if (m.first == "location" && m.second.is(JsonValue::Type::Number))
                take(std::strtoll(m.second.text.c_str(), nullptr, 10));
            else if (m.first != "typeName")
                take(leftmost_location(m.second));
        }
    } else if (v.is(JsonValue::Type::Array)) {
        for (const JsonValue &i : v.items)
            take(leftmost_location(i));
    }
    return best;
}

// The functions an expression calls, in tree order (duplicates kept), through the nodes the
// server front end descends into: calls' arguments, operators, casts, AND / OR / NOT, IS NULL,
// COALESCE and CASE.
void collect_functions(const JsonValue &node, std::vector<std::string> &out, int depth = 0) {
    if (depth > 64) return;
    if (node.is(JsonValue::Type::Array)) {
        for (const JsonValue &i : node.items)
            collect_functions(i, out, depth + 1);
        return;
    }
    std::string_view t = node_type(node);
    const JsonValue &b = node_body(node);
    if (t == "FuncCall") {
        std::vector<std::string> parts = strings(items(b, "funcname"));
        if (!parts.empty()) out.push_back(parts.back());
        collect_functions(field(b, "args"), out, depth);
    } else if (t == "A_Expr") {
        collect_functions(field(b, "lexpr"), out, depth + 1);
        collect_functions(field(b, "rexpr"), out, depth + 1);
    } else if (t == "TypeCast" || t == "NullTest") {
        collect_functions(field(b, "arg"), out, depth + 1);
    } else if (t == "BoolExpr" || t == "CoalesceExpr") {
        collect_functions(field(b, "args"), out, depth);
    } else if (t == "CaseExpr") {
        collect_functions(field(b, "arg"), out, depth + 1);
        collect_functions(field(b, "args"), out, depth);
        collect_functions(field(b, "defresult"), out, depth + 1);
    } else if (t == "CaseWhen") {
        collect_functions(field(b, "expr"), out, depth + 1);
        collect_functions(field(b, "result"), out, depth + 1);
    } else if (t == "List") {
        collect_functions(field(b, "items"), out, depth);
    }
}

// A literal, optionally cast: A_Const, or TypeCast of one.
bool constant_node(const JsonValue &node) {
    std::string_view t = node_type(node);
    if (t == "A_Const") return true;
    if (t == "TypeCast") return constant_node(field(node_body(node), "arg"));
    return false;
}

ddl::Expr expr_of(const JsonValue &node, std::string_view text, bool stop_at_keyword) {
    ddl::Expr e;
    if (!node.is(JsonValue::Type::Object)) return e;
    long long at = leftmost_location(node);
    if (at < 0 || static_cast<size_t>(at) >= text.size()) return e;
    e.text = ddl::expression_text(text, static_cast<size_t>(at), stop_at_keyword);
    collect_functions(node, e.functions);
    e.constant = constant_node(node);
    return e;
}

// --- types, columns, constraints ---------------------------------------------------------------

ddl::TypeSpec type_of(const JsonValue &tn) {
    ddl::TypeSpec t;
    std::vector<std::string> parts = strings(items(tn, "names"));
    if (parts.empty()) return t;
    t.name = parts.back();
    if (parts.size() >= 2 && parts[parts.size() - 2] != "pg_catalog")
        t.schema = parts[parts.size() - 2];
    for (const JsonValue &m : items(tn, "typmods")) {
        const JsonValue &c = body_if(m, "A_Const");
        const JsonValue &iv = field(c, "ival");
        if (iv.is(JsonValue::Type::Object)) t.modifiers.push_back(integer(iv, "ival"));
    }
    t.array = !items(tn, "arrayBounds").empty();
    return t;
}

ConstraintKind kind_of(const std::string &contype, bool *known) {
    *known = true;
    if (contype == "CONSTR_PRIMARY") return ConstraintKind::PrimaryKey;
    if (contype == "CONSTR_UNIQUE") return ConstraintKind::Unique;
    if (contype == "CONSTR_FOREIGN") return ConstraintKind::ForeignKey;
    if (contype == "CONSTR_CHECK") return ConstraintKind::Check;
    if (contype == "CONSTR_EXCLUSION") return ConstraintKind::Exclusion;
    if (contype == "CONSTR_NOTNULL") return ConstraintKind::NotNull;
    *known = false;
    return ConstraintKind::Check;
}

// A table-level constraint (or a column's CHECK / REFERENCES, with the column as its key).
ddl::Constraint constraint_of(const JsonValue &c, std::string_view text) {
    ddl::Constraint out;
    bool known = false;  // an unknown kind is read as a CHECK, as the server front end does
    out.kind = kind_of(text_of(c, "contype"), &known);
    out.name = text_of(c, "conname");
    out.not_valid = flag(c, "skip_validation");
    out.using_index = text_of(c, "indexname");
    if (out.kind == ConstraintKind::ForeignKey) {
        out.columns = strings(items(c, "fk_attrs"));
        out.references.table = range_var(field(c, "pktable"));
        out.references.columns = strings(items(c, "pk_attrs"));
    } else if (out.kind == ConstraintKind::Check) {
        out.check = expr_of(field(c, "raw_expr"), text, false);
    } else if (out.kind == ConstraintKind::PrimaryKey || out.kind == ConstraintKind::Unique) {
        out.columns = strings(items(c, "keys"));
    }  // EXCLUDE and NOT NULL: no key columns in the model
    return out;
}

ddl::ColumnSpec column_of(const JsonValue &cd, std::string_view text) {
    ddl::ColumnSpec col;
    col.name = text_of(cd, "colname");
    col.type = type_of(field(cd, "typeName"));
    for (const JsonValue &n : items(cd, "constraints")) {
        const JsonValue &c = body_if(n, "Constraint");
        std::string contype = text_of(c, "contype");
        if (contype == "CONSTR_NOTNULL") {
            col.not_null = true;
        } else if (contype == "CONSTR_PRIMARY") {
            col.primary_key = true;
        } else if (contype == "CONSTR_UNIQUE") {
            col.unique = true;
        } else if (contype == "CONSTR_DEFAULT") {
            col.default_value = expr_of(field(c, "raw_expr"), text, true);
        } else if (contype == "CONSTR_GENERATED") {
            col.generated_stored = true;
        } else if (contype == "CONSTR_IDENTITY") {
            col.identity = true;
        } else if (contype == "CONSTR_CHECK" || contype == "CONSTR_FOREIGN") {
            ddl::Constraint k = constraint_of(c, text);
            if (k.kind == ConstraintKind::ForeignKey && k.columns.empty()) k.columns = {col.name};
            col.constraints.push_back(std::move(k));
        }
    }
    return col;
}

// --- statements ---------------------------------------------------------------------------------

Change make(Action a, ddl::Name target = {}) {
    Change c;
    c.action = a;
    c.target = std::move(target);
    return c;
}

std::vector<Change> create_table(const JsonValue &s, std::string_view text) {
    Change c = make(Action::CreateTable, range_var(field(s, "relation")));
    c.temporary = text_of(field(s, "relation"), "relpersistence") == "t";
    c.if_not_exists = flag(s, "if_not_exists");
    for (const JsonValue &e : items(s, "tableElts")) {
        if (node_type(e) == "ColumnDef")
            c.columns.push_back(column_of(node_body(e), text));
        else if (node_type(e) == "Constraint")
            c.constraints.push_back(constraint_of(node_body(e), text));
    }
    for (const JsonValue &e : items(s, "constraints"))
        if (node_type(e) == "Constraint")
            c.constraints.push_back(constraint_of(node_body(e), text));
    return {c};
}

// One ALTER TABLE subcommand; false (the change left Other) when the model has no action for it.
bool alter_table_cmd(const JsonValue &cmd, std::string_view text, Change &c) {
    const std::string sub = text_of(cmd, "subtype");
    const JsonValue &def = field(cmd, "def");
    c.column = text_of(cmd, "name");
    c.cascade = text_of(cmd, "behavior") == "DROP_CASCADE";
    c.if_exists = flag(cmd, "missing_ok");
    if (sub == "AT_AddColumn") {
        c.action = Action::AddColumn;
        c.column_def = column_of(body_if(def, "ColumnDef"), text);
        c.column = c.column_def.name;
        c.if_not_exists = flag(cmd, "missing_ok");
    } else if (sub == "AT_DropColumn") {
        c.action = Action::DropColumn;
        c.if_exists = flag(cmd, "missing_ok");
    } else if (sub == "AT_AlterColumnType") {
        c.action = Action::AlterColumnType;
        const JsonValue &cd = body_if(def, "ColumnDef");
        c.new_type = type_of(field(cd, "typeName"));
        c.using_expr = expr_of(field(cd, "raw_default"), text, false);
    } else if (sub == "AT_SetNotNull") {
        c.action = Action::SetNotNull;
    } else if (sub == "AT_DropNotNull") {
        c.action = Action::DropNotNull;
    } else if (sub == "AT_ColumnDefault") {
        c.action = def.is(JsonValue::Type::Object) ? Action::SetDefault : Action::DropDefault;
        c.column_def.default_value = expr_of(def, text, false);
    } else if (sub == "AT_AddConstraint") {
        c.action = Action::AddConstraint;
        c.constraint = constraint_of(body_if(def, "Constraint"), text);
        c.object = c.constraint.name;
        c.column.clear();
    } else if (sub == "AT_ValidateConstraint" || sub == "AT_DropConstraint") {
        c.action = sub == "AT_DropConstraint" ? Action::DropConstraint : Action::ValidateConstraint;
        c.object = c.column;
        c.column.clear();
        c.if_exists = flag(cmd, "missing_ok");
    } else if (sub == "AT_AttachPartition" || sub == "AT_DetachPartition") {
        const JsonValue &pc = body_if(def, "PartitionCmd");
        c.action = sub == "AT_AttachPartition" ? Action::AttachPartition : Action::DetachPartition;
        c.object = range_var(field(pc, "name")).plain();
        c.concurrently = flag(pc, "concurrent");
    } else {
        return false;
    }
    return true;
}

std::vector<Change> alter_table(const JsonValue &s, std::string_view text) {
    if (text_of(s, "objtype") != "OBJECT_TABLE") return {make(Action::Other)};
    ddl::Name table = range_var(field(s, "relation"));
    std::vector<Change> out;
    for (const JsonValue &n : items(s, "cmds")) {
        Change c = make(Action::Other, table);
        // a subcommand the model has no action for stays Other (with its column, if any)
        (void)alter_table_cmd(body_if(n, "AlterTableCmd"), text, c);
        if (flag(s, "missing_ok")) c.if_exists = true;  // ALTER TABLE IF EXISTS
        out.push_back(std::move(c));
    }
    if (out.empty()) out.push_back(make(Action::Other, table));
    return out;
}

std::vector<Change> create_index(const JsonValue &s, std::string_view text) {
    Change c = make(Action::CreateIndex, range_var(field(s, "relation")));
    c.object = text_of(s, "idxname");
    c.concurrently = flag(s, "concurrent");
    c.if_not_exists = flag(s, "if_not_exists");
    c.index.table = c.target;
    c.index.unique = flag(s, "unique");
    c.index.method = text_of(s, "accessMethod");
    if (c.index.method == "btree") c.index.method.clear();
    auto elem_text = [&](const JsonValue &n) {
        const JsonValue &e = body_if(n, "IndexElem");
        std::string name = text_of(e, "name");
        return name.empty() ? expr_of(field(e, "expr"), text, false).text : name;
    };
    for (const JsonValue &n : items(s, "indexParams"))
        c.index.columns.push_back(elem_text(n));
    for (const JsonValue &n : items(s, "indexIncludingParams"))
        c.index.include.push_back(elem_text(n));
    c.index.predicate = expr_of(field(s, "whereClause"), text, false);
    return {c};
}

std::vector<Change> drop(const JsonValue &s) {
    const std::string type = text_of(s, "removeType");
    Action a = type == "OBJECT_TABLE"    ? Action::DropTable
               : type == "OBJECT_INDEX"  ? Action::DropIndex
               : type == "OBJECT_SCHEMA" ? Action::DropSchema
                                         : Action::Other;
    std::vector<Change> out;
    for (const JsonValue &o : items(s, "objects")) {
        Change c = make(a);
        if (node_type(o) == "List")
            c.target = name_of(strings(items(node_body(o), "items")));
        else if (node_type(o) == "String")
            c.target.name = text_of(node_body(o), "sval");
        else if (node_type(o) == "TypeName")
            c.target = name_of(strings(items(node_body(o), "names")));
        c.concurrently = flag(s, "concurrent");
        c.if_exists = flag(s, "missing_ok");
        c.cascade = text_of(s, "behavior") == "DROP_CASCADE";
        out.push_back(std::move(c));
    }
    if (out.empty()) out.push_back(make(Action::Other));
    return out;
}

std::vector<Change> rename(const JsonValue &s) {
    const std::string type = text_of(s, "renameType");
    ddl::Name rel = range_var(field(s, "relation"));
    Change c = make(Action::Other, rel);
    c.new_name = text_of(s, "newname");
    c.if_exists = flag(s, "missing_ok");
    if (type == "OBJECT_TABLE") {
        c.action = Action::RenameTable;
    } else if (type == "OBJECT_COLUMN" && text_of(s, "relationType") == "OBJECT_TABLE") {
        c.action = Action::RenameColumn;
        c.column = text_of(s, "subname");
    } else if (type == "OBJECT_SCHEMA") {
        c.action = Action::RenameSchema;
        c.target = {"", text_of(s, "subname")};
    } else if (type == "OBJECT_TABCONSTRAINT") {
        c.object = text_of(s, "subname");
    }
    return {c};
}

std::vector<Change> truncate(const JsonValue &s) {
    std::vector<Change> out;
    for (const JsonValue &n : items(s, "relations")) {
        Change c = make(Action::Truncate, range_var(body_if(n, "RangeVar")));
        c.cascade = text_of(s, "behavior") == "DROP_CASCADE";
        out.push_back(std::move(c));
    }
    return out;
}

// A SET argument as written, unquoted.
std::string set_arg(const JsonValue &n) {
    const JsonValue &c = body_if(n, "A_Const");
    if (!c.is(JsonValue::Type::Object)) {
        const JsonValue &cast = body_if(n, "TypeCast");
        return cast.is(JsonValue::Type::Object) ? set_arg(field(cast, "arg")) : std::string();
    }
    if (const JsonValue *v = c.find("sval")) return text_of(*v, "sval");
    if (const JsonValue *v = c.find("ival")) return std::to_string(integer(*v, "ival"));
    if (const JsonValue *v = c.find("fval")) return text_of(*v, "fval");
    if (const JsonValue *v = c.find("boolval")) return flag(*v, "boolval") ? "on" : "off";
    return {};
}

std::vector<Change> variable_set(const JsonValue &s) {
    const std::string kind = text_of(s, "kind");
    Change c = make(Action::Set);
    c.setting = text_of(s, "name");
    c.local = flag(s, "is_local");
    if (kind == "VAR_SET_MULTI" || kind == "VAR_RESET_ALL" || c.setting.empty())
        return {make(Action::Other)};  // SET TRANSACTION ..., RESET ALL
    if (kind == "VAR_SET_VALUE") {
        for (const JsonValue &a : items(s, "args")) {
            if (!c.value.empty()) c.value += ", ";
            c.value += set_arg(a);
        }
    }
    std::transform(c.setting.begin(), c.setting.end(), c.setting.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return {c};
}

std::vector<Change> transaction(const JsonValue &s) {
    const std::string kind = text_of(s, "kind");
    if (kind == "TRANS_STMT_BEGIN" || kind == "TRANS_STMT_START") return {make(Action::Begin)};
    if (kind == "TRANS_STMT_COMMIT" || kind == "TRANS_STMT_PREPARE") return {make(Action::Commit)};
    if (kind == "TRANS_STMT_ROLLBACK") return {make(Action::Rollback)};
    return {make(Action::Other)};
}

bool has_option(const JsonValue &s, std::string_view list, std::string_view name) {
    for (const JsonValue &n : items(s, list)) {
        const JsonValue &d = body_if(n, "DefElem");
        if (text_of(d, "defname") != name) continue;
        // FULL false / CONCURRENTLY false: an explicit Boolean or "false" argument
        const JsonValue &arg = field(d, "arg");
        if (node_type(arg) == "Boolean") return flag(node_body(arg), "boolval");
        if (node_type(arg) == "String") {
            std::string v = text_of(node_body(arg), "sval");
            return v != "false" && v != "off" && v != "0";
        }
        if (node_type(arg) == "Integer") return integer(node_body(arg), "ival") != 0;
        return true;
    }
    return false;
}

std::vector<Change> reindex(const JsonValue &s) {
    const std::string kind = text_of(s, "kind");
    Change c = make(Action::Reindex);
    static const char *const kKinds[][2] = {{"REINDEX_OBJECT_INDEX", "index"},
                                            {"REINDEX_OBJECT_TABLE", "table"},
                                            {"REINDEX_OBJECT_SCHEMA", "schema"},
                                            {"REINDEX_OBJECT_SYSTEM", "database"},
                                            {"REINDEX_OBJECT_DATABASE", "database"}};
    for (const auto &k : kKinds)
        if (kind == k[0]) c.reindex_kind = k[1];
    if (field(s, "relation").is(JsonValue::Type::Object))
        c.target = range_var(field(s, "relation"));
    else
        c.target = {"", text_of(s, "name")};
    c.concurrently = has_option(s, "params", "concurrently");
    return {c};
}

std::vector<Change> vacuum(const JsonValue &s) {
    if (!flag(s, "is_vacuumcmd") || !has_option(s, "options", "full")) return {make(Action::Other)};
    std::vector<Change> out;
    for (const JsonValue &n : items(s, "rels"))
        out.push_back(
            make(Action::VacuumFull, range_var(field(body_if(n, "VacuumRelation"), "relation"))));
    if (out.empty()) out.push_back(make(Action::VacuumFull));
    return out;
}

std::vector<Change> cluster(const JsonValue &s) {
    return {make(Action::Cluster, range_var(field(s, "relation")))};
}

std::vector<Change> create_domain(const JsonValue &s, std::string_view text) {
    Change c = make(Action::CreateDomain, name_of(strings(items(s, "domainname"))));
    c.new_type = type_of(field(s, "typeName"));
    for (const JsonValue &n : items(s, "constraints")) {
        const JsonValue &k = body_if(n, "Constraint");
        if (text_of(k, "contype") == "CONSTR_CHECK") {
            c.constraint = constraint_of(k, text);
            break;
        }
    }
    return {c};
}

std::vector<Change> alter_domain(const JsonValue &s, std::string_view text) {
    ddl::Name type = name_of(strings(items(s, "typeName")));
    if (text_of(s, "subtype") != "C") return {make(Action::Other, type)};
    Change c = make(Action::AlterDomainAddConstraint, type);
    c.constraint = constraint_of(body_if(field(s, "def"), "Constraint"), text);
    c.object = c.constraint.name;
    return {c};
}

std::vector<Change> alter_enum(const JsonValue &s) {
    Change c = make(Action::AlterEnumAddValue, name_of(strings(items(s, "typeName"))));
    if (!text_of(s, "oldVal").empty()) {
        c.action = Action::AlterEnumRenameValue;
        c.enum_value = text_of(s, "oldVal");
        c.new_name = text_of(s, "newVal");
    } else {
        c.enum_value = text_of(s, "newVal");
        c.enum_position = !text_of(s, "newValNeighbor").empty();
        c.if_not_exists = flag(s, "skipIfNewValExists");
    }
    return {c};
}

// CREATE TABLE AS and CREATE MATERIALIZED VIEW: a new relation.
std::vector<Change> create_table_as(const JsonValue &s) {
    Change c = make(Action::CreateTableAs, range_var(field(field(s, "into"), "rel")));
    c.if_not_exists = flag(s, "if_not_exists");
    return {c};
}

std::vector<Change> data_change(Action a, const JsonValue &s) {
    Change c = make(a, range_var(field(s, "relation")));
    c.has_where = field(s, "whereClause").is(JsonValue::Type::Object);
    return {c};
}

}  // namespace

std::vector<Change> translate(const JsonValue &stmt, std::string_view text) {
    std::string_view type = node_type(stmt);
    const JsonValue &s = node_body(stmt);
    if (type == "CreateStmt") return create_table(s, text);
    if (type == "AlterTableStmt") return alter_table(s, text);
    if (type == "IndexStmt") return create_index(s, text);
    if (type == "DropStmt") return drop(s);
    if (type == "DropdbStmt") {
        Change c = make(Action::DropDatabase, {"", text_of(s, "dbname")});
        c.if_exists = flag(s, "missing_ok");
        return {c};
    }
    if (type == "RenameStmt") return rename(s);
    if (type == "TruncateStmt") return truncate(s);
    if (type == "VariableSetStmt") return variable_set(s);
    if (type == "TransactionStmt") return transaction(s);
    if (type == "ReindexStmt") return reindex(s);
    if (type == "VacuumStmt") return vacuum(s);
    if (type == "ClusterStmt") return cluster(s);
    if (type == "CreateDomainStmt") return create_domain(s, text);
    if (type == "AlterDomainStmt") return alter_domain(s, text);
    if (type == "AlterEnumStmt") return alter_enum(s);
    if (type == "CreateTableAsStmt") return create_table_as(s);
    if (type == "AlterObjectSchemaStmt") {
        Change c = make(Action::Other, range_var(field(s, "relation")));
        c.new_name = text_of(s, "newschema");
        return {c};
    }
    if (type == "UpdateStmt") return data_change(Action::Update, s);
    if (type == "DeleteStmt") return data_change(Action::Delete, s);
    if (type == "InsertStmt") return data_change(Action::Insert, s);
    return {make(Action::Other)};
}

}  // namespace pg_advisor::cli
