// The ddl function of the schema rule int_key_design (SCH-03): a table created (or a key column
// added) with a 32-bit or smaller integer primary key, while widening it is still free.
#include "core/review/rules/migration_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;

namespace {

bool small_int(const ddl::TypeSpec &t) {
    if (!t.schema.empty() || t.array) return false;
    static const char *const kSmall[] = {"int4",    "int2",        "serial",
                                         "serial4", "smallserial", "serial2"};
    for (const char *name : kSmall)
        if (t.name == name) return true;
    return false;
}

void report(ddl::DdlRuleContext &cx, const ddl::Name &table, const ddl::ColumnSpec &col) {
    review::Finding f = cx.make("column", column_object(table, col.name), "");
    bool serial = col.serial();
    f.title = "Primary key column " + col.name + " of " + table.plain() + " is " + col.type.sql();
    f.evidence.add("table", table.plain())
        .add("column", col.name)
        .add("type", col.type.sql())
        .add("identity", col.identity);
    f.why = col.type.sql() +
            " ends at 2,147,483,647 (32,767 for smallint); sequences also burn values on "
            "rolled-back inserts. Widening later rewrites this table and every table referencing "
            "it; now it costs nothing.";
    f.recommendation =
        "Declare the key bigint: bigint GENERATED ALWAYS AS IDENTITY (or "
        "bigserial).";
    std::string alter =
        "ALTER TABLE " + table.sql() + " ALTER COLUMN " + quoted(col.name) + " TYPE bigint;";
    if (serial) {
        std::string seq = quoted(table.name + "_" + col.name + "_seq");
        if (!table.schema.empty()) seq = quoted(table.schema) + "." + seq;
        alter += "\nALTER SEQUENCE " + seq + " AS bigint;";
    }
    f.fix_sql = alter;
    f.steps = {
        "Write bigint (bigserial, or bigint GENERATED ALWAYS AS IDENTITY) in the "
        "migration; or run the ALTER right after it, while the table is empty."};
    cx.add(std::move(f));
}

}  // namespace

void int_key_design_ddl(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action == Action::AddColumn) {
        if (c.column_def.primary_key && small_int(c.column_def.type))
            report(cx, c.target, c.column_def);
        return;
    }
    if (c.action != Action::CreateTable) return;
    std::string pk;
    for (const ddl::Constraint &k : c.constraints)
        if (k.kind == ddl::ConstraintKind::PrimaryKey && k.columns.size() == 1) pk = k.columns[0];
    for (const ddl::ColumnSpec &col : c.columns)
        if ((col.primary_key || col.name == pk) && small_int(col.type)) report(cx, c.target, col);
}

}  // namespace pg_advisor::review::migration
