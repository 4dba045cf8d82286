// Migration rules on columns, renames and drops (review/rules/migration_columns.cpp,
// migration_drops.cpp, migration_keys.cpp): each finding exactly, and the near miss.
#include <gtest/gtest.h>

#include "migration_builders.h"

namespace pg_advisor::ddl::test {
namespace {

using review::Severity;

#define EXPECT_PREFIX(text, prefix) EXPECT_EQ((text).substr(0, std::string(prefix).size()), prefix)

const char *const kCheckPath =
    "ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n"
    "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n"
    "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n"
    "ALTER TABLE users DROP CONSTRAINT users_email_not_null;";

TEST(MigrationColumns, SetNotNullScans) {
    Statement s = column_change("ALTER TABLE users ALTER COLUMN email SET NOT NULL",
                                Action::SetNotNull, "users", "email");
    auto f = run("set_not_null_scan", {s});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users.email");
    EXPECT_EQ(f[0].evidence.get("scan"), "true");
    EXPECT_EQ(f[0].fix_sql, kCheckPath);
    // PostgreSQL 18: the native NOT NULL NOT VALID path; a large table raises it
    FakeFacts db;
    db.version = 180000;
    db.add_table("users", 3 * kGB, 2e7);
    f = run("set_not_null_scan", {s}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Critical);
    EXPECT_EQ(f[0].fix_sql,
              "ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email NOT VALID;\n"
              "ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;");
}

TEST(MigrationColumns, SetNotNullAfterAValidatedCheckIsSilent) {
    Constraint k = constraint(ConstraintKind::Check, "users_email_not_null", {});
    k.check.text = "email IS NOT NULL";
    k.not_valid = true;
    Change v = change(Action::ValidateConstraint, T("users"));
    v.object = "users_email_not_null";
    std::vector<Statement> path = {
        add_constraint("ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT "
                       "NULL) NOT VALID",
                       "users", k),
        stmt("ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null", v),
        column_change("ALTER TABLE users ALTER COLUMN email SET NOT NULL", Action::SetNotNull,
                      "users", "email")};
    EXPECT_TRUE(run("set_not_null_scan", path).empty());
    path.erase(path.begin() + 1);  // not validated: the scan happens
    EXPECT_EQ(run("set_not_null_scan", path).size(), 1u);
}

TEST(MigrationColumns, RequiredColumnWithoutDefault) {
    ColumnSpec age = column("age", type("int4"));
    age.not_null = true;
    auto f = run("add_required_column",
                 {add_column("ALTER TABLE users ADD COLUMN age int4 NOT NULL", "users", age)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users.age");
    EXPECT_PREFIX(f[0].fix_sql,
                  "ALTER TABLE users ADD COLUMN age int4;\n-- backfill in batches, then:\nALTER");
    age.default_value.text = "0";
    age.default_value.constant = true;
    EXPECT_TRUE(
        run("add_required_column",
            {add_column("ALTER TABLE users ADD COLUMN age int4 NOT NULL DEFAULT 0", "users", age)})
            .empty());
}

ColumnSpec with_default(const std::string &name, const std::string &t, const std::string &expr,
                        std::vector<std::string> functions) {
    ColumnSpec c = column(name, type(t));
    c.default_value.text = expr;
    c.default_value.functions = std::move(functions);
    return c;
}

TEST(MigrationColumns, VolatileDefaultRewrites) {
    ColumnSpec token = with_default("token", "uuid", "gen_random_uuid()", {"gen_random_uuid"});
    auto f = run("add_column_volatile_default",
                 {add_column("ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()",
                             "users", token)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].evidence.get("rewrite"), "true");
    EXPECT_EQ(f[0].evidence.get("volatile_function"), "\"gen_random_uuid\"");
    EXPECT_EQ(f[0].fix_sql,
              "ALTER TABLE users ADD COLUMN token uuid;\n"
              "ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n"
              "-- backfill in batches of about 10,000 rows:\n"
              "UPDATE users SET token = gen_random_uuid() WHERE token IS NULL;");
    // now() is STABLE: one value stored in the catalog, no rewrite
    ColumnSpec at = with_default("created_at", "timestamptz", "now()", {"now"});
    EXPECT_TRUE(run("add_column_volatile_default",
                    {add_column("ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now()",
                                "users", at)})
                    .empty());
    // the database's answer wins over the built-in list
    ColumnSpec mine = with_default("code", "text", "my_code()", {"my_code"});
    Statement s =
        add_column("ALTER TABLE users ADD COLUMN code text DEFAULT my_code()", "users", mine);
    FakeFacts db;
    EXPECT_TRUE(run("add_column_volatile_default", {s}, db).empty());
    db.volatility["my_code"] = 'v';
    EXPECT_EQ(run("add_column_volatile_default", {s}, db).size(), 1u);
}

TEST(MigrationColumns, StoredGeneratedColumn) {
    ColumnSpec total = with_default("total", "numeric", "price * qty", {});
    total.generated_stored = true;
    Statement s = add_column(
        "ALTER TABLE items ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED",
        "items", total);
    auto f = run("add_stored_generated", {s});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].evidence.get("rewrite"), "true");
    EXPECT_PREFIX(f[0].fix_sql, "ALTER TABLE items ADD COLUMN total numeric;");
    EXPECT_TRUE(run("add_stored_generated", {create_table("items"), s}).empty());
}

TEST(MigrationColumns, SerialColumnAdded) {
    Statement s = add_column("ALTER TABLE users ADD COLUMN id bigserial", "users",
                             column("id", type("bigserial")));
    auto f = run("add_serial_or_identity_column", {s});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].object, "users.id");
    EXPECT_EQ(f[0].fix_sql,
              "CREATE SEQUENCE users_id_seq AS bigint;\n"
              "ALTER TABLE users ADD COLUMN id bigint;\n"
              "ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('users_id_seq');\n"
              "-- backfill in batches:\n"
              "UPDATE users SET id = nextval('users_id_seq') WHERE id IS NULL;\n"
              "ALTER SEQUENCE users_id_seq OWNED BY users.id;");
    EXPECT_TRUE(
        run("add_serial_or_identity_column",
            {add_column("ALTER TABLE users ADD COLUMN n int8", "users", column("n", type("int8")))})
            .empty());
}

Statement alter_type(const std::string &table, const std::string &col, TypeSpec t) {
    Statement s =
        column_change("ALTER TABLE " + table + " ALTER COLUMN " + col + " TYPE " + t.sql(),
                      Action::AlterColumnType, table, col);
    s.changes[0].new_type = std::move(t);
    return s;
}

TEST(MigrationColumns, TypeChangeDecidedFromTheCurrentType) {
    FakeFacts db;
    TableFacts &users = db.add_table("users", 200 * kMB, 1e6);
    users.columns.push_back({"name", type("varchar", {50}), false});
    users.columns.push_back({"id", type("int4"), true});
    users.columns.push_back({"price", type("numeric", {10, 2}), false});
    EXPECT_TRUE(
        run("column_type_rewrite", {alter_type("users", "name", type("varchar", {100}))}, db)
            .empty());
    EXPECT_TRUE(
        run("column_type_rewrite", {alter_type("users", "name", type("text"))}, db).empty());
    EXPECT_TRUE(
        run("column_type_rewrite", {alter_type("users", "price", type("numeric", {12, 2}))}, db)
            .empty());
    EXPECT_EQ(
        run("column_type_rewrite", {alter_type("users", "price", type("numeric", {12, 3}))}, db)
            .size(),
        1u);
    EXPECT_EQ(
        run("column_type_rewrite", {alter_type("users", "name", type("varchar", {20}))}, db).size(),
        1u);
    auto f = run("column_type_rewrite", {alter_type("users", "id", type("int8"))}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users.id");
    EXPECT_EQ(f[0].title, "Type of users.id changed from int4 to int8: table rewrite");
    EXPECT_EQ(f[0].evidence.get("rewrite"), "true");
    EXPECT_EQ(f[0].fix_sql,
              "ALTER TABLE users ADD COLUMN id_new int8;\n"
              "-- keep it in step with a trigger, backfill in batches of about 10,000 rows:\n"
              "UPDATE users SET id_new = id WHERE id_new IS NULL;\n"
              "-- then, in one short transaction:\n"
              "ALTER TABLE users RENAME COLUMN id TO id_old;\n"
              "ALTER TABLE users RENAME COLUMN id_new TO id;");
}

TEST(MigrationColumns, TypeChangeOfflineMayRewriteUnlessTheFileSaysOtherwise) {
    auto f = run("column_type_rewrite", {alter_type("users", "id", type("int8"))});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].evidence.get("rewrite"), "\"unknown\"");
    EXPECT_EQ(f[0].evidence.get("from_type"), "\"unknown\"");
    // the column was added earlier in the file as varbit(8): widening is free
    EXPECT_TRUE(
        run("column_type_rewrite", {add_column("ALTER TABLE users ADD COLUMN flags varbit(8)",
                                               "users", column("flags", type("varbit", {8}))),
                                    alter_type("users", "flags", type("varbit", {16}))})
            .empty());
}

TEST(MigrationColumns, DropNotNull) {
    Statement s = column_change("ALTER TABLE users ALTER COLUMN email DROP NOT NULL",
                                Action::DropNotNull, "users", "email");
    auto f = run("drop_not_null", {s});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Low);
    EXPECT_EQ(f[0].object, "users.email");
    EXPECT_TRUE(run("drop_not_null", {create_table("users"), s}).empty());
}

TEST(MigrationDrops, RenameColumnNamesTheQueriesUsingIt) {
    Statement s = column_change("ALTER TABLE users RENAME COLUMN email TO mail",
                                Action::RenameColumn, "users", "email");
    s.changes[0].new_name = "mail";
    FakeFacts db;
    db.add_table("users", 1 * kMB, 10).columns.push_back({"email", type("text"), false});
    db.queries.push_back({42, "SELECT email FROM users WHERE id = $1", 900});
    auto f = run("rename_column", {s}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);  // the table's size does not matter
    EXPECT_EQ(f[0].queryids, (std::vector<uint64_t>{42}));
    EXPECT_NE(f[0].why.find("1 captured query still uses the column: it fails"), std::string::npos)
        << f[0].why;
    EXPECT_EQ(f[0].evidence.get("queries"), "[\"SELECT email FROM users WHERE id = $1\"]");
    EXPECT_PREFIX(f[0].fix_sql, "ALTER TABLE users ADD COLUMN mail text;");
    db.queries.clear();
    f = run("rename_column", {s}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_TRUE(run("rename_column", {create_table("users"), s}).empty());
}

TEST(MigrationDrops, RenameTableLeavesAView) {
    Change c = change(Action::RenameTable, T("users"));
    c.new_name = "accounts";
    auto f = run("rename_table_or_schema", {stmt("ALTER TABLE users RENAME TO accounts", c)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users");
    EXPECT_EQ(f[0].fix_sql,
              "BEGIN;\nALTER TABLE users RENAME TO accounts;\n"
              "CREATE VIEW users AS SELECT * FROM accounts;\nCOMMIT;\n"
              "-- once no query uses the old name:\nDROP VIEW users;");
    Change sc = change(Action::RenameSchema, T("app"));
    sc.new_name = "core";
    f = run("rename_table_or_schema", {stmt("ALTER SCHEMA app RENAME TO core", sc)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].object_type, "schema");
    EXPECT_TRUE(run("rename_table_or_schema",
                    {create_table("users"), stmt("ALTER TABLE users RENAME TO accounts", c)})
                    .empty());
}

TEST(MigrationDrops, EnumChanges) {
    Change r = change(Action::AlterEnumRenameValue, T("status"));
    r.enum_value = "finished";
    r.new_name = "done";
    auto f = run("enum_change", {stmt("ALTER TYPE status RENAME VALUE 'finished' TO 'done'", r)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].fix_sql,
              "ALTER TYPE status ADD VALUE 'done' AFTER 'finished';\n"
              "-- then, in batches: UPDATE ... SET <column> = 'done' WHERE <column> = 'finished';");
    Change a = change(Action::AlterEnumAddValue, T("status"));
    a.enum_value = "archived";
    Statement add = stmt("ALTER TYPE status ADD VALUE 'archived'", a);
    EXPECT_TRUE(run("enum_change", {add}).empty());  // offline: the labels are unknown
    FakeFacts db;
    db.labels = {"new", "finished"};
    f = run("enum_change", {add}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Info);
    EXPECT_EQ(f[0].fix_sql, "ALTER TYPE status ADD VALUE 'archived' AFTER 'finished';");
    add.changes[0].enum_position = true;
    EXPECT_TRUE(run("enum_change", {add}, db).empty());
}

TEST(MigrationDrops, DropColumn) {
    Statement s =
        column_change("ALTER TABLE users DROP COLUMN email", Action::DropColumn, "users", "email");
    auto f = run("drop_column", {s});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users.email");
    EXPECT_EQ(f[0].fix_sql, "SET lock_timeout = '5s';\nALTER TABLE users DROP COLUMN email;");
    FakeFacts db;
    db.queries.push_back({7, "SELECT email FROM users", 3});
    f = run("drop_column", {s}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].queryids, (std::vector<uint64_t>{7}));
    EXPECT_EQ(f[0].evidence.get("query_count"), "1");
    EXPECT_TRUE(run("drop_column", {create_table("users"), s}).empty());
}

TEST(MigrationDrops, DestructiveDrops) {
    Change d = change(Action::DropTable, T("users"));
    d.cascade = true;
    auto f = run("destructive_drop", {stmt("DROP TABLE users CASCADE", d)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users");
    EXPECT_EQ(f[0].evidence.get("cascade"), "true");
    EXPECT_EQ(f[0].fix_sql, "DROP TABLE users RESTRICT;");
    Change db = change(Action::DropDatabase, T("shop"));
    f = run("destructive_drop", {stmt("DROP DATABASE shop", db)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Critical);
    Change t = change(Action::Truncate, T("users"));
    EXPECT_TRUE(run("destructive_drop", {stmt("TRUNCATE users", t)}).empty());
    EXPECT_TRUE(
        run("destructive_drop", {create_table("users"), stmt("DROP TABLE users CASCADE", d)})
            .empty());
}

TEST(MigrationKeys, IntegerPrimaryKeyOfANewTable) {
    ColumnSpec id = column("id", type("serial"));
    id.primary_key = true;
    auto f = run("int_key_design", {create_table("orders", {id})});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Info);
    EXPECT_EQ(f[0].object, "orders.id");
    EXPECT_EQ(f[0].fix_sql,
              "ALTER TABLE orders ALTER COLUMN id TYPE bigint;\n"
              "ALTER SEQUENCE orders_id_seq AS bigint;");
    // a table-level PRIMARY KEY on an int4 column
    Statement t = create_table("items", {column("id", type("int4"))});
    t.changes[0].constraints.push_back(constraint(ConstraintKind::PrimaryKey, "", {"id"}));
    f = run("int_key_design", {t});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].fix_sql, "ALTER TABLE items ALTER COLUMN id TYPE bigint;");
    ColumnSpec big = column("id", type("bigserial"));
    big.primary_key = true;
    EXPECT_TRUE(run("int_key_design", {create_table("orders", {big})}).empty());
}

}  // namespace
}  // namespace pg_advisor::ddl::test
