// Unit tests of the helpers the indexing and schema rules share: index DDL text, names for new
// indexes, foreign-key coverage, the statistics window, sizes for people.
#include <gtest/gtest.h>

#include "core/review/rules/index_ddl.h"
#include "core/review/rules/table_facts.h"
#include "core/review/rules/usage_window.h"
#include "relation_snapshot.h"

namespace pg_advisor::review::relation_test {
namespace {

TEST(IndexDdl, CreatedIndexName) {
    EXPECT_EQ(ddl::created_index_name("CREATE INDEX CONCURRENTLY foo ON t (a)"), "foo");
    EXPECT_EQ(ddl::created_index_name("create unique index Foo on t (a)"), "foo");
    EXPECT_EQ(ddl::created_index_name("CREATE INDEX \"My \"\"Idx\" ON t (a)"), "My \"Idx");
    EXPECT_EQ(ddl::created_index_name("CREATE INDEX IF NOT EXISTS bar ON t (a)"), "bar");
    EXPECT_EQ(ddl::created_index_name("CREATE INDEX CONCURRENTLY ON t (a)"), "");
    EXPECT_EQ(ddl::created_index_name("CREATE INDEX ON t (a)"), "");
    EXPECT_EQ(ddl::created_index_name("DROP INDEX foo"), "");
}

TEST(IndexDdl, RecreateAddsConcurrentlyExceptForPartitionedIndexes) {
    Builder b;
    Table &t = b.table("t", 10);
    b.column(t, "a", kInt4);
    Index &u = b.index(t, "t_a", {"a"});
    u.definition = "CREATE UNIQUE INDEX t_a ON public.t USING btree (a)";
    EXPECT_EQ(ddl::recreate_index(t, u),
              "CREATE UNIQUE INDEX CONCURRENTLY t_a ON public.t USING btree (a);");
    EXPECT_EQ(ddl::drop_index(t, u), "DROP INDEX CONCURRENTLY public.t_a;");
    Table &p = b.table("p", 10, 'p');
    b.column(p, "a", kInt4);
    Index &pi = b.index(p, "p_a", {"a"});
    pi.definition = "CREATE INDEX p_a ON ONLY public.p USING btree (a)";
    EXPECT_EQ(ddl::recreate_index(p, pi), "CREATE INDEX p_a ON public.p USING btree (a);");
    EXPECT_EQ(ddl::drop_index(p, pi), "DROP INDEX public.p_a;");
}

TEST(IndexDdl, DefinitionBuiltFromTheCatalogWhenTheTableWasLocked) {
    Builder b;
    Table &t = b.table("Orders", 10);
    b.column(t, "id", kInt4);
    b.column(t, "Name", kText);
    b.column(t, "note", kText);
    Index &ix = b.index(t, "orders_name", {"Name", "id"});
    ix.definition.clear();
    ix.collations[0] = "C";
    ix.opclasses[0] = "text_pattern_ops";
    ix.default_opclass[0] = false;
    ix.descending[1] = true;
    ix.nulls_first[1] = false;  // DESC NULLS LAST: not the default for DESC
    ix.include = {3};
    ix.options = {"fillfactor=70"};
    EXPECT_EQ(ddl::index_definition(t, ix),
              "CREATE INDEX orders_name ON public.\"Orders\" USING btree (\"Name\" COLLATE \"C\" "
              "text_pattern_ops, id DESC NULLS LAST) INCLUDE (note) WITH (fillfactor=70)");
    ix.partial = true;  // predicate text unknown: no definition rather than a wrong one
    EXPECT_EQ(ddl::index_definition(t, ix), "");
    EXPECT_EQ(ddl::recreate_index(t, ix), "");
}

TEST(IndexDdl, NamesAreFreeAndAtMost63Bytes) {
    Builder b;
    b.table("t_a_idx", 0);
    ddl::NameRegistry names(b.done());
    EXPECT_EQ(names.choose("public", "t", {"a"}, "idx"), "t_a_idx1");
    EXPECT_EQ(names.choose("public", "t", {"a"}, "idx"), "t_a_idx2");  // reserved by the first
    EXPECT_EQ(names.choose("other", "t", {"a"}, "idx"), "t_a_idx");
    std::string longname = names.choose("public", std::string(60, 'x'), {"col"}, "idx");
    EXPECT_EQ(longname.size(), 63u);
    EXPECT_EQ(longname, std::string(59, 'x') + "_idx");
    // A multi-byte character is kept whole or left out, never cut in half.
    EXPECT_EQ(names.choose("public", std::string(58, 'y') + "\xc3\xa9\xc3\xa9", {}, "idx"),
              std::string(58, 'y') + "_idx");
    EXPECT_EQ(names.choose("public", std::string(57, 'y') + "\xc3\xa9\xc3\xa9", {}, "idx"),
              std::string(57, 'y') + "\xc3\xa9_idx");
}

TEST(LookupCoverage, LeadingColumnsInAnyOrder) {
    Builder b;
    Table &t = b.table("t", 10);
    for (const char *c : {"a", "b", "c"})
        b.column(t, c, kInt4);
    b.index(t, "t_b_a_c", {"b", "a", "c"});
    Index &partial = b.index(t, "t_c", {"c"});
    partial.partial = true;
    facts::LookupCoverage cov(t);
    EXPECT_EQ(cov.covering({1, 2}).size(), 1u);
    EXPECT_EQ(cov.covering({2}).size(), 1u);
    EXPECT_EQ(cov.covering({1}).size(), 0u);  // a is second
    EXPECT_EQ(cov.covering({3}).size(), 0u);  // partial
    EXPECT_EQ(cov.covering({3, 2, 1}).size(), 1u);
}

TEST(UsageWindow, SinceTheResetElseAtLeastSinceTheServerStart) {
    catalog::Database db;
    db.now = 100 * kDay;
    db.postmaster_start = 90 * kDay;
    UsageWindow w = usage_window(db);
    EXPECT_DOUBLE_EQ(w.days, 10);
    EXPECT_FALSE(w.since_reset);
    db.stats_reset = 97 * kDay;
    w = usage_window(db);
    EXPECT_DOUBLE_EQ(w.days, 3);
    EXPECT_TRUE(w.since_reset);
    EXPECT_EQ(w.describe(), "3.0 days (since the statistics reset of 1970-04-08 00:00 UTC)");
    db.stats_reset = 0;
    db.postmaster_start = 0;
    EXPECT_LT(usage_window(db).days, 0);
}

TEST(Facts, SizesCountsAndRows) {
    EXPECT_EQ(facts::human_bytes(512), "512 bytes");
    EXPECT_EQ(facts::human_bytes(1536), "1.5 kB");
    EXPECT_EQ(facts::human_bytes(100 * kMiB), "100 MB");
    EXPECT_EQ(facts::human_bytes(3 * kGiB), "3 GB");
    EXPECT_EQ(facts::human_count(1234567), "1,234,567");
    EXPECT_EQ(facts::human_count(999), "999");
    EXPECT_EQ(facts::human_percent(0.125), "12.5%");
    EXPECT_EQ(facts::human_percent(0.5), "50.0%");
    EXPECT_EQ(facts::human_percent(0.9312), "93.1%");
    Builder b;
    Table &t = b.table("t", -1);
    t.stats.n_live_tup = 42;
    EXPECT_EQ(facts::table_rows(t), 42);  // never analysed: the live-tuple count
    t.stats.n_live_tup = -1;
    EXPECT_EQ(facts::table_rows(t), 0);
}

}  // namespace
}  // namespace pg_advisor::review::relation_test
