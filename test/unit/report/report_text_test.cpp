#include <gtest/gtest.h>

#include <string>

#include "core/report/json_reader.h"
#include "core/report/text_format.h"

using namespace pg_advisor::report;

// Numbers, sizes and durations: test/unit/common/text_format_test.cpp.
TEST(ReportText, Counts) {
    EXPECT_EQ(count_of(1, "finding", "findings"), "1 finding");
    EXPECT_EQ(count_of(1200, "finding", "findings"), "1,200 findings");
    EXPECT_EQ(queryid_text(0xFFFFFFFFFFFFFFFFull), "-1");
}

TEST(ReportText, TimesInUtc) {
    EXPECT_EQ(utc_timestamp(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(utc_timestamp(int64_t{1736935200} * 1000000), "2025-01-15T10:00:00Z");
    EXPECT_EQ(utc_timestamp(int64_t{951782400} * 1000000), "2000-02-29T00:00:00Z");
    EXPECT_EQ(utc_timestamp(-1), "1969-12-31T23:59:59Z");
    EXPECT_EQ(utc_minute(int64_t{4107542399} * 1000000), "2100-02-28 23:59 UTC");
    EXPECT_EQ(span_text(int64_t{7} * 86400 * 1000000 + 5), "7 days");
    EXPECT_EQ(span_text(int64_t{3600} * 1000000), "1 hour");
    EXPECT_EQ(span_text(int64_t{59} * 1000000), "less than a minute");
    EXPECT_TRUE(valid_date("2025-01-15"));
    EXPECT_FALSE(valid_date("2025-13-01"));
    EXPECT_FALSE(valid_date("2025/01/15"));
    EXPECT_FALSE(valid_date("../../x/y/z"));
}

TEST(ReportText, HtmlEscaping) {
    EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
              "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    EXPECT_EQ(html_escape("ok\xff\x01\n"), "ok\xEF\xBF\xBD\xEF\xBF\xBD\n");
    EXPECT_EQ(html_escape("é😀"), "é😀");
}

TEST(ReportText, MarkdownEscaping) {
    EXPECT_EQ(md_text("orders_customer_id_fkey"), "orders_customer_id_fkey");
    EXPECT_EQ(md_text("_x_ *y* `z` [a](b) <i> |"),
              "\\_x\\_ \\*y\\* \\`z\\` \\[a\\](b) \\<i\\> \\|");
    EXPECT_EQ(md_text("# not a heading\nsecond line"), "\\# not a heading second line");
    EXPECT_EQ(md_code("plain"), "`plain`");
    EXPECT_EQ(md_code("a`b"), "``a`b``");
    EXPECT_EQ(md_code("`x`"), "`` `x` ``");
    EXPECT_EQ(md_block("SELECT 1", "sql"), "```sql\nSELECT 1\n```\n");
    EXPECT_EQ(md_block("a\n```\nb\n"), "````\na\n```\nb\n````\n");
}

TEST(ReportJsonReader, ParsesAndKeepsOrder) {
    JsonValue v;
    std::string error;
    ASSERT_TRUE(
        parse_json(R"( {"b": [1, -2.5e3, true, null], "a": "x\u00e9\ud83d\ude00\n"} )", &v, &error))
        << error;
    ASSERT_EQ(v.members.size(), 2u);
    EXPECT_EQ(v.members[0].first, "b");
    EXPECT_EQ(v.find("b")->items[1].text, "-2.5e3");
    EXPECT_EQ(v.find("b")->items[1].number(), -2500);
    EXPECT_TRUE(v.find("b")->items[2].boolean);
    EXPECT_TRUE(v.find("b")->items[3].is(JsonValue::Type::Null));
    EXPECT_EQ(v.find("a")->text, "xé😀\n");
    EXPECT_EQ(to_json(v), "{\"b\":[1,-2.5e3,true,null],\"a\":\"xé😀\\n\"}");
}

TEST(ReportJsonReader, RejectsMalformedInput) {
    for (const char *bad :
         {"",    "{",     "[1,]",    "{\"a\" 1}", "{\"a\":1,}",  "01",          "1.",
          "-",   "+1",    "\"\\x\"", "\"a\nb\"",  "\"\\ud800\"", "\"\\udc00\"", "tru",
          "nul", "[1] 2", "{a:1}",   "'a'",       "\"\xff\"",    "1e"}) {
        JsonValue v;
        EXPECT_FALSE(parse_json(bad, &v)) << bad;
    }
    std::string deep(100, '[');
    JsonValue v;
    std::string error;
    EXPECT_FALSE(parse_json(deep + std::string(100, ']'), &v, &error));
    EXPECT_NE(error.find("nesting too deep"), std::string::npos);
}
