#include "core/sql/query_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

std::string normalize(const std::string &sql, std::vector<int> locs, int first_param = 1,
                      int location = -1, int length = 0) {
    StatementSpan span = statement_span(sql, location, length);
    std::vector<char> out(normalized_capacity(span, locs.size()));
    size_t n = normalize_constants(sql, span, locs.data(), locs.size(), first_param, out.data(),
                                   out.size());
    return std::string(out.data(), n);
}

size_t len_at(const std::string &sql, size_t pos, bool scs = true) {
    sql::LexOptions o;
    o.standard_conforming_strings = scs;
    return sql::constant_length(sql, pos, o);
}

}  // namespace

TEST(ConstantLength, Numbers) {
    EXPECT_EQ(len_at("x = 42 AND", 4), 2u);
    EXPECT_EQ(len_at("1.5e-3)", 0), 6u);
    EXPECT_EQ(len_at(".5", 0), 2u);
    EXPECT_EQ(len_at("0x1F,", 0), 4u);
    EXPECT_EQ(len_at("0o17 ", 0), 4u);
    EXPECT_EQ(len_at("0b101", 0), 5u);
    EXPECT_EQ(len_at("1_000_000;", 0), 9u);
    EXPECT_EQ(len_at("1..10", 0), 1u);
}

TEST(ConstantLength, NegativeNumbersIncludeTheSign) {
    EXPECT_EQ(len_at("a = -5)", 4), 2u);
    EXPECT_EQ(len_at("a = - 5)", 4), 3u);
    EXPECT_EQ(len_at("a - b", 2), 0u);
}

TEST(ConstantLength, Strings) {
    EXPECT_EQ(len_at("'it''s' x", 0), 7u);
    EXPECT_EQ(len_at("E'a\\'b' x", 0), 7u);
    EXPECT_EQ(len_at("'a\\'b' x", 0), 4u);         // standard strings: \ is literal
    EXPECT_EQ(len_at("'a\\'b' x", 0, false), 6u);  // standard_conforming_strings = off
    EXPECT_EQ(len_at("B'1010'", 0), 7u);
    EXPECT_EQ(len_at("X'ff' ", 0), 5u);
    EXPECT_EQ(len_at("U&'d\\0061t' ", 0), 11u);
    EXPECT_EQ(len_at("'foo'\n  'bar' x", 0), 13u);  // continuation across a newline
    EXPECT_EQ(len_at("'foo' 'bar'", 0), 5u);        // no newline: not a continuation
    EXPECT_EQ(len_at("$$a'b$$ x", 0), 7u);
    EXPECT_EQ(len_at("$q$ $$ $q$,", 0), 10u);
    EXPECT_EQ(len_at("'unterminated", 0), 13u);
}

TEST(ConstantLength, KeywordConstantsAndNothing) {
    EXPECT_EQ(len_at("true)", 0), 4u);
    EXPECT_EQ(len_at("NULL", 0), 4u);
    EXPECT_EQ(len_at("(1)", 0), 0u);
    EXPECT_EQ(len_at("$1", 0), 0u);
    EXPECT_EQ(len_at("", 0), 0u);
}

TEST(Normalize, ReplacesConstantsInTextOrder) {
    std::string sql = "SELECT * FROM t WHERE b = 'x' AND a = 42";
    EXPECT_EQ(normalize(sql, {38, 26}), "SELECT * FROM t WHERE b = $1 AND a = $2");
}

TEST(Normalize, ContinuesAfterExistingParameters) {
    std::string sql = "SELECT * FROM t WHERE a = $1 AND b = 7 LIMIT 10";
    EXPECT_EQ(normalize(sql, {37, 45}, 2), "SELECT * FROM t WHERE a = $1 AND b = $2 LIMIT $3");
}

TEST(Normalize, IgnoresDuplicateAndInvalidLocations) {
    std::string sql = "SELECT 1, 2";
    EXPECT_EQ(normalize(sql, {7, 7, -1, 10, 99}), "SELECT $1, $2");
}

TEST(Normalize, MultiStatementStringUsesOnlyItsStatement) {
    std::string sql = "SELECT 1; SELECT 'b' ;  ";
    // Second statement starts after the first ';' with length to the end of string.
    EXPECT_EQ(normalize(sql, {17}, 1, 9, 0), "SELECT $1");
    EXPECT_EQ(normalize(sql, {7}, 1, 0, 8), "SELECT $1");
}

TEST(Normalize, NegativeAndStringCast) {
    std::string sql = "SELECT -5, interval '1 day', date '2020-01-01'";
    EXPECT_EQ(normalize(sql, {7, 20, 34}), "SELECT $1, interval $2, date $3");
}

TEST(Normalize, OutputIsBoundedByCapacity) {
    std::string sql = "SELECT 12345678901234567890";
    std::vector<int> locs{7};
    StatementSpan span = statement_span(sql, -1, 0);
    char out[10];
    size_t n = normalize_constants(sql, span, locs.data(), 1, 1, out, sizeof out);
    EXPECT_EQ(n, 9u);
    EXPECT_EQ(std::string(out), "SELECT $1");
}

TEST(StatementSpan, TrimsWhitespaceAndSemicolon) {
    StatementSpan s = statement_span("  SELECT 1 ;\n", -1, 0);
    EXPECT_EQ(s.begin, 2u);
    EXPECT_EQ(s.end, 10u);
    s = statement_span("SELECT 1", 50, 3);  // out of range location: whole string
    EXPECT_EQ(s.begin, 0u);
    EXPECT_EQ(s.end, 8u);
}

TEST(NormalizeLiterals, ReplacesEveryLiteralButNotIdentifiersOrParams) {
    auto run = [](const std::string &sql) {
        StatementSpan span = statement_span(sql, -1, 0);
        std::vector<char> out(normalized_capacity(span, span.size()));
        size_t n = normalize_literals(sql, span, 1, out.data(), out.size());
        return std::string(out.data(), n);
    };
    EXPECT_EQ(run("SELECT * FROM t1 WHERE a = 'x''y' AND b IN (1, 2.5) AND c = $1"),
              "SELECT * FROM t1 WHERE a = $2 AND b IN ($3, $4) AND c = $1");
    EXPECT_EQ(run("SELECT E'a\\'b', $$q$$, col2 FROM \"T3\" -- 42\n"),
              "SELECT $1, $2, col2 FROM \"T3\" -- 42");
    EXPECT_EQ(run("SELECT x FROM t WHERE flag = true"), "SELECT x FROM t WHERE flag = true");
}

TEST(PlannableText, TypedLiteralPlaceholdersBecomeCasts) {
    EXPECT_EQ(plannable_text("SELECT * FROM t WHERE d > date $1 AND id = $2"),
              "SELECT * FROM t WHERE d > $1::date AND id = $2");
    EXPECT_EQ(plannable_text("SELECT timestamp with time zone $1, interval $2"),
              "SELECT $1::timestamp with time zone, $2::interval");
    EXPECT_EQ(plannable_text("SELECT double precision $1"), "SELECT $1::double precision");
}

TEST(PlannableText, OtherTextIsUnchanged) {
    const char *sql = "SELECT date, \"date\" FROM t WHERE a = $1 AND b = 'date' /* date $9 */";
    EXPECT_EQ(plannable_text(sql), sql);
    EXPECT_EQ(plannable_text(""), "");
    // A column named like a type, followed by a parameter, is not a typed literal here
    // because an operator separates them.
    EXPECT_EQ(plannable_text("SELECT * FROM t WHERE date = $1"), "SELECT * FROM t WHERE date = $1");
}
