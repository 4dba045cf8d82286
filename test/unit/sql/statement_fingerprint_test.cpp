#include "core/sql/statement_fingerprint.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

using pg_advisor::classify_number;
using pg_advisor::fingerprint_statement;
using pg_advisor::LiteralClass;
using pg_advisor::StatementFingerprint;
using pg_advisor::StatementSpan;

namespace {

// Every text here is NUL-terminated: both scans (with and without bound checks) must agree.
StatementFingerprint fp(std::string_view sql, bool standard_conforming_strings = true) {
    pg_advisor::sql::LexOptions opts;
    opts.standard_conforming_strings = standard_conforming_strings;
    StatementFingerprint f = fingerprint_statement(sql, StatementSpan{0, sql.size()}, opts);
    StatementFingerprint c = fingerprint_statement(sql, StatementSpan{0, sql.size()}, opts, true);
    EXPECT_EQ(f.shape, c.shape) << sql.substr(0, 200);
    EXPECT_EQ(f.values, c.values) << sql.substr(0, 200);
    EXPECT_EQ(f.literals, c.literals) << sql.substr(0, 200);
    EXPECT_EQ(0, std::memcmp(f.literal_hash, c.literal_hash, sizeof f.literal_hash));
    EXPECT_EQ(f.complete, c.complete);
    return f;
}

uint64_t shape(std::string_view sql) {
    return fp(sql).shape;
}

// Where the first literals of sql start.
uint32_t offsets(std::string_view sql, uint32_t (&at)[pg_advisor::kTrackedLiterals]) {
    pg_advisor::FingerprintRegions regions;
    StatementSpan span{0, sql.size()};
    fingerprint_statement(sql, span, {}, false, &regions);
    return pg_advisor::literal_offsets(regions, span, at);
}

}  // namespace

TEST(ClassifyNumber, IntegerRangesAsTheServerTypesThem) {
    EXPECT_EQ(classify_number("0"), LiteralClass::Int4);
    EXPECT_EQ(classify_number("2147483647"), LiteralClass::Int4);
    EXPECT_EQ(classify_number("2147483648"), LiteralClass::Int4Negated);
    EXPECT_EQ(classify_number("2147483649"), LiteralClass::Int8);
    EXPECT_EQ(classify_number("9223372036854775807"), LiteralClass::Int8);
    EXPECT_EQ(classify_number("9223372036854775808"), LiteralClass::Int8Negated);
    EXPECT_EQ(classify_number("9223372036854775809"), LiteralClass::BigInteger);
    EXPECT_EQ(classify_number("123456789012345678901234567890"), LiteralClass::BigInteger);
    EXPECT_EQ(classify_number("1.5"), LiteralClass::Decimal);
    EXPECT_EQ(classify_number("1e5"), LiteralClass::Decimal);
    EXPECT_EQ(classify_number("0x7FFFFFFF"), LiteralClass::Int4);
    EXPECT_EQ(classify_number("0x80000000"), LiteralClass::Int4Negated);
    EXPECT_EQ(classify_number("0xE5"), LiteralClass::Int4);  // hex 'E' is no exponent
    EXPECT_EQ(classify_number("0o17"), LiteralClass::Int4);
    EXPECT_EQ(classify_number("0b101"), LiteralClass::Int4);
    EXPECT_EQ(classify_number("1_000_000"), LiteralClass::Int4);
}

TEST(StatementFingerprint, SameShapeForOtherValuesWhitespaceAndComments) {
    StatementFingerprint a = fp("SELECT abalance FROM pgbench_accounts WHERE aid = 5");
    StatementFingerprint b = fp("SELECT abalance FROM pgbench_accounts WHERE aid = 77");
    StatementFingerprint c =
        fp("SELECT  abalance /* tag='x' */ FROM\npgbench_accounts -- note\n WHERE aid=77");
    EXPECT_EQ(a.shape, b.shape);
    EXPECT_EQ(b.shape, c.shape);
    EXPECT_NE(a.values, b.values);
    EXPECT_EQ(b.values, c.values);
    EXPECT_EQ(a.literals, 1u);
    EXPECT_TRUE(c.has_block_comment);
    EXPECT_FALSE(a.has_block_comment);
    EXPECT_TRUE(a.complete);
    EXPECT_FALSE(a.has_params);
}

TEST(StatementFingerprint, ValuesIgnoreTagComments) {
    StatementFingerprint a = fp("SELECT * FROM t WHERE id = 17 /*x*/");
    StatementFingerprint b = fp("SELECT * FROM t WHERE id = 17 /*y='other'*/");
    StatementFingerprint c = fp("SELECT * FROM t WHERE id = 18");
    EXPECT_EQ(a.values, b.values);
    EXPECT_NE(a.values, c.values);
    EXPECT_EQ(a.shape, c.shape);
}

TEST(StatementFingerprint, NoLiteralMeansNoValues) {
    StatementFingerprint f = fp("SELECT * FROM t WHERE deleted_at IS NOT DISTINCT FROM x");
    EXPECT_EQ(f.literals, 0u);
    EXPECT_EQ(f.values, 0u);
    EXPECT_NE(f.shape, 0u);
}

TEST(StatementFingerprint, KeywordsTrueFalseNullAreStructure) {
    EXPECT_NE(shape("SELECT * FROM t WHERE a = TRUE"), shape("SELECT * FROM t WHERE a = FALSE"));
    EXPECT_NE(shape("SELECT * FROM t WHERE a = NULL"), shape("SELECT * FROM t WHERE a = 1"));
    EXPECT_EQ(fp("INSERT INTO t VALUES (1, 'a', 2.5, NULL)").literals, 4u);
    // ... and values, since the server jumbles them as constants of one query id.
    EXPECT_NE(fp("SELECT * FROM t WHERE a = TRUE").values,
              fp("SELECT * FROM t WHERE a = FALSE").values);
    EXPECT_EQ(fp("SELECT * FROM t WHERE a = true").values,
              fp("SELECT * FROM t WHERE a = TRUE").values);
}

TEST(StatementFingerprint, LiteralClassesAreKept) {
    const char *base = "SELECT * FROM t WHERE a = ";
    auto with = [&](const char *lit) { return shape(std::string(base) + lit); };
    EXPECT_EQ(with("5"), with("2147483647"));
    EXPECT_NE(with("5"), with("5.0"));
    EXPECT_NE(with("5"), with("2147483648"));
    EXPECT_NE(with("2147483648"), with("2147483649"));  // int4 vs int8 once negated
    EXPECT_NE(with("9223372036854775807"), with("9223372036854775808"));
    EXPECT_NE(with("5"), with("'5'"));
    EXPECT_NE(with("'x'"), with("E'x'"));
    EXPECT_NE(with("'x'"), with("B'1'"));
    EXPECT_NE(with("'x'"), with("N'x'"));
    EXPECT_NE(with("'x'"), with("U&'x'"));
    EXPECT_NE(with("'x'"), with("$$x$$"));
    EXPECT_EQ(with("'x'"), with("'a much longer value'"));
    EXPECT_EQ(with("$$x$$"), with("$tag$y$tag$"));
    EXPECT_EQ(with("1.5"), with("2e10"));
}

TEST(StatementFingerprint, PositionsInOrderByGroupByAndDistinctOnAreStructure) {
    EXPECT_NE(shape("SELECT a, b FROM t ORDER BY 1"), shape("SELECT a, b FROM t ORDER BY 2"));
    EXPECT_NE(shape("SELECT a, b FROM t order by a, 1"), shape("SELECT a, b FROM t order by a, 2"));
    EXPECT_NE(shape("SELECT a, count(*) FROM t GROUP BY 1"),
              shape("SELECT a, count(*) FROM t GROUP BY 2"));
    EXPECT_NE(shape("SELECT DISTINCT ON (1) a, b FROM t"),
              shape("SELECT DISTINCT ON (2) a, b FROM t"));
    // The LIMIT / OFFSET after the list are constants again.
    EXPECT_EQ(shape("SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 0"),
              shape("SELECT a FROM t ORDER BY a LIMIT 20 OFFSET 40"));
    EXPECT_EQ(shape("SELECT a FROM t WHERE b = 1 ORDER BY a"),
              shape("SELECT a FROM t WHERE b = 2 ORDER BY a"));
    // A subquery's ORDER BY ends with its parenthesis.
    EXPECT_EQ(shape("SELECT * FROM (SELECT a FROM t ORDER BY 1) s WHERE a > 5"),
              shape("SELECT * FROM (SELECT a FROM t ORDER BY 1) s WHERE a > 6"));
    EXPECT_NE(shape("SELECT * FROM (SELECT a FROM t ORDER BY 1) s WHERE a > 5"),
              shape("SELECT * FROM (SELECT a FROM t ORDER BY 2) s WHERE a > 5"));
}

TEST(StatementFingerprint, TypeModifiersAreStructure) {
    EXPECT_NE(shape("SELECT v::varchar(5) FROM t"), shape("SELECT v::varchar(10) FROM t"));
    EXPECT_NE(shape("SELECT CAST(v AS numeric(10,2)) FROM t"),
              shape("SELECT CAST(v AS numeric(12,2)) FROM t"));
    EXPECT_NE(shape("SELECT CAST(v AS float(24)) FROM t"),
              shape("SELECT CAST(v AS float(25)) FROM t"));
    EXPECT_NE(shape("SELECT v::mytype(3) FROM t"), shape("SELECT v::mytype(4) FROM t"));
    // Arguments of a function call are constants.
    EXPECT_EQ(shape("SELECT round(v, 2) FROM t"), shape("SELECT round(v, 3) FROM t"));
    EXPECT_EQ(shape("SELECT v FROM t WHERE id IN (SELECT x FROM u WHERE y = 1)"),
              shape("SELECT v FROM t WHERE id IN (SELECT x FROM u WHERE y = 2)"));
}

TEST(StatementFingerprint, TokenBoundariesCount) {
    EXPECT_NE(shape("SELECT ab c FROM t"), shape("SELECT a bc FROM t"));
    EXPECT_NE(shape("SELECT a @- 5 FROM t"), shape("SELECT a @ - 5 FROM t"));
    EXPECT_NE(shape("SELECT \"Ab\" FROM t"), shape("SELECT \"ab\" FROM t"));
    EXPECT_NE(shape("SELECT a FROM t"), shape("select a from t"));  // a second entry, no harm
}

TEST(StatementFingerprint, NegativeValuesDifferFromPositive) {
    StatementFingerprint neg = fp("SELECT * FROM t WHERE a = -5");
    StatementFingerprint neg_tight = fp("SELECT * FROM t WHERE a=-5");
    StatementFingerprint pos = fp("SELECT * FROM t WHERE a = 5");
    EXPECT_NE(neg.values, pos.values);
    EXPECT_EQ(neg.values, neg_tight.values);
}

TEST(StatementFingerprint, QuotesHideCommentsAndCommentsHideQuotes) {
    StatementFingerprint s = fp("SELECT '/* not a comment */', 'it''s' FROM t");
    EXPECT_FALSE(s.has_block_comment);
    EXPECT_EQ(s.literals, 2u);
    EXPECT_TRUE(s.complete);
    StatementFingerprint c = fp("SELECT a /* it's /* nested */ still */ FROM t");
    EXPECT_TRUE(c.complete);
    EXPECT_EQ(c.literals, 0u);
    EXPECT_EQ(c.shape, shape("SELECT a FROM t"));
    EXPECT_EQ(fp("SELECT $f$ it's $$ $f$ FROM t").literals, 1u);
}

TEST(StatementFingerprint, BackslashesFollowStandardConformingStrings) {
    const char *sql = "SELECT 'a\\'b' FROM t";
    StatementFingerprint off = fp(sql, false);  // \' escapes the quote: one literal
    EXPECT_TRUE(off.complete);
    EXPECT_EQ(off.literals, 1u);
    StatementFingerprint on = fp(sql, true);  // 'a\' then an unterminated 'b' FROM t
    EXPECT_FALSE(on.complete);
    StatementFingerprint e = fp("SELECT E'a\\'b' FROM t", true);
    EXPECT_TRUE(e.complete);
    EXPECT_EQ(e.literals, 1u);
}

TEST(StatementFingerprint, ParametersAndUnterminatedInput) {
    EXPECT_TRUE(fp("SELECT * FROM t WHERE id = $1").has_params);
    EXPECT_FALSE(fp("SELECT $$x$$").has_params);
    EXPECT_FALSE(fp("SELECT a /* open").complete);
    EXPECT_FALSE(fp("SELECT 'open").complete);
    EXPECT_FALSE(fp("SELECT \"open").complete);
    EXPECT_FALSE(fp("SELECT $q$open").complete);
}

TEST(StatementFingerprint, OnlyTheSpanCounts) {
    std::string two = "SELECT 1 FROM a; SELECT 2 FROM b WHERE x = 3";
    size_t second = two.find("SELECT 2");
    StatementFingerprint f = fingerprint_statement(two, StatementSpan{second, two.size()},
                                                   pg_advisor::sql::LexOptions{});
    EXPECT_EQ(f.shape, shape("SELECT 9 FROM b WHERE x = 9"));
    EXPECT_EQ(f.literals, 2u);
}

TEST(StatementFingerprint, WordsAndNumbersStopAtTheSpanEnd) {
    // The byte after the span continues the last word or number: the scan must not read on.
    std::string text = "SELECT abc FROM t WHERE x = 12xyz";
    size_t end = text.find("xyz");
    for (bool nul : {false, true}) {
        StatementFingerprint f = fingerprint_statement(text, StatementSpan{0, end}, {}, nul);
        EXPECT_EQ(f.shape, shape("SELECT abc FROM t WHERE x = 99"));
        EXPECT_EQ(f.literal_hash[0], fp("SELECT abc FROM t WHERE x = 12").literal_hash[0]);
        size_t word_end = text.find("c FROM") + 1;
        StatementFingerprint w = fingerprint_statement(text, StatementSpan{0, word_end}, {}, nul);
        EXPECT_EQ(w.shape, shape("SELECT abc"));
    }
}

TEST(StatementFingerprint, JunkIsScannedToItsEnd) {
    std::string big(100 * 1024, 'x');
    big[500] = '\'';
    StatementFingerprint b = fp(big);
    EXPECT_FALSE(b.complete);  // the quote at 500 never closes
    EXPECT_EQ(b.literals, 1u);
    // Every byte but NUL, in a fixed pseudo-random order: scanned without a crash, and a text
    // stays a different shape once one of its identifiers changes.
    std::string junk;
    for (int i = 0; i < 20000; i++)
        junk.push_back(static_cast<char>((i * 7919 + 13) % 255 + 1));
    StatementFingerprint j1 = fp("SELECT a FROM t WHERE " + junk);
    StatementFingerprint j2 = fp("SELECT b FROM t WHERE " + junk);
    EXPECT_NE(j1.shape, j2.shape);
    // Unbalanced parentheses: depth below zero is no error.
    StatementFingerprint p = fp(std::string(5000, ')') + std::string(5000, '('));
    EXPECT_TRUE(p.complete);
    EXPECT_EQ(p.literals, 0u);
    EXPECT_NE(p.shape, fp(std::string(5000, '(') + std::string(5000, ')')).shape);
}

TEST(StatementFingerprint, FirstLiteralsAreHashedWithTheirOffsets) {
    std::string_view sql = "SELECT * FROM t WHERE a = 3 AND b = 'x' AND c = -4 AND d = TRUE";
    StatementFingerprint f = fp(sql);
    ASSERT_EQ(f.literals, 4u);
    uint32_t at[pg_advisor::kTrackedLiterals];
    ASSERT_EQ(offsets(sql, at), 4u);
    EXPECT_EQ(at[0], sql.find('3'));
    EXPECT_EQ(at[1], sql.find("'x'"));
    EXPECT_EQ(at[2], sql.find('4'));
    EXPECT_EQ(at[3], sql.find("TRUE"));
    EXPECT_EQ(f.literal_hash[4], 0u);  // beyond the literals: unset
    // The same value hashes the same wherever it is; another value, a negated one and
    // another keyword differently; a hash is never 0.
    StatementFingerprint g = fp("SELECT * FROM t WHERE a = 3 AND b = 'y' AND c = 4 AND d = FALSE");
    EXPECT_EQ(g.literal_hash[0], f.literal_hash[0]);
    EXPECT_NE(g.literal_hash[1], f.literal_hash[1]);
    EXPECT_NE(g.literal_hash[2], f.literal_hash[2]);
    EXPECT_NE(g.literal_hash[3], f.literal_hash[3]);
    for (uint32_t i = 0; i < 4; i++)
        EXPECT_NE(f.literal_hash[i], 0u);
    // Only the first kTrackedLiterals are followed (the README says 8).
    static_assert(pg_advisor::kTrackedLiterals == 8, "the README's figure");
    StatementFingerprint many = fp("SELECT 1, 2, 3, 4, 5, 6, 7, 8, 9, 10");
    EXPECT_EQ(many.literals, 10u);
    std::string_view ten = "SELECT 1, 2, 3, 4, 5, 6, 7, 8, 9, 10";
    ASSERT_EQ(offsets(ten, at), 8u);
    EXPECT_EQ(at[7], std::string_view("SELECT 1, 2, 3, 4, 5, 6, 7, 8").size() - 1);
    // Comments are no literals; offsets are from the text's start, not the span's.
    std::string_view two = "SELECT 0; /* c */ SELECT -- d\n 5, 'v'";
    pg_advisor::FingerprintRegions regions;
    StatementSpan second{two.find("/*"), two.size()};
    fingerprint_statement(two, second, {}, false, &regions);
    ASSERT_EQ(pg_advisor::literal_offsets(regions, second, at), 2u);
    EXPECT_EQ(at[0], two.find('5'));
    EXPECT_EQ(at[1], two.find("'v'"));
}
