// A table created earlier in the same migration (or transaction) is no risk: every rule that
// looks at an existing table stays silent on it (as squawk does).
#include <gtest/gtest.h>

#include "migration_builders.h"

namespace pg_advisor::ddl::test {
namespace {

struct Case {
    const char *rule;
    Statement statement;
};

Statement on_t(const char *text, Action a, const std::string &column = "") {
    return column_change(text, a, "t", column);
}

std::vector<Case> cases() {
    ColumnSpec required = column("c", type("int4"));
    required.not_null = true;
    ColumnSpec volatile_default = column("c", type("float8"));
    volatile_default.default_value.text = "random()";
    volatile_default.default_value.functions = {"random"};
    Statement retype = on_t("ALTER TABLE t ALTER COLUMN c TYPE int8", Action::AlterColumnType, "c");
    retype.changes[0].new_type = type("int8");
    Constraint check = constraint(ConstraintKind::Check, "k", {});
    check.check.text = "c > 0";
    Statement reindex = on_t("REINDEX TABLE t", Action::Reindex);
    reindex.changes[0].reindex_kind = "table";
    Statement detach = on_t("ALTER TABLE t DETACH PARTITION p", Action::DetachPartition);
    detach.changes[0].object = "p";
    Statement cic = create_index("CREATE INDEX CONCURRENTLY i ON t (c)", "t", {"c"}, "i", true);
    return {
        {"set_not_null_scan",
         on_t("ALTER TABLE t ALTER COLUMN c SET NOT NULL", Action::SetNotNull, "c")},
        {"add_required_column",
         add_column("ALTER TABLE t ADD COLUMN c int4 NOT NULL", "t", required)},
        {"add_column_volatile_default",
         add_column("ALTER TABLE t ADD COLUMN c float8 DEFAULT random()", "t", volatile_default)},
        {"add_serial_or_identity_column",
         add_column("ALTER TABLE t ADD COLUMN c serial", "t", column("c", type("serial")))},
        {"column_type_rewrite", retype},
        {"check_without_not_valid",
         add_constraint("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0)", "t", check)},
        {"reindex_not_concurrent", reindex},
        {"partition_detach_not_concurrent", detach},
        {"non_idempotent_ddl", cic},
        {"missing_statement_timeout",
         add_column("ALTER TABLE t ADD COLUMN d int8", "t", column("d", type("int8")))},
    };
}

TEST(MigrationNoRisk, EveryRuleFiresOnAnExistingTableAndNotOnANewOne) {
    for (const Case &c : cases()) {
        EXPECT_EQ(run(c.rule, {c.statement}).size(), 1u) << c.rule;
        EXPECT_TRUE(run(c.rule, {create_table("t"), c.statement}).empty()) << c.rule;
    }
}

TEST(MigrationNoRisk, TablesOfTheTransaction) {
    Constraint check = constraint(ConstraintKind::Check, "k", {});
    check.check.text = "c > 0";
    check.not_valid = true;
    Change v = change(Action::ValidateConstraint, T("t"));
    v.object = "k";
    EXPECT_TRUE(
        run("validate_in_same_txn",
            {begin(), create_table("t"),
             add_constraint("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID", "t", check),
             stmt("ALTER TABLE t VALIDATE CONSTRAINT k", v), commit()})
            .empty());
    // on an existing table, the same transaction is reported
    EXPECT_EQ(
        run("validate_in_same_txn",
            {begin(),
             add_constraint("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID", "t", check),
             stmt("ALTER TABLE t VALIDATE CONSTRAINT k", v), commit()})
            .size(),
        1u);
    Change u = change(Action::Update, T("t"));
    EXPECT_TRUE(run("backfill_under_ddl_lock",
                    {begin(), create_table("t"),
                     add_column("ALTER TABLE t ADD COLUMN d int8", "t", column("d", type("int8"))),
                     stmt("UPDATE t SET d = 0", u), commit()})
                    .empty());
    EXPECT_EQ(
        run("backfill_under_ddl_lock",
            {begin(), add_column("ALTER TABLE t ADD COLUMN d int8", "t", column("d", type("int8"))),
             stmt("UPDATE t SET d = 0", u), commit()})
            .size(),
        1u);
    Statement cic = create_index("CREATE INDEX CONCURRENTLY i ON t (c)", "t", {"c"}, "i", true);
    EXPECT_EQ(run("cic_timeout_misfit", {set("lock_timeout", "2s"), cic}).size(), 1u);
    EXPECT_TRUE(
        run("cic_timeout_misfit", {set("lock_timeout", "2s"), create_table("t"), cic}).empty());
    FakeFacts db;
    db.holders.push_back({1, "AccessShareLock", true, 60, "active", "SELECT 1"});
    Statement add = add_column("ALTER TABLE t ADD COLUMN d int8", "t", column("d", type("int8")));
    EXPECT_EQ(run("lock_queue_risk_now", {add}, db).size(), 1u);
    EXPECT_TRUE(run("lock_queue_risk_now", {create_table("t"), add}, db).empty());
}

}  // namespace
}  // namespace pg_advisor::ddl::test
