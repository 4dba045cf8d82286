#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/catalog/snapshot_sql.h"

using pg_advisor::catalog::CatalogSnapshot;
using pg_advisor::catalog::finish_snapshot;
using pg_advisor::catalog::load_rows;
using pg_advisor::catalog::Row;
using pg_advisor::catalog::SnapshotError;
using pg_advisor::catalog::SnapshotSection;

namespace {

const SnapshotSection &section(const std::string &name) {
    for (const SnapshotSection &s : pg_advisor::catalog::cluster_sections())
        if (name == s.name) return s;
    throw std::runtime_error("no section " + name);
}

Row row(std::initializer_list<const char *> values) {
    Row r;
    for (const char *v : values)
        r.push_back(v ? std::optional<std::string>(v) : std::nullopt);
    return r;
}

}  // namespace

TEST(ClusterSections, EveryQueryReadsOnlyLockFreeCatalogFunctions) {
    for (int version : {140000, 150000, 160000, 170000, 180000})
        for (const SnapshotSection &s : pg_advisor::catalog::cluster_sections()) {
            std::string sql = s.sql(version);
            EXPECT_EQ(sql.find("pg_relation_size"), std::string::npos) << s.name;
            EXPECT_EQ(sql.find("pg_get_viewdef"), std::string::npos) << s.name;
            EXPECT_EQ(sql.find("pg_total_relation_size"), std::string::npos) << s.name;
        }
    EXPECT_NE(section("checkpoints").sql(170000).find("pg_stat_checkpointer"), std::string::npos);
    EXPECT_NE(section("checkpoints").sql(160000).find("pg_stat_bgwriter"), std::string::npos);
    EXPECT_NE(section("functions").sql(140000).find("prosqlbody"), std::string::npos);
}

TEST(ClusterSections, LoadsRolesFunctionsAndActivity) {
    CatalogSnapshot snap;
    load_rows(snap, section("roles"),
              {row({"10", "postgres", "t", "t", "t", "t", "-1", nullptr, "{}", nullptr}),
               row({"16384", "app user", "f", "t", "f", "f", "5", "1800000000.5",
                    "{pg_read_all_data,\"my group\"}", "{statement_timeout=60s}"})});
    ASSERT_EQ(snap.roles.size(), 2u);
    EXPECT_EQ(snap.roles[0].oid, 10u);
    EXPECT_TRUE(snap.roles[0].superuser);
    EXPECT_EQ(snap.roles[0].valid_until, 0);
    EXPECT_EQ(snap.roles[1].name, "app user");
    EXPECT_EQ(snap.roles[1].connection_limit, 5);
    EXPECT_EQ(snap.roles[1].valid_until, 1800000000500000);
    EXPECT_EQ(snap.roles[1].member_of, (std::vector<std::string>{"pg_read_all_data", "my group"}));
    EXPECT_EQ(snap.roles[1].config, std::vector<std::string>{"statement_timeout=60s"});

    load_rows(snap, section("functions"),
              {row({"900", "public", "f", "integer, text", "plpgsql", "owner", "f", "v", "t",
                    "{\"search_path=pg_catalog, pg_temp\"}", "t", "f", "{app}", "f"})});
    const auto &f = snap.functions.at(0);
    // Argument types only (a regprocedure signature: stable when a parameter is renamed).
    EXPECT_NE(section("functions").sql(150000).find("oidvectortypes(p.proargtypes)"),
              std::string::npos);
    EXPECT_EQ(section("functions").sql(150000).find("pg_get_function_identity_arguments"),
              std::string::npos);
    EXPECT_EQ(f.qualified(), "public.f(integer, text)");
    // No ACL is the default one (EXECUTE for PUBLIC), read through acldefault().
    EXPECT_NE(section("functions")
                  .sql(150000)
                  .find("aclexplode(coalesce(p.proacl, acldefault('f', p.proowner)))"),
              std::string::npos);
    EXPECT_TRUE(f.security_definer);
    EXPECT_EQ(f.config, std::vector<std::string>{"search_path=pg_catalog, pg_temp"});
    EXPECT_EQ(f.execute_roles, std::vector<std::string>{"app"});

    load_rows(snap, section("activity"),
              {row({"42",
                    "app",
                    "db",
                    "web",
                    "client backend",
                    "idle in transaction",
                    "Client",
                    "ClientRead",
                    "SELECT 1",
                    "1.0",
                    "2.0",
                    "3.0",
                    "4.5",
                    "17",
                    nullptr,
                    "f",
                    "f",
                    "t",
                    "f",
                    "{7,8}",
                    "10.0.0.5"}),
               row({"43",    "other", "db",    nullptr, nullptr, nullptr, nullptr,
                    nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, "3",
                    nullptr, nullptr, nullptr, "f",     "t",     nullptr, nullptr})});
    const auto &a = snap.activity.at(0);
    EXPECT_EQ(a.state_change, 4500000);
    EXPECT_EQ(a.backend_xmin_age, 17);
    EXPECT_TRUE(a.ssl_known);
    EXPECT_FALSE(a.ssl);
    EXPECT_TRUE(a.own);
    EXPECT_EQ(a.blocked_by, (std::vector<int32_t>{7, 8}));
    EXPECT_EQ(a.client_addr, "10.0.0.5");
    const auto &hidden = snap.activity.at(1);
    EXPECT_TRUE(hidden.details_hidden);
    EXPECT_FALSE(hidden.ssl_known);
    EXPECT_EQ(hidden.query, "");
    EXPECT_EQ(hidden.backend_xmin_age, 3);
}

TEST(ClusterSections, PoliciesAndTriggersOfUnknownTablesAreDropped) {
    CatalogSnapshot snap;
    pg_advisor::catalog::Table t;
    t.oid = 500;
    t.schema = "public";
    t.name = "docs";
    snap.tables.push_back(t);
    load_rows(
        snap, section("policies"),
        {row({"500", "mine", "t", "r", "{public,web}", "(owner = CURRENT_USER)", nullptr, "t"}),
         row({"501", "hidden", "f", "*", "{web}", "true", "true", "t"})});
    load_rows(snap, section("triggers"), {row({"500", "audit", "D"}), row({"502", "x", "O"})});
    finish_snapshot(snap);
    ASSERT_EQ(snap.policies.size(), 1u);
    EXPECT_EQ(snap.policies[0].roles, (std::vector<std::string>{"public", "web"}));
    EXPECT_EQ(snap.policies[0].command, 'r');
    EXPECT_EQ(snap.policies[0].check_expr, "");
    ASSERT_EQ(snap.triggers.size(), 1u);
    EXPECT_EQ(snap.triggers[0].enabled, 'D');
}

// Policies and triggers read the relations the relation family reads; a policy's texts are
// read only when no DDL holds its table (pg_get_expr opens the table and would wait).
TEST(ClusterSections, PolicyTextsOnlyOfUnlockedTables) {
    std::string sql = section("policies").sql(150000);
    EXPECT_EQ(sql.rfind("WITH reader AS MATERIALIZED", 0), 0u) << sql;
    EXPECT_NE(sql.find("FROM rel JOIN pg_policy pol ON pol.polrelid = rel.oid "
                       "LEFT JOIN locked lk ON lk.oid = pol.polrelid"),
              std::string::npos)
        << sql;
    EXPECT_NE(sql.find("CASE WHEN lk.oid IS NULL THEN pg_get_expr(pol.polqual, pol.polrelid) END"),
              std::string::npos);
    EXPECT_NE(
        sql.find("CASE WHEN lk.oid IS NULL THEN pg_get_expr(pol.polwithcheck, pol.polrelid) END"),
        std::string::npos);
    EXPECT_NE(section("triggers").sql(150000).find("FROM rel JOIN pg_trigger t"),
              std::string::npos);
    for (const char *name : {"policies", "triggers"})
        EXPECT_EQ(section(name).sql(150000).find("has_table_privilege(c.oid"),
                  section(name).sql(150000).rfind("has_table_privilege(c.oid"))
            << name;  // once, in rel

    CatalogSnapshot snap;
    pg_advisor::catalog::Table t;
    t.oid = 500;
    snap.tables.push_back(t);
    load_rows(snap, section("policies"),
              {row({"500", "mine", "t", "r", "{web}", "true", nullptr, "t"}),
               row({"500", "locked", "t", "r", "{web}", nullptr, nullptr, "f"})});
    finish_snapshot(snap);
    ASSERT_EQ(snap.policies.size(), 2u);
    EXPECT_TRUE(snap.policies[0].texts_known);
    EXPECT_FALSE(snap.policies[1].texts_known);
    EXPECT_EQ(snap.policies[1].using_expr, "");
}

TEST(ClusterSections, SettingsSlotsCheckpointsAndUsage) {
    CatalogSnapshot snap;
    load_rows(snap, section("settings"), {row({"max_wal_size", "1024"})});
    EXPECT_EQ(snap.database.setting_number("max_wal_size", 0), 1024);
    load_rows(snap, section("replication_slots"),
              {row({"s1", nullptr, "physical", nullptr, "f", "f", nullptr, nullptr, "reserved",
                    "16777216", nullptr})});
    EXPECT_EQ(snap.replication_slots.at(0).retained_bytes, 16777216);
    EXPECT_EQ(snap.replication_slots.at(0).xmin_age, -1);
    load_rows(snap, section("checkpoints"), {row({"12", "30", "100.5", "2", "1700000000"})});
    EXPECT_TRUE(snap.checkpoints.present);
    EXPECT_EQ(snap.checkpoints.requested, 30);
    load_rows(snap, section("database_usage"), {row({"100", "2500.5", "420", "70"})});
    EXPECT_EQ(snap.database.sessions, 100);
    EXPECT_EQ(snap.database.relation_count, 420);
    EXPECT_FALSE(section("hba_rules").available(snap));
    snap.database.hba_readable = true;
    EXPECT_TRUE(section("hba_rules").available(snap));
}

TEST(ClusterSections, MalformedRowsNameSectionRowAndColumn) {
    CatalogSnapshot snap;
    try {
        load_rows(snap, section("schemas"),
                  {row({"2200", "public", "pg_database_owner", "f", "f", "t", "f", "f"}),
                   row({"2201", "app", "owner", "maybe", "f", "t", "f", "f"})});
        FAIL() << "no error";
    } catch (const SnapshotError &e) {
        EXPECT_EQ(std::string(e.what()),
                  "catalog snapshot, section schemas, row 2, column 4: not a boolean (value: "
                  "maybe)");
    }
    try {
        load_rows(snap, section("triggers"), {row({"500", "x"})});
        FAIL() << "no error";
    } catch (const SnapshotError &e) {
        EXPECT_NE(std::string(e.what()).find("section triggers, row 1, column 3"),
                  std::string::npos);
    }
}
