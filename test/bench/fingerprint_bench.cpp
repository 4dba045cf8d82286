// Per-statement cost of the statement fingerprint (shape for the query id cache, constants
// fingerprint), which replaces the server's query jumble on the simple-protocol path.
// Run: build/core_bench --benchmark_filter=Fingerprint
#include <benchmark/benchmark.h>

#include <string>

#include "core/sql/statement_fingerprint.h"

using namespace pg_advisor;

namespace {

const char *const kStatements[] = {
    // pgbench -S
    "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;",
    // an ORM lookup with sqlcommenter tags
    "SELECT \"comments\".\"id\", \"comments\".\"post_id\", \"comments\".\"body\" FROM "
    "\"comments\" WHERE \"comments\".\"post_id\" = 17 ORDER BY \"comments\".\"id\" ASC "
    "/*controller='posts',action='index',traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-"
    "00f067aa0ba902b7-01'*/",
    // a write
    "INSERT INTO orders (customer_id, status, total, created_at) VALUES (42, 'pending', "
    "19.99, '2024-05-01 10:00:00+00') RETURNING id",
};

void BM_Fingerprint(benchmark::State &state) {
    std::string sql = kStatements[state.range(0)];
    StatementSpan span{0, sql.size() - (sql.back() == ';' ? 1 : 0)};
    for (auto _ : state) {
        StatementFingerprint fp = fingerprint_statement(sql, span);
        benchmark::DoNotOptimize(fp);
    }
    state.counters["bytes"] = static_cast<double>(sql.size());
}

}  // namespace

BENCHMARK(BM_Fingerprint)->Arg(0)->Arg(1)->Arg(2);
