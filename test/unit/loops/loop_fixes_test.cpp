#include "core/loops/loop_fixes.h"

#include <gtest/gtest.h>

#include <string>

#include "core/loops/loop_finding.h"
#include "core/sql/query_tags.h"
#include "core/workload/scan_shape.h"

using namespace pg_advisor;

namespace {

std::string any_rewrite(std::string_view sql, std::string_view column) {
    FixedText<1024> out;
    if (!rewrite_equality_to_any(sql, column, out)) return "<none>";
    return std::string(out.view());
}

LoopFixInput n_plus_one(std::string_view child, std::string_view column) {
    LoopFixInput in;
    in.kind = LoopKind::NPlusOne;
    in.command = static_cast<uint8_t>(CommandKind::Select);
    in.child_text = child;
    in.child_table = "order_items";
    in.child_table_sql = "order_items";
    in.key_column = column;
    in.key_column_sql = column;
    in.typical_repeats = 20;
    return in;
}

std::string suggested(const LoopFixInput &in) {
    FixedText<2048> out;
    write_suggested_sql(in, out);
    return std::string(out.view());
}

std::string orm(const LoopFixInput &in) {
    FixedText<1024> out;
    write_orm_fix(in, out);
    return std::string(out.view());
}

}  // namespace

TEST(RewriteEqualityToAny, ColumnSpellings) {
    EXPECT_EQ(any_rewrite("SELECT sku FROM order_items WHERE order_id = $1", "order_id"),
              "SELECT sku FROM order_items WHERE order_id = ANY($1)");
    EXPECT_EQ(
        any_rewrite(
            "SELECT \"i\".\"sku\" FROM \"shop_item\" \"i\" WHERE \"i\".\"order_id\" = $3 LIMIT $4",
            "order_id"),
        "SELECT \"i\".\"sku\" FROM \"shop_item\" \"i\" WHERE \"i\".\"order_id\" = ANY($3) LIMIT "
        "$4");
    EXPECT_EQ(any_rewrite("SELECT * FROM t WHERE ORDER_ID=$1", "order_id"),
              "SELECT * FROM t WHERE ORDER_ID= ANY($1)");
    EXPECT_EQ(any_rewrite("SELECT * FROM t WHERE t.order_id = $1::integer AND x = $2", "order_id"),
              "SELECT * FROM t WHERE t.order_id = ANY($1::integer[]) AND x = $2");
}

TEST(RewriteEqualityToAny, RefusesWhatItCannotRewriteSafely) {
    EXPECT_EQ(any_rewrite("SELECT * FROM t WHERE order_id >= $1", "order_id"), "<none>");
    EXPECT_EQ(any_rewrite("SELECT * FROM t WHERE order_id = 5", "order_id"), "<none>");
    EXPECT_EQ(
        any_rewrite("SELECT * FROM t WHERE a = $1 OR order_id = $1 OR order_id = $2", "order_id"),
        "<none>");
    EXPECT_EQ(any_rewrite("SELECT * FROM t WHERE \"Order_Id\" = $1", "order_id"), "<none>");
    EXPECT_EQ(any_rewrite("SELECT 'order_id = $1' FROM t", "order_id"), "<none>");
}

TEST(SuggestedSql, NPlusOneAddsTheKeyToTheSelectList) {
    EXPECT_EQ(suggested(n_plus_one("SELECT sku, quantity FROM order_items WHERE order_id = $1",
                                   "order_id")),
              "SELECT order_id, sku, quantity FROM order_items WHERE order_id = ANY($1)\n"
              "-- one query for all parent rows: $1 is the array of their order_id values");
    EXPECT_EQ(suggested(n_plus_one("SELECT * FROM order_items WHERE order_id = $1", "order_id")),
              "SELECT * FROM order_items WHERE order_id = ANY($1)\n"
              "-- one query for all parent rows: $1 is the array of their order_id values");
}

TEST(SuggestedSql, AggregatePerParentGroupsByTheKey) {
    LoopFixInput in =
        n_plus_one("SELECT count(*) FROM order_items WHERE order_id = $1", "order_id");
    in.aggregate = true;
    EXPECT_EQ(
        suggested(in),
        "SELECT order_id, count(*) FROM order_items WHERE order_id = ANY($1) GROUP BY order_id\n"
        "-- one query for all parent rows: $1 is the array of their order_id values");
}

TEST(SuggestedSql, FallsBackToAQuotedTemplate) {
    LoopFixInput in = n_plus_one("SELECT x FROM items WHERE lower(code) = $1", "order_id");
    in.child_table_sql = "\"Order Items\"";
    in.key_column_sql = "\"Order\"";
    EXPECT_EQ(suggested(in),
              "SELECT * FROM \"Order Items\" WHERE \"Order\" = ANY($1)\n"
              "-- one query for all parent rows: $1 is the array of their \"Order\" values");
}

TEST(SuggestedSql, WriteLoops) {
    LoopFixInput ins;
    ins.kind = LoopKind::WriteLoop;
    ins.command = static_cast<uint8_t>(CommandKind::Insert);
    ins.child_text = "INSERT INTO order_items (order_id, sku, quantity) VALUES ($1, $2, $3)";
    ins.child_table_sql = "order_items";
    ins.typical_repeats = 15;
    EXPECT_EQ(suggested(ins),
              "INSERT INTO order_items (order_id, sku, quantity) VALUES ($1, $2, $3), ($4, $5, "
              "$6), ($7, $8, $9)\n"
              "-- one statement for all rows: one tuple per row (15 rows per loop here); for "
              "thousands of "
              "rows use COPY order_items FROM STDIN");

    LoopFixInput upd = ins;
    upd.command = static_cast<uint8_t>(CommandKind::Update);
    upd.child_text = "UPDATE accounts SET balance = $1, updated_at = $2 WHERE id = $3";
    upd.child_table_sql = "accounts";
    upd.key_column = "id";
    upd.key_column_sql = "id";
    EXPECT_EQ(suggested(upd),
              "UPDATE accounts AS t SET balance = v.balance, updated_at = v.updated_at FROM "
              "(VALUES ($1, $2, $3), "
              "($4, $5, $6), ...) AS v(id, balance, updated_at) WHERE t.id = v.id\n"
              "-- one statement for all rows: one (key, values) tuple per row");

    LoopFixInput del = upd;
    del.command = static_cast<uint8_t>(CommandKind::Delete);
    del.child_text = "DELETE FROM sessions WHERE id = $1";
    EXPECT_EQ(suggested(del),
              "DELETE FROM sessions WHERE id = ANY($1)\n"
              "-- one statement for all rows: $1 is the array of keys");
}

TEST(OrmFix, SpellsTheFixOfEachFramework) {
    LoopFixInput one_to_many =
        n_plus_one("SELECT * FROM order_items WHERE order_id = $1", "order_id");
    LoopFixInput many_to_one = n_plus_one("SELECT * FROM customers WHERE id = $1", "id");
    many_to_one.child_table = "customers";
    many_to_one.key_is_unique = true;
    many_to_one.parent_fk_column = "customer_id";

    one_to_many.framework = "django";
    many_to_one.framework = "django";
    EXPECT_EQ(orm(one_to_many),
              "Django: add .prefetch_related(\"order_items\") (the related name of "
              "order_items.order_id) to the queryset that loads the parent rows");
    EXPECT_EQ(
        orm(many_to_one),
        "Django: add .select_related(\"customer\") to the queryset that loads the parent rows");
    for (auto [fw, expected] : std::initializer_list<std::pair<const char *, const char *>>{
             {"sqlalchemy", "SQLAlchemy: .options(selectinload(Parent.order_items))"},
             {"sqlmodel", "SQLModel: .options(selectinload(Parent.order_items))"},
             {"rails", "Rails: .includes(:order_items)"},
             {"prisma", "Prisma: include: { order_items: true }"},
             {"sequelize", "Sequelize: include: [{ association: 'order_items' }]"},
             {"peewee", "Peewee: prefetch(parents_query, ChildModel.select())"},
             {"objection", "Objection: .withGraphFetched('order_items')"}}) {
        one_to_many.framework = fw;
        EXPECT_EQ(orm(one_to_many).rfind(expected, 0), 0u) << fw << ": " << orm(one_to_many);
    }
    many_to_one.framework = "sqlalchemy";
    EXPECT_EQ(orm(many_to_one).rfind("SQLAlchemy: .options(joinedload(Parent.customer))", 0), 0u);
    one_to_many.framework = "";
    EXPECT_EQ(orm(one_to_many).rfind("Load the related rows together with the parents", 0), 0u);

    LoopFixInput ins;
    ins.kind = LoopKind::WriteLoop;
    ins.command = static_cast<uint8_t>(CommandKind::Insert);
    for (auto [fw, expected] : std::initializer_list<std::pair<const char *, const char *>>{
             {"django", "Django: Model.objects.bulk_create(objs)"},
             {"rails", "Rails: Model.insert_all(rows)"},
             {"prisma", "Prisma: createMany({ data: rows })"},
             {"sequelize", "Sequelize: Model.bulkCreate(rows)"},
             {"peewee", "Peewee: Model.insert_many(rows).execute()"}}) {
        ins.framework = fw;
        EXPECT_EQ(orm(ins), expected);
    }
}

TEST(ExpectedQueries, CountsBeforeAndAfter) {
    LoopFixInput in = n_plus_one("SELECT 1", "x");
    FixedText<32> out;
    write_expected_queries(in, out);
    EXPECT_EQ(out.view(), "21 -> 2");
    in.kind = LoopKind::WriteLoop;
    FixedText<32> out2;
    write_expected_queries(in, out2);
    EXPECT_EQ(out2.view(), "20 -> 1");
}

TEST(LoopReason, SaysWhy) {
    LoopReasonInput r;
    r.kind = LoopKind::NPlusOne;
    r.command = static_cast<uint8_t>(CommandKind::Select);
    r.scope_kind = ScopeKind::Request;
    r.parent_choice = ParentChoice::MultiRow;
    r.child_table = "order_items";
    r.example_scope = "controller=orders action=index";
    r.occurrences = 3;
    r.executions = 60;
    r.max_repeats = 20;
    r.max_distinct = 20;
    r.max_parent_rows = 20;
    FixedText<1024> out;
    write_loop_reason(r, out);
    EXPECT_EQ(out.view(),
              "SELECT on order_items ran up to 20 times in one request (controller=orders "
              "action=index) with up "
              "to 20 distinct parameter sets, after a parent query returned 20 rows: one query per "
              "parent row. "
              "Seen in 3 requests, 60 executions in total (threshold: 5 repeats).");
}

TEST(FindingTexts, RoundTripAndCorruption) {
    char buf[256];
    FindingTexts t{"SELECT 1", "SELECT 2 WHERE a = $1", std::string_view("a\0b\0", 4)};
    size_t n = encode_finding_texts(t, buf, sizeof buf);
    ASSERT_EQ(n, finding_texts_size(t));
    FindingTexts back;
    ASSERT_TRUE(decode_finding_texts(std::string_view(buf, n), back));
    EXPECT_EQ(back.parent, t.parent);
    EXPECT_EQ(back.child, t.child);
    EXPECT_EQ(back.tags, t.tags);
    EXPECT_FALSE(decode_finding_texts(std::string_view(buf, n - 1), back));
    EXPECT_FALSE(decode_finding_texts(std::string_view(buf, 3), back));
    EXPECT_EQ(encode_finding_texts(t, buf, 10), 0u);
}

TEST(ApplicationTags, KeepOnlyWhereTheLoopLives) {
    QueryTags tags;
    parse_tag_comment(
        "controller='orders',action='index',framework='django%3A4.2',"
        "traceparent='00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',"
        "request_id='abc'",
        tags);
    char all[512], app[512];
    size_t n = serialize_tags(tags, all, sizeof all);
    size_t m = application_tags(std::string_view(all, n), app, sizeof app);
    static const char expected[] = "controller\0orders\0action\0index\0framework\0django:4.2\0";
    EXPECT_EQ(std::string(app, m), std::string(expected, sizeof expected - 1));
}

TEST(FindingEntry, AccumulatesVerdicts) {
    std::vector<uint64_t> mem(FindingStore::required_size(16, 4096) / 8 + 1);
    FindingStore store = FindingStore::format(mem.data(), 16, 4096);
    LoopVerdict v{};
    v.kind = LoopKind::NPlusOne;
    v.first = true;
    v.repeats = 5;
    v.distinct_params = 5;
    v.executions = 5;
    v.child_ns = 5000;
    v.parent_rows = 20;
    v.child_relid = 77;
    v.scope_kind = ScopeKind::Request;
    FindingKey key = make_finding_key(LoopKind::NPlusOne, 1, 2, 10, 20, 30);
    FindingEntry *e = insert_finding(store, key, "texts", v, 100);
    ASSERT_NE(e, nullptr);
    record_verdict(*e, v, 100, "request controller=orders");
    LoopVerdict more = v;
    more.first = false;
    more.executions = 1;
    more.child_ns = 1000;
    for (uint32_t i = 6; i <= 20; i++) {
        more.repeats = i;
        more.distinct_params = i;
        record_verdict(*e, more, 200 + i, "ignored");
    }
    record_verdict(*e, v, 300, "request controller=orders second");
    FindingEntry snap;
    e->snapshot_to(snap);
    EXPECT_EQ(snap.occurrences, 2u);
    EXPECT_EQ(snap.executions, 25u);
    EXPECT_EQ(snap.max_repeats, 20u);
    EXPECT_EQ(snap.max_distinct, 20u);
    EXPECT_EQ(snap.child_total_ns, 5000u * 2 + 15u * 1000u);
    EXPECT_EQ(snap.max_parent_rows, 20u);
    EXPECT_EQ(snap.first_seen, 100);
    EXPECT_EQ(snap.last_seen, 300);
    EXPECT_EQ(snap.child_relid, 77u);
    EXPECT_EQ(snap.example_scope(), "request controller=orders second");
    EXPECT_EQ(store.find(key), e);
}
