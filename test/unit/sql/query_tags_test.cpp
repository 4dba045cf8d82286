#include "core/sql/query_tags.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>

using namespace pg_advisor;

namespace {

std::map<std::string, std::string> tags_of(const std::string &sql, int loc = -1, int len = 0) {
    size_t b = loc < 0 ? 0 : static_cast<size_t>(loc);
    size_t e = len <= 0 ? sql.size() : b + static_cast<size_t>(len);
    QueryTags t;
    extract_statement_tags(sql, b, e, t);
    std::map<std::string, std::string> m;
    for (size_t i = 0; i < t.count; i++)
        m[std::string(t.key(i))] = std::string(t.value(i));
    return m;
}

using M = std::map<std::string, std::string>;

}  // namespace

TEST(QueryTags, SqlCommenterAppended) {
    auto m = tags_of(
        "SELECT * FROM users WHERE id = $1 "
        "/*controller='index',framework='django%3A4.2.11',route='%5Eusers/%24'*/");
    EXPECT_EQ(m,
              (M{{"controller", "index"}, {"framework", "django:4.2.11"}, {"route", "^users/$"}}));
}

TEST(QueryTags, SqlCommenterAfterTrailingSemicolon) {
    // Sequelize appends the comment after the statement's ';': outside the statement's span.
    std::string sql = "SELECT 1; /*route='%2Fusers'*/";
    EXPECT_EQ(tags_of(sql, 0, 8), (M{{"route", "/users"}}));
}

TEST(QueryTags, CommentBeforeStatement) {
    EXPECT_EQ(tags_of("/*action='show',application='Blog'*/ SELECT 1"),
              (M{{"action", "show"}, {"application", "Blog"}}));
}

TEST(QueryTags, MarginaliaLegacyFormat) {
    auto m = tags_of("SELECT 1 /*application:App,controller:users,action:index*/");
    EXPECT_EQ(m, (M{{"application", "App"}, {"controller", "users"}, {"action", "index"}}));
    QueryTags t;
    extract_statement_tags("SELECT 1 /*application:App,controller:users,action:index*/", 0, 8, t);
    EXPECT_EQ(t.format, TagFormat::Legacy);
    EXPECT_EQ(tags_framework(t), "rails");
}

TEST(QueryTags, LegacyValueKeepsColons) {
    auto m = tags_of("SELECT 1 /*line:/app/models/post.rb:12:in `block',job:Cleanup*/");
    EXPECT_EQ(m, (M{{"line", "/app/models/post.rb:12:in `block'"}, {"job", "Cleanup"}}));
}

TEST(QueryTags, EscapedQuotesAndCommasInsideValues) {
    auto m = tags_of("SELECT 1 /*a='it\\'s',b='x,y'*/");
    EXPECT_EQ(m, (M{{"a", "it's"}, {"b", "x,y"}}));
}

TEST(QueryTags, FreeTextCommentIsNotTags) {
    EXPECT_TRUE(tags_of("SELECT 1 /* load the users list */").empty());
    EXPECT_TRUE(tags_of("/* TypeORM: fetch */ SELECT 1").size() <= 1);
}

TEST(QueryTags, CommentMarkersInsideStringsAreIgnored) {
    EXPECT_TRUE(tags_of("SELECT '/*a=''b''*/' AS x").empty());
    EXPECT_TRUE(tags_of("SELECT $$ /*a='b'*/ $$").empty());
    EXPECT_TRUE(tags_of("SELECT 1 -- /*a='b'*/\n").empty());
    EXPECT_TRUE(tags_of("SELECT \"/*a='b'*/\" FROM t").empty());
}

TEST(QueryTags, StatementCommentPreferredOverOthers) {
    std::string sql = "SELECT 1 /*a='one'*/; SELECT 2 /*a='two'*/";
    EXPECT_EQ(tags_of(sql, 0, 20), (M{{"a", "one"}}));
    EXPECT_EQ(tags_of(sql, 21, 0), (M{{"a", "two"}}));
}

TEST(QueryTags, FallsBackToLastTagCommentOfTheString) {
    std::string sql = "SELECT 1; SELECT 2; /*a='last'*/";
    EXPECT_EQ(tags_of(sql, 0, 8), (M{{"a", "last"}}));
}

TEST(QueryTags, MalformedInputNeverCrashes) {
    EXPECT_TRUE(tags_of("SELECT 1 /*a='b'").empty());  // unterminated comment
    EXPECT_TRUE(tags_of("SELECT 1 /*a='b").empty());
    EXPECT_EQ(tags_of("SELECT 1 /*a='%zz%4',b='%'*/"), (M{{"a", "%zz%4"}, {"b", "%"}}));
    EXPECT_EQ(tags_of("SELECT 1 /*a='%00x'*/"), (M{{"a", "?x"}}));  // NUL never stored
    EXPECT_TRUE(tags_of("/**/").empty());
    EXPECT_TRUE(tags_of("/* /* nested */ still comment a='b' */ SELECT").empty());
}

TEST(QueryTags, HugeCommentIsBounded) {
    std::string big = "SELECT 1 /*";
    for (int i = 0; i < 5000; i++)
        big += "k" + std::to_string(i) + "='" + std::string(12, 'v') + "',";
    big += "last='x'*/";
    ASSERT_GT(big.size(), 100000u);
    QueryTags t;
    EXPECT_TRUE(extract_statement_tags(big, 0, big.size(), t));
    EXPECT_EQ(t.count, QueryTags::kMaxPairs);
    EXPECT_TRUE(t.truncated);
    EXPECT_LE(t.used, QueryTags::kBufferSize);

    std::string long_value = "SELECT 1 /*a='" + std::string(100000, 'z') + "'*/";
    t.clear();
    EXPECT_TRUE(extract_statement_tags(long_value, 0, long_value.size(), t));
    ASSERT_EQ(t.count, 1);
    EXPECT_EQ(t.value(0).size(), QueryTags::kMaxValueSize);
    EXPECT_TRUE(t.truncated);
}

TEST(QueryTags, TruncatedValueKeepsWholeUtf8Characters) {
    std::string v;
    for (int i = 0; i < 400; i++)
        v += "\xc3\xa9";  // 'é', 2 bytes each
    std::string sql = "SELECT 1 /*a='" + v + "'*/";
    QueryTags t;
    ASSERT_TRUE(extract_statement_tags(sql, 0, sql.size(), t));
    EXPECT_EQ(t.value(0).size() % 2, 0u);
}

TEST(QueryTags, BinaryJunkNeverCrashes) {
    std::mt19937 rng(42);
    for (int round = 0; round < 2000; round++) {
        std::string s;
        size_t n = rng() % 300;
        for (size_t i = 0; i < n; i++) {
            char c = static_cast<char>(1 + rng() % 255);  // NUL-free
            s.push_back(c);
            if (rng() % 10 == 0) s += "/*";
            if (rng() % 10 == 0) s += "*/";
            if (rng() % 15 == 0) s += "='";
        }
        QueryTags t;
        extract_statement_tags(s, 0, s.size(), t);
        ASSERT_LE(t.count, QueryTags::kMaxPairs);
        for (size_t i = 0; i < t.count; i++) {
            ASSERT_EQ(t.key(i).find('\0'), std::string_view::npos);
            ASSERT_EQ(t.value(i).find('\0'), std::string_view::npos);
        }
        std::string stripped(s.size() + 1, '\0');
        strip_tag_comments(s, stripped.data(), stripped.size());
    }
}

TEST(Traceparent, ParsesTraceIdOnly) {
    TraceId a = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    EXPECT_TRUE(a.valid());
    EXPECT_EQ(a.hi, 0x4bf92f3577b34da6ULL);
    EXPECT_EQ(a.lo, 0xa3ce929d0e0e4736ULL);
    TraceId b = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-00");
    EXPECT_EQ(a, b);  // another span of the same trace
    EXPECT_FALSE(
        parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01").valid());
    EXPECT_FALSE(
        parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01").valid());
    EXPECT_FALSE(
        parse_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").valid());
    EXPECT_FALSE(parse_traceparent("garbage").valid());
}

TEST(RequestKey, OnlyRequestLevelTagsCount) {
    QueryTags a, b, c, d;
    parse_tag_comment("controller='users',action='index',framework='django'", a);
    parse_tag_comment("action='index',controller='users',framework='django:5'", b);
    parse_tag_comment("controller='users',action='show'", c);
    parse_tag_comment("framework='django',db_driver='psycopg2'", d);
    EXPECT_NE(request_key(a), 0u);
    EXPECT_EQ(request_key(a), request_key(b));  // order and static tags do not matter
    EXPECT_NE(request_key(a), request_key(c));
    EXPECT_EQ(request_key(d), 0u);
    EXPECT_NE(tags_fingerprint(a), tags_fingerprint(b));
}

TEST(TagsFramework, RecognisesProducers) {
    auto fw = [](const char *comment) {
        QueryTags t;
        parse_tag_comment(comment, t);
        return std::string(tags_framework(t));
    };
    EXPECT_EQ(fw("framework='django%3A4.2'"), "django");
    EXPECT_EQ(fw("db_driver='knex%3A2.5.1'"), "knex");
    EXPECT_EQ(fw("db_driver='sequelize%3A6.0'"), "sequelize");
    EXPECT_EQ(fw("db_framework='sqlalchemy%3A2.0'"), "sqlalchemy");
    EXPECT_EQ(fw("action='index',application='Blog',controller='posts'"), "rails");
    EXPECT_EQ(fw("route='/x'"), "");
}

TEST(SerializedTags, RoundTrip) {
    QueryTags t;
    parse_tag_comment("a='1',b='two',c=''", t);
    char buf[64];
    size_t n = serialize_tags(t, buf, sizeof buf);
    std::string_view s(buf, n);
    size_t pos = 0;
    std::string_view k, v;
    std::string joined;
    while (next_serialized_tag(s, pos, k, v))
        joined += std::string(k) + "=" + std::string(v) + ";";
    EXPECT_EQ(joined, "a=1;b=two;c=;");
    EXPECT_EQ(serialize_tags(t, buf, 5), 4u);  // whole pairs only
}

TEST(StripTagComments, RemovesOnlyTagComments) {
    auto strip = [](const std::string &s) {
        std::string out(s.size() + 1, '\0');
        size_t n = strip_tag_comments(s, out.data(), out.size());
        return out.substr(0, n);
    };
    EXPECT_EQ(strip("SELECT $1 /*traceparent='00-ab',route='x'*/"), "SELECT $1");
    EXPECT_EQ(strip("/*application:App*/ SELECT $1 FROM t"), "SELECT $1 FROM t");
    EXPECT_EQ(strip("SELECT /* keep me */ 1"), "SELECT /* keep me */ 1");
    EXPECT_EQ(strip("SELECT 1; /*route='x'*/"), "SELECT 1");
}
