#include <gtest/gtest.h>

#include "core/review/rules/statement_shape.h"
#include "rule_run.h"

using pg_advisor::review::Severity;
using pg_advisor::review::severity_name;
using pg_advisor::review::testing::column;
using pg_advisor::review::testing::RuleRun;
using pg_advisor::workload::LoopEvidence;
using pg_advisor::workload::StatementEvidence;
namespace st = pg_advisor::review::statement;

namespace {

StatementEvidence statement(uint64_t queryid, const std::string &query, double calls,
                            double mean_ms) {
    StatementEvidence s;
    s.queryid = queryid;
    s.role = "app";
    s.query = query;
    s.calls = calls;
    s.mean_ms = mean_ms;
    s.total_ms = calls * mean_ms;
    s.rows = calls;
    return s;
}

std::vector<std::string> described(const std::vector<pg_advisor::review::Finding> &fs) {
    std::vector<std::string> out;
    for (const auto &f : fs)
        out.push_back(f.object + " " + std::string(severity_name(f.severity)));
    return out;
}

}  // namespace

// ---- statement shapes

TEST(StatementShape, SelectListFromAndOrderBy) {
    st::Shape s = st::analyze(
        "SELECT * FROM public.\"Orders\" o WHERE o.id > $1 ORDER BY "
        "o.created_at DESC, o.id DESC LIMIT $2 OFFSET $3");
    EXPECT_EQ(s.command, "select");
    EXPECT_TRUE(s.select_star);
    EXPECT_FALSE(s.count_only);
    EXPECT_EQ(s.from_schema, "public");
    EXPECT_EQ(s.from_relation, "Orders");
    EXPECT_TRUE(s.order_by);
    EXPECT_EQ(s.order_items, (std::vector<std::string>{"o.created_at DESC", "o.id DESC"}));

    s = st::analyze("select o.*, c.name from orders o join customers c on c.id = o.cid");
    EXPECT_TRUE(s.select_star);
    EXPECT_FALSE(s.order_by);
    s = st::analyze("SELECT count(*) FROM orders WHERE customer_id = $1");
    EXPECT_FALSE(s.select_star);
    EXPECT_TRUE(s.count_only);
    EXPECT_EQ(st::exists_rewrite("SELECT count(*) FROM orders WHERE customer_id = $1;", s),
              "SELECT EXISTS (SELECT 1 FROM orders WHERE customer_id = $1)");
    EXPECT_TRUE(st::analyze("SELECT count($1) AS n FROM t").count_only);
    EXPECT_FALSE(st::analyze("SELECT count(DISTINCT a) FROM t").count_only);
    EXPECT_FALSE(st::analyze("SELECT count(*), max(a) FROM t").count_only);
    EXPECT_TRUE(st::analyze("SELECT count(*) FROM t GROUP BY a").group_by);
    // A star inside a sub-select or an aggregate is not the main select list's.
    EXPECT_FALSE(st::analyze("SELECT a FROM (SELECT * FROM t) s").select_star);
    EXPECT_FALSE(st::analyze("SELECT a, b * 2 FROM t").select_star);
    s = st::analyze("WITH x AS (SELECT * FROM t) SELECT id FROM x ORDER BY id");
    EXPECT_FALSE(s.select_star);
    EXPECT_TRUE(s.order_by);
    EXPECT_EQ(st::analyze("WITH x AS (SELECT 1) DELETE FROM t").command, "delete");
    EXPECT_EQ(st::analyze("SELECT DISTINCT ON (a) * FROM t").select_star, true);
}

TEST(StatementShape, CollapsedShapeIgnoresConstantsAndListLengths) {
    std::string a = st::collapsed_shape("SELECT * FROM t WHERE id IN ($1, $2, $3) AND x = $4");
    EXPECT_EQ(a, "select * from t where id in ($...) and x = $?");
    EXPECT_EQ(st::collapsed_shape("select *  from T where ID in ($1) and x = 'a'"), a);
    EXPECT_EQ(st::collapsed_shape("INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"),
              st::collapsed_shape("INSERT INTO t (a, b) VALUES ($1, $2)") + " , ...");
    EXPECT_EQ(st::collapsed_shape("INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"),
              st::collapsed_shape("INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4), ($5, $6)"));
    EXPECT_EQ(st::collapsed_shape("SELECT ARRAY[$1, $2]"), "select array [$...]");
    // A sub-select in IN is not a list of values.
    EXPECT_EQ(st::collapsed_shape("SELECT 1 FROM t WHERE a IN (SELECT b FROM u)"),
              "select $? from t where a in ( select b from u )");
    EXPECT_NE(st::collapsed_shape("SELECT a FROM t"), st::collapsed_shape("SELECT b FROM t"));
}

// ---- loops

namespace {

LoopEvidence loop(const std::string &kind, const std::string &child, double total_ms) {
    LoopEvidence l;
    l.kind = kind;
    l.parent_queryid = 1;
    l.parent_query = "SELECT * FROM orders WHERE created_at > $1";
    l.child_queryid = 2;
    l.child_query = child;
    l.child_relation = "public.customers";
    l.occurrences = 3;
    l.executions = 60;
    l.max_repeats = 20;
    l.typical_repeats = 20;
    l.distinct_params = 20;
    l.child_total_ms = total_ms;
    l.framework = "django";
    l.suggested_sql = "SELECT * FROM customers WHERE id = ANY($1)";
    l.orm_fix = "Order.objects.select_related(\"customer\")";
    l.expected_queries = "21 -> 2";
    l.scope_kind = "request";
    l.tags = {{"controller", "orders"}, {"action", "index"}};
    l.first_seen = 1000;
    l.last_seen = 2000;
    return l;
}

}  // namespace

TEST(NPlusOne, OneFindingPerLoopWithTheDetectorsFix) {
    RuleRun r;
    LoopEvidence n = loop("n_plus_one", "SELECT * FROM customers WHERE id = $1", 120);
    n.parent_queryid = 7301;  // ids that show if they end up in the identity
    n.child_queryid = 4096;
    r.work.loops.push_back(n);
    r.work.loops.push_back(loop("bulk_write_loop", "INSERT INTO t VALUES ($1)", 5000));
    auto fs = r.run("n_plus_one");
    ASSERT_EQ(fs.size(), 1u);
    const auto &f = fs[0];
    EXPECT_EQ(f.object, "public.customers");
    EXPECT_EQ(f.object_type, "table");
    EXPECT_EQ(f.severity, Severity::Medium);
    EXPECT_EQ(f.fix_sql, "SELECT * FROM customers WHERE id = ANY($1)");
    EXPECT_EQ(f.orm_fix, "Order.objects.select_related(\"customer\")");
    EXPECT_EQ(f.query, "SELECT * FROM customers WHERE id = $1");
    EXPECT_EQ(f.queryids, (std::vector<uint64_t>{4096, 7301}));
    EXPECT_EQ(f.impact, 120);
    EXPECT_EQ(f.impact_unit, "ms");
    EXPECT_NE(f.verify.find("21 -> 2"), std::string::npos);
    EXPECT_EQ(f.tags.size(), 2u);
    EXPECT_EQ(f.first_seen, 1000);
    // The identity is made of texts, kind and tags, never query ids.
    EXPECT_EQ(f.identity,
              "n_plus_one\nSELECT * FROM orders WHERE created_at > $1\n"
              "SELECT * FROM customers WHERE id = $1\naction=index, controller=orders");
}

TEST(NPlusOne, SameLoopUnderAnotherQueryIdMergesAndRaisesWithTime) {
    RuleRun r;
    LoopEvidence a = loop("n_plus_one", "SELECT * FROM customers WHERE id = $1", 600);
    LoopEvidence b = a;
    b.child_queryid = 99;  // e.g. after a restore
    b.child_query = "SELECT *  FROM customers\n WHERE id = $1";
    r.work.loops = {a, b};
    auto fs = r.run("n_plus_one");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].evidence.get("executions"), "120");
    EXPECT_EQ(fs[0].severity, Severity::High);  // 1,200 ms >= 1,000
    r.settings.set("n_plus_one_high_total_ms", 1201);
    EXPECT_EQ(r.run("n_plus_one")[0].severity, Severity::Medium);
    LoopEvidence c = a;
    c.tags = {{"controller", "reports"}};  // another place in the application
    r.work.loops.push_back(c);
    EXPECT_EQ(r.run("n_plus_one").size(), 2u);
}

TEST(LoopRules, WriteLoopsDuplicatesAndNoWorkload) {
    RuleRun r;
    LoopEvidence w = loop("bulk_write_loop", "INSERT INTO events (a) VALUES ($1)", 10);
    w.child_relation.clear();
    r.work.loops = {w, loop("duplicate_query", "SELECT * FROM settings WHERE k = $1", 2000)};
    auto fs = r.run("bulk_write_loop");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].object_type, "statement");
    EXPECT_EQ(fs[0].object, "INSERT INTO events (a) VALUES ($1)");
    fs = r.run("duplicate_query");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::Medium);  // low, raised by time
    r.work.available = false;
    r.work.unavailable_reason = "pg_advisor is not in shared_preload_libraries";
    EXPECT_TRUE(r.run("n_plus_one").empty());
    EXPECT_TRUE(r.skipped);
    EXPECT_EQ(r.skip_reason, "pg_advisor is not in shared_preload_libraries");
}

// ---- statements

TEST(SlowStatement, CallsAndMeanTime) {
    RuleRun r;
    r.work.statements = {statement(1, "SELECT * FROM a WHERE x = $1", 100, 20),
                         statement(2, "SELECT * FROM b WHERE x = $1", 99, 500),
                         statement(3, "SELECT * FROM c WHERE x = $1", 1000, 19.9),
                         statement(4, "SELECT * FROM d WHERE x = $1", 100, 1000)};
    r.work.statements[3].toplevel = true;
    pg_advisor::workload::IndexAdviceEvidence advice;
    advice.queryids = {4};
    advice.ddl = "CREATE INDEX CONCURRENTLY d_x_idx ON public.d (x);";
    r.work.index_advice.push_back(advice);
    auto fs = r.run("slow_statement");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"SELECT * FROM a WHERE x = $1 medium",
                                                       "SELECT * FROM d WHERE x = $1 high"}));
    EXPECT_EQ(fs[1].fix_sql, "CREATE INDEX CONCURRENTLY d_x_idx ON public.d (x);");
    EXPECT_EQ(fs[0].queryids, std::vector<uint64_t>{1});
    r.work.statements[0].toplevel = false;  // nested statements are counted in their caller
    EXPECT_EQ(r.run("slow_statement").size(), 1u);
}

TEST(WorkloadOutlier, ShareOfTotalTime) {
    RuleRun r;
    r.work.statements = {statement(1, "SELECT a FROM t1", 100, 330),   // 33,000 ms
                         statement(2, "SELECT b FROM t2", 100, 670)};  // 67,000 ms
    auto fs = r.run("workload_outlier");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"SELECT a FROM t1 medium", "SELECT b FROM t2 high"}));
    r.settings.set("workload_outlier_min_total_ms", 40000);
    EXPECT_EQ(r.run("workload_outlier").size(), 1u);
}

TEST(LargeOffsetPagination, OrderedStatementsWithALargeConstantOffset) {
    RuleRun r;
    auto paged = statement(
        1, "SELECT id FROM t ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2", 50, 5);
    paged.has_offset = true;
    paged.offset = 1000;
    auto unordered = statement(2, "SELECT id FROM t LIMIT $1 OFFSET $2", 50, 5);
    unordered.has_offset = true;
    unordered.offset = 50000;
    auto small = statement(3, "SELECT id FROM u ORDER BY id LIMIT $1 OFFSET $2", 50, 5);
    small.has_offset = true;
    small.offset = 999;
    auto unknown = statement(4, "SELECT id FROM v ORDER BY id LIMIT $1 OFFSET $2", 50, 5);
    unknown.has_offset = true;  // a parameter: the value is not known
    r.work.statements = {paged, unordered, small, unknown};
    auto fs = r.run("large_offset_pagination");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::Medium);
    EXPECT_EQ(fs[0].fix_sql,
              "-- keyset pagination: remember the last row of a page and continue after it\n"
              "-- ... WHERE (created_at, id) < ($last_1, $last_2) ORDER BY created_at DESC, id "
              "DESC LIMIT <page size>");
    r.work.statements[0].offset = 100000;
    EXPECT_EQ(r.run("large_offset_pagination")[0].severity, Severity::High);
}

TEST(SelectStarWide, WideTablesWithEnoughCalls) {
    RuleRun r;
    auto &wide = r.table(1, "public", "wide");
    for (int16_t i = 1; i <= 20; i++)
        wide.columns.push_back(column(i, "c" + std::to_string(i)));
    auto &blob = r.table(2, "public", "docs");
    blob.columns = {column(1, "id", "N", 8), column(2, "body", "S", 4000)};
    auto &narrow = r.table(3, "public", "narrow");
    narrow.columns = {column(1, "id", "N"), column(2, "name")};
    auto star_wide = statement(1, "SELECT * FROM wide WHERE id = $1", 1000, 1);
    auto star_docs = statement(2, "SELECT d.* FROM public.docs d WHERE id = $1", 1000, 1);
    pg_advisor::workload::ScanEvidence scan;
    scan.relid = 2;
    star_docs.scans.push_back(scan);
    auto star_narrow = statement(3, "SELECT * FROM narrow", 5000, 1);
    auto rare = statement(4, "SELECT * FROM wide", 999, 1);
    auto named = statement(5, "SELECT c1 FROM wide", 5000, 1);
    r.work.statements = {star_wide, star_docs, star_narrow, rare, named};
    auto fs = r.run("select_star_wide");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"SELECT * FROM wide WHERE id = $1 low",
                                        "SELECT d.* FROM public.docs d WHERE id = $1 medium"}));
    EXPECT_EQ(fs[0].evidence.get("columns"), "20");
    EXPECT_EQ(fs[1].evidence.get("avg_row_bytes"), "4008");
}

TEST(CountForExistence, OneRowPerCallScanningMany) {
    RuleRun r;
    auto c = statement(1, "SELECT count(*) FROM orders WHERE customer_id = $1", 1000, 2);
    pg_advisor::workload::ScanEvidence scan;
    scan.est_rows = 1000;
    c.scans.push_back(scan);
    auto grouped = statement(2, "SELECT count(*) FROM orders GROUP BY status", 1000, 2);
    grouped.scans.push_back(scan);
    auto rare = statement(3, "SELECT count(*) FROM items WHERE x = $1", 999, 2);
    rare.scans.push_back(scan);
    auto tiny = statement(4, "SELECT count(*) FROM tags WHERE x = $1", 5000, 2);
    scan.est_rows = 999;
    tiny.scans.push_back(scan);
    r.work.statements = {c, grouped, rare, tiny};
    auto fs = r.run("count_for_existence");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].severity, Severity::Low);
    EXPECT_EQ(fs[0].fix_sql, "SELECT EXISTS (SELECT 1 FROM orders WHERE customer_id = $1)");
    r.work.statements[0].scans[0].rows_scanned = 100000;  // measured beats the estimate
    EXPECT_EQ(r.run("count_for_existence")[0].severity, Severity::Medium);
}

TEST(UnparameterizedOrShapeExplosion, VariantsAndLiteralShare) {
    RuleRun r;
    std::string list = "$1";
    for (int i = 1; i <= 10; i++) {
        if (i > 1) list += ", $" + std::to_string(i);
        r.work.statements.push_back(statement(static_cast<uint64_t>(i),
                                              "SELECT * FROM t WHERE id IN (" + list + ")", 10, 1));
    }
    auto lit = statement(50, "SELECT * FROM u WHERE name = $1", 1000, 1);
    lit.literal_calls = 500;
    auto bound = statement(51, "SELECT * FROM v WHERE name = $1", 1000, 1);
    bound.literal_calls = 499;
    r.work.statements.push_back(lit);
    r.work.statements.push_back(bound);
    auto fs = r.run("unparameterized_or_shape_explosion");
    ASSERT_EQ(fs.size(), 2u);
    EXPECT_EQ(fs[0].evidence.get("variants"), "10");
    EXPECT_EQ(fs[0].queryids.size(), 10u);
    EXPECT_EQ(fs[1].object, "SELECT * FROM u WHERE name = $1");
    EXPECT_EQ(fs[1].evidence.get("literal_pct"), "50");
    EXPECT_NE(fs[0].identity, fs[1].identity);
    r.settings.set("unparameterized_or_shape_explosion_min_variants", 11);
    EXPECT_EQ(r.run("unparameterized_or_shape_explosion").size(), 1u);
}

// ---- QRY-11 unbounded_result

TEST(UnboundedResult, LargeResultsWithoutLimit) {
    RuleRun r;
    auto all = statement(1, "SELECT * FROM events WHERE kind = $1", 100, 50);
    all.rows = 100 * 10000.0;
    auto paged = statement(2, "SELECT * FROM events ORDER BY id LIMIT $1", 100, 50);
    paged.rows = 100 * 50000.0;
    auto rare = statement(3, "SELECT * FROM logs", 99, 50);
    rare.rows = 99 * 50000.0;
    auto huge = statement(4, "SELECT * FROM audit", 100, 50);
    huge.rows = 100 * 100000.0;
    r.work.statements = {all, paged, rare, huge};
    auto fs = r.run("unbounded_result");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"SELECT * FROM events WHERE kind = $1 low",
                                                       "SELECT * FROM audit medium"}));
    EXPECT_EQ(fs[0].evidence.get("rows_per_call"), "10000");
}

// ---- QRY-13 per_row_function_in_rls

TEST(PerRowFunctionInRls, WrapsStableCallsInASubSelect) {
    RuleRun r;
    pg_advisor::catalog::Function uid;
    uid.schema = "auth";
    uid.name = "uid";
    uid.volatility = 's';
    r.snap.functions.push_back(uid);
    pg_advisor::catalog::Function pure = uid;
    pure.name = "tenant_of";
    pure.volatility = 'i';  // IMMUTABLE: folded, not a per-row call
    r.snap.functions.push_back(pure);
    r.table(1, "public", "docs").reltuples = 50000;
    r.policy(1, "own", {"web"}, "(owner = auth.uid())");
    r.policy(1, "tenant", {"web"}, "(tenant_id = (current_setting('app.tenant'::text))::integer)")
        .check_expr = "(tenant_id = (current_setting('app.tenant'::text))::integer)";
    r.policy(1, "wrapped", {"web"}, "(owner = ( SELECT auth.uid() AS uid))");
    r.policy(1, "pure", {"web"}, "(tenant_id = tenant_of(owner))");
    r.table(2, "public", "small").reltuples = 10;
    r.policy(2, "own", {"web"}, "(owner = auth.uid())");
    auto fs = r.run("per_row_function_in_rls");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"own ON public.docs medium", "tenant ON public.docs medium",
                                        "own ON public.small low"}));
    EXPECT_EQ(fs[0].fix_sql,
              "ALTER POLICY own ON public.docs USING ((owner = (SELECT auth.uid())));");
    EXPECT_EQ(fs[0].undo_sql, "ALTER POLICY own ON public.docs USING ((owner = auth.uid()));");
    EXPECT_EQ(fs[1].fix_sql,
              "ALTER POLICY tenant ON public.docs USING ((tenant_id = ((SELECT "
              "current_setting('app.tenant'::text)))::integer)) WITH CHECK ((tenant_id = ((SELECT "
              "current_setting('app.tenant'::text)))::integer));");
    EXPECT_EQ(fs[0].evidence.get("calls"), "[\"auth.uid()\"]");
}
