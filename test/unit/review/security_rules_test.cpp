#include <gtest/gtest.h>

#include "core/review/rules/exposure.h"
#include "core/review/rules/security_rules.h"
#include "rule_run.h"

using pg_advisor::catalog::Grant;
using pg_advisor::review::Severity;
using pg_advisor::review::testing::column;
using pg_advisor::review::testing::objects;
using pg_advisor::review::testing::RuleRun;
namespace sec = pg_advisor::review::security;

namespace {

void grant(pg_advisor::catalog::Table &t, const std::string &grantee,
           std::initializer_list<const char *> privileges) {
    for (const char *p : privileges)
        t.grants.push_back(Grant{grantee, p});
}

}  // namespace

// ---- helpers

TEST(SecurityText, AlwaysTrueRecognisesTautologiesOnly) {
    EXPECT_TRUE(sec::always_true("true"));
    EXPECT_TRUE(sec::always_true("(1 = 1)"));
    EXPECT_TRUE(sec::always_true("('a'::text = 'a'::text)"));
    EXPECT_TRUE(sec::always_true("((owner = CURRENT_USER) OR true)"));
    EXPECT_TRUE(sec::always_true("(NOT false)"));
    EXPECT_FALSE(sec::always_true("(owner = CURRENT_USER)"));
    EXPECT_FALSE(sec::always_true("(id = id)"));  // NULL ids are not visible
    EXPECT_FALSE(sec::always_true("(1 = 2)"));
    EXPECT_FALSE(sec::always_true("(1 >= 1)"));  // a tautology too, but not the '=' we look for
    EXPECT_FALSE(sec::always_true("((owner = CURRENT_USER) AND true)"));
    EXPECT_FALSE(sec::always_true("false"));
    EXPECT_FALSE(sec::always_true(""));
}

TEST(SecurityText, WithoutTautologiesKeepsTheRealConditions) {
    EXPECT_EQ(sec::without_tautologies("((owner = CURRENT_USER) OR true)"),
              "(owner = CURRENT_USER)");
    EXPECT_EQ(sec::without_tautologies("((a = 1) OR (1 = 1) OR (b = 2))"), "(a = 1) OR (b = 2)");
    EXPECT_EQ(sec::without_tautologies("true"), "");
    EXPECT_EQ(sec::without_tautologies("(1 = 1)"), "");
}

TEST(SecurityText, SensitiveColumnNames) {
    for (const char *name : {"password", "password_hash", "passwordHash", "api_key", "apiKey",
                             "reset_token", "ssn", "credit_card_number", "tax_id", "secret"})
        EXPECT_TRUE(sec::sensitive_column_name(name)) << name;
    for (const char *name : {"password_changed_at", "token_count", "api_key_id", "passenger",
                             "tokenizer", "compass", "id", "email_verified"})
        EXPECT_FALSE(sec::sensitive_column_name(name)) << name;
}

TEST(SecurityExposure, PublicAndRlsRestrictedRolesExposeTables) {
    RuleRun r;
    r.role("owner");
    r.role("web");
    r.role("staff", false);
    r.role("alice").member_of = {"staff"};
    r.role("reporting");
    r.role("admin").superuser = true;
    r.table(1, "public", "secured").rls_enabled = true;
    r.policy(1, "own_rows", {"staff"}, "(owner = CURRENT_USER)");
    r.snap.index();
    sec::Exposure ex(r.snap);
    EXPECT_TRUE(ex.rls_restricted("staff"));
    EXPECT_TRUE(ex.rls_restricted("alice"));  // member of a restricted group
    EXPECT_FALSE(ex.rls_restricted("reporting"));
    EXPECT_FALSE(ex.rls_restricted("admin"));
    pg_advisor::catalog::Table t;
    t.owner = "owner";
    grant(t, "reporting", {"SELECT"});
    grant(t, "owner", {"SELECT"});
    grant(t, "admin", {"SELECT"});
    EXPECT_FALSE(ex.of(t).exposed());
    EXPECT_EQ(ex.of(t).other_grantees, std::vector<std::string>{"reporting"});
    grant(t, "alice", {"SELECT", "UPDATE", "REFERENCES"});
    EXPECT_EQ(ex.of(t).exposed_to, std::vector<std::string>{"alice"});
    EXPECT_EQ(ex.of(t).privileges, (std::vector<std::string>{"SELECT", "UPDATE"}));
    EXPECT_FALSE(ex.of(t).only_reads());
}

TEST(SecurityExposure, PolicyToPublicRestrictsTheGranteesOfItsTable) {
    RuleRun r;
    r.role("owner");
    r.role("app");
    grant(r.table(1, "public", "secured"), "app", {"SELECT"});
    r.policy(1, "p", {"public"}, "(tenant = 1)");
    r.snap.index();
    EXPECT_TRUE(sec::Exposure(r.snap).rls_restricted("app"));
}

// ---- SEC-01 rls_disabled_on_exposed_table

TEST(RlsDisabledOnExposedTable, FiresForPublicGrantsAndRestrictedRoles) {
    RuleRun r;
    r.role("owner");
    r.role("web");
    r.role("batch");
    auto &secured = r.table(1, "public", "accounts");
    secured.rls_enabled = true;
    grant(secured, "web", {"SELECT"});
    r.policy(1, "tenant", {"web"}, "(tenant_id = 1)");
    auto &orders = r.table(2, "public", "orders");
    orders.reltuples = 50000;
    grant(orders, "web", {"SELECT", "INSERT"});
    auto &open = r.table(3, "app", "Open Data");
    open.reltuples = 50000;
    grant(open, "PUBLIC", {"SELECT"});
    auto &batch_only = r.table(4, "public", "jobs");  // ordinary grant: not exposed
    batch_only.reltuples = 50000;
    grant(batch_only, "batch", {"SELECT", "DELETE"});
    auto fs = r.run("rls_disabled_on_exposed_table");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public.orders", "app.\"Open Data\""}));
    EXPECT_EQ(fs[0].severity, Severity::High);
    EXPECT_EQ(fs[0].evidence.get("exposed_to"), "[\"web\"]");
    EXPECT_EQ(fs[0].evidence.get("privileges"), "[\"SELECT\", \"INSERT\"]");
    EXPECT_EQ(fs[0].fix_sql.substr(fs[0].fix_sql.find("ALTER")),
              "ALTER TABLE public.orders ENABLE ROW LEVEL SECURITY;");
    EXPECT_EQ(fs[1].fix_sql, "REVOKE SELECT ON app.\"Open Data\" FROM PUBLIC;");
    EXPECT_EQ(fs[1].undo_sql, "GRANT SELECT ON app.\"Open Data\" TO PUBLIC;");
}

TEST(RlsDisabledOnExposedTable, SmallReadOnlyTablesAreOneStepLower) {
    RuleRun r;
    grant(r.table(1, "public", "countries"), "PUBLIC", {"SELECT"});
    r.snap.tables[0].reltuples = 999;
    grant(r.table(2, "public", "flags"), "PUBLIC", {"SELECT"});
    r.snap.tables[1].reltuples = 1000;  // at the threshold: not small
    grant(r.table(3, "public", "notes"), "PUBLIC", {"SELECT", "UPDATE"});
    r.snap.tables[2].reltuples = 10;  // small but writable
    auto fs = r.run("rls_disabled_on_exposed_table");
    ASSERT_EQ(fs.size(), 3u);
    EXPECT_EQ(fs[0].severity, Severity::Medium);
    EXPECT_EQ(fs[1].severity, Severity::High);
    EXPECT_EQ(fs[2].severity, Severity::High);
    r.settings.set("rls_disabled_on_exposed_table_small_rows", 1001);
    fs = r.run("rls_disabled_on_exposed_table");
    EXPECT_EQ(fs[1].severity, Severity::Medium);
}

TEST(RlsDisabledOnExposedTable, SkipsExtensionTablesViewsAndRlsTables) {
    RuleRun r;
    grant(r.table(1, "public", "spatial_ref_sys"), "PUBLIC", {"SELECT"});
    r.snap.tables[0].extension_member = true;
    grant(r.table(2, "public", "v", 'v'), "PUBLIC", {"SELECT"});
    grant(r.table(3, "public", "t"), "PUBLIC", {"SELECT"});
    r.snap.tables[2].rls_enabled = true;
    EXPECT_TRUE(r.run("rls_disabled_on_exposed_table").empty());
}

// ---- SEC-02 policy_but_rls_disabled

TEST(PolicyButRlsDisabled, FiresAndIsLowerWhenOnlyTheOwnerUsesTheTable) {
    RuleRun r;
    grant(r.table(1, "public", "docs"), "web", {"SELECT"});
    r.policy(1, "mine", {"web"}, "(owner = CURRENT_USER)");
    r.table(2, "public", "private_docs");
    r.policy(2, "mine", {"public"}, "(owner = CURRENT_USER)");
    r.table(3, "public", "enabled").rls_enabled = true;
    r.policy(3, "mine", {"web"}, "true");
    r.table(4, "public", "no_policy");
    auto fs = r.run("policy_but_rls_disabled");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public.docs", "public.private_docs"}));
    EXPECT_EQ(fs[0].severity, Severity::High);
    EXPECT_EQ(fs[1].severity, Severity::Medium);
    EXPECT_EQ(fs[0].fix_sql, "ALTER TABLE public.docs ENABLE ROW LEVEL SECURITY;");
    EXPECT_EQ(fs[0].undo_sql, "ALTER TABLE public.docs DISABLE ROW LEVEL SECURITY;");
    EXPECT_EQ(fs[0].evidence.get("policies"), "[\"mine\"]");
}

// The verify statement quotes the table's name as a literal (a quote in the name).
TEST(PolicyButRlsDisabled, VerifyQuotesTheTableName) {
    RuleRun r;
    r.table(1, "public", "bob's docs");
    r.policy(1, "mine", {"public"}, "(owner = CURRENT_USER)");
    auto fs = r.run("policy_but_rls_disabled");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].verify,
              "SELECT relrowsecurity FROM pg_class WHERE oid = 'public.\"bob''s docs\"'::regclass; "
              "returns true.");
}

// ---- SEC-03 rls_enabled_no_policy

TEST(RlsEnabledNoPolicy, InfoUnlessOtherRolesHoldPrivileges) {
    RuleRun r;
    r.table(1, "public", "vault").rls_enabled = true;
    r.table(2, "public", "shared").rls_enabled = true;
    grant(r.snap.tables[1], "web", {"SELECT"});
    r.table(3, "public", "fine").rls_enabled = true;
    r.policy(3, "p", {"web"}, "(a = 1)");
    auto fs = r.run("rls_enabled_no_policy");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public.vault", "public.shared"}));
    EXPECT_EQ(fs[0].severity, Severity::Info);
    EXPECT_EQ(fs[1].severity, Severity::Low);
}

// ---- SEC-04 permissive_policy_always_true

TEST(PermissivePolicyAlwaysTrue, FiresOnTautologiesAndRaisesWritePaths) {
    RuleRun r;
    r.table(1, "public", "t").rls_enabled = true;
    r.policy(1, "read_all", {"web"}, "true", 'r');
    r.policy(1, "write_all", {"web"}, "((owner = CURRENT_USER) OR true)", '*');
    r.policy(1, "restrictive", {"web"}, "true", 'r', false);
    r.policy(1, "no_using", {"web"}, "", 'r');  // no clause: no rows, not all rows
    r.policy(1, "real", {"web"}, "(owner = CURRENT_USER)", 'r');
    r.policy(1, "check_true", {"web"}, "", 'a').check_expr = "(1 = 1)";
    auto fs = r.run("permissive_policy_always_true");
    ASSERT_EQ(objects(fs),
              (std::vector<std::string>{"read_all ON public.t", "write_all ON public.t",
                                        "check_true ON public.t"}));
    EXPECT_EQ(fs[0].severity, Severity::Medium);
    EXPECT_EQ(fs[1].severity, Severity::High);
    EXPECT_EQ(fs[2].severity, Severity::High);
    EXPECT_EQ(fs[0].undo_sql, "ALTER POLICY read_all ON public.t USING (true);");
    EXPECT_EQ(fs[0].fix_sql,
              "-- ALTER POLICY read_all ON public.t USING (<rows the roles may see>);");
    EXPECT_EQ(fs[1].fix_sql, "ALTER POLICY write_all ON public.t USING ((owner = CURRENT_USER));");
    EXPECT_EQ(fs[2].undo_sql, "ALTER POLICY check_true ON public.t WITH CHECK ((1 = 1));");
    EXPECT_EQ(fs[0].identity, "read_all");
}

// ---- SEC-05 multiple_permissive_policies

TEST(MultiplePermissivePolicies, CountsPerRoleAndCommandIncludingPublicPolicies) {
    RuleRun r;
    r.table(1, "public", "t").reltuples = 20000;
    r.policy(1, "a", {"web"}, "(x = 1)", 'r');
    r.policy(1, "b", {"public"}, "(y = 1)", '*');
    r.policy(1, "c", {"batch"}, "(z = 1)", 'w');
    r.table(2, "public", "single").reltuples = 20000;
    r.policy(2, "a", {"web"}, "(x = 1)", 'r');
    r.policy(2, "b", {"web"}, "(x = 2)", 'r', false);  // restrictive: not counted
    r.policy(2, "c", {"web"}, "(x = 3)", 'a');         // another command
    auto fs = r.run("multiple_permissive_policies");
    ASSERT_EQ(objects(fs), std::vector<std::string>{"public.t"});
    EXPECT_EQ(fs[0].evidence.get("overlaps"),
              "[\"batch UPDATE: c and b\", \"web SELECT: a and b\"]");
    EXPECT_EQ(fs[0].severity, Severity::Medium);
    r.snap.tables[0].reltuples = 9999;
    EXPECT_EQ(r.run("multiple_permissive_policies")[0].severity, Severity::Low);
}

// ---- SEC-06 security_definer_view

TEST(SecurityDefinerView, FiresWhenSharedViewReadsRlsTablesAsItsOwner) {
    RuleRun r;
    r.role("owner");
    r.role("web");
    auto &t = r.table(1, "public", "docs");
    t.rls_enabled = true;
    auto &v = r.table(2, "public", "all_docs", 'v');
    v.view_reads = {1};
    grant(v, "web", {"SELECT"});
    auto &inv = r.table(3, "public", "invoker_docs", 'v');
    inv.view_reads = {1};
    inv.options = {"security_invoker=on"};
    grant(inv, "web", {"SELECT"});
    auto &unshared = r.table(4, "public", "owner_docs", 'v');
    unshared.view_reads = {1};
    auto &plain = r.table(5, "public", "plain", 'v');
    plain.view_reads = {6};
    grant(plain, "web", {"SELECT"});
    r.table(6, "public", "no_rls");
    auto &outer = r.table(7, "public", "outer_docs", 'v');  // through an invoker view
    outer.owner = "web";
    outer.view_reads = {3};
    grant(outer, "PUBLIC", {"SELECT"});
    auto fs = r.run("security_definer_view");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public.all_docs", "public.outer_docs"}));
    EXPECT_EQ(fs[0].severity, Severity::High);    // owner owns the table: bypasses RLS
    EXPECT_EQ(fs[1].severity, Severity::Medium);  // web's own policies apply
    EXPECT_EQ(fs[0].fix_sql, "ALTER VIEW public.all_docs SET (security_invoker = true);");
    EXPECT_EQ(fs[0].undo_sql, "ALTER VIEW public.all_docs RESET (security_invoker);");
    r.snap.database.server_version_num = 140010;
    fs = r.run("security_definer_view");
    EXPECT_EQ(fs[0].fix_sql, "REVOKE ALL ON public.all_docs FROM web;\n");
}

// ---- SEC-07 function_search_path_mutable

namespace {

pg_advisor::catalog::Function &function(RuleRun &r, const std::string &name, bool definer) {
    pg_advisor::catalog::Function f;
    f.schema = "public";
    f.name = name;
    f.arguments = "integer";
    f.language = "plpgsql";
    f.owner = "owner";
    f.security_definer = definer;
    f.public_execute = true;
    r.snap.functions.push_back(f);
    return r.snap.functions.back();
}

}  // namespace

TEST(FunctionSearchPathMutable, SeverityFollowsSecurityDefinerAndOwner) {
    RuleRun r;
    r.snap.functions.reserve(16);
    r.role("owner");
    r.role("postgres").superuser = true;
    pg_advisor::catalog::Schema pub;
    pub.name = "public";
    r.snap.schemas.push_back(pub);
    function(r, "plain", false);
    function(r, "definer", true).public_execute = false;
    function(r, "root_definer", true).owner = "postgres";
    function(r, "pinned", true).config = {"search_path=pg_catalog, pg_temp"};
    function(r, "pinned_invoker", false).config = {"search_path=public"};
    function(r, "c_func", false).language = "c";
    function(r, "ext", false).extension_member = true;
    function(r, "atomic", false).sql_body = true;
    function(r, "temp_first", true).config = {"search_path=public"};
    auto fs = r.run("function_search_path_mutable");
    std::vector<std::string> got;
    for (const auto &f : fs)
        got.push_back(f.object + " " + f.identity + " " +
                      std::string(pg_advisor::review::severity_name(f.severity)));
    // One finding per function: a SECURITY DEFINER function with both problems gets both fixes.
    EXPECT_EQ(got, (std::vector<std::string>{
                       "public.plain(integer) search_path low",
                       "public.definer(integer) search_path high",
                       "public.root_definer(integer) search_path critical",
                       "public.pinned(integer) public_execute medium",
                       "public.temp_first(integer) search_path high",
                   }));
    EXPECT_EQ(fs[0].fix_sql,
              "ALTER FUNCTION public.plain(integer) SET search_path = pg_catalog, public, "
              "pg_temp;");
    EXPECT_EQ(fs[0].undo_sql, "ALTER FUNCTION public.plain(integer) RESET search_path;");
    EXPECT_EQ(fs[2].title,
              "SECURITY DEFINER function public.root_definer(integer) has a mutable search_path "
              "and may be executed by every role");
    EXPECT_EQ(fs[2].fix_sql,
              "ALTER FUNCTION public.root_definer(integer) SET search_path = pg_catalog, public, "
              "pg_temp;\nREVOKE EXECUTE ON FUNCTION public.root_definer(integer) FROM PUBLIC;");
    EXPECT_EQ(fs[3].fix_sql, "REVOKE EXECUTE ON FUNCTION public.pinned(integer) FROM PUBLIC;");
    EXPECT_EQ(fs[4].undo_sql,
              "ALTER FUNCTION public.temp_first(integer) SET search_path = public;\nGRANT "
              "EXECUTE ON FUNCTION public.temp_first(integer) TO PUBLIC;");
}

TEST(FunctionSearchPathMutable, PinnedPathWithAWritableSchemaStillCounts) {
    RuleRun r;
    pg_advisor::catalog::Schema pub;
    pub.name = "public";
    pub.public_create = true;
    r.snap.schemas.push_back(pub);
    function(r, "f", true).config = {"search_path=public, pg_temp"};
    r.snap.functions.back().public_execute = false;
    r.snap.functions.back().kind = 'p';
    auto fs = r.run("function_search_path_mutable");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].evidence.get("problem"),
              "\"the search_path includes public, where every role may create objects\"");
    EXPECT_EQ(fs[0].fix_sql,
              "ALTER PROCEDURE public.f(integer) SET search_path = pg_catalog, pg_temp;");
}

// ---- SEC-08 public_schema_create

TEST(PublicSchemaCreate, FiresForWritableSchemasAndTheirExtensions) {
    RuleRun r;
    for (auto [name, create, system] :
         {std::tuple{"public", true, false}, std::tuple{"scratch", true, false},
          std::tuple{"app", false, false}, std::tuple{"pg_catalog", true, true}}) {
        pg_advisor::catalog::Schema s;
        s.name = name;
        s.public_create = create;
        s.system = system;
        r.snap.schemas.push_back(s);
    }
    pg_advisor::catalog::Extension e;
    e.name = "pg_trgm";
    e.schema = "public";
    e.relocatable = true;
    r.snap.extensions.push_back(e);
    e.name = "hstore";
    e.schema = "app";
    r.snap.extensions.push_back(e);
    auto fs = r.run("public_schema_create");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public", "scratch", "pg_trgm"}));
    EXPECT_EQ(fs[0].severity, Severity::High);
    EXPECT_EQ(fs[1].severity, Severity::Medium);
    EXPECT_EQ(fs[2].severity, Severity::Low);
    EXPECT_EQ(fs[1].fix_sql, "REVOKE CREATE ON SCHEMA scratch FROM PUBLIC;");
    EXPECT_EQ(fs[2].undo_sql, "ALTER EXTENSION pg_trgm SET SCHEMA public;");
}

// ---- SEC-09 privileged_roles

TEST(PrivilegedRoles, ReportsEachKindOfPrivilege) {
    RuleRun r;
    r.role("postgres").superuser = true;
    r.snap.roles[0].oid = 10;
    r.role("dba").superuser = true;
    r.role("ops").create_role = true;
    r.role("etl").bypass_rls = true;
    r.role("files", false);
    r.snap.roles.back().member_of = {"pg_read_server_files"};
    r.role("loader").member_of = {"files"};
    r.role("reader").member_of = {"pg_read_all_data"};
    r.role("nologin_creator", false).create_role = true;
    pg_advisor::catalog::Schema s;
    s.name = "app";
    s.owner = "postgres";
    s.owner_is_superuser = true;
    r.snap.schemas.push_back(s);
    // An extension's own schema (created by CREATE EXTENSION as a superuser) is not a finding.
    pg_advisor::catalog::Schema ext = s;
    ext.name = "advisor";
    ext.extension_member = true;
    r.snap.schemas.push_back(ext);
    r.settings.set("privileged_roles_min_superusers", 2);
    auto fs = r.run("privileged_roles");
    std::vector<std::string> got;
    for (const auto &f : fs)
        got.push_back(f.object + " " + f.identity + " " +
                      std::string(pg_advisor::review::severity_name(f.severity)));
    EXPECT_EQ(got, (std::vector<std::string>{
                       "app login_superusers medium",
                       "ops createrole medium",
                       "files pg_read_server_files high",
                       "reader pg_read_all_data medium",
                       "app superuser_owner low",
                   }));  // etl's BYPASSRLS matters only where policies exist
    EXPECT_EQ(fs[0].fix_sql, "ALTER ROLE dba NOSUPERUSER;\n");
    // loader reaches pg_read_server_files through files: the grant to files is revoked.
    EXPECT_EQ(fs[2].fix_sql, "REVOKE pg_read_server_files FROM files;");
    EXPECT_EQ(fs[2].undo_sql, "GRANT pg_read_server_files TO files;");
    EXPECT_EQ(fs[2].evidence.get("login_roles"), "[\"loader\"]");
    EXPECT_EQ(fs[2].title,
              "Role files is a member of pg_read_server_files (login roles reaching it: loader)");
    EXPECT_EQ(fs[3].fix_sql, "REVOKE pg_read_all_data FROM reader;");
    EXPECT_EQ(fs[3].evidence.get("login_roles"), "[\"reader\"]");
    r.settings.set("privileged_roles_min_superusers", 3);
    r.snap.database.server_version_num = 160000;
    r.table(1, "public", "t");
    r.policy(1, "p", {"web"}, "true");
    fs = r.run("privileged_roles");
    EXPECT_EQ(fs[0].object + " " + fs[0].identity, "ops createrole");
    EXPECT_EQ(fs[0].severity, Severity::Low);  // PostgreSQL 16 narrowed CREATEROLE
    EXPECT_EQ(fs[1].object + " " + fs[1].identity, "etl bypassrls");
}

// ---- SEC-10 weak_auth_or_transport

TEST(WeakAuthOrTransport, HbaMethodsSettingsAndSessions) {
    RuleRun r;
    auto hba = [&](int line, const char *type, const char *address, const char *mask,
                   const char *method) {
        pg_advisor::catalog::HbaRule h;
        h.line = line;
        h.type = type;
        h.databases = {"all"};
        h.users = {"all"};
        h.address = address;
        h.netmask = mask;
        h.auth_method = method;
        r.snap.hba_rules.push_back(h);
    };
    hba(1, "local", "", "", "trust");
    hba(2, "host", "10.0.0.0", "255.0.0.0", "trust");
    hba(3, "host", "0.0.0.0", "0.0.0.0", "password");
    hba(4, "hostssl", "0.0.0.0", "0.0.0.0", "password");
    hba(5, "host", "127.0.0.1", "255.255.255.255", "scram-sha-256");
    hba(6, "local", "", "", "peer");
    hba(7, "host", "127.0.0.1", "255.255.255.255", "trust");  // with line 1: one weakness
    r.snap.database.settings["password_encryption"] = "md5";
    r.snap.database.settings["ssl"] = "off";
    pg_advisor::catalog::Activity a;
    a.backend_type = "client backend";
    a.user = "app";
    a.ssl_known = true;
    a.client_addr = "10.1.2.3";
    r.snap.activity = {a, a};
    a.client_addr = "127.0.0.1";  // loopback: not counted
    r.snap.activity.push_back(a);
    auto fs = r.run("weak_auth_or_transport");
    std::vector<std::string> got;
    for (const auto &f : fs)
        got.push_back(f.object + " " + f.identity + " " +
                      std::string(pg_advisor::review::severity_name(f.severity)));
    // One finding per weakness (method and exposure), with its lines.
    EXPECT_EQ(got, (std::vector<std::string>{
                       "pg_hba.conf trust medium medium",
                       "pg_hba.conf trust critical critical",
                       "pg_hba.conf password high high",
                       "pg_hba.conf password low low",
                       "app password_encryption medium",
                       "app sessions_without_tls medium",
                       "app ssl_off medium",
                   }));
    EXPECT_EQ(fs[0].title, "pg_hba.conf accepts connections with no password (trust) (lines 1, 7)");
    EXPECT_EQ(fs[0].evidence.get("lines"), "[\"1\", \"7\"]");
    EXPECT_EQ(fs[0].current_state,
              "pg_hba.conf: local all all trust\npg_hba.conf: host all all 127.0.0.1/32 trust");
    EXPECT_EQ(fs[5].evidence.get("sessions"), "2");
    EXPECT_FALSE(r.skipped);
}

TEST(WeakAuthOrTransport, UnreadableHbaIsNotAPass) {
    RuleRun r;
    r.snap.database.hba_readable = false;
    EXPECT_TRUE(r.run("weak_auth_or_transport").empty());
    EXPECT_TRUE(r.skipped);
    r.snap.database.hba_readable = true;
    EXPECT_TRUE(r.run("weak_auth_or_transport").empty());
    EXPECT_FALSE(r.skipped);
    r.snap.database.hba_readable = false;
    r.snap.database.settings["password_encryption"] = "md5";
    EXPECT_EQ(r.run("weak_auth_or_transport").size(), 1u);
    EXPECT_FALSE(r.skipped);
}

// ---- SEC-11 sensitive_columns_unprotected

TEST(SensitiveColumnsUnprotected, ColumnGrantsAsTheFix) {
    RuleRun r;
    r.role("web");
    auto &users = r.table(1, "public", "users");
    users.columns = {column(1, "id", "N"), column(2, "email"), column(3, "password_hash"),
                     column(4, "password_set", "B")};
    grant(users, "PUBLIC", {"SELECT"});
    auto &keys = r.table(2, "public", "keys");
    keys.columns = {column(1, "id", "N"), column(2, "api_key")};
    grant(keys, "reporting", {"SELECT"});
    auto &safe = r.table(3, "public", "sessions");
    safe.columns = {column(1, "token")};
    safe.rls_enabled = true;
    grant(safe, "PUBLIC", {"SELECT"});
    auto &owner_only = r.table(4, "public", "secrets");
    owner_only.columns = {column(1, "secret")};
    auto fs = r.run("sensitive_columns_unprotected");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public.users", "public.keys"}));
    EXPECT_EQ(fs[0].severity, Severity::High);
    EXPECT_EQ(fs[1].severity, Severity::Medium);
    EXPECT_EQ(fs[0].evidence.get("sensitive_columns"), "[\"password_hash\"]");
    EXPECT_EQ(fs[0].fix_sql,
              "REVOKE SELECT ON public.users FROM PUBLIC;\n"
              "GRANT SELECT (id, email, password_set) ON public.users TO PUBLIC;\n");
    EXPECT_EQ(fs[0].undo_sql,
              "REVOKE SELECT (id, email, password_set) ON public.users FROM PUBLIC;\n"
              "GRANT SELECT ON public.users TO PUBLIC;\n");
}

// ---- SEC-12 unsafe_object_exposure

TEST(UnsafeObjectExposure, MatviewsForeignTablesAndOutdatedExtensions) {
    RuleRun r;
    r.table(1, "public", "docs").rls_enabled = true;
    auto &mv = r.table(2, "public", "doc_stats", 'm');
    mv.view_reads = {1};
    grant(mv, "PUBLIC", {"SELECT"});
    grant(r.table(3, "public", "plain_stats", 'm'), "PUBLIC", {"SELECT"});
    grant(r.table(4, "public", "remote", 'f'), "PUBLIC", {"SELECT"});
    grant(r.table(5, "public", "private_stats", 'm'), "reporting", {"SELECT"});
    pg_advisor::catalog::Extension e;
    e.name = "pg_trgm";
    e.version = "1.3";
    e.default_version = "1.6";
    r.snap.extensions.push_back(e);
    e.name = "plpgsql";
    e.version = e.default_version = "1.0";
    r.snap.extensions.push_back(e);
    auto fs = r.run("unsafe_object_exposure");
    ASSERT_EQ(objects(fs), (std::vector<std::string>{"public.doc_stats", "public.plain_stats",
                                                     "public.remote", "pg_trgm"}));
    EXPECT_EQ(fs[0].severity, Severity::High);
    EXPECT_EQ(fs[1].severity, Severity::Medium);
    EXPECT_EQ(fs[2].object_type, "foreign table");
    EXPECT_EQ(fs[3].severity, Severity::Low);
    EXPECT_EQ(fs[3].fix_sql, "ALTER EXTENSION pg_trgm UPDATE;");
}
