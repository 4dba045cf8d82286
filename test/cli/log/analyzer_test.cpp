// Statement facts read from the text, and the analyser feeding the core loop detector from
// log records: simple and extended protocol, transactions, failed statements, and trace-ids
// that span sessions.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/log/analyzer.h"
#include "cli/log/statement_info.h"

using namespace pg_advisor;
using namespace pg_advisor::cli::log;

TEST(ClassifyStatement, DjangoLookup) {
    StatementInfo i = classify_statement(
        "SELECT \"blog_author\".\"id\", \"blog_author\".\"name\" FROM \"blog_author\" WHERE "
        "\"blog_author\".\"id\" = 7 LIMIT 21");
    EXPECT_EQ(i.command, CommandKind::Select);
    EXPECT_EQ(i.relation, "blog_author");
    EXPECT_EQ(i.key_column, "id");
    EXPECT_EQ(i.flags, kEventHasLimit);
    EXPECT_FALSE(i.aggregate);
}

TEST(ClassifyStatement, CommandsRelationsAndFlags) {
    StatementInfo ins = classify_statement("INSERT INTO public.\"Items\" (a) VALUES ($1), ($2)");
    EXPECT_EQ(ins.command, CommandKind::Insert);
    EXPECT_EQ(ins.relation, "\"Items\"");
    EXPECT_EQ(ins.flags, kEventMultiRow);
    EXPECT_EQ(ins.max_param, 2);
    EXPECT_EQ(classify_statement("insert into t values (1)").flags, 0);
    EXPECT_EQ(classify_statement("UPDATE ONLY app.orders SET x = 1 WHERE id = $1").relation,
              "app.orders");
    StatementInfo claim = classify_statement(
        "WITH j AS (SELECT id FROM jobs WHERE state = 'new' LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "UPDATE jobs SET state = 'run' FROM j WHERE jobs.id = j.id");
    EXPECT_EQ(claim.command, CommandKind::Update);
    EXPECT_EQ(claim.relation, "jobs");
    StatementInfo batch = classify_statement("SELECT * FROM b WHERE a_id IN (1, 2, 3)");
    EXPECT_EQ(batch.in_list, 3u);
    EXPECT_EQ(classify_statement("SELECT * FROM b WHERE a_id = ANY($1)").any_param, 1);
    EXPECT_EQ(
        classify_statement("SELECT books.id FROM books WHERE $1 = books.author_id").key_column,
        "author_id");
    StatementInfo page =
        classify_statement("SELECT * FROM events WHERE id > $1 ORDER BY id LIMIT $2 OFFSET 0");
    EXPECT_TRUE(page.keyset);
    EXPECT_EQ(page.limit_param, 2);
    EXPECT_EQ(page.flags, kEventHasLimit | kEventHasOffset);
    StatementInfo extract =
        classify_statement("SELECT extract(epoch FROM created_at), count(*) FROM pg_class");
    EXPECT_EQ(extract.relation, "pg_class");
    EXPECT_EQ(extract.flags, kEventCatalogOnly);
    EXPECT_TRUE(extract.single_row);
    EXPECT_EQ(classify_statement("BEGIN ISOLATION LEVEL SERIALIZABLE").boundary, Boundary::Begin);
    EXPECT_EQ(classify_statement("rollback to savepoint a").boundary, Boundary::RollbackTo);
    EXPECT_EQ(classify_statement("COMMIT PREPARED 'x'").boundary, Boundary::None);
    EXPECT_EQ(classify_statement("SET search_path = x").command, CommandKind::Utility);
}

TEST(SplitStatements, RespectsQuotesAndComments) {
    std::vector<std::string_view> out;
    split_statements("BEGIN; SELECT ';' /* ; */; $$;$$ ;; COMMIT", out);
    ASSERT_EQ(out.size(), 4u);
    EXPECT_EQ(out[0], "BEGIN");
    EXPECT_EQ(out[1], " SELECT ';' /* ; */");
    EXPECT_EQ(out[2], " $$;$$ ");
    EXPECT_EQ(out[3], " COMMIT");
}

TEST(ParameterValue, UnquotesValues) {
    std::string v;
    ASSERT_TRUE(parameter_value("$1 = '5', $2 = 'it''s', $12 = NULL", 2, v));
    EXPECT_EQ(v, "it's");
    ASSERT_TRUE(parameter_value("$1 = '5', $2 = 'it''s', $12 = NULL", 12, v));
    EXPECT_EQ(v, "NULL");
    EXPECT_FALSE(parameter_value("$1 = '5'", 3, v));
}

namespace {

// Builds log records of one process.
struct Feed {
    Analyzer &a;
    int64_t pid;
    int64_t ts = 1796609411000000;
    void log(const std::string &message, const std::string &severity = "LOG") {
        LogRecord r;
        r.ts_us = (ts += 1000);
        r.pid = pid;
        r.user = "app";
        r.database = "shop";
        r.severity = severity;
        r.message = message;
        a.add(r);
    }
};

const Finding *only(const Analyzer &a) {
    auto f = a.findings();
    return f.size() == 1 ? f[0] : nullptr;
}

}  // namespace

TEST(Analyzer, SimpleProtocolNPlusOne) {
    Analyzer a;
    Feed f{a, 100};
    f.log("statement: SELECT id, author_id FROM books");
    for (int i = 1; i <= 6; i++)
        f.log("statement: SELECT * FROM authors WHERE id = " + std::to_string(i));
    a.finish();
    const Finding *n = only(a);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->entry.key.kind, static_cast<uint8_t>(LoopKind::NPlusOne));
    EXPECT_EQ(n->parent_text, "SELECT id, author_id FROM books");
    EXPECT_EQ(n->child_text, "SELECT * FROM authors WHERE id = $1");
    EXPECT_EQ(n->child_relation, "authors");
    EXPECT_EQ(n->parent_relation, "books");
    EXPECT_EQ(n->entry.occurrences, 1u);
    EXPECT_EQ(n->entry.executions, 6u);
    EXPECT_EQ(n->entry.max_distinct, 6u);
    EXPECT_EQ(n->entry.parent_choice, static_cast<uint8_t>(ParentChoice::MultiRow));
    EXPECT_EQ(n->entry.example_scope(), "session pid 100");
    EXPECT_EQ(a.statements(), 7u);
    EXPECT_EQ(a.sessions(), 1u);
}

TEST(Analyzer, ExtendedProtocolParametersAndDurations) {
    Analyzer a;
    Feed f{a, 200};
    f.log("duration: 0.100 ms  parse <unnamed>: SELECT id FROM books");
    f.log("duration: 0.500 ms  execute <unnamed>: SELECT id FROM books");
    for (int i = 1; i <= 5; i++) {
        f.log("duration: 0.010 ms  bind S_1: SELECT * FROM authors WHERE id = $1");
        f.log("parameters: $1 = '" + std::to_string(i) + "'", "DETAIL");
        f.log("duration: 0.250 ms  execute S_1: SELECT * FROM authors WHERE id = $1");
        f.log("parameters: $1 = '" + std::to_string(i) + "'", "DETAIL");
    }
    a.finish();
    const Finding *n = only(a);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->entry.executions, 5u);
    EXPECT_EQ(n->entry.max_distinct, 5u);
    EXPECT_EQ(n->entry.child_total_ns, 1250000u);
    EXPECT_EQ(a.statements(), 6u);
}

TEST(Analyzer, ADurationNoServerWritesIsNotOne) {
    // Found by the log reader fuzzer: a duration beyond a year overflowed the microseconds.
    Analyzer a;
    Feed f{a, 250};
    f.log("duration: " + std::string(130, '9') + " ms  statement: SELECT id FROM books");
    a.finish();
    EXPECT_EQ(a.statements(), 0u);  // not read as a timed statement
}

TEST(Analyzer, SameParametersAreADuplicateNotAnNPlusOne) {
    Analyzer a;
    Feed f{a, 300};
    f.log("statement: SELECT id FROM books");
    for (int i = 1; i <= 5; i++) {
        f.log("execute S_1: SELECT * FROM settings WHERE key = $1");
        f.log("parameters: $1 = 'theme'", "DETAIL");
    }
    a.finish();
    const Finding *n = only(a);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->entry.key.kind, static_cast<uint8_t>(LoopKind::Duplicate));
    EXPECT_EQ(n->entry.max_distinct, 1u);
}

TEST(Analyzer, FailedStatementsAndBatchesAreNotLoops) {
    Analyzer a;
    Feed f{a, 400};
    f.log("statement: SELECT id FROM books");
    for (int i = 1; i <= 5; i++) {
        f.log("statement: SELECT * FROM authors WHERE id = " + std::to_string(i));
        if (i > 1) f.log("relation \"authors\" does not exist", "ERROR");
    }
    for (int i = 1; i <= 6; i++)
        f.log("statement: SELECT * FROM reviews WHERE book_id IN (1, 2, " + std::to_string(i + 2) +
              ")");
    a.finish();
    EXPECT_TRUE(a.findings().empty());
    EXPECT_EQ(a.statements(), 8u);
}

TEST(Analyzer, WriteLoopInOneTransaction) {
    Analyzer a;
    Feed f{a, 500};
    f.log("statement: BEGIN");
    for (int i = 1; i <= 5; i++)
        f.log("statement: INSERT INTO items (order_id, sku) VALUES (1, 'sku" + std::to_string(i) +
              "')");
    f.log("statement: COMMIT");
    // A multi-row INSERT and a pipelined batch (one query string) are already set-based.
    f.log("statement: INSERT INTO items (order_id, sku) VALUES (2, 'a'), (2, 'b')");
    f.log(
        "statement: INSERT INTO logs VALUES (1); INSERT INTO logs VALUES (2); INSERT INTO "
        "logs VALUES (3); INSERT INTO logs VALUES (4); INSERT INTO logs VALUES (5)");
    a.finish();
    const Finding *w = only(a);
    ASSERT_NE(w, nullptr);
    EXPECT_EQ(w->entry.key.kind, static_cast<uint8_t>(LoopKind::WriteLoop));
    EXPECT_EQ(w->child_relation, "items");
    EXPECT_EQ(w->entry.executions, 5u);
    EXPECT_EQ(w->entry.scope_kind, static_cast<uint8_t>(ScopeKind::Transaction));
    EXPECT_EQ(a.statements(), 13u);
}

TEST(Analyzer, TraceIdSpanningSessionsIsOneScope) {
    const std::string tag =
        " /*traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'*/";
    for (bool traced : {true, false}) {
        Analyzer a;
        Feed s1{a, 601}, s2{a, 602}, s3{a, 603};
        s1.log("statement: SELECT id FROM books" + (traced ? tag : ""));
        Feed *pool[] = {&s1, &s2, &s3};
        for (int i = 1; i <= 6; i++) {
            Feed &s = *pool[i % 3];
            s.ts = s1.ts;
            s.log("statement: SELECT * FROM authors WHERE id = " + std::to_string(i) +
                  (traced ? tag : ""));
            s1.ts = s.ts;
        }
        a.finish();
        EXPECT_EQ(a.sessions(), 3u);
        if (!traced) {
            EXPECT_TRUE(a.findings().empty());
            continue;
        }
        const Finding *n = only(a);
        ASSERT_NE(n, nullptr);
        EXPECT_EQ(n->entry.scope_kind, static_cast<uint8_t>(ScopeKind::Trace));
        EXPECT_EQ(n->entry.executions, 6u);
        EXPECT_EQ(n->entry.example_scope(), "trace-id 4bf92f3577b34da6a3ce929d0e0e4736");
        EXPECT_EQ(n->child_text, "SELECT * FROM authors WHERE id = $1");
    }
}

TEST(Analyzer, IdleGapSplitsBursts) {
    AnalyzerOptions o;
    o.idle_gap_us = 100000;
    Analyzer a(o);
    Feed f{a, 700};
    f.log("statement: SELECT id FROM books");
    for (int i = 1; i <= 6; i++) {
        f.ts += 200000;  // each lookup after an idle gap: a request of its own
        f.log("statement: SELECT * FROM authors WHERE id = " + std::to_string(i));
    }
    a.finish();
    EXPECT_TRUE(a.findings().empty());
}
