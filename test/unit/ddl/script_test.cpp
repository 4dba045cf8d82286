// Splitting scripts into statements, locating them, and the helpers both front ends share.
#include <gtest/gtest.h>

#include "core/ddl/lint.h"
#include "core/ddl/schema_change.h"

namespace pg_advisor::ddl {
namespace {

TEST(Script, SplitsOnSemicolonsOutsideQuotesAndBodies) {
    std::string s =
        "-- header\nBEGIN;\nSELECT ';' AS x; /* ; */ CREATE FUNCTION f() RETURNS int AS $$ SELECT "
        "1; $$ "
        "LANGUAGE sql;\nCREATE FUNCTION g() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
        "COMMIT\n";
    std::vector<Statement> st = script_statements(s);
    ASSERT_EQ(st.size(), 5u);
    EXPECT_EQ(st[0].text, "BEGIN");
    EXPECT_EQ(st[0].line, 2);
    EXPECT_EQ(st[0].column, 1);
    EXPECT_EQ(st[1].text, "SELECT ';' AS x");
    EXPECT_EQ(st[1].line, 3);
    EXPECT_EQ(st[2].text.substr(0, 17), "CREATE FUNCTION f");
    EXPECT_EQ(st[2].line, 3);
    EXPECT_EQ(st[2].column, 26);
    EXPECT_EQ(st[3].text, "CREATE FUNCTION g() RETURNS int BEGIN ATOMIC SELECT 1; SELECT 2; END");
    EXPECT_EQ(st[4].text, "COMMIT");
    EXPECT_EQ(st[4].line, 5);
}

TEST(Script, IgnoreCommentsBeforeOrInsideAStatement) {
    std::string s =
        "CREATE TABLE a (id int);\n/* pg_advisor:ignore index_not_concurrent, Foo_Bar */\n"
        "CREATE INDEX i ON a (id);\nCREATE INDEX j ON a (id) -- pg_advisor:ignore x\n;";
    std::vector<Statement> st = script_statements(s);
    ASSERT_EQ(st.size(), 3u);
    EXPECT_TRUE(st[0].ignored_rules.empty());
    EXPECT_EQ(st[1].ignored_rules, (std::vector<std::string>{"index_not_concurrent", "foo_bar"}));
    EXPECT_EQ(st[2].ignored_rules, (std::vector<std::string>{"x"}));
}

TEST(Script, ExpressionTextStopsAtTheEndOfTheExpression) {
    std::string s = "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now() NOT NULL";
    EXPECT_EQ(expression_text(s, s.find("now"), true), "now()");
    std::string k = "ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0 AND f(b, ')') < 3) NOT VALID";
    EXPECT_EQ(expression_text(k, k.find("a >"), false), "a > 0 AND f(b, ')') < 3");
}

TEST(Script, Timeouts) {
    EXPECT_EQ(parse_timeout_ms("5s"), 5000);
    EXPECT_EQ(parse_timeout_ms("250"), 250);
    EXPECT_EQ(parse_timeout_ms("2min"), 120000);
    EXPECT_EQ(parse_timeout_ms("0"), 0);
    EXPECT_EQ(parse_timeout_ms("soon"), -1);
    // found by the lint input fuzzer: out of range is refused, as PostgreSQL does
    EXPECT_EQ(parse_timeout_ms(std::string(80, '1') + "5s"), -1);
    EXPECT_EQ(parse_timeout_ms("2147483647"), 2147483647);
    EXPECT_EQ(parse_timeout_ms("2147483648"), -1);
}

TEST(Locks, ModesAndConflictsAsPostgreSQLHasThem) {
    EXPECT_EQ(lock_mode_of("RowExclusiveLock"), LockMode::RowExclusive);
    EXPECT_EQ(lock_mode_of("AccessExclusiveLock"), LockMode::AccessExclusive);
    EXPECT_EQ(lock_mode_of("SIReadLock"), LockMode::None);
    // the conflict table is symmetric
    for (int a = 0; a <= 8; a++)
        for (int b = 0; b <= 8; b++)
            EXPECT_EQ(locks_conflict(static_cast<LockMode>(a), static_cast<LockMode>(b)),
                      locks_conflict(static_cast<LockMode>(b), static_cast<LockMode>(a)));
    // CREATE INDEX (SHARE) waits for writers, not readers, and not for another CREATE INDEX
    EXPECT_TRUE(locks_conflict(LockMode::Share, LockMode::RowExclusive));
    EXPECT_FALSE(locks_conflict(LockMode::Share, LockMode::AccessShare));
    EXPECT_FALSE(locks_conflict(LockMode::Share, LockMode::Share));
    // SHARE UPDATE EXCLUSIVE conflicts with itself; ACCESS SHARE only with ACCESS EXCLUSIVE
    EXPECT_TRUE(locks_conflict(LockMode::ShareUpdateExclusive, LockMode::ShareUpdateExclusive));
    int with_access_share = 0;
    for (int b = 0; b <= 8; b++)
        with_access_share += locks_conflict(LockMode::AccessShare, static_cast<LockMode>(b));
    EXPECT_EQ(with_access_share, 1);
}

TEST(Lint, CreateIndexOnATableOfThisMigrationIsNoRisk) {
    Statement create;
    create.text = "CREATE TABLE a (id int)";
    Change ct;
    ct.action = Action::CreateTable;
    ct.target = {"", "a"};
    create.changes.push_back(ct);
    Statement index;
    index.text = "CREATE INDEX i ON a (id)";
    index.line = 2;
    Change ci;
    ci.action = Action::CreateIndex;
    ci.object = "i";
    ci.index.table = {"", "a"};
    ci.index.columns = {"id"};
    index.changes.push_back(ci);
    Statement other = index;
    other.changes[0].index.table = {"public", "b"};
    other.text = "CREATE INDEX i ON public.b (id)";
    other.line = 3;
    Facts offline;
    MigrationState state;
    // the file sets no timeout: those rules have their own tests
    LintOptions options;
    options.disabled_rules = {"missing_lock_timeout", "missing_statement_timeout"};
    LintResult r = lint({create, index, other}, offline, state, options);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].finding.rule, "index_not_concurrent");
    EXPECT_EQ(r.findings[0].line, 3);
    EXPECT_EQ(r.findings[0].finding.fix_sql, "CREATE INDEX CONCURRENTLY i ON public.b (id);");
    EXPECT_EQ(r.findings[0].finding.evidence.get("lock"), "\"SHARE\"");
}

TEST(MigrationState, IsInitialUntilSomethingIsRecordedOrSet) {
    MigrationState state;
    EXPECT_TRUE(state.is_initial());
    state.lock_timeout_ms = 2000;
    EXPECT_FALSE(state.is_initial());
    EXPECT_TRUE(state.records_nothing());
    state = MigrationState();
    state.exclusive_tables.push_back({"public", "orders"});
    EXPECT_FALSE(state.is_initial());
}

}  // namespace
}  // namespace pg_advisor::ddl
