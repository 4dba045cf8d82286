// Unit tests of the relation family of snapshot sections (catalog/relation_sections.cpp,
// catalog/index_sections.cpp): what their SQL may and may not contain, and how their loaders
// read rows (text values as the server sends them).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/catalog/relation_sections.h"
#include "core/catalog/snapshot_sql.h"

namespace pg_advisor::catalog {
namespace {

const SnapshotSection &section(const std::string &name) {
    for (const SnapshotSection &s : relation_sections())
        if (name == s.name) return s;
    throw std::runtime_error("no section " + name);
}

// A row of `n` NULLs with the given values set.
Row row(size_t n, std::initializer_list<std::pair<size_t, const char *>> values) {
    Row r(n);
    for (auto &v : values)
        r[v.first] = std::string(v.second);
    return r;
}

TEST(RelationSections, OrderAndNames) {
    std::vector<std::string> names;
    for (const SnapshotSection &s : relation_sections())
        names.push_back(s.name);
    EXPECT_EQ(names, (std::vector<std::string>{"tables", "columns", "table_stats", "indexes",
                                               "constraints", "sequences"}));
}

TEST(RelationSections, SqlNeverLocksUserRelationsAndFiltersByPrivilege) {
    for (const SnapshotSection &s : relation_sections()) {
        std::string sql = s.sql(160000);
        for (const char *banned :
             {"pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size",
              "pg_get_viewdef", "pg_sequences", "pgstattuple"})
            EXPECT_EQ(sql.find(banned), std::string::npos) << s.name << " uses " << banned;
        EXPECT_NE(sql.find("pg_has_role(c.relowner, 'USAGE')"), std::string::npos) << s.name;
        EXPECT_NE(sql.find("pg_read_all_stats"), std::string::npos) << s.name;
        EXPECT_NE(sql.find("NOT LIKE 'pg\\_temp%'"), std::string::npos) << s.name;
    }
    EXPECT_NE(section("tables").sql(150000).find(
                  "has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, "
                  "REFERENCES, TRIGGER')"),
              std::string::npos);
}

TEST(RelationSections, DeparsingOnlyForRelationsNobodyLocksExclusively) {
    std::string indexes = section("indexes").sql(150000);
    EXPECT_NE(indexes.find("CASE WHEN lk.oid IS NULL AND lki.oid IS NULL THEN "
                           "pg_get_indexdef(i.indexrelid) END"),
              std::string::npos);
    EXPECT_NE(section("columns").sql(150000).find("lk.oid IS NULL THEN pg_get_expr(ad.adbin"),
              std::string::npos);
    EXPECT_NE(section("constraints")
                  .sql(150000)
                  .find("CASE WHEN con.contype IN ('p', 'u', 'f') OR lk.oid IS NULL THEN "
                        "pg_get_constraintdef(con.oid) END"),
              std::string::npos);
    EXPECT_NE(relation_ctes().find("l.mode = 'AccessExclusiveLock'"), std::string::npos);
}

TEST(RelationSections, SequenceValuesAreReadForAtMostAThousand) {
    std::string sql = section("sequences").sql(150000);
    EXPECT_NE(sql.find("WHEN eligible AND rn <= 1000 THEN pg_sequence_last_value(oid)"),
              std::string::npos);
    EXPECT_NE(sql.find("has_sequence_privilege(c.oid, 'SELECT, USAGE')"), std::string::npos);
}

TEST(RelationSections, VersionDependentColumns) {
    std::string pg15 = section("table_stats").sql(150000);
    std::string pg16 = section("table_stats").sql(160000);
    EXPECT_EQ(pg15.find("n_tup_newpage_upd"), std::string::npos);
    EXPECT_EQ(pg15.find("last_seq_scan"), std::string::npos);
    EXPECT_NE(pg16.find("s.n_tup_newpage_upd"), std::string::npos);
    EXPECT_NE(pg16.find("extract(epoch FROM s.last_seq_scan)"), std::string::npos);
    EXPECT_EQ(section("table_stats").sql(120000).find("n_ins_since_vacuum"), std::string::npos);
    EXPECT_EQ(section("indexes").sql(140000).find("indnullsnotdistinct"), std::string::npos);
    EXPECT_NE(section("indexes").sql(150000).find("i.indnullsnotdistinct"), std::string::npos);
    EXPECT_EQ(section("indexes").sql(150000).find("last_idx_scan"), std::string::npos);
    EXPECT_NE(section("indexes").sql(160000).find("st.last_idx_scan"), std::string::npos);
}

CatalogSnapshot with_table() {
    CatalogSnapshot snap;
    load_rows(snap, section("tables"),
              {row(23, {{0, "16384"},
                        {1, "public"},
                        {2, "Orders"},
                        {3, "r"},
                        {4, "u"},
                        {5, "app"},
                        {6, "1500"},
                        {7, "20"},
                        {8, "3"},
                        {9, "f"},
                        {11, "f"},
                        {12, "t"},
                        {13, "f"},
                        {14, "{fillfactor=90,autovacuum_enabled=off}"},
                        {15, "1234"},
                        {16, "5"},
                        {17, "t"},
                        {18, "orders of the shop"},
                        {19, "{app,PUBLIC}"},
                        {20, "{SELECT,SELECT}"},
                        {22, "t"}})});
    return snap;
}

TEST(RelationSections, LoadsTables) {
    CatalogSnapshot snap = with_table();
    ASSERT_EQ(snap.tables.size(), 1u);
    const Table &t = snap.tables[0];
    EXPECT_EQ(t.qualified(), "public.\"Orders\"");
    EXPECT_EQ(t.persistence, 'u');
    EXPECT_EQ(t.reltuples, 1500);
    EXPECT_EQ(t.toast_pages, 3);
    EXPECT_EQ(t.parent, 0u);
    EXPECT_EQ(t.replica_identity, 'f');
    EXPECT_TRUE(t.rls_enabled);
    EXPECT_EQ(t.options, (std::vector<std::string>{"fillfactor=90", "autovacuum_enabled=off"}));
    EXPECT_EQ(t.xid_age, 1234);
    EXPECT_TRUE(t.extension_member);
    EXPECT_EQ(t.comment, "orders of the shop");
    ASSERT_EQ(t.grants.size(), 2u);
    EXPECT_EQ(t.grants[1].grantee, "PUBLIC");
    EXPECT_EQ(t.grants[1].privilege, "SELECT");
    EXPECT_TRUE(t.ddl_locked);
    EXPECT_NE(snap.table(16384), nullptr);
}

TEST(RelationSections, LoadsColumnsWithStatistics) {
    CatalogSnapshot snap = with_table();
    load_rows(snap, section("columns"),
              {row(22, {{0, "16384"},
                        {1, "1"},
                        {2, "id"},
                        {3, "integer"},
                        {4, "23"},
                        {5, "N"},
                        {6, "-1"},
                        {7, "4"},
                        {8, "t"},
                        {9, "t"},
                        {10, "nextval('orders_id_seq'::regclass)"},
                        {14, "0"},
                        {15, "-1"},
                        {16, "4"},
                        {17, "0.98"},
                        {18, "{0.6,0.25}"},
                        {19, "done"},
                        {20, "2000000000"},
                        {21, "t"}}),
               row(22, {{0, "16384"},
                        {1, "3"},
                        {2, "code"},
                        {3, "text"},
                        {4, "25"},
                        {5, "S"},
                        {6, "-1"},
                        {7, "-1"},
                        {8, "f"},
                        {9, "f"},
                        {11, "a"},
                        {12, "s"},
                        {13, "C"},
                        {21, "f"}}),
               row(22, {{0, "99999"}, {1, "1"}, {2, "x"}, {21, "f"}})});  // unknown table
    const Table &t = snap.tables[0];
    ASSERT_EQ(t.columns.size(), 2u);
    const Column &id = t.columns[0];
    EXPECT_TRUE(id.not_null);
    EXPECT_TRUE(id.has_default);
    EXPECT_EQ(id.default_expr, "nextval('orders_id_seq'::regclass)");
    EXPECT_TRUE(id.stats.present);
    EXPECT_EQ(id.stats.n_distinct, -1);
    EXPECT_EQ(id.stats.most_common_freqs, (std::vector<double>{0.6, 0.25}));
    EXPECT_EQ(id.stats.most_common_value, "done");
    EXPECT_TRUE(id.stats.has_int_max);
    EXPECT_EQ(id.stats.int_max, 2000000000);
    const Column &code = t.columns[1];
    EXPECT_EQ(code.attnum, 3);
    EXPECT_EQ(code.identity, 'a');
    EXPECT_EQ(code.generated, 's');
    EXPECT_EQ(code.collation, "C");
    EXPECT_FALSE(code.stats.present);
}

TEST(RelationSections, LoadsTableStatistics) {
    CatalogSnapshot snap = with_table();
    load_rows(snap, section("table_stats"),
              {row(20, {{0, "16384"},
                        {1, "12"},
                        {2, "18000"},
                        {3, "40"},
                        {5, "100"},
                        {6, "30"},
                        {7, "2"},
                        {8, "25"},
                        {9, "4"},
                        {10, "1500"},
                        {18, "1700000000.5"}})});
    const TableStats &s = snap.tables[0].stats;
    EXPECT_TRUE(s.present);
    EXPECT_EQ(s.seq_scan, 12);
    EXPECT_EQ(s.idx_scan, 40);
    EXPECT_EQ(s.idx_tup_fetch, -1);  // NULL: unknown
    EXPECT_EQ(s.n_tup_newpage_upd, 4);
    EXPECT_EQ(s.last_seq_scan, 1700000000500000);
    EXPECT_EQ(s.last_idx_scan, 0);
}

TEST(RelationSections, LoadsIndexesWithKeysIncludeAndExpressions) {
    CatalogSnapshot snap = with_table();
    load_rows(snap, section("indexes"),
              {row(31, {{0, "16384"},
                        {1, "16400"},
                        {2, "orders_x"},
                        {3, "CREATE INDEX ..."},
                        {4, "btree"},
                        {5, "i"},
                        {6, "f"},
                        {7, "f"},
                        {8, "f"},
                        {9, "f"},
                        {10, "t"},
                        {11, "t"},
                        {12, "f"},
                        {13, "f"},
                        {14, "t"},
                        {15, "1 0 3 2"},
                        {16, "3"},
                        {17, "{int4_ops,text_ops,text_ops}"},
                        {18, "{\"\",C,\"\"}"},
                        {19, "0 3 1"},
                        {20, "lower(code), (a || ',')"},
                        {21, "t"},
                        {22, "(id > 0)"},
                        {23, "0"},
                        {24, "12"},
                        {25, "1500"},
                        {26, "7"},
                        {27, "70"},
                        {29, "16399"},
                        {30, "{fillfactor=70}"}})});
    const Index &ix = snap.tables[0].indexes.at(0);
    EXPECT_EQ(ix.keys, (std::vector<int16_t>{1, 0, 3}));
    EXPECT_EQ(ix.include, (std::vector<int16_t>{2}));
    EXPECT_EQ(ix.collations, (std::vector<std::string>{"", "C", ""}));
    EXPECT_EQ(ix.descending, (std::vector<bool>{false, true, true}));
    EXPECT_EQ(ix.nulls_first, (std::vector<bool>{false, true, false}));
    EXPECT_EQ(ix.key_expressions, (std::vector<std::string>{"", "lower(code)", ""}));
    EXPECT_FALSE(ix.valid);
    EXPECT_TRUE(ix.being_built);
    EXPECT_TRUE(ix.partial);
    EXPECT_EQ(ix.predicate, "(id > 0)");
    EXPECT_EQ(ix.scans, 7);
    EXPECT_EQ(ix.parent_index, 16399u);
    EXPECT_EQ(ix.options, (std::vector<std::string>{"fillfactor=70"}));
}

TEST(RelationSections, LoaderErrorsNameSectionRowAndColumn) {
    CatalogSnapshot snap = with_table();
    Row bad = row(31, {{0, "16384"},
                       {1, "16400"},
                       {6, "maybe"},
                       {15, "1"},
                       {16, "1"},
                       {17, "{x}"},
                       {18, "{\"\"}"},
                       {19, "0"}});
    try {
        load_rows(snap, section("indexes"), {row(31, {{0, "16384"}, {1, "1"}}), bad});
        FAIL() << "no error";
    } catch (const SnapshotError &e) {
        EXPECT_NE(std::string(e.what()).find("section indexes"), std::string::npos) << e.what();
    }
    try {
        load_rows(snap, section("indexes"), {bad});
        FAIL() << "no error";
    } catch (const SnapshotError &e) {
        EXPECT_STREQ(e.what(),
                     "catalog snapshot, section indexes, row 1, column 7: not a boolean (value: "
                     "maybe)");
    }
    Row short_keys = row(
        31,
        {{0, "16384"}, {1, "1"}, {15, "1 2"}, {16, "2"}, {17, "{a}"}, {18, "{\"\"}"}, {19, "0"}});
    EXPECT_THROW(load_rows(snap, section("indexes"), {short_keys}), SnapshotError);
}

TEST(RelationSections, LoadsConstraintsAndSequences) {
    CatalogSnapshot snap = with_table();
    load_rows(snap, section("constraints"),
              {row(15, {{0, "16500"},
                        {1, "orders_fk"},
                        {2, "f"},
                        {3, "16384"},
                        {4, "{2,3}"},
                        {5, "16000"},
                        {6, "{1,2}"},
                        {7, "f"},
                        {8, "f"},
                        {9, "c"},
                        {10, "a"},
                        {11, "t"},
                        {12, "FOREIGN KEY (a, b) REFERENCES p(x, y)"},
                        {13, "16001"},
                        {14, "16499"}}),
               row(15, {{0, "16501"},
                        {1, "orders_check"},
                        {2, "c"},
                        {3, "16384"},
                        {4, "{2}"},
                        {5, "0"},
                        {7, "t"},
                        {8, " "},
                        {9, " "},
                        {10, " "},
                        {11, "f"},
                        {13, "0"},
                        {14, "0"}})});
    ASSERT_EQ(snap.constraints.size(), 2u);
    const Constraint &fk = snap.constraints[0];
    EXPECT_EQ(fk.columns, (std::vector<int16_t>{2, 3}));
    EXPECT_EQ(fk.ref_columns, (std::vector<int16_t>{1, 2}));
    EXPECT_FALSE(fk.validated);
    EXPECT_EQ(fk.match_type, 'f');
    EXPECT_EQ(fk.on_delete, 'c');
    EXPECT_EQ(fk.parent, 16499u);
    EXPECT_EQ(snap.constraints[1].match_type, 's');
    EXPECT_EQ(snap.constraints[1].on_delete, 'a');
    load_rows(snap, section("sequences"),
              {row(12, {{0, "16600"},
                        {1, "public"},
                        {2, "orders_id_seq"},
                        {3, "integer"},
                        {4, "2000000000"},
                        {5, "1"},
                        {6, "2147483647"},
                        {7, "1"},
                        {8, "f"},
                        {9, "16384"},
                        {10, "1"},
                        {11, "1"}}),
               row(12, {{0, "16601"},
                        {1, "public"},
                        {2, "other"},
                        {3, "bigint"},
                        {5, "1"},
                        {6, "9223372036854775807"},
                        {7, "-1"},
                        {8, "t"}})});
    ASSERT_EQ(snap.sequences.size(), 2u);
    EXPECT_TRUE(snap.sequences[0].has_value);
    EXPECT_EQ(snap.sequences[0].last_value, 2000000000);
    EXPECT_EQ(snap.sequences[0].owned_by_table, 16384u);
    EXPECT_EQ(snap.sequences[0].owned_by_column, 1);
    EXPECT_FALSE(snap.sequences[1].has_value);  // NULL: not read
    EXPECT_EQ(snap.sequences[1].max_value, INT64_MAX);
    EXPECT_EQ(snap.sequences[1].increment, -1);
    EXPECT_TRUE(snap.sequences[1].cycle);
}

TEST(RelationSections, SplitsExpressionListsAtTopLevelCommas) {
    EXPECT_EQ(split_expressions("lower(b), (a + 1)"),
              (std::vector<std::string>{"lower(b)", "(a + 1)"}));
    EXPECT_EQ(split_expressions("((b || ','::text) || 'x'::text), coalesce(a, 0)"),
              (std::vector<std::string>{"((b || ','::text) || 'x'::text)", "coalesce(a, 0)"}));
    EXPECT_EQ(split_expressions("\"we,ird\"(x), 'it''s, ok'::text"),
              (std::vector<std::string>{"\"we,ird\"(x)", "'it''s, ok'::text"}));
    EXPECT_EQ(split_expressions("(ARRAY[a, b])"), (std::vector<std::string>{"(ARRAY[a, b])"}));
    EXPECT_TRUE(split_expressions("").empty());
}

}  // namespace
}  // namespace pg_advisor::catalog
