#include "core/indexes/index_candidates.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

// orders(id bigint PK, customer_id bigint, status text, created_at timestamptz, total numeric,
//        payload jsonb, is_paid boolean, email text, deleted_at timestamptz, region text)
TableInfo orders(double rows = 100000) {
    TableInfo t;
    t.relid = 16400;
    t.name = "orders";
    t.name_sql = "public.orders";
    t.reltuples = rows;
    t.relpages = rows / 80;
    auto col = [&](int16_t attnum, const char *name, double n_distinct) {
        ColumnInfo c;
        c.attnum = attnum;
        c.name = name;
        c.name_sql = name;
        c.n_distinct = n_distinct;
        c.avg_width = 8;
        t.columns.push_back(c);
        return &t.columns.back();
    };
    col(1, "id", -1);
    col(2, "customer_id", 5000);
    ColumnInfo *status = col(3, "status", 4);
    status->type_category = 'S';
    status->mcv_values = {"shipped", "delivered", "pending", "cancelled"};
    status->mcv_freqs = {0.6, 0.3, 0.05, 0.05};
    col(4, "created_at", -0.9);
    col(5, "total", -0.5);
    ColumnInfo *payload = col(6, "payload", -1);
    payload->btree = false;
    payload->type_name = "jsonb";
    payload->avg_width = 200;
    ColumnInfo *paid = col(7, "is_paid", 2);
    paid->is_bool = true;
    paid->type_category = 'B';
    paid->avg_width = 1;
    paid->mcv_values = {"t", "f"};
    paid->mcv_freqs = {0.9, 0.1};
    ColumnInfo *email = col(8, "email", -1);
    email->pattern_opclass = "text_pattern_ops";
    email->avg_width = 20;
    ColumnInfo *deleted = col(9, "deleted_at", 10);
    deleted->null_frac = 0.98;
    col(10, "Region", 20)->name_sql = "\"Region\"";
    t.primary_key = {1};
    ExistingIndex pk;
    pk.oid = 16401;
    pk.name = "orders_pkey";
    pk.keys = {1};
    pk.exprs = {""};
    pk.desc = {false};
    t.indexes.push_back(pk);
    return t;
}

// A qual whose constant (if any) is a setting of the statement (recurring), unless told.
ScanUse::Q qual(int16_t attnum, QualKind kind, QualSource source, std::string value = "",
                bool recurring = true) {
    return ScanUse::Q{attnum, kind, source, "", std::move(value), 1, recurring};
}

ScanUse use(std::vector<ScanUse::Q> quals, uint64_t queryid = 7) {
    ScanUse u;
    u.queryid = queryid;
    u.calls = 10;
    u.quals = std::move(quals);
    return u;
}

// "rule: key, key | include | predicate" per candidate, for compact exact assertions.
std::vector<std::string> describe(const TableInfo &t, const std::vector<Candidate> &cs) {
    std::vector<std::string> out;
    for (const Candidate &c : cs) {
        std::string s = std::string(candidate_rule_name(c.rule)) + ": ";
        std::vector<std::string> keys = key_column_names(t, c);
        for (size_t i = 0; i < keys.size(); i++)
            s += (i ? ", " : "") + keys[i];
        std::vector<std::string> inc = include_column_names(t, c);
        if (!inc.empty()) {
            s += " | include";
            for (const std::string &x : inc)
                s += " " + x;
        }
        if (!c.predicate.empty()) s += " | where " + c.predicate;
        out.push_back(s);
    }
    return out;
}

std::vector<std::string> generate(const TableInfo &t, std::vector<ScanUse> uses) {
    return describe(t, generate_candidates(t, uses, CandidateLimits()).candidates);
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(IndexCandidates, EqualityOnParameter) {
    TableInfo t = orders();
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id"}));
}

TEST(IndexCandidates, EqualityColumnsMostSelectiveFirst) {
    TableInfo t = orders();
    EXPECT_EQ(generate(t, {use({qual(10, QualKind::Equality, QualSource::Param),
                                qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id", "equality: customer_id, \"Region\""}));
}

TEST(IndexCandidates, EqualityThenOneRangeColumnPlusTheNarrowerAlternative) {
    TableInfo t = orders();
    EXPECT_EQ(generate(t, {use({qual(4, QualKind::Range, QualSource::Param),
                                qual(2, QualKind::Equality, QualSource::Param),
                                qual(5, QualKind::Range, QualSource::Param)})}),
              Strings({"equality: customer_id", "equality + range: customer_id, created_at"}));
}

TEST(IndexCandidates, OrderByColumnsKeepTheirDirections) {
    TableInfo t = orders();
    ScanUse u = use({qual(2, QualKind::Equality, QualSource::Param)});
    u.order = {{4, true, true}, {1, false, false}};
    u.limit = 20;
    EXPECT_EQ(generate(t, {u}), Strings({"equality: customer_id",
                                         "equality + order by: customer_id, created_at DESC, id"}));
    u.order = {{4, false, true}};  // ASC NULLS FIRST is not the default
    EXPECT_EQ(generate(t, {u}),
              Strings({"equality: customer_id",
                       "equality + order by: customer_id, created_at NULLS FIRST"}));
}

TEST(IndexCandidates, CoveringWhenFewNarrowColumnsAreRead) {
    TableInfo t = orders();
    ScanUse u = use({qual(2, QualKind::Equality, QualSource::Param)});
    u.needs_more = false;
    u.needed_columns = (1u << 1) | (1u << 4);  // customer_id, total
    EXPECT_EQ(generate(t, {u}), Strings({"equality: customer_id",
                                         "covering (INCLUDE): customer_id | include total"}));
    // A wide column (jsonb, 200 bytes) makes the covering index not worth it.
    u.needed_columns |= 1u << 5;
    EXPECT_EQ(generate(t, {u}), Strings({"equality: customer_id"}));
    // So does a statement that reads the whole row.
    u.needed_columns = (1u << 1) | (1u << 4);
    u.needs_more = true;
    EXPECT_EQ(generate(t, {u}), Strings({"equality: customer_id"}));
}

TEST(IndexCandidates, PartialIndexForARareConstant) {
    TableInfo t = orders();
    EXPECT_EQ(generate(t, {use({qual(3, QualKind::Equality, QualSource::Const, "pending"),
                                qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id", "equality: customer_id, status",
                       "partial: customer_id | where status = 'pending'"}));
    CandidateSet set = generate_candidates(
        t, {use({qual(3, QualKind::Equality, QualSource::Const, "pending")})}, CandidateLimits());
    ASSERT_EQ(set.candidates.size(), 2u);
    // Nothing left to key on: the primary key, so that the queue can be read in order.
    EXPECT_EQ(describe(t, set.candidates),
              Strings({"equality: status", "partial: id | where status = 'pending'"}));
    EXPECT_DOUBLE_EQ(set.candidates[1].predicate_fraction, 0.05);
}

TEST(IndexCandidates, PartialOnlyForAConstantThatRecurs) {
    TableInfo t = orders();
    // 'pending' seen once, or varying between executions: a value, not a setting.
    EXPECT_EQ(generate(t, {use({qual(3, QualKind::Equality, QualSource::Const, "pending", false),
                                qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id", "equality: customer_id, status"}));
}

TEST(IndexCandidates, NoPartialOnKeyColumns) {
    TableInfo t = orders();
    // account_id: an integer with four frequent values (as a tenant id of a few big tenants).
    ColumnInfo account;
    account.attnum = 11;
    account.name = account.name_sql = "account_id";
    account.type_category = 'N';
    account.n_distinct = 4;
    account.mcv_values = {"1", "2", "3", "4"};
    account.mcv_freqs = {0.4, 0.3, 0.2, 0.1};
    t.columns.push_back(account);
    ScanUse u = use({qual(11, QualKind::Equality, QualSource::Const, "3"),
                     qual(2, QualKind::Equality, QualSource::Const, "8")});
    EXPECT_EQ(generate(t, {u}),
              Strings({"equality: customer_id", "equality: customer_id, account_id"}));
    // Alone (an UPDATE ... WHERE account_id = 3): the column itself, never keyed on its own
    // predicate.
    EXPECT_EQ(generate(t, {use({qual(11, QualKind::Equality, QualSource::Const, "3")})}),
              Strings({"equality: account_id"}));
    // A text column is no setting either when it holds keys: named like one, or a foreign key.
    t.columns.back().type_category = 'S';
    EXPECT_EQ(generate(t, {u}),
              Strings({"equality: customer_id", "equality: customer_id, account_id"}));
    t.columns.back().name = "account";
    t.columns.back().foreign_key = true;
    EXPECT_EQ(generate(t, {u}),
              Strings({"equality: customer_id", "equality: customer_id, account_id"}));
    t.columns.back().foreign_key = false;
    EXPECT_EQ(generate(t, {u}),
              Strings({"equality: customer_id", "equality: customer_id, account_id",
                       "partial: customer_id | where account_id = '3'"}));
}

TEST(IndexCandidates, PartialNeverKeyedOnItsOwnPredicate) {
    TableInfo t = orders();
    t.primary_key.clear();
    // Nothing but the predicate's column to key on: no partial form.
    EXPECT_EQ(generate(t, {use({qual(3, QualKind::Equality, QualSource::Const, "pending")})}),
              Strings({"equality: status"}));
    EXPECT_TRUE(generate(t, {use({qual(9, QualKind::IsNull, QualSource::None)})}).empty());
}

TEST(IndexCandidates, OneIndexIsPlannedWithEveryStatementItCouldServe) {
    TableInfo t = orders();
    ScanUse latest = use({qual(2, QualKind::Equality, QualSource::Param)}, 1);
    latest.order = {{4, true, true}};
    ScanUse by_customer = use({qual(2, QualKind::Equality, QualSource::Param)}, 2);
    ScanUse by_status = use({qual(3, QualKind::Equality, QualSource::Param)}, 3);
    CandidateSet set = generate_candidates(t, {latest, by_customer, by_status}, CandidateLimits());
    EXPECT_EQ(describe(t, set.candidates), Strings({"equality: customer_id",
                                                    "equality + order by: customer_id, created_at "
                                                    "DESC",
                                                    "equality: status"}));
    EXPECT_EQ(set.candidates[0].queryids, (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(set.candidates[1].queryids, (std::vector<uint64_t>{1, 2}));
    EXPECT_EQ(set.candidates[2].queryids, (std::vector<uint64_t>{3}));
}

TEST(IndexCandidates, AnOrOverSeveralColumnsGetsOneIndexPerArm) {
    TableInfo t = orders();
    ScanUse::Q other{0, QualKind::Other, QualSource::Expr, "(email = $2) OR (total = $3)", "", 0};
    ScanUse::Q email_arm = qual(8, QualKind::OrArm, QualSource::Param);
    ScanUse::Q total_arm = qual(5, QualKind::OrArm, QualSource::Param);
    email_arm.nvalues = total_arm.nvalues = 1;
    ScanUse u = use({qual(2, QualKind::Equality, QualSource::Param), other, email_arm, total_arm});
    CandidateSet set = generate_candidates(t, {u}, CandidateLimits());
    EXPECT_EQ(describe(t, set.candidates),
              Strings({"equality: customer_id", "OR arm (BitmapOr): customer_id, email",
                       "OR arm (BitmapOr): customer_id, total"}));
    EXPECT_TRUE(set.candidates[0].or_arm_of.empty());
    EXPECT_EQ(set.candidates[1].or_arm_of, (std::vector<uint64_t>{7}));
    EXPECT_EQ(set.candidates[2].or_arm_of, (std::vector<uint64_t>{7}));
    // An arm on a column without a btree operator class: no set.
    ScanUse::Q payload_arm = qual(6, QualKind::OrArm, QualSource::Param);
    payload_arm.nvalues = 1;
    u.quals = {other, email_arm, payload_arm};
    EXPECT_TRUE(generate(t, {u}).empty());
}

TEST(IndexCandidates, EachJoinColumnIsAPathOfItsOwn) {
    TableInfo t = orders();
    // orders joined to its customer (customer_id) and to its region's table ("Region"): each
    // column alone is what one nested loop probes.
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::JoinParam),
                                qual(10, QualKind::Equality, QualSource::JoinParam)})}),
              Strings({"join key: customer_id", "join key: \"Region\"",
                       "join key: customer_id, \"Region\""}));
}

TEST(IndexCandidates, CommonConstantIsNotAPartialPredicate) {
    TableInfo t = orders();
    // 'shipped' is 60% of the rows: neither a key nor a predicate.
    CandidateSet set = generate_candidates(
        t, {use({qual(3, QualKind::Equality, QualSource::Const, "shipped")})}, CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason,
              "only unselective columns to index: status (shipped is in 60% of rows)");
    EXPECT_EQ(key_column_names(t, set.rejected[0].candidate), Strings({"status"}));
}

TEST(IndexCandidates, IsNullPredicate) {
    TableInfo t = orders();
    EXPECT_EQ(
        generate(t, {use({qual(9, QualKind::IsNull, QualSource::None),
                          qual(2, QualKind::Equality, QualSource::Param)})}),
        Strings({"equality: customer_id", "partial: customer_id | where deleted_at IS NULL"}));
}

TEST(IndexCandidates, BooleansUnselectiveUnlessRare) {
    TableInfo t = orders();
    CandidateSet set = generate_candidates(
        t, {use({qual(7, QualKind::Equality, QualSource::Const, "true")})}, CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason,
              "only unselective columns to index: is_paid (true is in 90% of rows)");
    set = generate_candidates(t, {use({qual(7, QualKind::Equality, QualSource::Param)})},
                              CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason, "only unselective columns to index: is_paid (a boolean)");
    // The rare value: a partial index.
    EXPECT_EQ(generate(t, {use({qual(7, QualKind::Equality, QualSource::Const, "false")})}),
              Strings({"equality: is_paid", "partial: id | where NOT is_paid"}));
}

TEST(IndexCandidates, ExpressionKey) {
    TableInfo t = orders();
    ScanUse::Q q{0, QualKind::Equality, QualSource::Param, "lower(email)", "", 1};
    EXPECT_EQ(generate(t, {use({q})}), Strings({"expression: (lower(email))"}));
}

TEST(IndexCandidates, LikePrefixUsesThePatternOperatorClass) {
    TableInfo t = orders();
    EXPECT_EQ(generate(t, {use({qual(8, QualKind::LikePrefix, QualSource::Const, "ann%")})}),
              Strings({"LIKE prefix (pattern operator class): email text_pattern_ops"}));
    t.columns[7].pattern_opclass = "";  // C collation: the default operator class will do
    EXPECT_EQ(generate(t, {use({qual(8, QualKind::LikePrefix, QualSource::Const, "ann%")})}),
              Strings({"equality + range: email"}));
}

TEST(IndexCandidates, InListAndJoinKeys) {
    TableInfo t = orders();
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::InList, QualSource::Param)})}),
              Strings({"equality: customer_id"}));
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::JoinParam)})}),
              Strings({"join key: customer_id"}));
}

TEST(IndexCandidates, NoBtreeOperatorClass) {
    TableInfo t = orders();
    CandidateSet set = generate_candidates(
        t, {use({qual(6, QualKind::Equality, QualSource::Param)})}, CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason,
              "no btree operator class: payload (jsonb has no btree operator class)");
}

TEST(IndexCandidates, SameIndexFromTwoStatementsIsOneCandidate) {
    TableInfo t = orders();
    CandidateSet set =
        generate_candidates(t,
                            {use({qual(2, QualKind::Equality, QualSource::Param)}, 1),
                             use({qual(2, QualKind::InList, QualSource::Param)}, 2)},
                            CandidateLimits());
    ASSERT_EQ(set.candidates.size(), 1u);
    EXPECT_EQ(set.candidates[0].queryids, std::vector<uint64_t>({1, 2}));
}

TEST(IndexCandidates, ExistingIndexSuppressesTheCandidate) {
    TableInfo t = orders();
    ExistingIndex e;
    e.oid = 16500;
    e.name = "orders_region_customer_idx";
    e.keys = {10, 2, 4};
    e.exprs = {"", "", ""};
    e.desc = {false, false, false};
    t.indexes.push_back(e);
    // Equality columns in any order: served. (The narrower alternative on customer_id alone
    // is not: customer_id does not lead the existing index.)
    CandidateSet set = generate_candidates(t,
                                           {use({qual(2, QualKind::Equality, QualSource::Param),
                                                 qual(10, QualKind::Equality, QualSource::Param)})},
                                           CandidateLimits());
    EXPECT_EQ(describe(t, set.candidates), Strings({"equality: customer_id"}));
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason, "already served by index orders_region_customer_idx");
    // Only customer_id: not a leading column, so not served.
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id"}));
}

TEST(IndexCandidates, ExistingIndexServesOrderForwardOrBackwardButNotMixed) {
    TableInfo t = orders();
    ExistingIndex e;
    e.oid = 16501;
    e.name = "orders_customer_created_idx";
    e.keys = {2, 4};
    e.exprs = {"", ""};
    e.desc = {false, false};
    t.indexes.push_back(e);
    ScanUse u = use({qual(2, QualKind::Equality, QualSource::Param)});
    u.order = {{4, true, true}};  // DESC: a backward scan of the existing index
    CandidateSet set = generate_candidates(t, {u}, CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    EXPECT_EQ(set.rejected.size(), 2u);
    // Mixed directions (created_at DESC, id ASC) are not served by (customer_id, created_at).
    u.order = {{4, true, true}, {1, false, false}};
    EXPECT_EQ(generate(t, {u}), Strings({"equality + order by: customer_id, created_at DESC, id"}));
}

TEST(IndexCandidates, InvalidOrPartialExistingIndexesDoNotServe) {
    TableInfo t = orders();
    ExistingIndex e;
    e.oid = 16502;
    e.name = "orders_customer_idx";
    e.keys = {2};
    e.exprs = {""};
    e.desc = {false};
    e.valid = false;  // a failed CREATE INDEX CONCURRENTLY
    t.indexes.push_back(e);
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id"}));
    t.indexes.back().valid = true;
    t.indexes.back().partial = true;
    t.indexes.back().predicate = "deleted_at IS NULL";
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::Param)})}),
              Strings({"equality: customer_id"}));
}

TEST(IndexCandidates, SmallTablesAreRejectedWithTheReason) {
    TableInfo t = orders(500);
    CandidateSet set = generate_candidates(
        t, {use({qual(2, QualKind::Equality, QualSource::Param)})}, CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason,
              "small table (500 rows, below pg_advisor.min_table_rows = 1000): a sequential scan "
              "is as cheap");
}

TEST(IndexCandidates, CatalogsAndTemporaryTablesAreSkipped) {
    TableInfo t = orders();
    t.catalog = true;
    CandidateSet set = generate_candidates(
        t, {use({qual(2, QualKind::Equality, QualSource::Param)})}, CandidateLimits());
    EXPECT_TRUE(set.candidates.empty());
    EXPECT_EQ(set.table_skipped, "system catalog");
    t.catalog = false;
    t.temporary = true;
    set = generate_candidates(t, {use({qual(2, QualKind::Equality, QualSource::Param)})},
                              CandidateLimits());
    EXPECT_EQ(set.table_skipped, "temporary table");
    t.temporary = false;
    t.relkind = 'v';
    set = generate_candidates(t, {use({qual(2, QualKind::Equality, QualSource::Param)})},
                              CandidateLimits());
    EXPECT_EQ(set.table_skipped, "not a table or materialized view");
}

TEST(IndexCandidates, ColumnComparedWithItsOwnRowIsNoKey) {
    TableInfo t = orders();
    EXPECT_TRUE(generate(t, {use({qual(4, QualKind::Range, QualSource::Column)})}).empty());
}

TEST(IndexCandidates, DdlQuotesAndSkipsConcurrentlyOnPartitionedTables) {
    TableInfo t = orders();
    Candidate c;
    c.relid = t.relid;
    c.keys = {IndexKey{10, "", false, false, ""}, IndexKey{4, "", true, true, ""}};
    c.include = {5};
    c.predicate = "status = 'pending'";
    EXPECT_EQ(candidate_ddl(t, c),
              "CREATE INDEX CONCURRENTLY ON public.orders USING btree (\"Region\", created_at "
              "DESC) INCLUDE (total) WHERE status = 'pending'");
    t.relkind = 'p';
    EXPECT_EQ(candidate_ddl(t, c),
              "CREATE INDEX ON public.orders USING btree (\"Region\", created_at DESC) INCLUDE "
              "(total) WHERE status = 'pending'");
}

TEST(IndexCandidates, SignatureAndExtends) {
    Candidate narrow, wide, other;
    narrow.relid = wide.relid = other.relid = 1;
    narrow.keys = {IndexKey{2, "", false, false, ""}};
    wide.keys = {IndexKey{2, "", false, false, ""}, IndexKey{4, "", false, false, ""}};
    other.keys = {IndexKey{4, "", false, false, ""}, IndexKey{2, "", false, false, ""}};
    EXPECT_TRUE(wide.extends(narrow));
    EXPECT_FALSE(narrow.extends(wide));
    EXPECT_FALSE(other.extends(narrow));
    EXPECT_EQ(narrow.signature(), "1:2,||");
    EXPECT_EQ(wide.signature(), "1:2,4,||");
    Candidate partial = narrow;
    partial.predicate = "x IS NULL";
    EXPECT_FALSE(partial.same_index(narrow));
    EXPECT_FALSE(wide.extends(partial));
}

TEST(IndexCandidates, SizeEstimateFromStatistics) {
    TableInfo t = orders();
    Candidate c;
    c.relid = t.relid;
    c.keys = {IndexKey{1, "", false, false, ""}};  // id: unique
    EXPECT_DOUBLE_EQ(index_data_width(t, c), 8.0);
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 100000.0);
    // 100000 entries of 20 bytes at 90% of 8152 usable bytes: 273 leaves, a root, the metapage.
    BtreeSize size = estimate_index_size(t, c);
    EXPECT_DOUBLE_EQ(size.entry_bytes, 20.0);
    EXPECT_DOUBLE_EQ(size.pages, 275.0);
    EXPECT_EQ(size.height, 1);
    EXPECT_DOUBLE_EQ(estimate_index_bytes(t, c), 275.0 * 8192);
    c.predicate = "status = 'pending'";
    c.predicate_fraction = 0.05;
    EXPECT_DOUBLE_EQ(estimate_index_size(t, c).pages, 16.0);  // 14 leaves, root, metapage
    // customer_id: 5000 distinct values, deduplicated: 5000 posting-list tuples of 20 heap
    // pointers, MAXALIGN(16 + 20 x 6) + 4 = 140 bytes each: 96 leaves, a root, the metapage.
    c.predicate.clear();
    c.predicate_fraction = 1;
    c.keys = {IndexKey{2, "", false, false, ""}};
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 5000.0);
    EXPECT_DOUBLE_EQ(estimate_index_size(t, c).pages, 98.0);
    c.include = {5};  // INCLUDE disables deduplication
    EXPECT_DOUBLE_EQ(index_distinct_keys(t, c), 0.0);
    c.include.clear();
    // HypoPG's model for the same index: (8 + 8 + 8) x 1.3 x 100000 / 8152, truncated.
    c.predicate.clear();
    c.predicate_fraction = 1;
    size = estimate_index_size(t, c, SizeModel::HypoPG);
    EXPECT_DOUBLE_EQ(size.entry_bytes, 24.0);
    EXPECT_DOUBLE_EQ(size.pages, 382.0);
    EXPECT_EQ(size.height, -1);
}

TEST(IndexCandidates, ExpressionWidths) {
    TableInfo t = orders();
    Candidate c;
    c.relid = t.relid;
    c.keys = {IndexKey{0, "lower(email)", false, false, ""}};
    EXPECT_DOUBLE_EQ(index_data_width(t, c), 20.0);
    c.keys = {IndexKey{0, "(total * 2)", false, false, ""}};
    EXPECT_DOUBLE_EQ(index_data_width(t, c), 32.0);
    EXPECT_DOUBLE_EQ(index_data_width(t, c, SizeModel::HypoPG), 50.0);
}

TEST(BtreeSize, SmallAndLargeIndexes) {
    BtreeSize s = estimate_btree(SizeModel::Statistics, 0, 8, 1);
    EXPECT_DOUBLE_EQ(s.pages, 2.0);  // one (empty) leaf and the metapage
    EXPECT_EQ(s.height, 0);
    // 10 million bigints: 27260 leaves, 67 inner pages, a root.
    s = estimate_btree(SizeModel::Statistics, 1e7, 8, 1);
    EXPECT_DOUBLE_EQ(s.pages, 27260.0 + 67 + 1 + 1);
    EXPECT_EQ(s.height, 2);
    EXPECT_DOUBLE_EQ(estimate_btree(SizeModel::HypoPG, 10, 8, 1).pages, 1.0);
}

TEST(IndexCandidates, QuoteLiteral) {
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
    EXPECT_EQ(quote_literal(""), "''");
}

TEST(IndexCandidates, JoinColumnsMakeTheirOwnCandidateBesideTheFilters) {
    TableInfo t = orders();
    // An equality filter and a join column: the filter's index, and the join key's for a
    // parameterised nested loop (not one index mixing both).
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::JoinParam),
                                qual(10, QualKind::Equality, QualSource::Param)})}),
              Strings({"join key: customer_id", "equality: \"Region\""}));
    // A range filter and a join column: the range alone (a hash join reads it), the join key,
    // and both (nested loop).
    EXPECT_EQ(generate(t, {use({qual(2, QualKind::Equality, QualSource::JoinParam),
                                qual(4, QualKind::Range, QualSource::Const, "2024-01-01")})}),
              Strings({"equality + range: created_at", "join key: customer_id",
                       "join key: customer_id, created_at"}));
}

TEST(IndexCandidates, CoveringIsNotACopyOfTheTable) {
    TableInfo t;
    t.relid = 1;
    t.name = t.name_sql = "customers";
    t.reltuples = 20000;
    for (int16_t a = 1; a <= 3; a++) {
        ColumnInfo c;
        c.attnum = a;
        c.name = c.name_sql = a == 1 ? "id" : a == 2 ? "email" : "region";
        c.avg_width = a == 2 ? 16 : 8;
        c.n_distinct = -1;
        t.columns.push_back(c);
    }
    ScanUse u = use({qual(2, QualKind::Equality, QualSource::Param)});
    u.needs_more = false;
    u.needed_columns = 0x7;  // SELECT *: every column
    EXPECT_EQ(generate(t, {u}), Strings({"equality: email"}));
}

TEST(IndexCandidates, CoveringExtendsThePlainIndex) {
    Candidate plain, covering, other;
    plain.relid = covering.relid = other.relid = 1;
    plain.keys = covering.keys = other.keys = {IndexKey{2, "", false, false, ""}};
    covering.include = {5};
    other.include = {6};
    EXPECT_TRUE(covering.extends(plain));
    EXPECT_FALSE(plain.extends(covering));
    EXPECT_FALSE(other.extends(covering));
    EXPECT_FALSE(covering.extends(covering));
}

TEST(IndexCandidates, PartialCandidatesAndExistingIndexes) {
    TableInfo t = orders();
    ScanUse u = use({qual(3, QualKind::Equality, QualSource::Const, "pending")});
    // The primary key (id) does not serve "(id) WHERE status = 'pending'".
    CandidateSet set = generate_candidates(t, {u}, CandidateLimits());
    EXPECT_EQ(describe(t, set.candidates),
              Strings({"equality: status", "partial: id | where status = 'pending'"}));
    // An existing partial index with the same predicate (as PostgreSQL deparses it) does.
    ExistingIndex e;
    e.oid = 16503;
    e.name = "orders_pending_idx";
    e.keys = {1};
    e.exprs = {""};
    e.desc = {false};
    e.partial = true;
    e.predicate = "(status = 'pending'::text)";
    t.indexes.push_back(e);
    set = generate_candidates(t, {u}, CandidateLimits());
    EXPECT_EQ(describe(t, set.candidates), Strings({"equality: status"}));
    ASSERT_EQ(set.rejected.size(), 1u);
    EXPECT_EQ(set.rejected[0].reason, "already served by index orders_pending_idx");
}

TEST(IndexCandidates, CanonicalPredicate) {
    EXPECT_EQ(canonical_predicate("((status = 'pending'::text) AND (deleted_at IS NULL))"),
              "deleted_at is null AND status = 'pending'");
    EXPECT_EQ(canonical_predicate("deleted_at IS NULL AND status = 'pending'"),
              "deleted_at is null AND status = 'pending'");
    EXPECT_EQ(canonical_predicate("(created_at > '2024-01-01 00:00:00+00'::timestamp with time "
                                  "zone)"),
              "created_at > '2024-01-01 00:00:00+00'");
    EXPECT_EQ(canonical_predicate("(NOT is_paid)"), "not is_paid");
    EXPECT_EQ(canonical_predicate("\"Region\" = 'EU'"), "\"Region\" = 'EU'");
    EXPECT_NE(canonical_predicate("status = 'Pending'"), canonical_predicate("status = 'pending'"));
}
