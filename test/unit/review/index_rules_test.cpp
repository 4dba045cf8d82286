// Unit tests of the indexing rules (review/rules/indexes.cpp) on hand-built snapshots: each
// fires, stays silent on its near misses, respects its thresholds' edges, and scales its
// severity with size and traffic.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "relation_snapshot.h"

namespace pg_advisor::review::relation_test {
namespace {

// ---- fk_missing_index

struct FkCase {
    Builder b;
    Table *parent = nullptr;
    Table *child = nullptr;
    // parent(id) <- child(id, parent_id)
    FkCase(double child_rows, int64_t parent_updates, int64_t parent_deletes) {
        parent = &b.table("customers", 1000);
        b.column(*parent, "id", kInt8, true);
        parent->stats.n_tup_upd = parent_updates;
        parent->stats.n_tup_del = parent_deletes;
        child = &b.table("orders", child_rows);
        b.column(*child, "id", kInt8, true);
        b.column(*child, "customer_id", kInt8);
        b.fk(*child, "orders_customer_id_fkey", {2}, *parent, {1});
    }
};

TEST(FkMissingIndex, ReportsTheKeyWithCreateAndDropIndexConcurrently) {
    FkCase c(5000, 10, 0);
    RuleRun r = run_rule("fk_missing_index", c.b.done());
    ASSERT_TRUE(r.ran) << r.reason;
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.object, "public.orders");
    EXPECT_EQ(f.identity, "orders_customer_id_fkey");
    EXPECT_EQ(f.severity, Severity::Medium);
    EXPECT_EQ(f.fix_sql,
              "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders USING btree "
              "(customer_id);");
    EXPECT_EQ(f.undo_sql, "DROP INDEX CONCURRENTLY public.orders_customer_id_idx;");
    EXPECT_EQ(f.evidence.get("child_rows"), "5000");
    EXPECT_EQ(f.evidence.get("parent_updates"), "10");
    EXPECT_EQ(f.impact, 50 * 8192.0);
    EXPECT_EQ(f.impact_unit, "bytes");
    EXPECT_FALSE(f.why.empty());
    EXPECT_FALSE(f.verify.empty());
}

TEST(FkMissingIndex, SeverityFollowsChildSizeAndParentTraffic) {
    auto severity = [](double rows, int64_t upd, int64_t del) {
        FkCase c(rows, upd, del);
        RuleRun r = run_rule("fk_missing_index", c.b.done());
        EXPECT_EQ(r.findings.size(), 1u);
        return r.findings.empty() ? Severity::Critical : r.findings[0].severity;
    };
    EXPECT_EQ(severity(10, 50000, 0), Severity::Info);  // tiny child: info whatever the parent
    EXPECT_EQ(severity(999, 5, 0), Severity::Info);     // just below min_rows (1000)
    EXPECT_EQ(severity(1000, 5, 0), Severity::Medium);  // at min_rows
    EXPECT_EQ(severity(1000000, 6000, 4000), Severity::High);    // large child, busy parent
    EXPECT_EQ(severity(1000000, 6000, 3999), Severity::Medium);  // one write short of busy
    EXPECT_EQ(severity(999999, 50000, 0), Severity::Medium);     // one row short of large
    EXPECT_EQ(severity(5000, 0, 0), Severity::Low);  // parent never updated in a 50-day window
}

TEST(FkMissingIndex, QuietParentLowersOnlyOverALongEnoughWindow) {
    FkCase c(5000, 0, 0);
    c.b.database().postmaster_start = c.b.database().now - 6 * kDay;  // 6 days < 7
    RuleRun r = run_rule("fk_missing_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, Severity::Medium);
    Settings s;
    s.set("fk_missing_index_quiet_window_days", 6);
    EXPECT_EQ(run_rule("fk_missing_index", c.b.done(), s).findings[0].severity, Severity::Low);
}

TEST(FkMissingIndex, IndexesLedByTheKeyInAnyOrderCoverIt) {
    Builder b;
    Table &p = b.table("regions", 1000);
    b.column(p, "a", kInt4, true);
    b.column(p, "b", kInt4, true);
    Table &c = b.table("shops", 5000);
    b.column(c, "id", kInt4, true);
    b.column(c, "ra", kInt4);
    b.column(c, "rb", kInt4);
    b.fk(c, "shops_fkey", {2, 3}, p, {1, 2});
    b.index(c, "shops_rb_ra_id", {"rb", "ra", "id"});
    EXPECT_TRUE(run_rule("fk_missing_index", b.done()).findings.empty());
}

TEST(FkMissingIndex, PartialSecondColumnAndInvalidIndexesDoNotCover) {
    for (int variant = 0; variant < 4; variant++) {
        FkCase c(5000, 0, 0);
        Index &ix = variant == 1 ? c.b.index(*c.child, "ix", {"id", "customer_id"})
                                 : c.b.index(*c.child, "ix", {"customer_id"});
        if (variant == 0) ix.partial = true, ix.predicate = "(customer_id > 100)";
        if (variant == 2) ix.valid = false;
        if (variant == 3) ix.am = "gin";
        EXPECT_EQ(run_rule("fk_missing_index", c.b.done()).findings.size(), 1u) << variant;
    }
}

TEST(FkMissingIndex, IndexBeingBuiltCountsAsCovering) {
    FkCase c(5000, 0, 0);
    Index &ix = c.b.index(*c.child, "ix", {"customer_id"});
    ix.valid = false;
    ix.being_built = true;
    EXPECT_TRUE(run_rule("fk_missing_index", c.b.done()).findings.empty());
}

TEST(FkMissingIndex, HashIndexCoversASingleColumnKey) {
    FkCase c(5000, 0, 0);
    c.b.index(*c.child, "ix", {"customer_id"}).am = "hash";
    EXPECT_TRUE(run_rule("fk_missing_index", c.b.done()).findings.empty());
}

TEST(FkMissingIndex, SkipsInheritedKeysAndExtensionTables) {
    FkCase c(5000, 0, 0);
    c.b.fk(*c.child, "clone_fkey", {2}, *c.parent, {1}).parent = 99;  // a partition's copy
    c.child->extension_member = false;
    RuleRun r = run_rule("fk_missing_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].identity, "orders_customer_id_fkey");
    c.child->extension_member = true;
    EXPECT_TRUE(run_rule("fk_missing_index", c.b.done()).findings.empty());
}

TEST(FkMissingIndex, PartitionedChildGetsIndexOnOnlyThenOnePerPartitionAttached) {
    Builder b;
    Table &p = b.table("customers", 100);
    b.column(p, "id", kInt8, true);
    Table &ev = b.table("events", 5000, 'p');
    b.column(ev, "customer_id", kInt8);
    Table &e1 = b.table("events_2024", 5000);
    b.column(e1, "customer_id", kInt8);
    e1.is_partition = true;
    e1.parent = ev.oid;
    b.fk(ev, "events_customer_id_fkey", {1}, p, {1});
    RuleRun r = run_rule("fk_missing_index", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].fix_sql,
              "CREATE INDEX events_customer_id_idx ON ONLY public.events USING btree "
              "(customer_id);\n"
              "CREATE INDEX CONCURRENTLY events_2024_customer_id_idx ON public.events_2024 USING "
              "btree (customer_id);\n"
              "ALTER INDEX public.events_customer_id_idx ATTACH PARTITION "
              "public.events_2024_customer_id_idx;");
    EXPECT_EQ(r.findings[0].undo_sql, "DROP INDEX public.events_customer_id_idx;");
}

// A partitioned child and a partitioned parent have no rows or counters of their own: the
// severity comes from their partitions; and the advisor's single CREATE INDEX (a blocking
// build of every partition) is not taken for a partitioned child.
TEST(FkMissingIndex, PartitionedTablesAreJudgedOnTheirPartitions) {
    Builder b;
    Table &p = b.table("customers", 0, 'p');
    b.column(p, "id", kInt8, true);
    p.reltuples = 0;
    p.relpages = 0;
    p.stats.n_tup_upd = p.stats.n_tup_del = 0;
    for (const char *name : {"customers_a", "customers_b"}) {
        Table &part = b.table(name, 500);
        b.column(part, "id", kInt8, true);
        part.is_partition = true;
        part.parent = p.oid;
        part.stats.n_tup_upd = 3000;
        part.stats.n_tup_del = 2000;
    }
    Table &ev = b.table("events", 0, 'p');
    b.column(ev, "customer_id", kInt8);
    ev.reltuples = -1;
    ev.relpages = 0;
    for (const char *name : {"events_2024", "events_2025"}) {
        Table &part = b.table(name, 600000);
        b.column(part, "customer_id", kInt8);
        part.is_partition = true;
        part.parent = ev.oid;
    }
    b.fk(ev, "events_customer_id_fkey", {1}, p, {1});
    workload::WorkloadSnapshot w;
    w.available = true;
    workload::IndexAdviceEvidence a;
    a.relation = "public.events";
    a.key_columns = {"customer_id"};
    a.ddl = "CREATE INDEX ON public.events USING btree (customer_id)";
    a.benefit = 1000;
    w.index_advice.push_back(a);
    RuleRun r = run_rule("fk_missing_index", b.done(), Settings(), w);
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.severity, Severity::High);  // 1.2M rows, 10,000 parent updates and deletes
    EXPECT_EQ(f.evidence.get("child_rows"), "1200000");
    EXPECT_EQ(f.evidence.get("parent_updates"), "6000");
    EXPECT_EQ(f.evidence.get("parent_deletes"), "4000");
    EXPECT_EQ(f.impact, 12000 * 8192.0);
    EXPECT_EQ(f.evidence.get("verified_index"), "");
    EXPECT_EQ(f.fix_sql.rfind("CREATE INDEX events_customer_id_idx ON ONLY public.events ", 0), 0u)
        << f.fix_sql;
}

TEST(FkMissingIndex, NewIndexNameAvoidsNamesInUse) {
    FkCase c(5000, 0, 0);
    c.b.table("orders_customer_id_idx", 0);  // a relation already has the natural name
    RuleRun r = run_rule("fk_missing_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].undo_sql, "DROP INDEX CONCURRENTLY public.orders_customer_id_idx1;");
}

// ---- duplicate_index

struct TwoIndexes {
    Builder b;
    Table *t;
    TwoIndexes() {
        t = &b.table("t", 100000);
        b.column(*t, "id", kInt4, true);
        b.column(*t, "a", kInt4);
        b.column(*t, "b", kText);
    }
};

TEST(DuplicateIndex, ReportsTheSecondByNameWithDropAndRecreate) {
    TwoIndexes c;
    c.b.index(*c.t, "t_a1", {"a"}, 4 * kMiB).definition =
        "CREATE INDEX t_a1 ON public.t USING btree (a)";
    c.b.index(*c.t, "t_a2", {"a"}, 4 * kMiB).definition =
        "CREATE INDEX t_a2 ON public.t USING btree (a)";
    RuleRun r = run_rule("duplicate_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.object, "public.t_a2");
    EXPECT_EQ(f.severity, Severity::Medium);
    EXPECT_EQ(f.evidence.get("duplicate_of"), "\"t_a1\"");
    EXPECT_EQ(f.fix_sql, "DROP INDEX CONCURRENTLY public.t_a2;");
    EXPECT_EQ(f.undo_sql, "CREATE INDEX CONCURRENTLY t_a2 ON public.t USING btree (a);");
    EXPECT_EQ(f.impact, 4 * kMiB);
}

TEST(DuplicateIndex, SeverityBySize) {
    auto severity = [](double bytes) {
        TwoIndexes c;
        c.b.index(*c.t, "t_a1", {"a"}, bytes);
        c.b.index(*c.t, "t_a2", {"a"}, bytes);
        RuleRun r = run_rule("duplicate_index", c.b.done());
        EXPECT_EQ(r.findings.size(), 1u);
        return r.findings.empty() ? Severity::Critical : r.findings[0].severity;
    };
    EXPECT_EQ(severity(kMiB - 8192), Severity::Low);
    EXPECT_EQ(severity(kMiB), Severity::Medium);
    EXPECT_EQ(severity(kGiB - 8192), Severity::Medium);
    EXPECT_EQ(severity(kGiB), Severity::High);
}

TEST(DuplicateIndex, KeepsPrimaryKeyThenUniqueOverPlainIndexes) {
    TwoIndexes c;
    Index &pk = c.b.index(*c.t, "t_pkey", {"id"});
    pk.primary = pk.unique = true;
    pk.constraint_oid = 1;
    c.b.index(*c.t, "a_first_by_name", {"id"});
    c.b.index(*c.t, "t_a_plain", {"a"});
    c.b.index(*c.t, "t_a_unique", {"a"}).unique = true;
    RuleRun r = run_rule("duplicate_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 2u);
    EXPECT_NE(find(r, "public.a_first_by_name"), nullptr);
    EXPECT_NE(find(r, "public.t_a_plain"), nullptr);
}

TEST(DuplicateIndex, DifferentCollationOrderPredicateIncludeOrMethodAreNotDuplicates) {
    for (int variant = 0; variant < 6; variant++) {
        TwoIndexes c;
        c.b.index(*c.t, "t_b1", {"b"});
        Index &ix = c.b.index(*c.t, "t_b2", {"b"});
        if (variant == 0) ix.collations[0] = "C";
        if (variant == 1) ix.descending[0] = true;
        if (variant == 2) ix.partial = true, ix.predicate = "(a > 0)";
        if (variant == 3) ix.include = {2};
        if (variant == 4) ix.am = "hash";
        if (variant == 5) ix.opclasses[0] = "text_pattern_ops";
        EXPECT_TRUE(run_rule("duplicate_index", c.b.done()).findings.empty()) << variant;
    }
}

TEST(DuplicateIndex, SameExpressionsAreDuplicatesButUnknownTextsAreNotCompared) {
    TwoIndexes c;
    c.b.index(*c.t, "t_l1", {"(lower(b))"});
    c.b.index(*c.t, "t_l2", {"(lower(b))"});
    c.b.index(*c.t, "t_u", {"(upper(b))"});
    EXPECT_EQ(run_rule("duplicate_index", c.b.done()).findings.size(), 1u);
    c.t->ddl_locked = true;  // the texts were not read: expression keys cannot be compared
    for (Index &ix : c.t->indexes)
        ix.key_expressions.clear(), ix.definition.clear();
    EXPECT_TRUE(run_rule("duplicate_index", c.b.done()).findings.empty());
}

// The table was not locked when it was read, but the indexes' texts were not read (a lock on
// the index, or one taken since): two expression indexes of unknown texts are not duplicates.
TEST(DuplicateIndex, IndexesWhoseTextsAreUnknownAreNotCompared) {
    TwoIndexes c;
    for (const char *name : {"t_l1", "t_l2"}) {
        Index &ix = c.b.index(*c.t, name, {"(lower(b))"});
        ix.key_expressions.clear();
        ix.expressions.clear();
        ix.definition.clear();
        ix.texts_known = false;
    }
    EXPECT_TRUE(run_rule("duplicate_index", c.b.done()).findings.empty());
    c.b.index(*c.t, "t_l3", {"(lower(b))", "a"}).texts_known = false;
    EXPECT_TRUE(run_rule("redundant_prefix_index", c.b.done()).findings.empty());
}

TEST(DuplicateIndex, SkipsInvalidAttachedAndForeignKeyReferencedIndexes) {
    TwoIndexes c;
    c.b.index(*c.t, "t_a1", {"a"});
    c.b.index(*c.t, "t_a2", {"a"}).valid = false;
    c.b.index(*c.t, "t_b1", {"b"});
    c.b.index(*c.t, "t_b2", {"b"}).parent_index = 12345;
    EXPECT_TRUE(run_rule("duplicate_index", c.b.done()).findings.empty());
    // An FK references the second of two unique indexes: it cannot be dropped as is.
    TwoIndexes d;
    d.b.index(*d.t, "u1", {"a"}).unique = true;
    Index &u2 = d.b.index(*d.t, "u2", {"a"});
    u2.unique = true;
    Table &child = d.b.table("child", 10);
    d.b.column(child, "a", kInt4);
    d.b.fk(child, "child_fkey", {1}, *d.t, {2}).index_oid = u2.oid;
    RuleRun r = run_rule("duplicate_index", d.b.done());
    ASSERT_EQ(r.findings.size(), 1u);  // u2 is kept (referenced), u1 reported
    EXPECT_EQ(r.findings[0].object, "public.u1");
}

TEST(DuplicateIndex, TwoConstraintIndexesDropTheConstraint) {
    TwoIndexes c;
    Index &pk = c.b.index(*c.t, "t_pkey", {"id"});
    pk.primary = pk.unique = true;
    pk.constraint_oid = c.b.constraint(*c.t, "t_pkey", 'p', {1}, "PRIMARY KEY (id)").oid;
    Index &uk = c.b.index(*c.t, "t_id_key", {"id"});
    uk.unique = true;
    uk.constraint_oid = c.b.constraint(*c.t, "t_id_key", 'u', {1}, "UNIQUE (id)").oid;
    RuleRun r = run_rule("duplicate_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].fix_sql, "ALTER TABLE public.t DROP CONSTRAINT t_id_key;");
    EXPECT_EQ(r.findings[0].undo_sql, "ALTER TABLE public.t ADD CONSTRAINT t_id_key UNIQUE (id);");
}

// ---- redundant_prefix_index

TEST(RedundantPrefixIndex, NarrowPrefixOfAWiderIndexIsReportedBySize) {
    auto run = [](double bytes) {
        TwoIndexes c;
        c.b.index(*c.t, "t_a", {"a"}, bytes);
        c.b.index(*c.t, "t_a_b", {"a", "b"}, 2 * bytes);
        return run_rule("redundant_prefix_index", c.b.done());
    };
    EXPECT_TRUE(run(kMiB - 8192).findings.empty());  // below redundant_prefix_index_min_bytes
    RuleRun r = run(kMiB);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.t_a");
    EXPECT_EQ(r.findings[0].severity, Severity::Low);
    EXPECT_EQ(r.findings[0].evidence.get("covered_by"), "\"t_a_b\"");
    EXPECT_EQ(r.findings[0].fix_sql, "DROP INDEX CONCURRENTLY public.t_a;");
    EXPECT_EQ(run(100 * kMiB).findings[0].severity, Severity::Medium);
}

TEST(RedundantPrefixIndex, NearMisses) {
    for (int variant = 0; variant < 7; variant++) {
        TwoIndexes c;
        Index &narrow = c.b.index(*c.t, "t_a", {"a"}, 2 * kMiB);
        c.b.index(*c.t, "t_a_b", {"a", "b"}, 4 * kMiB);
        if (variant == 0) narrow.unique = true;
        if (variant == 1) narrow.descending[0] = true;
        if (variant == 2) narrow.partial = true, narrow.predicate = "(a > 1)";
        if (variant == 3) narrow.am = "hash";
        if (variant == 4) narrow.include = {1};  // id is not in t_a_b
        if (variant == 5) narrow.replica_identity = true;
        if (variant == 6) narrow.constraint_oid = 7;
        EXPECT_TRUE(run_rule("redundant_prefix_index", c.b.done()).findings.empty()) << variant;
    }
}

TEST(RedundantPrefixIndex, IncludeCoveredByWiderKeysAndSmallestWiderChosen) {
    TwoIndexes c;
    c.b.index(*c.t, "t_a", {"a"}, 2 * kMiB).include = {3};
    c.b.index(*c.t, "t_a_b_id", {"a", "b", "id"}, 9 * kMiB);
    c.b.index(*c.t, "t_a_b", {"a", "b"}, 5 * kMiB);
    RuleRun r = run_rule("redundant_prefix_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 2u);  // t_a, and t_a_b as a prefix of t_a_b_id
    const Finding *f = find(r, "public.t_a");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->evidence.get("covered_by"), "\"t_a_b\"");
}

TEST(RedundantPrefixIndex, ExpressionKeysCompareByText) {
    TwoIndexes c;
    c.b.index(*c.t, "t_lower", {"(lower(b))"}, 2 * kMiB);
    c.b.index(*c.t, "t_lower_a", {"(lower(b))", "a"}, 4 * kMiB);
    c.b.index(*c.t, "t_upper", {"(upper(b))"}, 2 * kMiB);
    RuleRun r = run_rule("redundant_prefix_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.t_lower");
}

// ---- unused_index

struct UsageCase {
    Builder b;
    Table *t;
    UsageCase() {
        t = &b.table("t", 1000000);
        b.column(*t, "id", kInt4, true);
        b.column(*t, "a", kInt4);
        b.column(*t, "b", kInt4);
        t->stats.seq_scan = 10;
        t->stats.idx_scan = 1000;
    }
};

TEST(UnusedIndex, SkippedWhileTheStatisticsWindowIsShort) {
    UsageCase c;
    c.b.index(*c.t, "t_a", {"a"}, 10 * kMiB);
    c.b.database().postmaster_start = c.b.database().now - 3 * kDay;
    RuleRun r = run_rule("unused_index", c.b.done());
    EXPECT_FALSE(r.ran);
    EXPECT_NE(r.reason.find("3.0 days"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("unused_index_min_window_days"), std::string::npos) << r.reason;
    EXPECT_NE(r.reason.find("7.0 days"), std::string::npos) << r.reason;
    // A reset of the statistics restarts the window even on a long-running server.
    c.b.database().postmaster_start = c.b.database().now - 90 * kDay;
    c.b.database().stats_reset = c.b.database().now - 2 * kDay;
    EXPECT_FALSE(run_rule("unused_index", c.b.done()).ran);
    c.b.database().stats_reset = c.b.database().now - 7 * kDay;
    EXPECT_TRUE(run_rule("unused_index", c.b.done()).ran);
}

TEST(UnusedIndex, ZeroScansFromOneMegabyteWithSeverityBySizeAndWrites) {
    auto run = [](double bytes, int64_t writes) {
        UsageCase c;
        c.b.index(*c.t, "t_a", {"a"}, bytes).definition =
            "CREATE INDEX t_a ON public.t USING btree (a)";
        c.t->stats.n_tup_ins = writes;
        return run_rule("unused_index", c.b.done());
    };
    EXPECT_TRUE(run(kMiB - 8192, 0).findings.empty());
    RuleRun r = run(kMiB, 0);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, Severity::Low);
    EXPECT_EQ(r.findings[0].fix_sql, "DROP INDEX CONCURRENTLY public.t_a;");
    EXPECT_EQ(r.findings[0].undo_sql, "CREATE INDEX CONCURRENTLY t_a ON public.t USING btree (a);");
    EXPECT_EQ(r.findings[0].evidence.get("stats_window_days"), "50");
    EXPECT_EQ(run(100 * kMiB, 0).findings[0].severity, Severity::Medium);
    EXPECT_EQ(run(10 * kGiB, 0).findings[0].severity, Severity::High);
    // 100,000 writes a day over the 50-day window raise it one step (never above high).
    EXPECT_EQ(run(kMiB, 5000000).findings[0].severity, Severity::Medium);
    EXPECT_EQ(run(kMiB, 4999999).findings[0].severity, Severity::Low);
    EXPECT_EQ(run(10 * kGiB, 5000000).findings[0].severity, Severity::High);
}

TEST(UnusedIndex, NeverIndexesThatEnforceSomethingOrCannotBeJudged) {
    for (int variant = 0; variant < 10; variant++) {
        UsageCase c;
        Index &ix = c.b.index(*c.t, "t_a", {"a"}, 10 * kMiB);
        if (variant == 0) ix.unique = true;
        if (variant == 1) ix.primary = true;
        if (variant == 2) ix.constraint_oid = 5;
        if (variant == 3) ix.replica_identity = true;
        if (variant == 4) ix.valid = false;
        if (variant == 5) ix.being_built = true;
        if (variant == 6) ix.am = "pgroonga";  // extension AMs may not count scans
        if (variant == 7) ix.scans = -1;
        if (variant == 8) ix.scans = 1;
        if (variant == 9) c.t->extension_member = true;
        EXPECT_TRUE(run_rule("unused_index", c.b.done()).findings.empty()) << variant;
    }
}

TEST(UnusedIndex, TheOnlyIndexCoveringAForeignKeyIsKept) {
    UsageCase c;
    Table &p = c.b.table("p", 10);
    c.b.column(p, "id", kInt4, true);
    c.b.index(*c.t, "t_a", {"a"}, 10 * kMiB);
    c.b.fk(*c.t, "t_a_fkey", {2}, p, {1});
    EXPECT_TRUE(run_rule("unused_index", c.b.done()).findings.empty());
    // With a second covering index, neither is the only one.
    c.b.index(*c.t, "t_a_b", {"a", "b"}, 10 * kMiB).scans = 50;
    RuleRun r = run_rule("unused_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.t_a");
}

TEST(UnusedIndex, LastScanOlderThanTheWindowCountsAsUnused) {
    UsageCase c;
    Index &ix = c.b.index(*c.t, "t_a", {"a"}, 10 * kMiB);
    ix.scans = 40;
    ix.last_scan = c.b.database().now - 8 * kDay;
    RuleRun r = run_rule("unused_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_NE(r.findings[0].title.find("since"), std::string::npos);
    EXPECT_EQ(r.findings[0].evidence.get("days_since_last_scan"), "8");
    c.t->indexes[0].last_scan = c.b.database().now - 6 * kDay;
    EXPECT_TRUE(run_rule("unused_index", c.b.done()).findings.empty());
}

TEST(UnusedIndex, PartitionedIndexJudgedOnItsPartitionsSummed) {
    Builder b;
    Table &p = b.table("ev", 0, 'p');
    b.column(p, "k", kInt4);
    Index &parent = b.index(p, "ev_k", {"k"}, 0);
    parent.scans = -1;  // partitioned indexes have no statistics
    uint32_t parent_oid = parent.oid;
    Index *last = nullptr;
    for (int i = 0; i < 2; i++) {
        Table &part = b.table("ev_" + std::to_string(i), 100000);
        part.is_partition = true;
        part.parent = p.oid;
        b.column(part, "k", kInt4);
        last = &b.index(part, "ev_" + std::to_string(i) + "_k", {"k"}, 600 * 1024);
        last->parent_index = parent_oid;
    }
    RuleRun r = run_rule("unused_index", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.ev_k");
    EXPECT_EQ(r.findings[0].impact, 1200 * 1024.0);
    EXPECT_EQ(r.findings[0].fix_sql, "DROP INDEX public.ev_k;");  // not concurrently
    EXPECT_NE(r.findings[0].steps.back().find("cannot be dropped concurrently"), std::string::npos);
    last->scans = 3;  // one partition's index is read
    EXPECT_TRUE(run_rule("unused_index", b.done()).findings.empty());
}

// ---- low_value_index

TEST(LowValueIndex, FewScansForManyWritesOnAWriteHeavyTable) {
    auto run = [](int64_t scans, int64_t writes, int64_t table_idx_scans, double bytes) {
        UsageCase c;
        c.t->stats.n_tup_ins = writes;
        c.t->stats.seq_scan = 0;
        c.t->stats.idx_scan = table_idx_scans;
        c.b.index(*c.t, "t_a", {"a"}, bytes).scans = scans;
        return run_rule("low_value_index", c.b.done());
    };
    RuleRun r = run(5, 60000, 1000, 2 * kMiB);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, Severity::Low);
    EXPECT_EQ(r.findings[0].evidence.get("reason"), "\"few scans for many writes\"");
    EXPECT_TRUE(run(100, 60000, 1000, 2 * kMiB).findings.empty());  // 10% of the table's scans
    EXPECT_EQ(run(99, 60000, 1000, 2 * kMiB).findings.size(), 1u);
    EXPECT_TRUE(run(5, 100, 1000, 2 * kMiB).findings.empty());  // not above 100 writes
    EXPECT_EQ(run(5, 101, 1000, 2 * kMiB).findings.size(), 1u);
    EXPECT_TRUE(run(0, 60000, 1000, 2 * kMiB).findings.empty());     // unused: the other rule
    EXPECT_TRUE(run(5, 60000, 1000, kMiB - 8192).findings.empty());  // small
    EXPECT_EQ(run(5, 60000, 1000, 200 * kMiB).findings[0].severity, Severity::Medium);
}

TEST(LowValueIndex, LargeAndSeldomUsedEvenWithFewWrites) {
    UsageCase c;
    c.t->stats.seq_scan = 0;
    c.t->stats.idx_scan = 1000;
    c.b.index(*c.t, "t_a", {"a"}, 100 * kMiB).scans = 49;  // 4.9% of the scans, no writes
    RuleRun r = run_rule("low_value_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].evidence.get("reason"), "\"large and seldom used\"");
    c.t->indexes[0].scans = 50;
    EXPECT_TRUE(run_rule("low_value_index", c.b.done()).findings.empty());
}

TEST(LowValueIndex, SkippedOnAShortWindow) {
    UsageCase c;
    c.b.database().stats_reset = c.b.database().now - kDay;
    EXPECT_FALSE(run_rule("low_value_index", c.b.done()).ran);
}

// ---- one DROP per index across the overlap and usage rules

ReviewResult review_rules(const CatalogSnapshot &cat, std::vector<std::string> rules) {
    Settings settings;
    workload::WorkloadSnapshot workload;
    ReviewInput in{cat, workload, settings};
    ReviewOptions options;
    options.now = cat.database.now;
    options.only_rules = std::move(rules);
    return run_review(in, options);
}

std::vector<std::string> rule_objects(const ReviewResult &r) {
    std::vector<std::string> out;
    for (const Finding &f : r.findings)
        out.push_back(f.rule + " " + f.object);
    std::sort(out.begin(), out.end());
    return out;
}

// Of two identical indexes, the one the queries read is kept; the other is dropped once, by
// duplicate_index, with unused_index's finding of the same DROP folded in; the kept one is
// never proposed for dropping by the usage rules.
TEST(DuplicateIndex, KeepsTheScannedOneAndOneDropAcrossRules) {
    UsageCase c;
    c.b.index(*c.t, "a_idx", {"a"}, 10 * kMiB).scans = 0;
    c.b.index(*c.t, "b_idx", {"a"}, 10 * kMiB).scans = 1000;
    RuleRun d = run_rule("duplicate_index", c.b.done());
    ASSERT_EQ(d.findings.size(), 1u);
    EXPECT_EQ(d.findings[0].object, "public.a_idx");
    EXPECT_EQ(d.findings[0].evidence.get("duplicate_of"), "\"b_idx\"");
    EXPECT_EQ(d.findings[0].fix_key, "drop index public.a_idx");
    ReviewResult r =
        review_rules(c.b.done(), {"duplicate_index", "unused_index", "low_value_index"});
    EXPECT_EQ(rule_objects(r), std::vector<std::string>{"duplicate_index public.a_idx"});
    EXPECT_NE(r.findings[0].evidence.get("also_reported_by").find("\"rule\": \"unused_index\""),
              std::string::npos);

    // Neither is read: one is dropped (the first by name is kept), the other never proposed.
    c.t->indexes[1].scans = 0;
    r = review_rules(c.b.done(), {"duplicate_index", "unused_index", "low_value_index"});
    EXPECT_EQ(rule_objects(r), std::vector<std::string>{"duplicate_index public.b_idx"});

    // Few scans against many writes: low_value_index does not drop the kept one either.
    c.t->indexes[1].scans = 5;
    c.t->stats.n_tup_ins = 60000;
    c.t->stats.seq_scan = 0;
    r = review_rules(c.b.done(), {"duplicate_index", "unused_index", "low_value_index"});
    EXPECT_EQ(rule_objects(r), std::vector<std::string>{"duplicate_index public.a_idx"});
}

// The wider index a redundant prefix is dropped for is kept, however little it is read.
TEST(RedundantPrefixIndex, TheCoveringIndexIsNotProposedForDropping) {
    UsageCase c;
    c.b.index(*c.t, "t_a", {"a"}, 10 * kMiB).scans = 1000;
    c.b.index(*c.t, "t_a_b", {"a", "b"}, 20 * kMiB).scans = 0;
    c.b.index(*c.t, "t_b", {"b"}, 10 * kMiB).scans = 0;
    ReviewResult r = review_rules(c.b.done(), {"redundant_prefix_index", "unused_index"});
    EXPECT_EQ(rule_objects(r), (std::vector<std::string>{"redundant_prefix_index public.t_a",
                                                         "unused_index public.t_b"}));
    EXPECT_EQ(r.findings[0].fix_key.rfind("drop index ", 0), 0u);
}

// ---- invalid_index

TEST(InvalidIndex, ReindexConcurrentlyWithSeverityByUniquenessAndSize) {
    auto run = [](bool unique, bool ready, double bytes) {
        TwoIndexes c;
        Index &ix = c.b.index(*c.t, "t_a", {"a"}, bytes);
        ix.valid = false;
        ix.ready = ready;
        ix.unique = unique;
        return run_rule("invalid_index", c.b.done());
    };
    RuleRun r = run(false, true, kMiB);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, Severity::Medium);
    EXPECT_EQ(r.findings[0].fix_sql, "REINDEX INDEX CONCURRENTLY public.t_a;");
    EXPECT_EQ(run(true, true, kMiB).findings[0].severity, Severity::High);     // still enforced
    EXPECT_EQ(run(true, false, kMiB).findings[0].severity, Severity::Medium);  // not maintained
    EXPECT_EQ(run(false, true, kGiB).findings[0].severity, Severity::High);
}

TEST(InvalidIndex, SkipsBuildsInProgressAndPartitionedIndexes) {
    TwoIndexes c;
    Index &building = c.b.index(*c.t, "t_a", {"a"});
    building.valid = false;
    building.being_built = true;
    Table &p = c.b.table("p", 0, 'p');
    c.b.column(p, "a", kInt4);
    c.b.index(p, "p_a", {"a"}).valid = false;
    c.b.index(*c.t, "t_b", {"b"});
    EXPECT_TRUE(run_rule("invalid_index", c.b.done()).findings.empty());
}

TEST(InvalidIndex, ReindexLeftoverIsDroppedAndOldServersRecreate) {
    TwoIndexes c;
    c.b.index(*c.t, "t_a_ccnew1", {"a"}).valid = false;
    RuleRun r = run_rule("invalid_index", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].fix_sql, "DROP INDEX CONCURRENTLY public.t_a_ccnew1;");
    TwoIndexes d;
    Index &ix = d.b.index(*d.t, "t_a", {"a"});
    ix.valid = false;
    ix.definition = "CREATE INDEX t_a ON public.t USING btree (a)";
    d.b.database().server_version_num = 110000;
    EXPECT_EQ(run_rule("invalid_index", d.b.done()).findings[0].fix_sql,
              "DROP INDEX CONCURRENTLY public.t_a;\n"
              "CREATE INDEX CONCURRENTLY t_a ON public.t USING btree (a);");
}

// ---- seq_scan_hotspot

struct ScanCase {
    Builder b;
    Table *t;
    ScanCase(double rows, int64_t seq, int64_t idx, double read_per_scan) {
        t = &b.table("t", rows);
        b.column(*t, "id", kInt4, true);
        t->stats.seq_scan = seq;
        t->stats.idx_scan = idx;
        t->stats.seq_tup_read = static_cast<int64_t>(seq * read_per_scan);
    }
};

TEST(SeqScanHotspot, StatisticsModeThresholds) {
    auto count = [](double rows, int64_t seq, int64_t idx, double per_scan) {
        ScanCase c(rows, seq, idx, per_scan);
        return run_rule("seq_scan_hotspot", c.b.done()).findings.size();
    };
    EXPECT_EQ(count(20000, 150, 0, 20000), 1u);
    EXPECT_EQ(count(9999, 150, 0, 9999), 0u);       // below 10,000 rows
    EXPECT_EQ(count(20000, 99, 0, 20000), 0u);      // below 100 scans
    EXPECT_EQ(count(20000, 100, 1900, 20000), 0u);  // 95% index scans
    EXPECT_EQ(count(20000, 100, 1899, 20000), 1u);
    EXPECT_EQ(count(20000, 150, 0, 9999), 0u);  // reads under half the table per scan
    EXPECT_EQ(count(20000, 150, 0, 10000), 1u);
}

TEST(SeqScanHotspot, LargeTablesAreHigh) {
    ScanCase c(20000000, 150, 0, 20000000);
    c.t->relpages = kGiB / 8192;
    RuleRun r = run_rule("seq_scan_hotspot", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, Severity::High);
    EXPECT_EQ(r.findings[0].evidence.get("source"),
              "\"pg_stat_all_tables (no captured workload)\"");
}

TEST(SeqScanHotspot, CapturedHotspotsWithTheAdvisorsIndex) {
    ScanCase c(20000, 150, 0, 20000);  // would fire from statistics; the capture decides
    workload::WorkloadSnapshot w;
    w.available = true;
    workload::HotspotEvidence h;
    h.relation = "public.t";
    h.seq_scans = 300;
    h.filter_ratio = 0.99;
    h.total_ms = 5000;
    h.time_share = 0.25;
    h.quals = {"id = $1"};
    h.queryids = {42};
    w.hotspots.push_back(h);
    workload::IndexAdviceEvidence a;
    a.relation = "public.t";
    a.key_columns = {"id"};
    a.ddl = "CREATE INDEX CONCURRENTLY ON public.t USING btree (id)";
    a.benefit = 10;
    w.index_advice.push_back(a);
    RuleRun r = run_rule("seq_scan_hotspot", c.b.done(), Settings(), w);
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.severity, Severity::High);  // a quarter of the captured time
    EXPECT_EQ(f.fix_sql, "CREATE INDEX CONCURRENTLY t_id_idx ON public.t USING btree (id);");
    EXPECT_EQ(f.undo_sql, "DROP INDEX CONCURRENTLY public.t_id_idx;");
    EXPECT_EQ(f.queryids, std::vector<uint64_t>{42});
    w.hotspots[0].time_share = 0.19;
    EXPECT_EQ(run_rule("seq_scan_hotspot", c.b.done(), Settings(), w).findings[0].severity,
              Severity::Medium);
    // Captured statements read the table and nothing is hot: the statistics are not
    // second-guessed.
    w.hotspots.clear();
    workload::StatementEvidence st;
    workload::ScanEvidence scan;
    scan.relation = "public.t";
    st.scans.push_back(scan);
    w.statements.push_back(st);
    EXPECT_TRUE(run_rule("seq_scan_hotspot", c.b.done(), Settings(), w).findings.empty());
    // No captured statement read it (nested statements under track = top): the statistics
    // speak.
    w.statements[0].scans[0].relation = "public.other";
    RuleRun stats = run_rule("seq_scan_hotspot", c.b.done(), Settings(), w);
    ASSERT_EQ(stats.findings.size(), 1u);
    EXPECT_EQ(stats.findings[0].evidence.get("source"),
              "\"pg_stat_all_tables (no captured statement read the table)\"");
}

// ---- index_bloat

struct BloatCase {
    Builder b;
    Table *t;
    BloatCase(double rows, double index_bytes) {
        t = &b.table("t", rows);
        Column &c = b.column(*t, "id", kInt4, true);
        c.stats.present = true;
        c.stats.avg_width = 4;
        c.stats.n_distinct = -1;
        b.index(*t, "t_id", {"id"}, index_bytes).unique = true;
    }
};

TEST(IndexBloat, ComparesWithWhatCreateIndexWouldBuild) {
    // 10M int4 keys build about 214 MB (20 bytes per entry, 90% full leaves).
    BloatCase fresh(10000000, 215 * kMiB);
    EXPECT_TRUE(run_rule("index_bloat", fresh.b.done()).findings.empty());
    BloatCase bloated(10000000, 500 * kMiB);
    RuleRun r = run_rule("index_bloat", bloated.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.severity, Severity::Medium);
    EXPECT_EQ(f.fix_sql, "REINDEX INDEX CONCURRENTLY public.t_id;");
    double expected = std::stod(f.evidence.get("expected_bytes"));
    EXPECT_GT(expected, 200 * kMiB);
    EXPECT_LT(expected, 230 * kMiB);
    EXPECT_NEAR(f.impact, 500 * kMiB - expected, 1);
}

TEST(IndexBloat, ThresholdsAndSeverity) {
    EXPECT_EQ(
        run_rule("index_bloat", BloatCase(10000000, 2500 * kMiB).b.done()).findings[0].severity,
        Severity::High);  // over 90% waste
    // Less than 40% waste: 10M keys in 340 MB.
    EXPECT_TRUE(run_rule("index_bloat", BloatCase(10000000, 340 * kMiB).b.done()).findings.empty());
    // 80% waste but only 80 MB of it: below index_bloat_min_bytes (100 MB).
    EXPECT_TRUE(run_rule("index_bloat", BloatCase(1000000, 100 * kMiB).b.done()).findings.empty());
}

TEST(IndexBloat, NeedsWidthsAndABtree) {
    BloatCase no_stats(10000000, 500 * kMiB);
    no_stats.t->columns[0].stats.present = false;
    no_stats.t->columns[0].typlen = -1;  // a varlena without statistics: width unknown
    EXPECT_TRUE(run_rule("index_bloat", no_stats.b.done()).findings.empty());
    BloatCase gin(10000000, 500 * kMiB);
    gin.t->indexes[0].am = "gin";
    EXPECT_TRUE(run_rule("index_bloat", gin.b.done()).findings.empty());
    BloatCase low_fill(10000000, 430 * kMiB);  // fillfactor 45 doubles the expected size
    low_fill.t->indexes[0].options = {"fillfactor=45"};
    EXPECT_TRUE(run_rule("index_bloat", low_fill.b.done()).findings.empty());
}

// ---- partial_index_candidate

struct NullCase {
    Builder b;
    Table *t;
    NullCase(double rows, double null_frac) {
        t = &b.table("t", rows);
        b.column(*t, "id", kInt4, true);
        Column &c = b.column(*t, "deleted_at", kTimestamptz);
        c.stats.present = true;
        c.stats.null_frac = null_frac;
        b.index(*t, "t_deleted_at", {"deleted_at"}, 10 * kMiB).definition =
            "CREATE INDEX t_deleted_at ON public.t USING btree (deleted_at)";
    }
};

TEST(PartialIndexCandidate, MostlyNullColumnGetsAPartialIndex) {
    NullCase c(200000, 0.9);
    RuleRun r = run_rule("partial_index_candidate", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.severity, Severity::Low);
    EXPECT_EQ(f.fix_sql,
              "CREATE INDEX CONCURRENTLY t_deleted_at_nn_idx ON public.t USING btree "
              "(deleted_at) WHERE deleted_at IS NOT NULL;\n"
              "DROP INDEX CONCURRENTLY public.t_deleted_at;");
    EXPECT_EQ(f.undo_sql,
              "CREATE INDEX CONCURRENTLY t_deleted_at ON public.t USING btree (deleted_at);\n"
              "DROP INDEX CONCURRENTLY public.t_deleted_at_nn_idx;");
    EXPECT_NEAR(f.impact, 9 * kMiB, 1);
}

TEST(PartialIndexCandidate, Thresholds) {
    EXPECT_EQ(run_rule("partial_index_candidate", NullCase(100000, 0.5).b.done()).findings.size(),
              1u);
    EXPECT_TRUE(
        run_rule("partial_index_candidate", NullCase(99999, 0.9).b.done()).findings.empty());
    EXPECT_TRUE(
        run_rule("partial_index_candidate", NullCase(200000, 0.49).b.done()).findings.empty());
    NullCase unique(200000, 0.9);
    unique.t->indexes[0].unique = true;
    EXPECT_TRUE(run_rule("partial_index_candidate", unique.b.done()).findings.empty());
}

TEST(PartialIndexCandidate, DominantValueIsInfoExceptOnForeignKeys) {
    NullCase c(200000, 0);
    Column &col = c.t->columns[1];
    col.stats.most_common_freqs = {0.95, 0.05};
    col.stats.most_common_value = "2024-01-01 00:00:00+00";
    RuleRun r = run_rule("partial_index_candidate", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].severity, Severity::Info);
    EXPECT_NE(r.findings[0].fix_sql.find("WHERE deleted_at <> '2024-01-01 00:00:00+00'"),
              std::string::npos);
    Table &p = c.b.table("p", 10);
    c.b.column(p, "id", kTimestamptz, true);
    c.b.fk(*c.t, "t_fkey", {2}, p, {1});
    EXPECT_TRUE(run_rule("partial_index_candidate", c.b.done()).findings.empty());
}

// ---- index_design_smell

TEST(IndexDesignSmell, EachSmellAndItsNearMiss) {
    Builder b;
    Table &t = b.table("t", 20000);
    b.column(t, "a", kInt4);
    b.column(t, "b", kInt4);
    b.column(t, "c", kInt4);
    b.column(t, "d", kInt4);
    b.column(t, "created_at", kTimestamptz);
    b.column(t, "flag", kBool).stats.present = true;
    b.column(t, "tags", kInt4Array);
    b.column(t, "email", kText, true);
    b.column(t, "nick", kText);
    b.index(t, "t_abcd", {"a", "b", "c", "d"});
    b.index(t, "t_abc", {"a", "b", "c"});  // 3 keys: fine
    Index &uk = b.index(t, "t_abcd_key", {"a", "b", "c", "d"});
    uk.unique = true;
    b.index(t, "t_created_a", {"created_at", "a"});
    b.index(t, "t_a_created", {"a", "created_at"});
    b.index(t, "t_flag", {"flag"});
    b.index(t, "t_flag_a", {"flag", "a"});
    b.index(t, "t_tags", {"tags"});
    Index &gin = b.index(t, "t_tags_gin", {"tags"});
    gin.am = "gin";
    Index &email = b.index(t, "t_email", {"email"});
    email.partial = true;
    email.predicate = "(email IS NOT NULL)";
    email.definition =
        "CREATE INDEX t_email ON public.t USING btree (email) WHERE (email IS NOT NULL)";
    Index &nick = b.index(t, "t_nick", {"nick"});
    nick.partial = true;
    nick.predicate = "(nick IS NOT NULL)";
    RuleRun r = run_rule("index_design_smell", b.done());
    std::vector<std::string> got;
    for (const Finding &f : r.findings)
        got.push_back(f.identity + "/" + std::string(severity_name(f.severity)));
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::string>{
                       "t_abcd:too_many_columns/low", "t_created_a:range_column_not_last/info",
                       "t_email:redundant_not_null_predicate/low", "t_flag:low_cardinality/info",
                       "t_tags:btree_on_array/low"}));
    const Finding *f = find(r, "public.t_email");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->fix_sql,
              "CREATE INDEX CONCURRENTLY t_email_new ON public.t USING btree (email);\n"
              "DROP INDEX CONCURRENTLY public.t_email;\n"
              "ALTER INDEX public.t_email_new RENAME TO t_email;");
    EXPECT_EQ(f->undo_sql,
              "DROP INDEX CONCURRENTLY public.t_email;\n"
              "CREATE INDEX CONCURRENTLY t_email ON public.t USING btree (email) "
              "WHERE (email IS NOT NULL);");
}

// On a partitioned table the rebuilt index is made the partitioned way (ON ONLY, one
// concurrent build per partition, attached), INCLUDE and WITH kept; the undo drops it plainly.
TEST(IndexDesignSmell, RedundantPredicateOnAPartitionedTable) {
    Builder b;
    Table &t = b.table("ev", 20000, 'p');
    b.column(t, "email", kText, true);
    b.column(t, "n", kInt4);
    Table &part = b.table("ev_1", 20000);
    b.column(part, "email", kText, true);
    b.column(part, "n", kInt4);
    part.is_partition = true;
    part.parent = t.oid;
    Index &ix = b.index(t, "ev_email", {"email"});
    ix.partial = true;
    ix.predicate = "(email IS NOT NULL)";
    ix.definition =
        "CREATE INDEX ev_email ON ONLY public.ev USING btree (email) INCLUDE (n) WITH "
        "(fillfactor='70') WHERE (email IS NOT NULL)";
    RuleRun r = run_rule("index_design_smell", b.done());
    const Finding *f = find(r, "public.ev_email");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->fix_sql,
              "CREATE INDEX ev_email_new ON ONLY public.ev USING btree (email) INCLUDE (n) WITH "
              "(fillfactor='70');\n"
              "CREATE INDEX CONCURRENTLY ev_1_email_idx ON public.ev_1 USING btree (email) "
              "INCLUDE (n) WITH (fillfactor='70');\n"
              "ALTER INDEX public.ev_email_new ATTACH PARTITION public.ev_1_email_idx;\n"
              "DROP INDEX public.ev_email;\n"
              "ALTER INDEX public.ev_email_new RENAME TO ev_email;");
    EXPECT_EQ(f->undo_sql,
              "DROP INDEX public.ev_email;\n"
              "CREATE INDEX ev_email ON public.ev USING btree (email) INCLUDE (n) WITH "
              "(fillfactor='70') WHERE (email IS NOT NULL);");
}

TEST(IndexDesignSmell, ColumnOrderSmellsNeedTenThousandRows) {
    Builder b;
    Table &t = b.table("t", 9999);
    b.column(t, "a", kInt4);
    b.column(t, "b", kInt4);
    b.column(t, "c", kInt4);
    b.column(t, "d", kInt4);
    b.column(t, "tags", kInt4Array);
    b.index(t, "t_abcd", {"a", "b", "c", "d"});
    b.index(t, "t_tags", {"tags"});  // structural: reported on any size
    RuleRun r = run_rule("index_design_smell", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].identity, "t_tags:btree_on_array");
}

TEST(IndexDesignSmell, LowCardinalityByDistinctCount) {
    for (double nd : {2.0, 3.0}) {
        Builder b;
        Table &t = b.table("t", 20000);
        Column &c = b.column(t, "status", kText);
        c.stats.present = true;
        c.stats.n_distinct = nd;
        b.index(t, "t_status", {"status"});
        EXPECT_EQ(run_rule("index_design_smell", b.done()).findings.size(), nd <= 2 ? 1u : 0u);
    }
}

// ---- hot_update_blocked

struct HotCase {
    Builder b;
    Table *t;
    HotCase(int64_t updates, int64_t hot, int64_t newpage) {
        t = &b.table("t", 100000);
        b.column(*t, "id", kInt4, true);
        b.column(*t, "k", kInt4);
        b.index(*t, "t_k", {"k"});
        t->stats.n_tup_upd = updates;
        t->stats.n_tup_hot_upd = hot;
        t->stats.n_tup_newpage_upd = newpage;
    }
};

TEST(HotUpdateBlocked, WithoutNewPageCountsOneFindingForLowHotShare) {
    RuleRun r = run_rule("hot_update_blocked", HotCase(10000, 999, -1).b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].identity, "hot_share_low");
    EXPECT_EQ(r.findings[0].severity, Severity::Low);
    EXPECT_EQ(r.findings[0].fix_sql, "ALTER TABLE public.t SET (fillfactor = 90);");
    EXPECT_EQ(r.findings[0].undo_sql, "ALTER TABLE public.t RESET (fillfactor);");
    EXPECT_TRUE(run_rule("hot_update_blocked", HotCase(10000, 1000, -1).b.done()).findings.empty());
    EXPECT_TRUE(run_rule("hot_update_blocked", HotCase(9999, 0, -1).b.done()).findings.empty());
    EXPECT_EQ(run_rule("hot_update_blocked", HotCase(1000000, 0, -1).b.done()).findings[0].severity,
              Severity::Medium);
}

TEST(HotUpdateBlocked, NewPageCountsSeparateTheTwoCauses) {
    // 30% moved to a new page: page space; of the 70% same-page ones, 5% HOT: indexed columns.
    RuleRun r = run_rule("hot_update_blocked", HotCase(100000, 3500, 30000).b.done());
    ASSERT_EQ(r.findings.size(), 2u);
    const Finding *space = find(r, "public.t", "page_space");
    const Finding *cols = find(r, "public.t", "indexed_columns");
    ASSERT_NE(space, nullptr);
    ASSERT_NE(cols, nullptr);
    EXPECT_EQ(space->fix_sql, "ALTER TABLE public.t SET (fillfactor = 90);");
    EXPECT_TRUE(cols->fix_sql.empty());
    EXPECT_EQ(cols->evidence.get("indexed_columns"), "[\"k\"]");
    // 19% new page and 10% HOT among same-page updates: neither.
    EXPECT_TRUE(
        run_rule("hot_update_blocked", HotCase(100000, 8100, 19000).b.done()).findings.empty());
}

TEST(HotUpdateBlocked, NoFillfactorAdviceBelowSeventy) {
    HotCase c(100000, 0, 50000);
    c.t->options = {"fillfactor=70"};
    const Finding *f = find(run_rule("hot_update_blocked", c.b.done()), "public.t", "page_space");
    ASSERT_NE(f, nullptr);
    EXPECT_TRUE(f->fix_sql.empty());
    HotCase d(100000, 0, 50000);
    d.t->options = {"fillfactor=85"};
    RuleRun r = run_rule("hot_update_blocked", d.b.done());
    const Finding *g = find(r, "public.t", "page_space");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->fix_sql, "ALTER TABLE public.t SET (fillfactor = 75);");
    EXPECT_EQ(g->undo_sql, "ALTER TABLE public.t SET (fillfactor = 85);");
}

// ---- missing_index

workload::IndexAdviceEvidence advice(double saving, double calls) {
    workload::IndexAdviceEvidence a;
    a.relation = "public.orders";
    a.key_columns = {"customer_id", "created_at DESC"};
    a.ddl = "CREATE INDEX CONCURRENTLY ON public.orders USING btree (customer_id, created_at DESC)";
    a.calls = calls;
    a.saving_pct = saving;
    a.cost_before = 1000;
    a.cost_after = 10;
    a.benefit = 990 * calls;
    a.queryids = {7, 8};
    a.reason = "serves 2 statements";
    return a;
}

TEST(MissingIndex, NotCheckedWithoutACapturedWorkload) {
    Builder b;
    workload::WorkloadSnapshot w;
    w.unavailable_reason = "pg_advisor is not in shared_preload_libraries";
    RuleRun r = run_rule("missing_index", b.done(), Settings(), w);
    EXPECT_FALSE(r.ran);
    EXPECT_EQ(r.reason, "no captured workload: pg_advisor is not in shared_preload_libraries");
}

TEST(MissingIndex, OneFindingPerRecommendationNamedSoTheUndoCanDropIt) {
    Builder b;
    Table &t = b.table("orders", 100000);
    b.column(t, "customer_id", kInt8);
    b.column(t, "created_at", kTimestamptz);
    workload::WorkloadSnapshot w;
    w.available = true;
    w.index_advice = {advice(95, 20000), advice(50, 20000), advice(95, 99)};
    w.index_advice[1].key_columns = {"created_at"};
    w.index_advice[2].key_columns = {"customer_id"};
    w.index_advice[2].ddl = "CREATE INDEX CONCURRENTLY \"My Index\" ON public.orders (customer_id)";
    RuleRun r = run_rule("missing_index", b.done(), Settings(), w);
    ASSERT_EQ(r.findings.size(), 3u);
    const Finding *high = find(r, "public.orders", "(customer_id, created_at DESC)");
    ASSERT_NE(high, nullptr);
    EXPECT_EQ(high->severity, Severity::High);
    EXPECT_EQ(high->fix_sql,
              "CREATE INDEX CONCURRENTLY orders_customer_id_created_at_idx ON public.orders "
              "USING btree (customer_id, created_at DESC);");
    EXPECT_EQ(high->undo_sql, "DROP INDEX CONCURRENTLY public.orders_customer_id_created_at_idx;");
    EXPECT_EQ(high->queryids, (std::vector<uint64_t>{7, 8}));
    EXPECT_EQ(high->impact_unit, "cost");
    EXPECT_EQ(find(r, "public.orders", "(created_at)")->severity, Severity::Medium);
    const Finding *named = find(r, "public.orders", "(customer_id)");
    ASSERT_NE(named, nullptr);
    EXPECT_EQ(named->severity, Severity::Low);  // 99 calls
    EXPECT_EQ(named->undo_sql, "DROP INDEX CONCURRENTLY public.\"My Index\";");
}

// A recommendation for a relation the snapshot does not hold: the undo still names the
// schema (from the relation's name), never an unqualified index.
TEST(MissingIndex, UndoIsQualifiedWhenTheTableIsUnknown) {
    Builder b;
    workload::WorkloadSnapshot w;
    w.available = true;
    w.index_advice = {advice(95, 20000)};
    w.index_advice[0].relation = "\"My Schema\".orders";
    w.index_advice[0].ddl =
        "CREATE INDEX CONCURRENTLY orders_c_idx ON \"My Schema\".orders (customer_id)";
    RuleRun r = run_rule("missing_index", b.done(), Settings(), w);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].undo_sql, "DROP INDEX CONCURRENTLY \"My Schema\".orders_c_idx;");
    EXPECT_EQ(r.findings[0].fix_key, "index \"My Schema\".orders (customer_id, created_at DESC)");

    // A quoted relation name without a schema gives no schema (not the table's name).
    w.index_advice[0].relation = "\"Orders\"";
    w.index_advice[0].ddl = "CREATE INDEX CONCURRENTLY orders_c_idx ON \"Orders\" (customer_id)";
    r = run_rule("missing_index", b.done(), Settings(), w);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].undo_sql.find("\"Orders\"."), std::string::npos)
        << r.findings[0].undo_sql;
}

}  // namespace
}  // namespace pg_advisor::review::relation_test
