// Migration rules on renames and drops that break the application: MIG-17 rename_column,
// MIG-18 rename_table_or_schema, MIG-19 enum_change, MIG-20 drop_column, MIG-21 destructive_drop.
// With a database, they name the captured queries that still use the object.
#include "core/review/rules/migration_rules.h"

#include "core/catalog/catalog_snapshot.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::migration {

using ddl::Action;
using ddl::LockMode;

namespace {

// The captured queries in evidence and the sentence about them; a live database that knows no
// query using the object makes the finding one step less severe.
void weigh_queries(review::Finding &f, const ddl::DdlRuleContext &cx, const ddl::Name &table,
                   const std::string &column, const std::string &what) {
    size_t n = add_queries(f, cx, table, column);
    if (n > 0) {
        f.why = std::to_string(n) +
                (n == 1 ? " captured query still uses " : " captured queries still use ") + what +
                ": " + (n == 1 ? "it fails" : "they fail") +
                " with an error as soon as the statement commits.";
    } else if (cx.facts().live()) {
        f.severity = review::lower(f.severity);
        f.why = "No captured query uses " + what +
                " (the application may still, in code paths not run since the statistics reset).";
    } else {
        f.why = "Application code still using " + what +
                " fails as soon as the statement commits (with --dsn the captured queries using it "
                "are listed).";
    }
}

}  // namespace

void rename_column(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::RenameColumn || no_risk(cx, c.target)) return;
    review::Finding f = cx.make("column", column_object(c.target, c.column), "");
    f.title = "Column " + c.target.plain() + "." + c.column + " renamed to " + c.new_name;
    f.evidence.add("column", c.column).add("new_name", c.new_name);
    weigh_queries(f, cx, c.target, c.column, "the column");
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, false, false});
    f.recommendation =
        "Rename in steps the running application survives: add the new column, keep both in "
        "step, move readers and writers to the new name, then drop the old column.";
    std::string type = "<type>";
    if (std::optional<ddl::TableFacts> t = table_facts(cx, c.target))
        for (const ddl::ColumnFacts &col : t->columns)
            if (col.name == c.column) type = col.type.sql();
    std::string alter = "ALTER TABLE " + c.target.sql() + " ";
    f.fix_sql = alter + "ADD COLUMN " + quoted(c.new_name) + " " + type +
                ";\n-- a trigger copies " + quoted(c.column) + " into " + quoted(c.new_name) +
                " on INSERT and UPDATE; backfill in batches:\nUPDATE " + c.target.sql() + " SET " +
                quoted(c.new_name) + " = " + quoted(c.column) + " WHERE " + quoted(c.new_name) +
                " IS NULL;\n-- once the application uses " + quoted(c.new_name) + " only:\n" +
                alter + "DROP COLUMN " + quoted(c.column) + ";";
    f.steps = {"Add the new column and the trigger; backfill.",
               "Deploy code that reads and writes the new name.",
               "Drop the old column when no query uses it."};
    cx.add(std::move(f));
}

void rename_table_or_schema(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    bool table = c.action == Action::RenameTable;
    if ((!table && c.action != Action::RenameSchema) || (table && no_risk(cx, c.target))) return;
    review::Finding f = cx.make(table ? "table" : "schema", c.target.sql(), "");
    f.title =
        std::string(table ? "Table " : "Schema ") + c.target.plain() + " renamed to " + c.new_name;
    f.evidence.add("new_name", c.new_name);
    if (table) {
        weigh_queries(f, cx, c.target, "", "the table");
        describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, false, false});
        ddl::Name renamed{c.target.schema, c.new_name};
        f.recommendation =
            "Rename and leave a view under the old name in the same transaction (a simple view "
            "is updatable), then drop the view once the application uses the new name.";
        f.fix_sql = "BEGIN;\nALTER TABLE " + c.target.sql() + " RENAME TO " + quoted(c.new_name) +
                    ";\nCREATE VIEW " + c.target.sql() + " AS SELECT * FROM " + renamed.sql() +
                    ";\nCOMMIT;\n-- once no query uses the old name:\nDROP VIEW " + c.target.sql() +
                    ";";
    } else {
        f.evidence.add("lock", "ACCESS EXCLUSIVE").add("rewrite", false).add("scan", false);
        f.why =
            "Every query naming the schema, and every search_path listing it, stops finding "
            "its objects as soon as the statement commits.";
        f.recommendation =
            "Move the application to the new name first: create the new schema, move objects "
            "one at a time with views left behind, or put both names in search_path during the "
            "switch.";
    }
    f.steps = {"Deploy code that works with both names.",
               "Rename, with a bridge under the old name.",
               "Remove the bridge when nothing uses the old name."};
    cx.add(std::move(f));
}

void enum_change(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action == Action::AlterEnumAddValue && !c.enum_position) {
        std::vector<std::string> labels = cx.facts().enum_labels(c.target);
        if (labels.empty()) return;  // unknown offline: the order may not matter
        review::Finding f = cx.make("type", c.target.sql(), "add:" + c.enum_value);
        f.severity = review::Severity::Info;
        f.title = "Value '" + c.enum_value + "' added at the end of enum " + c.target.plain();
        f.evidence.add("value", c.enum_value).add("labels", labels);
        f.why = "Enum values sort in declaration order: the new value sorts after '" +
                labels.back() + "', which ORDER BY and < / > comparisons on the column see.";
        f.recommendation = "Say where it belongs with BEFORE or AFTER.";
        f.fix_sql = "ALTER TYPE " + c.target.sql() + " ADD VALUE " +
                    catalog::quote_literal(c.enum_value) + " AFTER " +
                    catalog::quote_literal(labels.back()) + ";";
        cx.add(std::move(f));
        return;
    }
    if (c.action != Action::AlterEnumRenameValue) return;
    review::Finding f = cx.make("type", c.target.sql(), "rename:" + c.enum_value);
    f.title = "Value '" + c.enum_value + "' of enum " + c.target.plain() + " renamed to '" +
              c.new_name + "'";
    f.evidence.add("value", c.enum_value).add("new_value", c.new_name);
    f.why = "Application code and stored queries comparing with '" + c.enum_value +
            "' fail (invalid input value for enum) as soon as the statement commits.";
    f.recommendation =
        "Add the new value, move the rows and the application to it, and keep the old value "
        "unused (enum values cannot be dropped).";
    f.fix_sql =
        "ALTER TYPE " + c.target.sql() + " ADD VALUE " + catalog::quote_literal(c.new_name) +
        " AFTER " + catalog::quote_literal(c.enum_value) +
        ";\n-- then, in batches: UPDATE ... SET <column> = " + catalog::quote_literal(c.new_name) +
        " WHERE <column> = " + catalog::quote_literal(c.enum_value) + ";";
    cx.add(std::move(f));
}

void drop_column(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    if (c.action != Action::DropColumn || no_risk(cx, c.target)) return;
    review::Finding f = cx.make("column", column_object(c.target, c.column), "");
    f.title = "Column " + c.target.plain() + "." + c.column + " dropped";
    f.evidence.add("column", c.column);
    weigh_queries(f, cx, c.target, c.column, "the column");
    describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, false, false});
    f.recommendation =
        "Stop using the column in the application first (Rails ignored_columns, remove it from "
        "the Django model with SeparateDatabaseAndState), deploy, then drop it.";
    f.fix_sql = "SET lock_timeout = '5s';\nALTER TABLE " + c.target.sql() + " DROP COLUMN " +
                std::string(c.if_exists ? "IF EXISTS " : "") + quoted(c.column) + ";";
    f.steps = {"Deploy code that no longer reads or writes the column.",
               "Check that no captured query uses it.",
               "Drop it with a short lock_timeout (the drop itself is instant)."};
    cx.add(std::move(f));
}

void destructive_drop(ddl::DdlRuleContext &cx) {
    const ddl::Change &c = cx.change();
    bool table = c.action == Action::DropTable || c.action == Action::Truncate;
    if (c.action == Action::Truncate && !c.cascade) return;
    if (!table && c.action != Action::DropSchema && c.action != Action::DropDatabase) return;
    if (table && no_risk(cx, c.target)) return;
    const char *type = c.action == Action::DropSchema     ? "schema"
                       : c.action == Action::DropDatabase ? "database"
                                                          : "table";
    review::Finding f = cx.make(type, c.target.sql(), std::string(ddl::action_name(c.action)));
    if (c.action == Action::DropDatabase) f.severity = review::Severity::Critical;
    std::string verb = c.action == Action::Truncate ? "TRUNCATE ... CASCADE of " : "DROP of ";
    f.title =
        verb + std::string(type) + " " + c.target.plain() + (c.cascade ? " with CASCADE" : "");
    f.evidence.add("cascade", c.cascade);
    if (table) {
        weigh_queries(f, cx, c.target, "", "the table");
        describe_impact(f, cx, c.target, {LockMode::AccessExclusive, false, false, false});
    } else {
        f.why = "Everything in it is gone for good; only a backup brings it back.";
    }
    if (c.cascade)
        f.why +=
            " CASCADE also removes every object that depends on it (views, foreign keys, "
            "rows of referencing tables for TRUNCATE), none of them named here.";
    f.recommendation =
        "Make sure nothing uses it and a backup exists; name every object to remove instead of "
        "relying on CASCADE.";
    if (c.cascade) {
        const std::string &sql = cx.statement().text;
        size_t at = 0, end = 0;
        if (find_keyword(sql, "cascade", true, &at, &end))
            f.fix_sql = sql.substr(0, at) + "RESTRICT" + sql.substr(end) + ";";
    }
    f.steps = {"Check that no captured query uses the object.",
               "Take a backup (pg_dump --table / --schema) first.",
               "Drop without CASCADE, listing dependent objects explicitly."};
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::migration
