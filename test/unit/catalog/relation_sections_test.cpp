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
    EXPECT_EQ(names,
              (std::vector<std::string>{"tables", "statistic_access", "columns", "columns",
                                        "table_stats", "indexes", "constraints", "sequences"}));
}

TEST(RelationSections, SqlNeverLocksUserRelationsAndFiltersByPrivilege) {
    for (const SnapshotSection &s : relation_sections()) {
        std::string sql = s.sql(160000);
        for (const char *banned :
             {"pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size",
              "pg_get_viewdef", "pg_sequences", "pgstattuple"})
            EXPECT_EQ(sql.find(banned), std::string::npos) << s.name << " uses " << banned;
        if (std::string(s.name) == "statistic_access") continue;  // reads no relation
        EXPECT_NE(sql.find("pg_has_role(c.relowner, 'USAGE')"), std::string::npos) << s.name;
        EXPECT_NE(sql.find("pg_read_all_stats"), std::string::npos) << s.name;
        EXPECT_NE(sql.find("NOT LIKE 'pg\\_temp%'"), std::string::npos) << s.name;
    }
    EXPECT_NE(section("tables").sql(150000).find(
                  "has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, "
                  "REFERENCES, TRIGGER')"),
              std::string::npos);
}

TEST(RelationSections, DeparsingOnlyWhereNeededAndNeverBehindDdl) {
    for (const SnapshotSection &s : relation_sections()) {
        std::string sql = s.sql(160000);
        // Built from the catalog instead (definitions.h), and counters read by function for
        // these relations only instead of the statistics views of the whole database.
        EXPECT_EQ(sql.find("pg_get_indexdef"), std::string::npos) << s.name;
        EXPECT_EQ(sql.find("pg_stat_all_"), std::string::npos) << s.name;
    }
    EXPECT_NE(section("indexes").sql(150000).find(
                  "CASE WHEN i.indexprs IS NOT NULL AND lk.oid IS NULL AND lki.oid IS NULL THEN "
                  "pg_get_expr(i.indexprs, i.indrelid) END"),
              std::string::npos);
    // Defaults cannot refer to columns: deparsed without opening the table.
    EXPECT_NE(section("columns").sql(150000).find(
                  "WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) WHEN lk.oid IS NULL "
                  "THEN pg_get_expr(ad.adbin, ad.adrelid) END"),
              std::string::npos);
    EXPECT_NE(
        section("constraints")
            .sql(150000)
            .find("CASE WHEN (con.contype NOT IN ('p', 'u', 'f') OR con.confdelsetcols IS NOT "
                  "NULL) AND lk.oid IS NULL THEN pg_get_constraintdef(con.oid) END"),
        std::string::npos);
    EXPECT_EQ(section("constraints").sql(140000).find("confdelsetcols"), std::string::npos);
    EXPECT_NE(relation_ctes().find("l.mode = 'AccessExclusiveLock'"), std::string::npos);
}

TEST(RelationSections, ColumnStatisticsFromPgStatisticWhenReadableElsePgStats) {
    const SnapshotSection &access = relation_sections()[1];
    const SnapshotSection &statistic = relation_sections()[2];
    const SnapshotSection &pg_stats = relation_sections()[3];
    CatalogSnapshot readable, other;
    load_rows(readable, access, {row(1, {{0, "t"}})});
    load_rows(other, access, {row(1, {{0, "f"}})});
    ASSERT_TRUE(statistic.available && pg_stats.available);
    EXPECT_TRUE(statistic.available(readable));
    EXPECT_FALSE(statistic.available(other));
    EXPECT_FALSE(pg_stats.available(readable));
    EXPECT_TRUE(pg_stats.available(other));
    EXPECT_NE(statistic.sql(150000).find("LEFT JOIN pg_statistic s ON"), std::string::npos);
    EXPECT_EQ(statistic.sql(150000).find("pg_stats"), std::string::npos);
    // Naming pg_statistic at all fails the query for roles that may not read it.
    EXPECT_EQ(pg_stats.sql(150000).find("pg_statistic"), std::string::npos);
    EXPECT_NE(pg_stats.sql(150000).find("FROM pg_stats ps"), std::string::npos);
}

TEST(RelationSections, SequenceValuesAreReadForAtMostAThousand) {
    std::string sql = section("sequences").sql(150000);
    EXPECT_NE(sql.find("WHEN eligible AND rn <= 1000 THEN pg_sequence_last_value(oid)"),
              std::string::npos);
    EXPECT_NE(sql.find("has_sequence_privilege(c.oid, 'SELECT, USAGE') AND sl.oid IS NULL"),
              std::string::npos);
}

TEST(RelationSections, VersionDependentColumns) {
    std::string pg15 = section("table_stats").sql(150000);
    std::string pg16 = section("table_stats").sql(160000);
    EXPECT_EQ(pg15.find("newpage"), std::string::npos);
    EXPECT_EQ(pg15.find("pg_stat_get_lastscan"), std::string::npos);
    EXPECT_NE(pg16.find("pg_stat_get_tuples_newpage_updated(rel.oid)"), std::string::npos);
    EXPECT_NE(pg16.find("extract(epoch FROM pg_stat_get_lastscan(rel.oid))"), std::string::npos);
    EXPECT_NE(pg15.find("pg_stat_get_ins_since_vacuum"), std::string::npos);
    EXPECT_EQ(section("table_stats").sql(120000).find("ins_since_vacuum"), std::string::npos);
    EXPECT_EQ(section("indexes").sql(140000).find("indnullsnotdistinct"), std::string::npos);
    EXPECT_NE(section("indexes").sql(150000).find("i.indnullsnotdistinct"), std::string::npos);
    EXPECT_EQ(section("indexes").sql(150000).find("pg_stat_get_lastscan"), std::string::npos);
    EXPECT_NE(section("indexes").sql(160000).find("pg_stat_get_lastscan(i.indexrelid)"),
              std::string::npos);
}

CatalogSnapshot with_table() {
    CatalogSnapshot snap;
    load_rows(snap, section("tables"),
              {row(24, {{0, "16384"},
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

// A privilege granted by two grantors is one grant: the query keeps one row per grantee and
// privilege, and the loader keeps one grant.
TEST(RelationSections, OneGrantPerGranteeAndPrivilege) {
    EXPECT_NE(section("tables").sql(150000).find(
                  "FROM (SELECT DISTINCT grantee, privilege_type FROM aclexplode(c.relacl)) a"),
              std::string::npos);
    CatalogSnapshot snap;
    load_rows(snap, section("tables"),
              {row(24, {{0, "16384"},
                        {1, "public"},
                        {2, "t"},
                        {3, "r"},
                        {4, "p"},
                        {5, "app"},
                        {19, "{web,web,web}"},
                        {20, "{SELECT,SELECT,INSERT}"}})});
    std::vector<std::string> got;
    for (const Grant &g : snap.tables.at(0).grants)
        got.push_back(g.grantee + ":" + g.privilege);
    EXPECT_EQ(got, (std::vector<std::string>{"web:SELECT", "web:INSERT"}));
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

TEST(RelationSections, NoAclMeansTheOwnersDefaultPrivileges) {
    CatalogSnapshot snap;
    snap.database.server_version_num = 170000;
    load_rows(snap, section("tables"),
              {row(24, {{0, "16390"}, {1, "public"}, {2, "t"}, {5, "app"}, {23, "t"}})});
    std::vector<std::string> got;
    for (const Grant &g : snap.tables.at(0).grants)
        got.push_back(g.grantee + ":" + g.privilege);
    EXPECT_EQ(got, (std::vector<std::string>{"app:INSERT", "app:SELECT", "app:UPDATE", "app:DELETE",
                                             "app:TRUNCATE", "app:REFERENCES", "app:TRIGGER",
                                             "app:MAINTAIN"}));
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

// Columns id (1), a (2) and code (3) of the table, for definitions built from the catalog.
void add_columns(CatalogSnapshot &snap) {
    std::vector<Row> rows;
    const char *names[] = {"id", "a", "code"};
    for (int i = 0; i < 3; i++)
        rows.push_back(row(22, {{0, "16384"},
                                {1, std::to_string(i + 1).c_str()},
                                {2, names[i]},
                                {3, "integer"},
                                {4, "23"},
                                {8, "f"},
                                {9, "f"},
                                {21, "f"}}));
    load_rows(snap, section("columns"), rows);
}

// An index row: columns in the order of the indexes query.
Row index_row(std::initializer_list<std::pair<size_t, const char *>> values) {
    Row r = row(34, {{0, "16384"}, {1, "16400"},       {2, "orders_x"}, {3, "btree"},   {4, "i"},
                     {5, "f"},     {6, "f"},           {7, "f"},        {8, "t"},       {9, "t"},
                     {10, "t"},    {11, "f"},          {12, "f"},       {13, "f"},      {14, "1"},
                     {15, "1"},    {16, "{int4_ops}"}, {17, "{t}"},     {18, "{\"\"}"}, {19, "0"},
                     {21, "f"},    {23, "0"},          {24, "12"},      {25, "1500"},   {26, "7"},
                     {27, "70"},   {31, "t"}});
    for (auto &v : values)
        r[v.first] = v.second ? std::optional<std::string>(v.second) : std::nullopt;
    return r;
}

TEST(RelationSections, LoadsIndexesWithKeysIncludeExpressionsAndDefinition) {
    CatalogSnapshot snap = with_table();
    add_columns(snap);
    load_rows(snap, section("indexes"),
              {index_row({{8, "f"},
                          {13, "t"},
                          {14, "1 0 3 2"},
                          {15, "3"},
                          {16, "{int4_ops,text_ops,text_pattern_ops}"},
                          {17, "{t,t,f}"},
                          {18, "{\"\",C,\"\"}"},
                          {19, "0 3 1"},
                          {20, "lower(code), (a || ',')"},
                          {21, "t"},
                          {22, "(id > 0)"},
                          {29, "16399"},
                          {30, "{fillfactor=70}"}})});
    const Index &ix = snap.tables[0].indexes.at(0);
    EXPECT_EQ(ix.keys, (std::vector<int16_t>{1, 0, 3}));
    EXPECT_EQ(ix.include, (std::vector<int16_t>{2}));
    EXPECT_EQ(ix.collations, (std::vector<std::string>{"", "C", ""}));
    EXPECT_EQ(ix.default_opclass, (std::vector<bool>{true, true, false}));
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
    EXPECT_EQ(ix.definition,
              "CREATE INDEX orders_x ON public.\"Orders\" USING btree (id, (lower(code)) COLLATE "
              "\"C\" DESC, code text_pattern_ops DESC NULLS LAST) INCLUDE (a) WITH "
              "(fillfactor=70) WHERE (id > 0)");
}

TEST(RelationSections, IndexDefinitionUnknownWhenItsTextsWereNotRead) {
    CatalogSnapshot snap = with_table();
    add_columns(snap);
    // Partial, but the table was locked: no predicate text, so no definition.
    load_rows(snap, section("indexes"), {index_row({{21, "t"}, {22, nullptr}})});
    EXPECT_EQ(snap.tables[0].indexes.at(0).definition, "");
    CatalogSnapshot plain = with_table();
    add_columns(plain);
    load_rows(plain, section("indexes"), {index_row({{5, "t"}, {4, "I"}})});
    EXPECT_EQ(plain.tables[0].indexes.at(0).definition,
              "CREATE UNIQUE INDEX orders_x ON ONLY public.\"Orders\" USING btree (id)");
}

// A lock on the index itself, or one taken after the tables were read, leaves the texts
// unread: the index says so (texts_known), and its definition is unknown.
TEST(RelationSections, IndexTextsUnknownWhenLockedAsTheIndexesWereRead) {
    EXPECT_NE(section("indexes").sql(150000).find(
                  "ih.inhparent, ic.reloptions, lk.oid IS NULL AND lki.oid IS NULL, "),
              std::string::npos);
    CatalogSnapshot snap = with_table();
    add_columns(snap);
    load_rows(snap, section("indexes"),
              {index_row({{14, "0"}, {20, nullptr}, {31, "f"}}),
               index_row({{1, "16401"}, {2, "orders_y"}})});
    const Index &locked = snap.tables[0].indexes.at(0);
    EXPECT_FALSE(locked.texts_known);
    EXPECT_EQ(locked.keys, (std::vector<int16_t>{0}));
    EXPECT_TRUE(locked.key_expressions.empty());
    EXPECT_EQ(locked.definition, "");
    EXPECT_TRUE(snap.tables[0].indexes.at(1).texts_known);
}

// Operator classes and collations outside pg_catalog keep their schema in the definition.
TEST(RelationSections, IndexDefinitionQualifiesOperatorClassesAndCollationsOutsidePgCatalog) {
    std::string sql = section("indexes").sql(150000);
    EXPECT_NE(sql.find("LEFT JOIN pg_namespace on0 ON on0.oid = o0.opcnamespace"),
              std::string::npos);
    EXPECT_NE(sql.find("LEFT JOIN pg_namespace cn3 ON cn3.oid = c3.collnamespace"),
              std::string::npos);
    EXPECT_NE(sql.find("AS opclass_schemas"), std::string::npos);
    CatalogSnapshot snap = with_table();
    add_columns(snap);
    load_rows(snap, section("indexes"),
              {index_row({{3, "gin"},
                          {14, "3 3"},
                          {15, "2"},
                          {16, "{gin_trgm_ops,text_ops}"},
                          {17, "{f,f}"},
                          {18, "{\"\",de}"},
                          {19, "0 0"},
                          {32, "{extensions,\"\"}"},
                          {33, "{\"\",\"My App\"}"}})});
    const Index &ix = snap.tables[0].indexes.at(0);
    EXPECT_EQ(ix.opclass_schemas, (std::vector<std::string>{"extensions", ""}));
    EXPECT_EQ(ix.collation_schemas, (std::vector<std::string>{"", "My App"}));
    EXPECT_EQ(ix.definition,
              "CREATE INDEX orders_x ON public.\"Orders\" USING gin (code extensions.gin_trgm_ops, "
              "code COLLATE \"My App\".de text_ops)");
}

TEST(RelationSections, LoaderErrorsNameSectionRowAndColumn) {
    CatalogSnapshot snap = with_table();
    Row bad = index_row({{5, "maybe"}});
    try {
        load_rows(snap, section("indexes"), {index_row({}), bad});
        FAIL() << "no error";
    } catch (const SnapshotError &e) {
        EXPECT_STREQ(e.what(),
                     "catalog snapshot, section indexes, row 2, column 6: not a boolean (value: "
                     "maybe)");
    }
    EXPECT_THROW(load_rows(snap, section("indexes"), {index_row({{14, "1 2"}, {15, "2"}})}),
                 SnapshotError);  // two keys, one operator class
    EXPECT_THROW(load_rows(snap, section("indexes"), {index_row({{15, "3"}})}), SnapshotError);
}

// A constraint row: columns in the order of the constraints query.
Row constraint_row(std::initializer_list<std::pair<size_t, const char *>> values) {
    Row r = row(19, {{3, "16384"},
                     {7, "t"},
                     {8, "s"},
                     {9, "a"},
                     {10, "a"},
                     {11, "f"},
                     {12, "f"},
                     {14, "0"},
                     {15, "0"}});
    for (auto &v : values)
        r[v.first] = v.second ? std::optional<std::string>(v.second) : std::nullopt;
    return r;
}

TEST(RelationSections, LoadsConstraintsWithDefinitionsBuiltOrFromTheServer) {
    CatalogSnapshot snap = with_table();
    add_columns(snap);
    load_rows(snap, section("indexes"), {index_row({{5, "t"}, {23, "16502"}})});
    load_rows(
        snap, section("constraints"),
        {constraint_row({{0, "16500"},
                         {1, "orders_fk"},
                         {2, "f"},
                         {4, "{2,3}"},
                         {5, "16000"},
                         {6, "{1,2}"},
                         {7, "f"},
                         {8, "f"},
                         {9, "c"},
                         {11, "t"},
                         {12, "t"},
                         {14, "16001"},
                         {15, "16499"},
                         {16, "sales"},
                         {17, "Parents"},
                         {18, "{x,\"y z\"}"}}),
         constraint_row({{0, "16501"},
                         {1, "orders_check"},
                         {2, "c"},
                         {4, "{2}"},
                         {7, "f"},
                         {8, " "},
                         {9, " "},
                         {10, " "},
                         {13, "CHECK ((a > 0)) NOT VALID"}}),
         constraint_row({{0, "16502"}, {1, "orders_pkey"}, {2, "p"}, {4, "{1}"}, {14, "16400"}})});
    ASSERT_EQ(snap.constraints.size(), 3u);
    const Constraint &fk = snap.constraints[0];
    EXPECT_EQ(fk.columns, (std::vector<int16_t>{2, 3}));
    EXPECT_EQ(fk.ref_columns, (std::vector<int16_t>{1, 2}));
    EXPECT_FALSE(fk.validated);
    EXPECT_EQ(fk.match_type, 'f');
    EXPECT_EQ(fk.on_delete, 'c');
    EXPECT_EQ(fk.parent, 16499u);
    EXPECT_EQ(fk.definition,
              "FOREIGN KEY (a, code) REFERENCES sales.\"Parents\"(x, \"y z\") MATCH FULL ON "
              "DELETE CASCADE DEFERRABLE INITIALLY DEFERRED");
    EXPECT_EQ(snap.constraints[1].match_type, 's');
    EXPECT_EQ(snap.constraints[1].on_delete, 'a');
    EXPECT_EQ(snap.constraints[1].definition, "CHECK ((a > 0))");  // NOT VALID: see validated
    EXPECT_EQ(snap.constraints[2].definition, "PRIMARY KEY (id)");
}

TEST(RelationSections, LoadsSequences) {
    CatalogSnapshot snap = with_table();
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
