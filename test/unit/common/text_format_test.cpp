// The one spelling of numbers, sizes and durations that the review rules' titles and the report
// share (core/common/text_format.h), and the UTF-8 sequence check of JSON and the report.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/common/text_format.h"
#include "core/report/text_format.h"
#include "core/review/rules/rule_text.h"

using namespace pg_advisor;

TEST(TextFormat, Numbers) {
    EXPECT_EQ(common::thousands(0), "0");
    EXPECT_EQ(common::thousands(999), "999");
    EXPECT_EQ(common::thousands(1000), "1,000");
    EXPECT_EQ(common::thousands(-1234567), "-1,234,567");
    EXPECT_EQ(common::thousands(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
    EXPECT_EQ(common::number(1234567), "1,234,567");
    EXPECT_EQ(common::number(1234.56, 1), "1,234.6");
    EXPECT_EQ(common::number(2.0, 1), "2");
    EXPECT_EQ(common::number(0.25, 2), "0.25");
    EXPECT_EQ(common::number(12.5, 2), "12.5");
    EXPECT_EQ(common::number(0.04, 1), "0");
    EXPECT_EQ(common::number(-0.04, 1), "0");
    EXPECT_EQ(common::number(-1234.5, 1), "-1,234.5");
    EXPECT_EQ(common::number(999.6), "1,000");
    EXPECT_EQ(common::number(std::nan("")), "unknown");
    EXPECT_EQ(common::number(HUGE_VAL, 1), "unknown");
}

TEST(TextFormat, Percentages) {
    EXPECT_EQ(common::percent(0.3312), "33.1%");
    EXPECT_EQ(common::percent(0.5), "50.0%");
    EXPECT_EQ(common::percent(0.999), "99.9%");
    EXPECT_EQ(common::percent(0.000123), "0.0123%");
    EXPECT_EQ(common::percent(0), "0.0%");
    EXPECT_EQ(common::percent(std::nan("")), "unknown");
}

TEST(TextFormat, Durations) {
    EXPECT_EQ(common::duration_ms(0), "0 ms");
    EXPECT_EQ(common::duration_ms(4.26), "4.26 ms");
    EXPECT_EQ(common::duration_ms(5), "5 ms");
    EXPECT_EQ(common::duration_ms(12.5), "12.5 ms");
    EXPECT_EQ(common::duration_ms(850.3), "850 ms");
    EXPECT_EQ(common::duration_ms(999.4), "999 ms");
    EXPECT_EQ(common::duration_ms(999.6), "1 s");
    EXPECT_EQ(common::duration_ms(5234.5), "5.2 s");
    EXPECT_EQ(common::duration_ms(9960), "10 s");
    EXPECT_EQ(common::duration(0.4), "400 ms");
    EXPECT_EQ(common::duration(2), "2 s");
    EXPECT_EQ(common::duration(33.4), "33 s");
    EXPECT_EQ(common::duration(59.6), "1 min");
    EXPECT_EQ(common::duration(93), "1 min 33 s");
    EXPECT_EQ(common::duration(252), "4 min 12 s");
    EXPECT_EQ(common::duration(5400), "1 h 30 min");
    EXPECT_EQ(common::duration(7200), "2 h");
    EXPECT_EQ(common::duration(2 * 86400 + 3 * 3600 + 59), "2 d 3 h");
    EXPECT_EQ(common::duration(86400), "1 d");
    EXPECT_EQ(common::duration(-1), "unknown");
    EXPECT_EQ(common::duration(std::nan("")), "unknown");
    EXPECT_EQ(common::duration_ms(HUGE_VAL), "unknown");
}

TEST(TextFormat, Sizes) {
    EXPECT_EQ(common::bytes(0), "0 bytes");
    EXPECT_EQ(common::bytes(512), "512 bytes");
    EXPECT_EQ(common::bytes(1023), "1,023 bytes");
    EXPECT_EQ(common::bytes(1536), "1.5 kB");
    EXPECT_EQ(common::bytes(12 * 1024), "12 kB");
    EXPECT_EQ(common::bytes(3.5 * 1024 * 1024), "3.5 MB");
    EXPECT_EQ(common::bytes(12.3 * 1024 * 1024), "12 MB");
    EXPECT_EQ(common::bytes(2.0 * 1024 * 1024 * 1024), "2 GB");
    EXPECT_EQ(common::bytes(9.96 * 1024), "10 kB");
    EXPECT_EQ(common::bytes(2048.0 * 1024 * 1024 * 1024 * 1024 * 1024), "2,048 PB");
    EXPECT_EQ(common::bytes(-1), "unknown");
}

// The rules' names are the same functions: a finding's title and the report around it agree.
TEST(TextFormat, RuleTextSpellsLikeTheReport) {
    for (double ms : {0.0, 4.26, 12.5, 850.3, 5234.5, 93000.0, 5400000.0})
        EXPECT_EQ(review::text::millis(ms), common::duration_ms(ms)) << ms;
    EXPECT_EQ(review::text::duration(93), "1 min 33 s");
    EXPECT_EQ(review::text::bytes(2.0 * 1024 * 1024 * 1024), "2 GB");
    EXPECT_EQ(review::text::count(1234567), "1,234,567");
    EXPECT_EQ(review::text::count(0.25, 2), "0.25");
    EXPECT_EQ(review::text::percent(0.125), "12.5%");
}

TEST(TextFormat, Utf8Sequences) {
    EXPECT_EQ(common::utf8_sequence("a", 0), 1u);
    EXPECT_EQ(common::utf8_sequence("\xC3\xA9", 0), 2u);           // é
    EXPECT_EQ(common::utf8_sequence("\xE2\x82\xAC", 0), 3u);       // €
    EXPECT_EQ(common::utf8_sequence("\xF0\x9F\x98\x80", 0), 4u);   // 😀
    EXPECT_EQ(common::utf8_sequence("x\xF0\x9F\x98\x80", 1), 4u);  // from an offset
    EXPECT_EQ(common::utf8_sequence("\xC3", 0), 0u);               // truncated
    EXPECT_EQ(common::utf8_sequence("\xC3"
                                    "a",
                                    0),
              0u);                                                // not a continuation
    EXPECT_EQ(common::utf8_sequence("\xC0\xAF", 0), 0u);          // overlong
    EXPECT_EQ(common::utf8_sequence("\xE0\x80\xAF", 0), 0u);      // overlong
    EXPECT_EQ(common::utf8_sequence("\xED\xA0\x80", 0), 0u);      // surrogate
    EXPECT_EQ(common::utf8_sequence("\xF4\x90\x80\x80", 0), 0u);  // above U+10FFFF
    EXPECT_EQ(common::utf8_sequence("\xF5\x80\x80\x80", 0), 0u);
    EXPECT_EQ(common::utf8_sequence("\xFF", 0), 0u);
    EXPECT_EQ(common::utf8_sequence("\x80", 0), 0u);
}
