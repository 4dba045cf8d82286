// LibpqFacts against a live database: run by test/e2e/lint_cli.sh with PGA_LINT_TEST_DSN set to
// a fresh database of a plain cluster with pg_stat_statements preloaded; skipped without it.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "cli/libpq/live_facts.h"

namespace pg_advisor::cli {
namespace {

using Conn = std::unique_ptr<PGconn, decltype(&PQfinish)>;

const char *dsn() {
    return std::getenv("PGA_LINT_TEST_DSN");
}

void run(PGconn *c, const std::string &sql) {
    PGresult *r = PQexec(c, sql.c_str());
    ExecStatusType st = PQresultStatus(r);
    PQclear(r);
    ASSERT_TRUE(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) << sql << PQerrorMessage(c);
}

class LiveFactsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (dsn() == nullptr)
            GTEST_SKIP() << "PGA_LINT_TEST_DSN not set (test/e2e/lint_cli.sh runs these against a "
                            "live database)";
        conn_ = Conn(PQconnectdb(dsn()), &PQfinish);
        ASSERT_EQ(PQstatus(conn_.get()), CONNECTION_OK) << PQerrorMessage(conn_.get());
        run(conn_.get(),
            "DROP SCHEMA IF EXISTS lf CASCADE; CREATE SCHEMA lf;"
            "CREATE TYPE lf.mood AS ENUM ('sad', 'ok', 'happy');"
            "CREATE TABLE lf.orders (id bigint PRIMARY KEY, code varchar(20) NOT NULL, "
            "total numeric(10,2), flag char(3), tags text[], m lf.mood, at timestamptz(3), "
            "CONSTRAINT orders_code_key UNIQUE (code));"
            "CREATE INDEX orders_lower ON lf.orders (lower(code), total) WHERE total > 0;"
            "INSERT INTO lf.orders SELECT g, 'c' || g, g FROM generate_series(1, 2000) g;"
            "ANALYZE lf.orders;");
    }
    Conn conn_{nullptr, &PQfinish};
};

TEST_F(LiveFactsTest, TablesColumnsAndIndexes) {
    LibpqFacts facts(dsn());
    EXPECT_TRUE(facts.live());
    EXPECT_GE(facts.server_version(), 150000);
    std::optional<ddl::TableFacts> t = facts.table({"lf", "orders"});
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->name.plain(), "lf.orders");
    EXPECT_EQ(t->rows, 2000);
    EXPECT_GT(t->bytes, 100000);
    EXPECT_FALSE(t->partitioned);
    std::string cols;
    for (const ddl::ColumnFacts &c : t->columns)
        cols += c.name + " " + c.type.sql() + (c.not_null ? " not null" : "") + "; ";
    EXPECT_EQ(cols,
              "id int8 not null; code varchar(20) not null; total numeric(10,2); flag bpchar(3); "
              "tags text[]; m lf.mood; at timestamptz(3); ");
    ASSERT_EQ(t->indexes.size(), 3u);
    EXPECT_EQ(t->indexes[0].name.plain(), "lf.orders_code_key");
    EXPECT_TRUE(t->indexes[0].unique);
    EXPECT_EQ(t->indexes[0].constraint, "orders_code_key");
    EXPECT_EQ(t->indexes[1].name.plain(), "lf.orders_lower");
    EXPECT_EQ(t->indexes[1].columns, (std::vector<std::string>{"lower(code::text)", "total"}));
    EXPECT_TRUE(t->indexes[1].partial);
    EXPECT_FALSE(t->indexes[1].unique);
    EXPECT_TRUE(t->indexes[2].primary);
    EXPECT_EQ(t->indexes[2].columns, (std::vector<std::string>{"id"}));
    std::optional<ddl::IndexFacts> ix = facts.index({"lf", "orders_lower"});
    ASSERT_TRUE(ix.has_value());
    EXPECT_EQ(ix->table.plain(), "lf.orders");
    EXPECT_GT(ix->bytes, 0);
    EXPECT_FALSE(facts.table({"lf", "missing"}).has_value());
    EXPECT_FALSE(facts.table({"", "orders"}).has_value());  // lf is not on the search_path
}

TEST_F(LiveFactsTest, FunctionsEnumsAndSearchPath) {
    run(conn_.get(), "ALTER ROLE CURRENT_USER SET search_path = lf, public");
    LibpqFacts facts(dsn());
    run(conn_.get(), "ALTER ROLE CURRENT_USER RESET search_path");
    EXPECT_EQ(facts.function_volatility("random"), std::optional<char>('v'));
    EXPECT_EQ(facts.function_volatility("now"), std::optional<char>('s'));
    EXPECT_EQ(facts.function_volatility("lower"), std::optional<char>('i'));
    EXPECT_FALSE(facts.function_volatility("no_such_function").has_value());
    EXPECT_EQ(facts.enum_labels({"", "mood"}), (std::vector<std::string>{"sad", "ok", "happy"}));
    EXPECT_TRUE(facts.enum_labels({"public", "mood"}).empty());
    std::optional<ddl::TableFacts> t = facts.table({"", "orders"});
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->name.plain(), "lf.orders");
}

TEST_F(LiveFactsTest, ConflictingLocksOfOtherSessions) {
    Conn other(PQconnectdb(dsn()), &PQfinish);
    run(other.get(), "BEGIN; LOCK TABLE lf.orders IN ROW EXCLUSIVE MODE");
    LibpqFacts facts(dsn());
    std::vector<ddl::LockHolder> share =
        facts.conflicting_locks({"lf", "orders"}, ddl::LockMode::Share);
    ASSERT_EQ(share.size(), 1u);
    EXPECT_EQ(share[0].pid, PQbackendPID(other.get()));
    EXPECT_EQ(share[0].mode, "RowExclusiveLock");
    EXPECT_TRUE(share[0].granted);
    EXPECT_EQ(share[0].state, "idle in transaction");
    EXPECT_EQ(share[0].query, "BEGIN; LOCK TABLE lf.orders IN ROW EXCLUSIVE MODE");
    EXPECT_TRUE(facts.conflicting_locks({"lf", "orders"}, ddl::LockMode::AccessShare).empty());
    EXPECT_TRUE(
        facts.conflicting_locks({"lf", "orders"}, ddl::LockMode::ShareUpdateExclusive).empty());
    run(other.get(), "ROLLBACK");
}

TEST_F(LiveFactsTest, CapturedQueriesFromPgStatStatements) {
    run(conn_.get(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    run(conn_.get(), "SELECT pg_stat_statements_reset()");
    for (int i = 0; i < 3; i++)
        run(conn_.get(), "SELECT total FROM lf.orders WHERE code = 'c" + std::to_string(i) + "'");
    run(conn_.get(), "SELECT count(*) FROM lf.orders");
    run(conn_.get(), "SELECT 1 AS orders_total");  // a word match: not a use of orders or total
    LibpqFacts facts(dsn());
    EXPECT_EQ(facts.query_source(), "pg_stat_statements");
    std::vector<ddl::QueryUse> total = facts.queries_using({"lf", "orders"}, "total");
    ASSERT_EQ(total.size(), 1u);
    EXPECT_EQ(total[0].text, "SELECT total FROM lf.orders WHERE code = $1");
    EXPECT_EQ(total[0].calls, 3);
    EXPECT_NE(total[0].queryid, 0u);
    std::vector<ddl::QueryUse> table = facts.queries_using({"lf", "orders"}, "");
    ASSERT_EQ(table.size(), 2u);
    EXPECT_EQ(table[1].text, "SELECT count(*) FROM lf.orders");
    EXPECT_TRUE(facts.queries_using({"lf", "orders"}, "flag").empty());
}

}  // namespace
}  // namespace pg_advisor::cli
