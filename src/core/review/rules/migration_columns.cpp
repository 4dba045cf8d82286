// Migration rules on columns: MIG-08 set_not_null_scan, MIG-09 add_required_column,
// MIG-10 add_column_volatile_default, MIG-11 add_stored_generated,
// MIG-12 add_serial_or_identity_column, MIG-13 column_type_rewrite, MIG-22 drop_not_null.
#include "core/review/rules/migration_rules.h"

#include <algorithm>
#include <cctype>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::LockMode;

namespace {

std::string alter(const ddl::Name &t) {
    return "ALTER TABLE " + t.sql() + " ";
}

// "col IS NOT NULL" in any spelling (case, quotes, parentheses, white space).
bool is_not_null_check(const std::string &text, const std::string &column) {
    std::string norm;
    for (char ch : text)
        if (!std::isspace(static_cast<unsigned char>(ch)) && ch != '"' && ch != '(' && ch != ')')
            norm += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return norm == column + "isnotnull";
}

// A validated CHECK (column IS NOT NULL) added earlier in the migration: SET NOT NULL uses it
// and skips the scan (PostgreSQL 12+).
bool proven_not_null(const ddl::DdlRuleContext &cx, const ddl::Name &table,
                     const std::string &column) {
    std::vector<std::string> pending;
    for (size_t i = 0; i < cx.index(); i++)
        for (const ddl::Change &n : cx.all()[i].changes) {
            if (!ddl::same_table(n.target, table)) continue;
            if (n.action == Action::AddConstraint &&
                n.constraint.kind == ddl::ConstraintKind::Check &&
                is_not_null_check(n.constraint.check.text, column)) {
                if (!n.constraint.not_valid) return true;
                pending.push_back(n.constraint.name);
            }
            if (n.action == Action::ValidateConstraint &&
                std::find(pending.begin(), pending.end(), n.object) != pending.end())
                return true;
        }
    return false;
}

std::optional<ddl::ColumnFacts> column_facts(const ddl::DdlRuleContext &cx, const ddl::Name &table,
                                             const std::string &column) {
    if (std::optional<ddl::TableFacts> t = table_facts(cx, table))
        for (const ddl::ColumnFacts &col : t->columns)
            if (col.name == column) return col;
    return std::nullopt;
}

// The steps that make a column NOT NULL without a long lock.
std::string not_null_sql(const ddl::DdlRuleContext &cx, const ddl::Name &t,
                         const std::string &column) {
    std::string name = quoted(t.name + "_" + column + "_not_null");
    if (cx.facts().server_version() >= 180000)
        return alter(t) + "ADD CONSTRAINT " + name + " NOT NULL " + quoted(column) +
               " NOT VALID;\n" + alter(t) + "VALIDATE CONSTRAINT " + name + ";";
    return alter(t) + "ADD CONSTRAINT " + name + " CHECK (" + quoted(column) +
           " IS NOT NULL) NOT VALID;\n" + alter(t) + "VALIDATE CONSTRAINT " + name + ";\n" +
           alter(t) + "ALTER COLUMN " + quoted(column) + " SET NOT NULL;\n" + alter(t) +
           "DROP CONSTRAINT " + name + ";";
}

std::vector<std::string> not_null_steps(const ddl::DdlRuleContext &cx) {
    if (cx.facts().server_version() >= 180000)
        return {"Add the NOT NULL constraint NOT VALID (no scan) and commit.",
                "VALIDATE CONSTRAINT in its own transaction (SHARE UPDATE EXCLUSIVE: reads and "
                "writes go on)."};
    return {"Add CHECK (column IS NOT NULL) NOT VALID and commit.",
            "VALIDATE CONSTRAINT in its own transaction (reads and writes go on).",
            "SET NOT NULL: it sees the validated CHECK and skips the scan (PostgreSQL 12+).",
            "Drop the CHECK, now redundant. On PostgreSQL 18+ ADD CONSTRAINT ... NOT NULL ... "
            "NOT VALID does this in two steps."};
}

// The statement's new column, with what adding it to an existing table costs.
const ddl::ColumnSpec *added_column(const ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::AddColumn || no_risk(cx, c.target)) return nullptr;
    return &c.column_def;
}

}  // namespace

void set_not_null_scan(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    std::string column = c.column;
    bool native = c.action == Action::AddConstraint &&
                  c.constraint.kind == ddl::ConstraintKind::NotNull && !c.constraint.not_valid;
    if (native && !c.constraint.columns.empty()) column = c.constraint.columns.front();
    if ((c.action != Action::SetNotNull && !native) || column.empty() || no_risk(cx, c.target))
        return;
    if (proven_not_null(cx, c.target, column)) return;
    std::optional<ddl::ColumnFacts> col = column_facts(cx, c.target, column);
    if (col && col->not_null) return;  // already NOT NULL: nothing to check
    review::Finding f = cx.make("column", column_object(c.target, column), "");
    f.title = "SET NOT NULL on " + c.target.plain() + "." + column +
              " scans the table under ACCESS EXCLUSIVE";
    f.evidence.add("column", column).add("server_version", cx.facts().server_version());
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, true});
    f.recommendation =
        "Prove the column has no NULL with a constraint validated without blocking, then make "
        "it NOT NULL.";
    f.fix_sql = not_null_sql(cx, c.target, column);
    f.steps = not_null_steps(cx);
    cx.add(std::move(f));
}

void add_required_column(ddl::DdlRuleContext &cx) {
    const ddl::ColumnSpec *col = added_column(cx);
    if (col == nullptr || !col->not_null || col->default_value.present() || col->identity ||
        col->serial() || col->generated_stored)
        return;
    const ddl::Name &t = cx.change().target;
    review::Finding f = cx.make("column", column_object(t, col->name), "");
    f.title = "Column " + col->name + " added to " + t.plain() + " as NOT NULL without a default";
    f.evidence.add("column", col->name).add("type", col->type.sql());
    f.why =
        "Existing rows would hold NULL, so the statement fails as soon as the table has a "
        "row, and the application's current version does not write the column.";
    describe_impact(f, cx, t, {LockMode::AccessExclusive, false, false});
    f.recommendation =
        "Add the column nullable (or with a constant DEFAULT, free since PostgreSQL 11), backfill "
        "it in batches, then make it NOT NULL without a long lock.";
    f.fix_sql = alter(t) + "ADD COLUMN " + quoted(col->name) + " " + col->type.sql() +
                ";\n-- backfill in batches, then:\n" + not_null_sql(cx, t, col->name);
    f.steps = {"Add the column nullable.", "Deploy code that writes it.",
               "Backfill existing rows in batches of about 10,000.",
               "Make it NOT NULL through a validated constraint."};
    cx.add(std::move(f));
}

namespace {

bool known_volatile(const std::string &fn) {
    static const char *const kVolatile[] = {"random",
                                            "random_normal",
                                            "gen_random_uuid",
                                            "uuid_generate_v1",
                                            "uuid_generate_v1mc",
                                            "uuid_generate_v4",
                                            "uuidv4",
                                            "uuidv7",
                                            "clock_timestamp",
                                            "timeofday",
                                            "nextval",
                                            "setval",
                                            "gen_random_bytes",
                                            "txid_current_if_assigned",
                                            "pg_current_xact_id_if_assigned"};
    return std::find(std::begin(kVolatile), std::end(kVolatile), fn) != std::end(kVolatile);
}

// The first volatile function the expression calls ("" when none): the database's answer,
// else the list of well-known volatile functions.
std::string volatile_call(const ddl::DdlRuleContext &cx, const ddl::Expr &e) {
    for (const std::string &fn : e.functions) {
        std::optional<char> v = cx.facts().function_volatility(fn);
        if (v ? *v == 'v' : known_volatile(fn)) return fn;
    }
    return "";
}

}  // namespace

void add_column_volatile_default(ddl::DdlRuleContext &cx) {
    const ddl::ColumnSpec *col = added_column(cx);
    if (col == nullptr || col->serial() || col->identity || col->generated_stored) return;
    std::string fn = volatile_call(cx, col->default_value);
    if (fn.empty()) return;
    const ddl::Name &t = cx.change().target;
    review::Finding f = cx.make("column", column_object(t, col->name), "");
    f.title = "Column " + col->name + " added to " + t.plain() + " with the volatile default " +
              col->default_value.text;
    f.evidence.add("column", col->name)
        .add("default", col->default_value.text)
        .add("volatile_function", fn);
    f.why = fn +
            "() is volatile: every existing row needs its own value, so PostgreSQL "
            "rewrites the table instead of storing one default.";
    describe_impact(f, cx, t, {LockMode::AccessExclusive, true, false});
    f.recommendation =
        "Add the column without a default, set the default for new rows with ALTER COLUMN ... "
        "SET DEFAULT (no rewrite), and backfill existing rows in batches.";
    f.fix_sql = alter(t) + "ADD COLUMN " + quoted(col->name) + " " + col->type.sql() + ";\n" +
                alter(t) + "ALTER COLUMN " + quoted(col->name) + " SET DEFAULT " +
                col->default_value.text +
                ";\n-- backfill in batches of about 10,000 rows:\nUPDATE " + t.sql() + " SET " +
                quoted(col->name) + " = " + col->default_value.text + " WHERE " +
                quoted(col->name) + " IS NULL;";
    f.steps = {"Add the column without a default.", "SET DEFAULT for new rows.",
               "Backfill existing rows in batches, each in its own transaction."};
    cx.add(std::move(f));
}

void add_stored_generated(ddl::DdlRuleContext &cx) {
    const ddl::ColumnSpec *col = added_column(cx);
    if (col == nullptr || !col->generated_stored) return;
    const ddl::Name &t = cx.change().target;
    review::Finding f = cx.make("column", column_object(t, col->name), "");
    f.title = "Stored generated column " + col->name + " added to " + t.plain();
    f.evidence.add("column", col->name).add("expression", col->default_value.text);
    f.why = "The value is computed and written for every existing row.";
    describe_impact(f, cx, t, {LockMode::AccessExclusive, true, false});
    f.recommendation =
        "Add a plain column, keep it up to date with a trigger for new and changed rows, and "
        "backfill existing rows in batches.";
    std::string expr = col->default_value.present() ? col->default_value.text : "<expression>";
    f.fix_sql = alter(t) + "ADD COLUMN " + quoted(col->name) + " " + col->type.sql() +
                ";\n-- a BEFORE INSERT OR UPDATE trigger sets NEW." + quoted(col->name) +
                " := " + expr + ";\n-- backfill in batches of about 10,000 rows:\nUPDATE " +
                t.sql() + " SET " + quoted(col->name) + " = " + expr + " WHERE " +
                quoted(col->name) + " IS NULL;";
    f.steps = {"Add the column as a plain nullable column.",
               "Create the trigger that computes it on INSERT and UPDATE.",
               "Backfill existing rows in batches."};
    cx.add(std::move(f));
}

void add_serial_or_identity_column(ddl::DdlRuleContext &cx) {
    const ddl::ColumnSpec *col = added_column(cx);
    if (col == nullptr || (!col->serial() && !col->identity)) return;
    const ddl::Name &t = cx.change().target;
    review::Finding f = cx.make("column", column_object(t, col->name), "");
    f.title = std::string(col->identity ? "Identity" : "Serial") + " column " + col->name +
              " added to " + t.plain();
    f.evidence.add("column", col->name).add("type", col->type.sql());
    f.why = "Every existing row draws its own sequence value, so the table is rewritten.";
    describe_impact(f, cx, t, {LockMode::AccessExclusive, true, false});
    f.recommendation =
        "Add a nullable bigint column, give it a sequence default for new rows, backfill "
        "existing rows in batches; or build a new table and copy the rows.";
    std::string seq = quoted(t.name + "_" + col->name + "_seq");
    if (!t.schema.empty()) seq = quoted(t.schema) + "." + seq;
    f.fix_sql = "CREATE SEQUENCE " + seq + " AS bigint;\n" + alter(t) + "ADD COLUMN " +
                quoted(col->name) + " bigint;\n" + alter(t) + "ALTER COLUMN " + quoted(col->name) +
                " SET DEFAULT nextval('" + seq + "');\n-- backfill in batches:\nUPDATE " + t.sql() +
                " SET " + quoted(col->name) + " = nextval('" + seq + "') WHERE " +
                quoted(col->name) + " IS NULL;\nALTER SEQUENCE " + seq + " OWNED BY " + t.sql() +
                "." + quoted(col->name) + ";";
    f.steps = {"Create the sequence and add the column without a default.",
               "SET DEFAULT nextval(...) for new rows.",
               "Backfill existing rows in batches, then add NOT NULL / the key without a long "
               "lock."};
    cx.add(std::move(f));
}

namespace {

enum class Verdict { Safe, Rewrite, Unknown };

bool widened(const ddl::TypeSpec &from, const ddl::TypeSpec &to, size_t i) {
    if (to.modifiers.empty()) return true;
    if (from.modifiers.size() <= i || to.modifiers.size() <= i) return false;
    return to.modifiers[i] >= from.modifiers[i];
}

// Whether changing a column's type from `from` to `to` rewrites the table: binary-coercible
// changes and typmod widenings do not.
Verdict type_change(const ddl::TypeSpec &from, const ddl::TypeSpec &to) {
    if (from.array != to.array || !from.schema.empty() || !to.schema.empty())
        return from.schema == to.schema && from.name == to.name && from.modifiers == to.modifiers &&
                       from.array == to.array
                   ? Verdict::Safe
                   : Verdict::Rewrite;
    const std::string &a = from.name, &b = to.name;
    if (a == b && from.modifiers == to.modifiers) return Verdict::Safe;
    if ((a == "varchar" || a == "text") && b == "text") return Verdict::Safe;
    if (a == "text" && b == "varchar" && to.modifiers.empty()) return Verdict::Safe;
    if (a == "varchar" && b == "varchar")
        return widened(from, to, 0) ? Verdict::Safe : Verdict::Rewrite;
    if (a == "numeric" && b == "numeric") {
        if (to.modifiers.empty()) return Verdict::Safe;
        bool same_scale = from.modifiers.size() == 2 && to.modifiers.size() == 2 &&
                          from.modifiers[1] == to.modifiers[1];
        return same_scale && widened(from, to, 0) ? Verdict::Safe : Verdict::Rewrite;
    }
    if ((a == "varbit" || a == "bit") && b == "varbit")
        return widened(from, to, 0) ? Verdict::Safe : Verdict::Rewrite;
    static const char *const kTime[] = {"timestamp", "timestamptz", "time", "timetz"};
    for (const char *tt : kTime)
        if (a == tt && b == tt) return widened(from, to, 0) ? Verdict::Safe : Verdict::Rewrite;
    if (a == "cidr" && b == "inet") return Verdict::Safe;
    if (a == "timestamp" && b == "timestamptz") return Verdict::Unknown;  // UTC sessions only
    return Verdict::Rewrite;
}

// The column's current type: the database's, else the last definition earlier in the file.
std::optional<ddl::TypeSpec> current_type(const ddl::DdlRuleContext &cx, const ddl::Name &t,
                                          const std::string &column) {
    std::optional<ddl::TypeSpec> type;
    if (std::optional<ddl::ColumnFacts> col = column_facts(cx, t, column)) type = col->type;
    for (size_t i = 0; i < cx.index(); i++)
        for (const ddl::Change &n : cx.all()[i].changes) {
            if (!ddl::same_table(n.target, t)) continue;
            if (n.action == Action::CreateTable)
                for (const ddl::ColumnSpec &col : n.columns)
                    if (col.name == column) type = col.type;
            if (n.action == Action::AddColumn && n.column_def.name == column)
                type = n.column_def.type;
            if (n.action == Action::AlterColumnType && n.column == column) type = n.new_type;
        }
    return type;
}

}  // namespace

void column_type_rewrite(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::AlterColumnType || no_risk(cx, c.target)) return;
    std::optional<ddl::TypeSpec> from = current_type(cx, c.target, c.column);
    Verdict v = from ? type_change(*from, c.new_type) : Verdict::Unknown;
    if (c.using_expr.present() && v == Verdict::Safe) v = Verdict::Unknown;
    if (v == Verdict::Safe) return;
    review::Finding f = cx.make("column", column_object(c.target, c.column), "");
    std::string old_type = from ? from->sql() : std::string("unknown");
    f.title = "Type of " + c.target.plain() + "." + c.column + " changed from " + old_type +
              " to " + c.new_type.sql() + (v == Verdict::Rewrite ? ": table rewrite" : "");
    f.evidence.add("column", c.column).add("from_type", old_type).add("to_type", c.new_type.sql());
    if (v == Verdict::Unknown)
        f.why = from ? "Whether it rewrites depends on the session (timestamp to timestamptz "
                       "is free only with TimeZone UTC) or on the USING expression."
                     : "The column's current type is unknown here (pass --dsn): only widening "
                       "varchar/numeric/varbit modifiers and varchar to text are free.";
    describe_impact(
        f, cx, c.target,
        {LockMode::AccessExclusive, v == Verdict::Rewrite, false, true, v == Verdict::Unknown});
    f.recommendation =
        "Change the type without a rewrite when a widening does (varchar(n) to a larger n or to "
        "text, numeric to a larger precision); otherwise expand and contract: add a column of "
        "the new type, write both, backfill in batches, switch reads, drop the old column.";
    std::string tmp = quoted(c.column + "_new");
    f.fix_sql = alter(c.target) + "ADD COLUMN " + tmp + " " + c.new_type.sql() +
                ";\n-- keep it in step with a trigger, backfill in batches of about 10,000 "
                "rows:\nUPDATE " +
                c.target.sql() + " SET " + tmp + " = " + quoted(c.column) + " WHERE " + tmp +
                " IS NULL;\n-- then, in one short transaction:\n" + alter(c.target) +
                "RENAME COLUMN " + quoted(c.column) + " TO " + quoted(c.column + "_old") + ";\n" +
                alter(c.target) + "RENAME COLUMN " + tmp + " TO " + quoted(c.column) + ";";
    f.steps = {"Add the new column and a trigger that writes it on INSERT and UPDATE.",
               "Backfill it in batches.", "Swap the names in one short transaction.",
               "Drop the old column once nothing reads it."};
    cx.add(std::move(f));
}

void drop_not_null(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::DropNotNull || no_risk(cx, c.target)) return;
    review::Finding f = cx.make("column", column_object(c.target, c.column), "");
    f.title = "NOT NULL dropped from " + c.target.plain() + "." + c.column;
    f.evidence.add("column", c.column);
    f.why =
        "Code that reads the column may assume a value: the first NULL written by the new "
        "version breaks the old one, and the change is not easy to undo once NULLs exist.";
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, false, false});
    f.recommendation =
        "Make sure every reader handles NULL first; if the column is being retired, stop "
        "reading it and drop it instead, or write a sentinel value.";
    f.steps = {"Release code that handles NULL in this column.", "Then drop NOT NULL."};
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration
