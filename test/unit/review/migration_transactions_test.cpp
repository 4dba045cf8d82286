// Migration rules on settings, transactions, backfills, locks held now and maintenance
// (review/rules/migration_transactions.cpp, migration_maintenance.cpp), and the migration
// family's registry.
#include <gtest/gtest.h>

#include <set>

#include "core/review/registry.h"
#include "migration_builders.h"

namespace pg_advisor::ddl::test {
namespace {

using review::Severity;

Statement add_int(const std::string &table, const std::string &col) {
    return add_column("ALTER TABLE " + table + " ADD COLUMN " + col + " int8", table,
                      column(col, type("int8")));
}

TEST(MigrationSettings, MissingLockTimeoutOncePerUnchangedSetting) {
    auto f = run("missing_lock_timeout", {add_int("users", "a"), add_int("orders", "b")});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    EXPECT_EQ(f[0].object, "users");
    EXPECT_EQ(f[0].evidence.get("lock_timeout_ms"), "-1");
    EXPECT_EQ(f[0].title, "add_column on users runs without a lock_timeout");
    EXPECT_EQ(f[0].fix_sql, "SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN a int8;");
    EXPECT_TRUE(
        run("missing_lock_timeout", {set("lock_timeout", "5s"), add_int("users", "a")}).empty());
    // too long counts as missing; setting it back to 0 later is reported again
    f = run("missing_lock_timeout",
            {set("lock_timeout", "30s"), add_int("users", "a"), set("lock_timeout", "2s"),
             add_int("users", "b"), set("lock_timeout", "0"), add_int("users", "c")});
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].evidence.get("lock_timeout_ms"), "30000");
    EXPECT_EQ(f[0].title, "add_column on users runs with lock_timeout = 30000 ms");
    EXPECT_EQ(f[1].query, "ALTER TABLE users ADD COLUMN c int8");
    // a table of this migration, and a concurrent build, need none
    EXPECT_TRUE(
        run("missing_lock_timeout",
            {create_table("users"), add_int("users", "a"),
             create_index("CREATE INDEX CONCURRENTLY i ON orders (a)", "orders", {"a"}, "i", true)})
            .empty());
}

TEST(MigrationSettings, MissingLockTimeoutAboutToRunWithNobodyInTheWayIsInfo) {
    FakeFacts db;
    db.add_table("users", 64 * kMB, 100000);
    LintOptions about_to_run;
    about_to_run.live = true;
    // the live hook: nobody holds a conflicting lock now, so this run does not queue
    auto f = run("missing_lock_timeout", {add_int("users", "a")}, db, about_to_run);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Info);
    // somebody does: it would queue everyone behind it
    db.holders.push_back({4242, "AccessShareLock", true, 30.0, "active", "SELECT 1"});
    f = run("missing_lock_timeout", {add_int("users", "a")}, db, about_to_run);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
    // lint_ddl / --dsn (not about to run): the migration may run elsewhere, later
    db.holders.clear();
    f = run("missing_lock_timeout", {add_int("users", "a")}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Medium);
}

TEST(MigrationSettings, ANewForeignKeyLocksItsParent) {
    ColumnSpec customer = column("customer_id", type("int8"));
    Constraint k = constraint(ConstraintKind::ForeignKey, "", {});
    k.references.table = T("customers");
    customer.constraints.push_back(k);
    auto f = run("missing_lock_timeout", {create_table("orders", {customer})});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].object, "customers");
    EXPECT_EQ(f[0].evidence.get("lock"), "\"SHARE ROW EXCLUSIVE\"");
    EXPECT_TRUE(
        run("missing_lock_timeout", {create_table("customers"), create_table("orders", {customer})})
            .empty());
}

TEST(MigrationSettings, MissingStatementTimeout) {
    Change u = change(Action::Update, T("users"));
    auto f = run("missing_statement_timeout",
                 {stmt("UPDATE users SET a = 0", u), add_int("users", "b")});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Low);
    EXPECT_EQ(f[0].query, "UPDATE users SET a = 0");
    EXPECT_EQ(f[0].evidence.get("statement_timeout_ms"), "-1");
    EXPECT_EQ(f[0].fix_sql, "SET statement_timeout = '5min';\nUPDATE users SET a = 0;");
    EXPECT_TRUE(
        run("missing_statement_timeout", {set("statement_timeout", "1min"), add_int("users", "a")})
            .empty());
}

TEST(MigrationTransactions, ConcurrentStatementsThatCannotRunTwice) {
    auto f =
        run("non_idempotent_ddl", {create_index("CREATE INDEX CONCURRENTLY i ON orders (status)",
                                                "orders", {"status"}, "i", true)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::Low);
    EXPECT_EQ(f[0].fix_sql, "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON orders (status);");
    Change d = change(Action::DropIndex, T("i"));
    d.concurrently = true;
    f = run("non_idempotent_ddl", {stmt("DROP INDEX CONCURRENTLY i", d)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].object, "i");
    EXPECT_EQ(f[0].fix_sql, "DROP INDEX CONCURRENTLY IF EXISTS i;");
    d.if_exists = true;
    EXPECT_TRUE(
        run("non_idempotent_ddl", {stmt("DROP INDEX CONCURRENTLY IF EXISTS i", d)}).empty());
    // not concurrent: the transaction undoes a failure
    EXPECT_TRUE(run("non_idempotent_ddl",
                    {create_index("CREATE INDEX i ON orders (status)", "orders", {"status"}, "i")})
                    .empty());
}

TEST(MigrationTransactions, Hygiene) {
    auto f = run("transaction_hygiene", {begin(), begin(), add_int("users", "a"), commit()});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].identity, "nested_begin");
    EXPECT_EQ(f[0].severity, Severity::Low);
    f = run("transaction_hygiene", {add_int("users", "a"), commit()});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].identity, "commit_without_begin");
    f = run("transaction_hygiene", {begin(), add_int("users", "a")});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].identity, "missing_commit");
    EXPECT_EQ(f[0].fix_sql, "COMMIT;");
    EXPECT_TRUE(run("transaction_hygiene", {begin(), add_int("users", "a"), commit()}).empty());
}

TEST(MigrationTransactions, BackfillUnderTheSchemaChangesLock) {
    Change u = change(Action::Update, T("users"));
    Statement update = stmt("UPDATE users SET a = 0", u);
    auto f = run("backfill_under_ddl_lock", {begin(), add_int("users", "a"), update, commit()});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].identity, "under_lock");
    EXPECT_EQ(f[0].evidence.get("lock"), "\"ACCESS EXCLUSIVE\"");
    EXPECT_EQ(f[0].fix_sql,
              "COMMIT;\n-- repeat, each batch in its own transaction, until it changes no row:\n"
              "UPDATE users SET a = 0 WHERE ctid = ANY (ARRAY(SELECT ctid FROM users WHERE <row "
              "not yet backfilled> LIMIT 10000));");
    // after COMMIT the lock is gone
    EXPECT_TRUE(
        run("backfill_under_ddl_lock", {begin(), add_int("users", "a"), commit(), update}).empty());
}

TEST(MigrationTransactions, UnbatchedUpdateOfALargeTable) {
    Change u = change(Action::Update, T("users"));
    Statement update = stmt("UPDATE users SET a = 0", u);
    FakeFacts db;
    db.add_table("users", 4 * kMB, 5e6);
    auto f = run("backfill_under_ddl_lock", {update}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].identity, "unbatched");
    EXPECT_EQ(f[0].severity, Severity::High);  // rows, not bytes, weigh a backfill
    EXPECT_EQ(f[0].evidence.get("lock"), "\"ROW EXCLUSIVE\"");
    u.has_where = true;
    EXPECT_TRUE(
        run("backfill_under_ddl_lock", {stmt("UPDATE users SET a = 0 WHERE id < 100", u)}, db)
            .empty());
    db.tables[0].rows = 500;
    EXPECT_TRUE(run("backfill_under_ddl_lock", {update}, db).empty());
}

TEST(MigrationLocks, LockQueueRiskRightNow) {
    FakeFacts db;
    db.holders.push_back(
        {4242, "AccessShareLock", true, 950.0, "idle in transaction", "SELECT * FROM users"});
    Statement s = add_int("users", "a");
    auto f = run("lock_queue_risk_now", {s}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "users");
    EXPECT_EQ(f[0].evidence.get("holders"), "1");
    EXPECT_EQ(f[0].evidence.get("longest_transaction_seconds"), "950");
    EXPECT_EQ(f[0].fix_sql,
              "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a int8;\n"
              "-- or end the blocker: SELECT pg_terminate_backend(4242);");
    db.is_live = false;
    EXPECT_TRUE(run("lock_queue_risk_now", {s}, db).empty());
    db.is_live = true;
    db.holders.clear();
    EXPECT_TRUE(run("lock_queue_risk_now", {s}, db).empty());
}

TEST(MigrationLocks, ANewTablesForeignKeyWaitsForItsParent) {
    FakeFacts db;
    db.holders.push_back({77, "RowExclusiveLock", true, 400.0, "idle in transaction", ""});
    ColumnSpec customer = column("customer_id", type("int8"));
    Constraint k = constraint(ConstraintKind::ForeignKey, "", {});
    k.references.table = T("customers");
    customer.constraints.push_back(k);
    auto f = run("lock_queue_risk_now", {create_table("orders", {customer})}, db);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].object, "customers");
    EXPECT_EQ(f[0].evidence.get("lock"), "\"SHARE ROW EXCLUSIVE\"");
    // the parent created in the same migration is no risk either
    EXPECT_TRUE(run("lock_queue_risk_now",
                    {create_table("customers"), create_table("orders", {customer})}, db)
                    .empty());
}

TEST(MigrationMaintenance, DetachPartitionWithoutConcurrently) {
    Change d = change(Action::DetachPartition, T("events"));
    d.object = "events_2020";
    auto f = run("partition_detach_not_concurrent",
                 {stmt("ALTER TABLE events DETACH PARTITION events_2020", d)});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].object, "events");
    EXPECT_EQ(f[0].fix_sql, "ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;");
    d.concurrently = true;
    EXPECT_TRUE(run("partition_detach_not_concurrent",
                    {stmt("ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY", d)})
                    .empty());
}

TEST(MigrationMaintenance, VacuumFullAndCluster) {
    Statement vf = stmt("VACUUM FULL orders", change(Action::VacuumFull, T("orders")));
    auto f = run("full_table_rewrite_maintenance", {vf});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::High);
    EXPECT_EQ(f[0].identity, "VACUUM FULL");
    EXPECT_EQ(f[0].evidence.get("rewrite"), "true");
    f = run("full_table_rewrite_maintenance",
            {stmt("CLUSTER orders USING orders_pkey", change(Action::Cluster, T("orders")))});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].identity, "CLUSTER");
    EXPECT_TRUE(run("full_table_rewrite_maintenance", {create_table("orders"), vf}).empty());
}

TEST(MigrationRegistry, EveryMigrationRuleIsUniqueAndHasADdlFunction) {
    const auto &rules = review::migration_rules();
    EXPECT_EQ(rules.size(), 35u);
    std::set<std::string> ids, catalogue;
    for (const review::RuleInfo *r : review::all_rules())
        ids.insert(r->id);
    for (const review::RuleInfo &r : rules) {
        EXPECT_TRUE(ids.insert(r.id).second) << r.id;
        EXPECT_TRUE(catalogue.insert(r.catalogue_id).second) << r.id;
        EXPECT_NE(r.ddl, nullptr) << r.id;
        EXPECT_EQ(r.run, nullptr) << r.id;
        EXPECT_EQ(r.category, review::Category::Migration) << r.id;
        EXPECT_EQ(std::string(r.passed).back(), '.') << r.id;
    }
    for (int i = 1; i <= 35; i++) {
        char id[8];
        std::snprintf(id, sizeof id, "MIG-%02d", i);
        EXPECT_EQ(catalogue.count(id), 1u) << id;
    }
    // the migration family and int_key_design
    EXPECT_EQ(review::ddl_rules().size(), 36u);
    EXPECT_NE(review::find_rule("int_key_design")->ddl, nullptr);
}

}  // namespace
}  // namespace pg_advisor::ddl::test
