// Migration rules on indexes and constraints (review/rules/migration_indexes.cpp,
// migration_constraints.cpp): each finding exactly, and the near miss that stays silent.
#include <gtest/gtest.h>

#include "core/review/registry.h"
#include "migration_builders.h"

namespace pg_advisor::ddl::test {
namespace {

using review::Severity;

Statement drop_index(const std::string &name, bool concurrently = false) {
    Change c = change(Action::DropIndex, T(name));
    c.concurrently = concurrently;
    return stmt(std::string("DROP INDEX ") + (concurrently ? "CONCURRENTLY " : "") + name, c);
}

IndexFacts index_facts(const std::string &name, const std::string &table,
                       std::vector<std::string> cols) {
    IndexFacts ix;
    ix.name = T(name, "public");
    ix.table = T(table, "public");
    ix.columns = std::move(cols);
    return ix;
}

TEST(MigrationIndexes, DropIndexWithoutConcurrently) {
    auto f = run("drop_index_not_concurrent", {drop_index("orders_status_idx")});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].object, "orders_status_idx");
    EXPECT_EQ(f[0].evidence.get("lock"), "\"ACCESS EXCLUSIVE\"");
    EXPECT_EQ(f[0].fix_sql, "DROP INDEX CONCURRENTLY orders_status_idx;");
    // live: the index's table is large, one step up
    FakeFacts db;
    db.add_table("orders", 2 * kGB, 5e7);
    db.indexes.push_back(index_facts("orders_status_idx", "orders", {"status"}));
    f = run("drop_index_not_concurrent", {drop_index("orders_status_idx")}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].evidence.get("table_bytes"), std::to_string(2 * kGB));
}

TEST(MigrationIndexes, DropIndexNearMisses) {
    EXPECT_TRUE(run("drop_index_not_concurrent", {drop_index("i", true)}).empty());
    EXPECT_TRUE(
        run("drop_index_not_concurrent",
            {create_index("CREATE INDEX i ON orders (a)", "orders", {"a"}, "i"), drop_index("i")})
            .empty());
    FakeFacts db;
    IndexFacts pk = index_facts("orders_pkey", "orders", {"id"});
    pk.constraint = "orders_pkey";
    db.indexes.push_back(pk);
    EXPECT_TRUE(run("drop_index_not_concurrent", {drop_index("orders_pkey")}, db).empty());
    // the same setups with the one difference removed do fire
    EXPECT_EQ(run("drop_index_not_concurrent", {drop_index("i")}).size(), 1u);
    FakeFacts plain;
    plain.indexes.push_back(index_facts("orders_pkey", "orders", {"id"}));
    EXPECT_EQ(run("drop_index_not_concurrent", {drop_index("orders_pkey")}, plain).size(), 1u);
}

TEST(MigrationIndexes, ReindexWithoutConcurrently) {
    Change c = change(Action::Reindex, T("orders"));
    c.reindex_kind = "table";
    auto f = run("reindex_not_concurrent", {stmt("REINDEX TABLE orders", c)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "orders");
    EXPECT_EQ(f[0].evidence.get("lock"), "\"SHARE\"");
    EXPECT_EQ(f[0].evidence.get("scan"), "true");
    EXPECT_EQ(f[0].fix_sql, "REINDEX TABLE CONCURRENTLY orders;");
    c.concurrently = true;
    EXPECT_TRUE(
        run("reindex_not_concurrent", {stmt("REINDEX TABLE CONCURRENTLY orders", c)}).empty());
}

TEST(MigrationIndexes, ConcurrentlyInsideATransactionBlock) {
    Statement cic = create_index("CREATE INDEX CONCURRENTLY i ON orders (status)", "orders",
                                 {"status"}, "i", true);
    auto f = run("concurrent_in_transaction", {begin(), cic, commit()});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "orders");
    EXPECT_EQ(f[0].fix_sql, "COMMIT;\nCREATE INDEX CONCURRENTLY i ON orders (status);");
    EXPECT_TRUE(run("concurrent_in_transaction", {cic}).empty());
}

TEST(MigrationIndexes, ConcurrentBuildWithAShortLockTimeout) {
    Statement cic = create_index("CREATE INDEX CONCURRENTLY i ON orders (status)", "orders",
                                 {"status"}, "i", true);
    auto f = run("cic_timeout_misfit", {set("lock_timeout", "2s"), cic});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].evidence.get("lock_timeout_ms"), "2000");
    EXPECT_EQ(f[0].fix_sql,
              "SET lock_timeout = 0;\nCREATE INDEX CONCURRENTLY i ON orders (status);\n"
              "SET lock_timeout = '2000ms';");
    EXPECT_TRUE(run("cic_timeout_misfit", {set("lock_timeout", "2min"), cic}).empty());
    EXPECT_TRUE(run("cic_timeout_misfit", {cic}).empty());
}

TEST(MigrationIndexes, IndexDroppedBeforeItsReplacement) {
    // offline: recreated under the same name
    auto f = run("replace_index_order",
                 {drop_index("i"),
                  create_index("CREATE INDEX i ON orders (a, b)", "orders", {"a", "b"}, "i")});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].object, "i");
    EXPECT_EQ(f[0].fix_sql,
              "CREATE INDEX CONCURRENTLY i_new ON orders (a, b);\nDROP INDEX CONCURRENTLY i;\n"
              "ALTER INDEX i_new RENAME TO i;");
    // with the database: another name on the same columns
    FakeFacts db;
    db.add_table("orders", 50 * kMB, 1e5);
    db.indexes.push_back(index_facts("orders_status_idx", "orders", {"status"}));
    f = run("replace_index_order",
            {drop_index("orders_status_idx", true),
             create_index("CREATE INDEX CONCURRENTLY orders_status_v2 ON orders (status)", "orders",
                          {"status"}, "orders_status_v2", true)},
            db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].evidence.get("replacement"), "\"orders_status_v2\"");
    EXPECT_EQ(f[0].fix_sql,
              "CREATE INDEX CONCURRENTLY orders_status_v2 ON orders (status);\n"
              "DROP INDEX CONCURRENTLY orders_status_idx;");
    // the right order: build first, then drop
    EXPECT_TRUE(run("replace_index_order",
                    {create_index("CREATE INDEX CONCURRENTLY orders_status_v2 ON orders (status)",
                                  "orders", {"status"}, "orders_status_v2", true),
                     drop_index("orders_status_idx", true)},
                    db)
                    .empty());
}

Constraint fk(const std::string &name, std::vector<std::string> cols, const std::string &parent) {
    Constraint k = constraint(ConstraintKind::ForeignKey, name, std::move(cols));
    k.references.table = T(parent);
    return k;
}

TEST(MigrationIndexes, NewForeignKeyWithoutAnIndex) {
    ColumnSpec order_id = column("order_id", type("int8"));
    order_id.constraints.push_back(fk("", {}, "orders"));
    auto f = run("new_fk_without_index", {create_table("items", {order_id})});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].object, "items");
    EXPECT_EQ(f[0].identity, "items_order_id_fkey");
    EXPECT_EQ(f[0].evidence.get("columns"), "[\"order_id\"]");
    EXPECT_EQ(f[0].fix_sql, "CREATE INDEX items_order_id_idx ON items (order_id);");
    // an index later in the migration leading with the column serves it
    EXPECT_TRUE(run("new_fk_without_index", {create_table("items", {order_id}),
                                             create_index("CREATE INDEX ON items (order_id, sku)",
                                                          "items", {"order_id", "sku"})})
                    .empty());
    // so does the table's own primary key (order_id, sku)
    Statement with_pk = create_table("items", {order_id, column("sku", type("text"))});
    with_pk.changes[0].constraints.push_back(
        constraint(ConstraintKind::PrimaryKey, "", {"order_id", "sku"}));
    EXPECT_TRUE(run("new_fk_without_index", {with_pk}).empty());
    // reviewed live, one statement at a time, the index of the next statement is not seen yet:
    // logged (info), not warned
    LintOptions about_to_run;
    about_to_run.live = true;
    FakeFacts db;
    f = run("new_fk_without_index", {create_table("items", {order_id})}, db, about_to_run);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Info);
}

TEST(MigrationIndexes, ForeignKeyAddedToAnExistingTable) {
    Statement add = add_constraint(
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
        "REFERENCES customers (id) NOT VALID",
        "orders", fk("orders_customer_fk", {"customer_id"}, "customers"));
    add.changes[0].constraint.not_valid = true;
    auto f = run("new_fk_without_index", {add});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].fix_sql,
              "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);");
    FakeFacts db;
    db.add_table("orders", kGB, 1e6)
        .indexes.push_back(
            index_facts("orders_customer_created", "orders", {"customer_id", "created_at"}));
    EXPECT_TRUE(run("new_fk_without_index", {add}, db).empty());
}

TEST(MigrationIndexes, ConcurrentBuildOnAnAffectedRelease) {
    Statement cic = create_index("CREATE INDEX CONCURRENTLY i ON orders (status)", "orders",
                                 {"status"}, "i", true);
    FakeFacts db;
    db.version = 140002;
    auto f = run("index_version_bug", {cic}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Info);
    EXPECT_EQ(f[0].object, "orders");
    EXPECT_EQ(f[0].evidence.get("server_version"), "140002");
    db.version = 140004;
    EXPECT_TRUE(run("index_version_bug", {cic}, db).empty());
}

TEST(MigrationConstraints, ForeignKeyValidatedWhileAdded) {
    std::string text =
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) "
        "REFERENCES customers (id)";
    Statement add =
        add_constraint(text, "orders", fk("orders_customer_fk", {"customer_id"}, "customers"));
    auto f = run("fk_without_not_valid", {add});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "orders");
    EXPECT_EQ(f[0].identity, "orders_customer_fk");
    EXPECT_EQ(f[0].evidence.get("lock"), "\"SHARE ROW EXCLUSIVE\"");
    EXPECT_EQ(f[0].evidence.get("scan"), "true");
    EXPECT_EQ(f[0].fix_sql,
              text + " NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;");
    Statement nv = add;
    nv.changes[0].constraint.not_valid = true;
    EXPECT_TRUE(run("fk_without_not_valid", {nv}).empty());
    EXPECT_TRUE(run("fk_without_not_valid", {create_table("orders"), add}).empty());
}

TEST(MigrationConstraints, CheckValidatedWhileAdded) {
    Constraint k = constraint(ConstraintKind::Check, "", {});
    k.check.text = "total > 0";
    Statement add = add_constraint("ALTER TABLE orders ADD CHECK (total > 0)", "orders", k);
    FakeFacts db;
    db.add_table("orders", 1 * kMB, 1000);
    auto f = run("check_without_not_valid", {add}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Info);  // a small table
    EXPECT_EQ(f[0].identity, "orders_check");
    EXPECT_EQ(f[0].evidence.get("table_rows"), "1000");
    EXPECT_EQ(f[0].fix_sql,
              "ALTER TABLE orders ADD CONSTRAINT orders_check CHECK (total > 0) NOT VALID;\n"
              "ALTER TABLE orders VALIDATE CONSTRAINT orders_check;");
    EXPECT_EQ(run("check_without_not_valid", {add})[0].severity, Severity::High);
    add.changes[0].constraint.not_valid = true;
    EXPECT_TRUE(run("check_without_not_valid", {add}).empty());
}

TEST(MigrationConstraints, ValidateInTheTransactionThatAddedIt) {
    Constraint k = constraint(ConstraintKind::Check, "positive", {});
    k.check.text = "total > 0";
    k.not_valid = true;
    Statement add = add_constraint(
        "ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID", "orders", k);
    Change v = change(Action::ValidateConstraint, T("orders"));
    v.object = "positive";
    Statement validate = stmt("ALTER TABLE orders VALIDATE CONSTRAINT positive", v);
    auto f = run("validate_in_same_txn", {begin(), add, validate, commit()});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].evidence.get("lock"), "\"ACCESS EXCLUSIVE\"");
    EXPECT_EQ(f[0].evidence.get("added_in_transaction"), "true");
    EXPECT_EQ(f[0].fix_sql, "COMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT positive;");
    EXPECT_TRUE(run("validate_in_same_txn", {begin(), add, commit(), validate}).empty());
}

TEST(MigrationConstraints, UniqueAndPrimaryKeyBuildTheirIndexUnderTheLock) {
    Statement uq =
        add_constraint("ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)", "users",
                       constraint(ConstraintKind::Unique, "users_email_key", {"email"}));
    auto f = run("add_unique_constraint", {uq});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users");
    EXPECT_EQ(f[0].fix_sql,
              "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n"
              "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX "
              "users_email_key;");
    Statement using_index = uq;
    using_index.changes[0].constraint.using_index = "users_email_key";
    EXPECT_TRUE(run("add_unique_constraint", {using_index}).empty());

    Statement pk = add_constraint("ALTER TABLE users ADD PRIMARY KEY (id)", "users",
                                  constraint(ConstraintKind::PrimaryKey, "", {"id"}));
    f = run("add_primary_key", {pk});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].identity, "users_pkey");
    EXPECT_EQ(f[0].fix_sql,
              "CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users (id);\n"
              "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;");
    EXPECT_EQ(f[0].steps.size(), 3u);
    EXPECT_TRUE(run("add_primary_key", {create_table("users"), pk}).empty());
}

TEST(MigrationConstraints, ExclusionConstraint) {
    Statement ex = add_constraint(
        "ALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during "
        "WITH &&)",
        "rooms", constraint(ConstraintKind::Exclusion, "no_overlap", {}));
    auto f = run("add_exclusion_constraint", {ex});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].identity, "no_overlap");
    EXPECT_EQ(f[0].fix_sql, "SET lock_timeout = '5s';\n" + ex.text + ";");
    EXPECT_TRUE(run("add_exclusion_constraint", {create_table("rooms"), ex}).empty());
}

TEST(MigrationConstraints, DomainConstraints) {
    Change d = change(Action::CreateDomain, T("positive_int"));
    d.constraint.check.text = "VALUE > 0";
    auto f = run("domain_constraints",
                 {stmt("CREATE DOMAIN positive_int AS int4 CHECK (VALUE > 0)", d)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Low);
    EXPECT_EQ(f[0].object, "positive_int");
    Change a = change(Action::AlterDomainAddConstraint, T("positive_int"));
    a.constraint.name = "c";
    a.constraint.check.text = "VALUE > 0";
    f = run("domain_constraints",
            {stmt("ALTER DOMAIN positive_int ADD CONSTRAINT c CHECK (VALUE > 0)", a)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].fix_sql,
              "ALTER DOMAIN positive_int ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;\n"
              "ALTER DOMAIN positive_int VALIDATE CONSTRAINT c;");
    a.constraint.not_valid = true;
    Change plain = change(Action::CreateDomain, T("code"));
    EXPECT_TRUE(
        run("domain_constraints",
            {stmt("ALTER DOMAIN positive_int ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID", a),
             stmt("CREATE DOMAIN code AS text", plain)})
            .empty());
}

}  // namespace
}  // namespace pg_advisor::ddl::test
