// Unit tests of the schema rules (review/rules/schema.cpp) on hand-built snapshots.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "relation_snapshot.h"

namespace pg_advisor::review::relation_test {
namespace {

std::vector<std::string> objects(const RuleRun &r) {
    std::vector<std::string> out;
    for (const Finding &f : r.findings)
        out.push_back(std::string(severity_name(f.severity)) + " " + f.object);
    std::sort(out.begin(), out.end());
    return out;
}

// ---- no_primary_key

TEST(NoPrimaryKey, SeverityByUsableKeyAndSize) {
    Builder b;
    Table &small = b.table("small", 10);
    b.column(small, "a", kInt4);
    Table &big = b.table("big", 1000000);
    b.column(big, "a", kInt4);
    Table &almost = b.table("almost", 999999);
    b.column(almost, "a", kInt4);
    Table &keyed = b.table("keyed", 1000000);
    b.column(keyed, "a", kInt4, true);
    Index &u = b.index(keyed, "keyed_a", {"a"});
    u.unique = true;
    u.definition = "CREATE UNIQUE INDEX keyed_a ON public.keyed USING btree (a)";
    Table &nullable = b.table("nullable", 10);
    b.column(nullable, "a", kInt4);
    b.index(nullable, "nullable_a", {"a"}).unique = true;  // NULLs allowed: not a key
    Table &pk = b.table("pk", 10);
    b.column(pk, "id", kInt4, true);
    b.index(pk, "pk_pkey", {"id"}).primary = true;
    b.table("v", 0, 'v');
    Table &part = b.table("part", 10);
    part.is_partition = true;
    RuleRun r = run_rule("no_primary_key", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{
                              "high public.big", "low public.keyed", "medium public.almost",
                              "medium public.nullable", "medium public.small"}));
    const Finding *k = find(r, "public.keyed");
    EXPECT_EQ(k->fix_sql,
              "ALTER TABLE public.keyed ADD CONSTRAINT keyed_a PRIMARY KEY USING INDEX keyed_a;");
    EXPECT_EQ(k->undo_sql,
              "ALTER TABLE public.keyed DROP CONSTRAINT keyed_a;\n"
              "CREATE UNIQUE INDEX CONCURRENTLY keyed_a ON public.keyed USING btree (a);");
    const Finding *s = find(r, "public.small");
    EXPECT_EQ(
        s->fix_sql,
        "ALTER TABLE public.small ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;");
    EXPECT_EQ(s->undo_sql, "ALTER TABLE public.small DROP COLUMN id;");
}

// ADD PRIMARY KEY USING INDEX only for an index the server accepts: a plain btree unique index
// that backs no constraint; otherwise the identity column.
TEST(NoPrimaryKey, PromotesOnlyAPlainBtreeUniqueIndex) {
    for (int variant = 0; variant < 7; variant++) {
        Builder b;
        Table &t = b.table("keyed", 10);
        b.column(t, "a", kInt4, true);
        Index &u = b.index(t, "keyed_a", {"a"});
        u.unique = true;
        u.definition = "CREATE UNIQUE INDEX keyed_a ON public.keyed USING btree (a)";
        if (variant == 1) u.constraint_oid = 99;  // a UNIQUE constraint's index
        if (variant == 2) u.am = "hash";
        if (variant == 3) u.descending[0] = true;
        if (variant == 4) u.nulls_first[0] = true;
        if (variant == 5) u.default_opclass[0] = false, u.opclasses[0] = "int4_ops_other";
        if (variant == 6) u.collations[0] = "C";
        RuleRun r = run_rule("no_primary_key", b.done());
        ASSERT_EQ(r.findings.size(), 1u) << variant;
        EXPECT_EQ(r.findings[0].severity, Severity::Low) << variant;
        if (variant == 0)
            EXPECT_EQ(r.findings[0].fix_sql,
                      "ALTER TABLE public.keyed ADD CONSTRAINT keyed_a "
                      "PRIMARY KEY USING INDEX keyed_a;");
        else
            EXPECT_EQ(r.findings[0].fix_sql,
                      "ALTER TABLE public.keyed ADD COLUMN id bigint GENERATED ALWAYS AS "
                      "IDENTITY PRIMARY KEY;")
                << variant;
    }
}

TEST(NoPrimaryKey, NewColumnNameAvoidsExistingOnes) {
    Builder b;
    Table &t = b.table("t", 10);
    b.column(t, "id", kText);
    RuleRun r = run_rule("no_primary_key", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_NE(r.findings[0].fix_sql.find("ADD COLUMN t_id bigint"), std::string::npos);
}

TEST(NoPrimaryKey, PartitionedTablesGetAdviceWithoutSqlAndExtensionsAreSkipped) {
    Builder b;
    b.table("p", 10, 'p');
    b.table("ext", 10).extension_member = true;
    RuleRun r = run_rule("no_primary_key", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.p");
    EXPECT_TRUE(r.findings[0].fix_sql.empty());
    EXPECT_NE(r.findings[0].recommendation.find("partition key"), std::string::npos);
}

// ---- sequence_or_key_near_overflow

struct SerialCase {
    Builder b;
    Table *t;
    Sequence *s;
    SerialCase(uint32_t column_type, const std::string &seq_type, int64_t seq_max) {
        t = &b.table("t", 1000);
        b.column(*t, "id", column_type, true);
        b.index(*t, "t_pkey", {"id"}).primary = true;
        s = &b.sequence("t_id_seq", seq_type, seq_max);
        s->owned_by_table = t->oid;
        s->owned_by_column = 1;
    }
};

TEST(SequenceNearOverflow, SeverityByShareOfTheRange) {
    auto severity = [](int64_t value) {
        SerialCase c(kInt4, "integer", 2147483647);
        c.s->has_value = true;
        c.s->last_value = value;
        RuleRun r = run_rule("sequence_or_key_near_overflow", c.b.done());
        return r.findings.empty() ? std::string("none")
                                  : std::string(severity_name(r.findings[0].severity));
    };
    EXPECT_EQ(severity(1073741822), "none");      // just under 50%
    EXPECT_EQ(severity(1073741824), "medium");    // 50%
    EXPECT_EQ(severity(1610612736), "high");      // 75%
    EXPECT_EQ(severity(1932735283), "critical");  // 90%
}

TEST(SequenceNearOverflow, ColumnTypeBoundsABigintSequence) {
    SerialCase c(kInt4, "bigint", INT64_MAX);
    c.s->has_value = true;
    c.s->last_value = 2000000000;
    RuleRun r = run_rule("sequence_or_key_near_overflow", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.object, "public.t_id_seq");
    EXPECT_EQ(f.identity, "t.id");
    EXPECT_EQ(f.severity, Severity::Critical);
    EXPECT_EQ(f.evidence.get("limit_source"), "\"the column type's\"");
    EXPECT_EQ(f.fix_sql, "ALTER TABLE public.t ALTER COLUMN id TYPE bigint;");
}

TEST(SequenceNearOverflow, WideningCoversReferencingColumnsAndTheSequence) {
    SerialCase c(kInt4, "integer", 2147483647);
    c.s->has_value = true;
    c.s->last_value = 2000000000;
    Table &child = c.b.table("child", 10);
    c.b.column(child, "t_id", kInt4);
    c.b.fk(child, "child_t_id_fkey", {1}, *c.t, {1});
    RuleRun r = run_rule("sequence_or_key_near_overflow", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].fix_sql,
              "ALTER TABLE public.t ALTER COLUMN id TYPE bigint;\n"
              "ALTER TABLE public.child ALTER COLUMN t_id TYPE bigint;\n"
              "ALTER SEQUENCE public.t_id_seq AS bigint;");
}

TEST(SequenceNearOverflow, IntegerColumnReferencingABigintKey) {
    SerialCase c(kInt8, "bigint", INT64_MAX);
    c.s->has_value = true;
    c.s->last_value = 1500000000;  // nothing for a bigint, 70% of integer
    Table &child = c.b.table("child", 10);
    c.b.column(child, "t_id", kInt4);
    c.b.fk(child, "child_t_id_fkey", {1}, *c.t, {1});
    RuleRun r = run_rule("sequence_or_key_near_overflow", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.child.t_id");
    EXPECT_EQ(r.findings[0].severity, Severity::Medium);
}

// Two foreign keys on one column (to the same key) are one column to widen, reported once.
TEST(SequenceNearOverflow, TwoForeignKeysOnOneColumnAreOneColumn) {
    SerialCase c(kInt8, "bigint", INT64_MAX);
    c.s->has_value = true;
    c.s->last_value = 1500000000;
    Table &child = c.b.table("child", 10);
    c.b.column(child, "t_id", kInt4);
    c.b.fk(child, "child_t_id_fkey", {1}, *c.t, {1});
    c.b.fk(child, "child_t_id_fkey2", {1}, *c.t, {1});
    std::vector<Finding> raw = raw_findings("sequence_or_key_near_overflow", c.b.done());
    ASSERT_EQ(raw.size(), 1u);
    EXPECT_EQ(raw[0].object, "public.child.t_id");
    EXPECT_EQ(raw[0].fix_sql, "ALTER TABLE public.child ALTER COLUMN t_id TYPE bigint;");

    SerialCase w(kInt4, "integer", 2147483647);
    w.s->has_value = true;
    w.s->last_value = 2000000000;
    Table &wchild = w.b.table("child", 10);
    w.b.column(wchild, "t_id", kInt4);
    w.b.fk(wchild, "child_t_id_fkey", {1}, *w.t, {1});
    w.b.fk(wchild, "child_t_id_fkey2", {1}, *w.t, {1});
    RuleRun r = run_rule("sequence_or_key_near_overflow", w.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].fix_sql,
              "ALTER TABLE public.t ALTER COLUMN id TYPE bigint;\n"
              "ALTER TABLE public.child ALTER COLUMN t_id TYPE bigint;\n"
              "ALTER SEQUENCE public.t_id_seq AS bigint;");
}

TEST(SequenceNearOverflow, StatisticsWhenTheValueWasNotReadAndCyclesSkipped) {
    SerialCase c(kInt2, "smallint", 32767);
    c.t->columns[0].stats.present = true;
    c.t->columns[0].stats.has_int_max = true;
    c.t->columns[0].stats.int_max = 30000;
    RuleRun r = run_rule("sequence_or_key_near_overflow", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].evidence.get("value_source"), "\"pg_stats largest\"");
    EXPECT_EQ(r.findings[0].severity, Severity::Critical);
    c.s->cycle = true;  // the sequence's own bound, cycling: by design
    c.s->has_value = true;
    c.s->last_value = 32000;
    c.t->columns[0].stats.has_int_max = false;
    EXPECT_TRUE(run_rule("sequence_or_key_near_overflow", c.b.done()).findings.empty());
}

TEST(SequenceNearOverflow, ApplicationGeneratedIntegerKeys) {
    Builder b;
    Table &t = b.table("g", 3);
    Column &c = b.column(t, "id", kInt4, true);
    c.stats.present = true;
    c.stats.has_int_max = true;
    c.stats.int_max = 2100000000;
    b.index(t, "g_pkey", {"id"}).primary = true;
    RuleRun r = run_rule("sequence_or_key_near_overflow", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.g.id");
    EXPECT_EQ(r.findings[0].severity, Severity::Critical);
}

TEST(SequenceNearOverflow, ExactBoundariesOfTheThresholds) {
    // A standalone sequence from 1 to 101: a last value of 51 is exactly 50% of the range.
    auto severity = [](int64_t value, double critical) {
        Builder b;
        Sequence &s = b.sequence("counter", "integer", 101);
        s.has_value = true;
        s.last_value = value;
        Settings settings;
        settings.set("sequence_or_key_near_overflow_critical_used", critical);
        RuleRun r = run_rule("sequence_or_key_near_overflow", b.done(), settings);
        return r.findings.empty() ? std::string("none")
                                  : std::string(severity_name(r.findings[0].severity));
    };
    EXPECT_EQ(severity(50, 0.9), "none");      // 49%
    EXPECT_EQ(severity(51, 0.9), "medium");    // 50%: min_used
    EXPECT_EQ(severity(76, 0.9), "high");      // 75%: high_used
    EXPECT_EQ(severity(91, 0.9), "critical");  // 90%: critical_used
    EXPECT_EQ(severity(90, 0.9), "high");      // 89%
    EXPECT_EQ(severity(51, 0.5), "critical");  // the threshold is a setting
}

TEST(SequenceNearOverflow, ThresholdsComeFromSettings) {
    SerialCase c(kInt4, "integer", 2147483647);
    c.s->has_value = true;
    c.s->last_value = 429496800;  // just over 20%
    Settings s;
    s.set("sequence_or_key_near_overflow_min_used", 0.2);
    EXPECT_EQ(run_rule("sequence_or_key_near_overflow", c.b.done(), s).findings.size(), 1u);
    EXPECT_TRUE(run_rule("sequence_or_key_near_overflow", c.b.done()).findings.empty());
}

// ---- int_key_design

TEST(IntKeyDesign, IntegerKeysOfGrowingTables) {
    Builder b;
    auto keyed = [&](const char *name, double rows, uint32_t type) {
        Table &t = b.table(name, rows);
        b.column(t, "id", type, true);
        b.index(t, std::string(name) + "_pkey", {"id"}).primary = true;
    };
    keyed("small_int", 9999, kInt4);
    keyed("int_table", 10000, kInt4);
    keyed("big_int", 1000000, kInt4);
    keyed("small_key", 10000, kInt2);
    keyed("bigint_key", 1000000, kInt8);
    RuleRun r = run_rule("int_key_design", b.done());
    EXPECT_EQ(objects(r),
              (std::vector<std::string>{"info public.int_table.id", "low public.big_int.id",
                                        "low public.small_key.id"}));
    EXPECT_EQ(find(r, "public.int_table.id")->fix_sql,
              "ALTER TABLE public.int_table ALTER COLUMN id TYPE bigint;");
}

// int_key_design and sequence_or_key_near_overflow propose the same ALTER: one finding.
TEST(IntKeyDesign, SameWideningAsTheOverflowIsOneFinding) {
    SerialCase c(kInt4, "integer", 2147483647);
    c.t->reltuples = 1000000;
    c.s->has_value = true;
    c.s->last_value = 2000000000;
    Settings settings;
    workload::WorkloadSnapshot workload;
    ReviewInput in{c.b.done(), workload, settings};
    ReviewOptions options;
    options.now = c.b.done().database.now;
    options.only_rules = {"int_key_design", "sequence_or_key_near_overflow"};
    ReviewResult r = run_review(in, options);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].rule, "sequence_or_key_near_overflow");
    EXPECT_EQ(r.findings[0].fix_key, "widen public.t.id");
    EXPECT_NE(r.findings[0].evidence.get("also_reported_by").find("int_key_design"),
              std::string::npos);
}

// ---- fk_type_mismatch

TEST(FkTypeMismatch, NarrowerIntegerIsHighOtherTypesMediumLengthsLow) {
    Builder b;
    Table &p = b.table("p", 10);
    b.column(p, "id", kInt8, true);
    Column &code = b.column(p, "code", kVarchar, true);
    code.typmod = 24;
    code.type = "character varying(20)";
    Table &c1 = b.table("c_int", 10);
    b.column(c1, "p_id", kInt4);
    b.fk(c1, "c_int_fkey", {1}, p, {1});
    Table &c2 = b.table("c_text", 10);
    b.column(c2, "code", kText);
    b.fk(c2, "c_text_fkey", {1}, p, {2});
    Table &c3 = b.table("c_wide", 10);
    Column &w = b.column(c3, "code", kVarchar);
    w.typmod = 34;
    w.type = "character varying(30)";
    b.fk(c3, "c_wide_fkey", {1}, p, {2});
    Table &c4 = b.table("c_same", 10);
    b.column(c4, "p_id", kInt8);
    b.fk(c4, "c_same_fkey", {1}, p, {1});
    RuleRun r = run_rule("fk_type_mismatch", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"high public.c_int", "low public.c_wide",
                                                    "medium public.c_text"}));
    const Finding *f = find(r, "public.c_int");
    EXPECT_EQ(f->fix_sql, "ALTER TABLE public.c_int ALTER COLUMN p_id TYPE bigint;");
    EXPECT_EQ(f->undo_sql, "ALTER TABLE public.c_int ALTER COLUMN p_id TYPE integer;");
}

// ---- nullable_fk

TEST(NullableFk, MultiColumnMatchSimpleIsMediumSingleColumnInfo) {
    Builder b;
    Table &p = b.table("p", 10);
    b.column(p, "a", kInt4, true);
    b.column(p, "b", kInt4, true);
    Table &c = b.table("c", 10);
    b.column(c, "a", kInt4);
    b.column(c, "b", kInt4);
    b.fk(c, "c_a_b_fkey", {1, 2}, p, {1, 2}).definition =
        "FOREIGN KEY (a, b) REFERENCES p(a, b) ON DELETE CASCADE";
    Table &o = b.table("o", 10);
    b.column(o, "a", kInt4);
    b.fk(o, "o_a_fkey", {1}, p, {1});
    Table &full = b.table("full_match", 10);
    b.column(full, "a", kInt4);
    b.column(full, "b", kInt4);
    b.fk(full, "full_fkey", {1, 2}, p, {1, 2}).match_type = 'f';
    Table &nn = b.table("not_null", 10);
    b.column(nn, "a", kInt4, true);
    b.fk(nn, "nn_fkey", {1}, p, {1});
    RuleRun r = run_rule("nullable_fk", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"info public.o", "medium public.c"}));
    const Finding *f = find(r, "public.c");
    EXPECT_EQ(f->fix_sql,
              "ALTER TABLE public.c ADD CONSTRAINT c_a_b_fkey_full FOREIGN KEY (a, b) REFERENCES "
              "public.p(a, b) MATCH FULL ON DELETE CASCADE NOT VALID;\n"
              "ALTER TABLE public.c VALIDATE CONSTRAINT c_a_b_fkey_full;\n"
              "ALTER TABLE public.c DROP CONSTRAINT c_a_b_fkey;\n"
              "ALTER TABLE public.c RENAME CONSTRAINT c_a_b_fkey_full TO c_a_b_fkey;");
    EXPECT_EQ(f->undo_sql,
              "ALTER TABLE public.c DROP CONSTRAINT c_a_b_fkey;\n"
              "ALTER TABLE public.c ADD CONSTRAINT c_a_b_fkey FOREIGN KEY (a, b) REFERENCES "
              "public.p(a, b) ON DELETE CASCADE NOT VALID;\n"
              "ALTER TABLE public.c VALIDATE CONSTRAINT c_a_b_fkey;");
}

// ---- column types

struct ColumnsCase {
    Builder b;
    Table *t;
    ColumnsCase() {
        t = &b.table("t", 1000);
        b.column(*t, "id", kInt4, true);
    }
    Column &add(const std::string &name, uint32_t type) { return b.column(*t, name, type); }
};

TEST(TimestampWithoutTz, TimestampColumnsOfUserTablesOnly) {
    ColumnsCase c;
    c.add("created", kTimestamp);
    c.add("ok", kTimestamptz);
    c.add("day", kDate);
    Table &part = c.b.table("part", 10);
    part.is_partition = true;
    c.b.column(part, "created", kTimestamp);
    Table &view = c.b.table("v", 0, 'v');
    c.b.column(view, "created", kTimestamp);
    c.t->view_reads = {};
    view.view_reads = {c.t->oid};
    RuleRun r = run_rule("timestamp_without_tz", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    const Finding &f = r.findings[0];
    EXPECT_EQ(f.object, "public.t.created");
    EXPECT_EQ(f.fix_sql,
              "ALTER TABLE public.t ALTER COLUMN created TYPE timestamp with time zone USING "
              "created AT TIME ZONE 'UTC';");
    EXPECT_EQ(f.undo_sql,
              "ALTER TABLE public.t ALTER COLUMN created TYPE timestamp without time zone USING "
              "created AT TIME ZONE 'UTC';");
    EXPECT_EQ(f.evidence.get("views_reading_table"), "[\"public.v\"]");
    ASSERT_EQ(f.steps.size(), 2u);  // the rewrite, and the view to recreate
}

TEST(MoneyAsMoneyOrFloat, MoneyTypeAndFloatAmountsByName) {
    ColumnsCase c;
    c.add("fee", kMoney);
    c.add("unitPrice", kFloat8);
    c.add("total_amount", kFloat8);
    c.add("temperature", kFloat8);
    c.add("pricing_tier", kFloat8);  // "pricing" is not a money word
    RuleRun r = run_rule("money_as_money_or_float", c.b.done());
    EXPECT_EQ(objects(r),
              (std::vector<std::string>{"low public.t.fee", "medium public.t.\"unitPrice\"",
                                        "medium public.t.total_amount"}));
    EXPECT_EQ(find(r, "public.t.fee")->fix_sql,
              "ALTER TABLE public.t ALTER COLUMN fee TYPE numeric(19,2) USING fee::numeric;");
}

TEST(CharVarcharN, CharIsLowVarcharWithALimitInfo) {
    ColumnsCase c;
    Column &code = c.add("code", kBpchar);
    code.typmod = 6;
    code.type = "character(2)";
    Column &name = c.add("name", kVarchar);
    name.typmod = 54;
    name.type = "character varying(50)";
    c.add("note", kVarchar);  // no limit (typmod -1)
    RuleRun r = run_rule("char_varchar_n", c.b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"info public.t.name", "low public.t.code"}));
    EXPECT_EQ(find(r, "public.t.name")->fix_sql,
              "ALTER TABLE public.t ALTER COLUMN name TYPE text;\n"
              "ALTER TABLE public.t ADD CONSTRAINT t_name_length CHECK (char_length(name) <= 50) "
              "NOT VALID;\n"
              "ALTER TABLE public.t VALIDATE CONSTRAINT t_name_length;");
}

TEST(JsonNotJsonb, JsonColumns) {
    ColumnsCase c;
    c.add("payload", kJson);
    RuleRun r = run_rule("json_not_jsonb", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].fix_sql,
              "ALTER TABLE public.t ALTER COLUMN payload TYPE jsonb USING payload::jsonb;");
}

TEST(RegOrBlobTypes, PgUpgradeBlockersAndLargeObjects) {
    ColumnsCase c;
    c.add("fn", kRegproc);
    c.add("tbl", kRegclass);
    c.add("blob", kOid);
    RuleRun r = run_rule("reg_or_blob_types", c.b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"low public.t.blob", "medium public.t.fn"}));
}

TEST(SerialNotIdentity, OwnedSequenceWithNextvalDefault) {
    ColumnsCase c;
    Column &id = c.t->columns[0];
    id.has_default = true;
    id.default_expr = "nextval('t_id_seq'::regclass)";
    Sequence &s = c.b.sequence("t_id_seq", "integer", 2147483647);
    s.owned_by_table = c.t->oid;
    s.owned_by_column = 1;
    Column &ident = c.add("n", kInt8);
    ident.has_default = true;
    ident.identity = 'd';
    Sequence &s2 = c.b.sequence("t_n_seq", "bigint", INT64_MAX);
    s2.owned_by_table = c.t->oid;
    s2.owned_by_column = 2;
    RuleRun r = run_rule("serial_not_identity", c.b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].object, "public.t.id");
    EXPECT_EQ(r.findings[0].fix_sql,
              "BEGIN;\nALTER TABLE public.t ALTER COLUMN id DROP DEFAULT;\n"
              "DROP SEQUENCE public.t_id_seq;\n"
              "ALTER TABLE public.t ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;\n"
              "SELECT setval(pg_get_serial_sequence('public.t', 'id'), coalesce(max(id), 0) + 1, "
              "false) FROM public.t;\nCOMMIT;");
}

// ---- constraints

TEST(NotValidConstraintLeft, ValidateWhatWasAddedNotValid) {
    Builder b;
    Table &t = b.table("t", 10);
    b.column(t, "qty", kInt4);
    b.constraint(t, "t_qty_check", 'c', {1}, "CHECK ((qty > 0))").validated = false;
    b.constraint(t, "t_ok_check", 'c', {1}, "CHECK ((qty < 10))");
    Constraint &clone = b.constraint(t, "t_clone_check", 'c', {1}, "CHECK ((qty < 9))");
    clone.validated = false;
    clone.parent = 5;  // a partition's copy: judged on the partitioned table's constraint
    RuleRun r = run_rule("not_valid_constraint_left", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].identity, "t_qty_check");
    EXPECT_EQ(r.findings[0].fix_sql, "ALTER TABLE public.t VALIDATE CONSTRAINT t_qty_check;");
}

TEST(DuplicateOrOverlappingFk, DuplicatesAndOverlaps) {
    Builder b;
    Table &p = b.table("p", 10);
    b.column(p, "x", kInt4, true);
    b.column(p, "y", kInt4, true);
    Table &dup = b.table("dup", 10);
    b.column(dup, "a", kInt4);
    b.fk(dup, "dup_a_fkey", {1}, p, {1}).definition = "FOREIGN KEY (a) REFERENCES p(x)";
    b.fk(dup, "dup_a_fkey2", {1}, p, {1}).definition = "FOREIGN KEY (a) REFERENCES p(x)";
    Table &ov = b.table("overlap", 10);
    b.column(ov, "a", kInt4);
    b.column(ov, "b", kInt4);
    b.fk(ov, "overlap_a_fkey", {1}, p, {1});
    b.fk(ov, "overlap_ab_fkey", {1, 2}, p, {1, 2});
    Table &q = b.table("q", 10);
    b.column(q, "x", kInt4, true);
    Table &fine = b.table("fine", 10);
    b.column(fine, "a", kInt4);
    b.fk(fine, "fine_p", {1}, p, {1});
    b.fk(fine, "fine_q", {1}, q, {1});
    RuleRun r = run_rule("duplicate_or_overlapping_fk", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"low public.overlap", "medium public.dup"}));
    const Finding *d = find(r, "public.dup");
    EXPECT_EQ(d->identity, "dup_a_fkey2");
    EXPECT_EQ(d->fix_sql, "ALTER TABLE public.dup DROP CONSTRAINT dup_a_fkey2;");
    EXPECT_EQ(d->undo_sql,
              "ALTER TABLE public.dup ADD CONSTRAINT dup_a_fkey2 FOREIGN KEY (a) REFERENCES "
              "public.p(x) NOT VALID;\nALTER TABLE public.dup VALIDATE CONSTRAINT dup_a_fkey2;");
    EXPECT_EQ(find(r, "public.overlap")->identity, "overlap_a_fkey|overlap_ab_fkey");
}

TEST(CrossSchemaFkAndOwnership, CrossSchemaKeysAndMixedOwners) {
    Builder b;
    Table &cust = b.table("customers", 10, 'r', "core");
    b.column(cust, "id", kInt4, true);
    Table &orders = b.table("orders", 10, 'r', "sales");
    b.column(orders, "customer_id", kInt4);
    b.fk(orders, "orders_customer_fkey", {1}, cust, {1});
    Table &lines = b.table("lines", 10, 'r', "sales");
    b.column(lines, "x", kInt4);
    b.fk(lines, "lines_fkey", {1}, orders, {1});
    b.table("a", 10, 'r', "mixed").owner = "app";
    b.table("b", 10, 'r', "mixed").owner = "app";
    b.table("c", 10, 'v', "mixed").owner = "intruder";
    RuleRun r = run_rule("cross_schema_fk_and_ownership", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"info sales.orders", "low mixed"}));
    const Finding *m = find(r, "mixed");
    EXPECT_EQ(m->fix_sql, "ALTER VIEW mixed.c OWNER TO app;");
    EXPECT_EQ(m->undo_sql, "ALTER VIEW mixed.c OWNER TO intruder;");
}

TEST(CrossSchemaFkAndOwnership, SchemaOwnedByASuperuserWhenSchemasAreKnown) {
    Builder b;
    b.table("t", 10, 'r', "app");
    CatalogSnapshot cat = b.done();
    catalog::Schema s;
    s.name = "app";
    s.owner = "postgres";
    s.owner_is_superuser = true;
    cat.schemas.push_back(s);
    cat.index();
    RuleRun r = run_rule("cross_schema_fk_and_ownership", cat);
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_EQ(r.findings[0].identity, "superuser_owner");
}

// ---- tables

TEST(UnloggedTable, SeverityByRows) {
    Builder b;
    b.table("cache", 999).persistence = 'u';
    b.table("staging", 1000).persistence = 'u';
    b.table("logged", 1000);
    RuleRun r = run_rule("unlogged_table", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"low public.cache", "medium public.staging"}));
    EXPECT_EQ(find(r, "public.staging")->fix_sql, "ALTER TABLE public.staging SET LOGGED;");
    EXPECT_EQ(find(r, "public.staging")->undo_sql, "ALTER TABLE public.staging SET UNLOGGED;");
}

TEST(NamingHygiene, QuotesKeywordsTruncationAndEnvironments) {
    Builder b;
    Table &oi = b.table("OrderItems", 10);
    b.column(oi, "id", kInt4);
    b.column(oi, "createdAt", kDate);
    b.column(oi, "user", kText);
    Table &ord = b.table("order", 10);
    b.column(ord, "id", kInt4);
    Table &plain = b.table("plain", 10);
    b.column(plain, "name", kText);
    b.column(plain, "type", kText);
    b.index(plain, "Idx_Upper", {"name"});
    b.table(std::string(63, 'x'), 10);
    b.table("things", 10, 'r', "dev_data");
    RuleRun r = run_rule("naming_hygiene", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{
                              "low dev_data", "low public.\"Idx_Upper\"",
                              "low public.\"OrderItems\"", "low public.\"OrderItems\"",
                              "low public.\"order\"", "low public." + std::string(63, 'x')}));
    const Finding *t = find(r, "public.\"OrderItems\"", "needs_quotes");
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->fix_sql, "ALTER TABLE public.\"OrderItems\" RENAME TO order_items;");
    EXPECT_EQ(t->undo_sql, "ALTER TABLE public.order_items RENAME TO \"OrderItems\";");
    const Finding *cols = find(r, "public.\"OrderItems\"", "column_names");
    ASSERT_NE(cols, nullptr);
    EXPECT_EQ(cols->evidence.get("columns"), "[\"createdAt\", \"user\"]");
    EXPECT_EQ(cols->fix_sql,
              "ALTER TABLE public.\"OrderItems\" RENAME COLUMN \"createdAt\" TO created_at;");
}

TEST(WideOrDegenerateTable, WidthsRepeatsAndNullability) {
    Builder b;
    auto table_with = [&](const char *name, int columns, bool not_null) -> Table & {
        Table &t = b.table(name, 10);
        for (int i = 0; i < columns; i++)
            b.column(t, std::string("f_") + char('a' + i / 26) + char('a' + i % 26), kInt4,
                     not_null);
        return t;
    };
    table_with("fifty", 50, true);
    table_with("wide", 51, true);
    table_with("wider", 201, true);
    table_with("lonely", 1, false);
    Table &contacts = table_with("contacts", 1, true);
    for (const char *n : {"phone1", "phone2", "phone3"})
        b.column(contacts, n, kText, true);
    Table &address = table_with("address", 1, true);
    for (const char *n : {"line1", "line2"})
        b.column(address, n, kText, true);
    Table &loose = table_with("loose", 1, true);
    b.index(loose, "loose_pkey", {"f_aa"}).primary = true;
    for (const char *n : {"a", "b", "c"})
        b.column(loose, n, kText);
    RuleRun r = run_rule("wide_or_degenerate_table", b.done());
    EXPECT_EQ(objects(r), (std::vector<std::string>{"info public.lonely", "info public.loose",
                                                    "low public.contacts", "low public.wide",
                                                    "medium public.wider"}));
}

// Two groups of numbered columns are two findings with two keys.
TEST(WideOrDegenerateTable, OneFindingPerGroupOfNumberedColumns) {
    Builder b;
    Table &t = b.table("contacts", 10);
    b.column(t, "id", kInt8, true);
    for (const char *n : {"phone1", "phone2", "phone3", "email1", "email2", "email3"})
        b.column(t, n, kText, true);
    RuleRun r = run_rule("wide_or_degenerate_table", b.done());
    ASSERT_EQ(r.findings.size(), 2u);
    std::vector<std::string> identities{r.findings[0].identity, r.findings[1].identity};
    std::sort(identities.begin(), identities.end());
    EXPECT_EQ(identities,
              (std::vector<std::string>{"repeating_columns:email", "repeating_columns:phone"}));
    EXPECT_NE(r.findings[0].finding_key, r.findings[1].finding_key);
}

TEST(UnusedOrEmptyTable, UnreadTablesOverALongEnoughWindow) {
    Builder b;
    Table &dormant = b.table("dormant", 1000);
    dormant.stats.idx_scan = -1;  // no index: no index scan counter
    Table &big = b.table("big_dormant", 100000000);
    big.relpages = kGiB / 8192;
    Table &empty = b.table("empty_one", 0);
    empty.relpages = 0;
    Table &log = b.table("audit_log", 100);
    log.stats.n_tup_ins = 100;
    Table &busy = b.table("busy", 100);
    busy.stats.seq_scan = 3;
    Table &indexed = b.table("looked_up", 100);
    indexed.stats.idx_scan = 1;
    Table &part = b.table("p1", 10);
    part.is_partition = true;
    RuleRun r = run_rule("unused_or_empty_table", b.done());
    EXPECT_EQ(objects(r),
              (std::vector<std::string>{"info public.audit_log", "info public.empty_one",
                                        "low public.dormant", "medium public.big_dormant"}));
    b.database().stats_reset = b.database().now - 6 * kDay;
    EXPECT_FALSE(run_rule("unused_or_empty_table", b.done()).ran);
}

TEST(UnusedOrEmptyTable, LastReadOlderThanTheWindow) {
    Builder b;
    Table &t = b.table("t", 100);
    t.stats.seq_scan = 5;
    t.stats.last_seq_scan = b.database().now - 10 * kDay;
    RuleRun r = run_rule("unused_or_empty_table", b.done());
    ASSERT_EQ(r.findings.size(), 1u);
    EXPECT_NE(r.findings[0].title.find("since"), std::string::npos);
    t.stats.last_seq_scan = b.database().now - 2 * kDay;
    EXPECT_TRUE(run_rule("unused_or_empty_table", b.done()).findings.empty());
}

TEST(PkDesign, CompositeNaturalAndLateKeys) {
    Builder b;
    Table &wide = b.table("wide_key", 10);
    for (const char *n : {"a", "b", "c", "d", "e"})
        b.column(wide, n, kInt4, true);
    b.index(wide, "wide_key_pkey", {"a", "b", "c", "d", "e"}).primary = true;
    Table &four = b.table("four_keys", 10);
    for (const char *n : {"a", "b", "c", "d"})
        b.column(four, n, kInt4, true);
    b.index(four, "four_keys_pkey", {"a", "b", "c", "d"}).primary = true;
    Table &nat = b.table("natural_key", 10);
    b.column(nat, "code", kText, true);
    b.index(nat, "natural_key_pkey", {"code"}).primary = true;
    Table &late = b.table("late_key", 10);
    b.column(late, "name", kText);
    b.column(late, "id", kInt8, true);
    b.index(late, "late_key_pkey", {"id"}).primary = true;
    RuleRun r = run_rule("pk_design", b.done());
    EXPECT_EQ(objects(r),
              (std::vector<std::string>{"info public.late_key", "info public.natural_key",
                                        "low public.wide_key"}));
}

}  // namespace
}  // namespace pg_advisor::review::relation_test
