#include "core/sql/fingerprint_cache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace pg_advisor;

namespace {

// The cache's answer, checked against a full scan of the same text: every field equal.
StatementFingerprint check(FingerprintCache &cache, const std::string &text, size_t begin = 0,
                           size_t end = std::string::npos, bool scs = true) {
    sql::LexOptions opts;
    opts.standard_conforming_strings = scs;
    StatementSpan span{begin, end == std::string::npos ? text.size() : end};
    StatementFingerprint want = fingerprint_statement(text, span, opts, true);
    StatementFingerprint got;
    cache.fingerprint(text, span, opts, true, &got);
    EXPECT_EQ(got.shape, want.shape) << text;
    EXPECT_EQ(got.values, want.values) << text;
    EXPECT_EQ(got.literals, want.literals) << text;
    EXPECT_EQ(0, std::memcmp(got.literal_hash, want.literal_hash, sizeof want.literal_hash))
        << text;
    EXPECT_EQ(got.has_params, want.has_params) << text;
    EXPECT_EQ(got.has_block_comment, want.has_block_comment) << text;
    EXPECT_EQ(got.complete, want.complete) << text;
    return got;
}

}  // namespace

TEST(FingerprintCache, ReplaysOtherValuesAndTags) {
    auto cache = std::make_unique<FingerprintCache>();
    check(*cache, "UPDATE pgbench_accounts SET abalance = abalance + -1767 WHERE aid = 70446");
    EXPECT_EQ(cache->stats().scanned, 1u);
    check(*cache, "UPDATE pgbench_accounts SET abalance = abalance + -5 WHERE aid = 1");
    check(*cache, "UPDATE pgbench_accounts SET abalance = abalance + -49999 WHERE aid = 123456");
    check(*cache, "SELECT * FROM t WHERE name = 'bob' /* traceparent='00-aa-01' */");
    check(*cache, "SELECT * FROM t WHERE name = 'it''s' /* traceparent='00-bbbbbbbb-01' */");
    check(*cache, "SELECT * FROM t WHERE name = '' /* route='/x' */ -- trailing note");
    EXPECT_EQ(cache->stats().replayed, 3u);  // the UPDATEs and the second SELECT
    EXPECT_EQ(cache->stats().scanned, 3u);   // the first UPDATE; the SELECT; the new comment
}

TEST(FingerprintCache, ScansAgainWhatItCannotReplay) {
    auto cache = std::make_unique<FingerprintCache>();
    check(*cache, "SELECT a FROM t WHERE x = 5 ORDER BY 1 LIMIT 10");
    check(*cache, "SELECT a FROM t WHERE x = 2147483648 ORDER BY 1 LIMIT 10");  // int4 -> int8
    check(*cache, "SELECT a FROM t WHERE x = 5.5 ORDER BY 1 LIMIT 10");         // -> numeric
    check(*cache, "SELECT a FROM t WHERE x = 5 ORDER BY 2 LIMIT 10");           // structural
    check(*cache, "SELECT a FROM t WHERE x = y ORDER BY 1 LIMIT 10");           // not a literal
    check(*cache, "SELECT a FROM t WHERE x = 5  ORDER BY 1 LIMIT 10");          // whitespace
    check(*cache, "SELECT a FROM t WHERE x = TRUE ORDER BY 1 LIMIT 10");
    check(*cache, "SELECT a FROM t WHERE x = FALSE ORDER BY 1 LIMIT 10");
    EXPECT_EQ(cache->stats().replayed, 0u);
    check(*cache, "SELECT a FROM t WHERE x = FALSE ORDER BY 1 LIMIT 99");  // LIMIT's value
    EXPECT_EQ(cache->stats().replayed, 1u);
}

TEST(FingerprintCache, SpansOfAMultiStatementStringAndLongTexts) {
    auto cache = std::make_unique<FingerprintCache>();
    std::string two = "SELECT 1; UPDATE t SET a = 7 WHERE id = 12";
    check(*cache, two, 10, two.size());
    std::string other = "SELECT 99; UPDATE t SET a = 8 WHERE id = 123456";
    check(*cache, other, 11, other.size());
    EXPECT_EQ(cache->stats().replayed, 1u);
    std::string longer = "SELECT * FROM t WHERE a IN (" + std::string(3000, '1') + ")";
    check(*cache, longer);
    check(*cache, longer);
    EXPECT_EQ(cache->stats().replayed, 1u);  // longer than kMaxText: scanned each time
}

TEST(FingerprintCache, BackslashesFollowTheSetting) {
    auto cache = std::make_unique<FingerprintCache>();
    check(*cache, "SELECT 'a\\' FROM t WHERE b = 'x'", 0, std::string::npos, true);
    check(*cache, "SELECT 'b\\' FROM t WHERE b = 'y'", 0, std::string::npos, false);
    check(*cache, "SELECT 'c\\'' FROM t WHERE b = 'z'", 0, std::string::npos, false);
    check(*cache, "SELECT 'd\\' FROM t WHERE b = 'w'", 0, std::string::npos, true);
}

TEST(FingerprintCache, RandomValuesAlwaysGiveTheFullScansAnswer) {
    // Templates with value slots, filled with values of every kind, including ones that end
    // a literal early, merge with what follows or open something that never closes.
    const std::vector<std::string> templates = {
        "SELECT * FROM t WHERE a = @ AND b = @",
        "UPDATE t SET x = x + @ WHERE id = @ RETURNING id",
        "INSERT INTO h (a, b, c) VALUES (@, @, @)",
        "SELECT a FROM t WHERE b IN (@, @) ORDER BY a LIMIT @ OFFSET @",
        "SELECT a::varchar(@) FROM t WHERE c = @ /* @ */",
        "SELECT a FROM t WHERE c = @ -- @\n AND d = @",
        "SELECT a FROM t WHERE c=@ AND d=-@",
        "SELECT a FROM t WHERE c = @@ AND d <> @",
    };
    const std::vector<std::string> values = {
        "1",          "42",         "007",
        "2147483647", "2147483648", "9223372036854775808",
        "1.5",        "1e3",        "0x1F",
        "1_000",      "'x'",        "'it''s'",
        "''",         "'a\\'",      "'multi\nline'",
        "E'x'",       "$$y$$",      "TRUE",
        "NULL",       "-3",         "- 3",
        "5a",         "5 ",         "/* c */",
        "-- c\n",     "'open",      "/* open",
        "x",          "(",          ")",
        "'a' 'b'",    "'a'\n'b'",   "1.",
        ".5",         "5..6",       "$1",
        "--",         "/*/**/*/",   "",
        "9",          "99999",      "'",
        "12345678",   "123456789",  "1234567",
    };
    std::mt19937 rng(7);
    auto cache = std::make_unique<FingerprintCache>();
    for (int i = 0; i < 30000; i++) {
        const std::string &t = templates[rng() % templates.size()];
        std::string text;
        for (char c : t) {
            if (c == '@') {
                // Mostly plain values, so that texts repeat with other values.
                text += rng() % 10 != 0 ? std::to_string(rng() % 100000)
                                        : values[rng() % values.size()];
            } else {
                text += c;
            }
        }
        check(*cache, text, 0, std::string::npos, rng() % 50 != 0);
        if (::testing::Test::HasFailure()) break;
    }
    EXPECT_GT(cache->stats().replayed, 10000u);
}

TEST(FingerprintCache, CommonPrefix) {
    EXPECT_EQ(common_prefix("abcdefghijklmnop", "abcdefghijklmnoq", 16), 15u);
    EXPECT_EQ(common_prefix("abcdefghij", "abcdefghij", 10), 10u);
    EXPECT_EQ(common_prefix("xbc", "abc", 3), 0u);
    EXPECT_EQ(common_prefix("abcdefgh1", "abcdefgh2", 9), 8u);
    EXPECT_EQ(common_prefix("abcXefghijkl", "abcdefghijkl", 12), 3u);
    // Every length and every place of the first difference (16-byte, 8-byte, last-word and
    // byte steps).
    for (size_t n = 0; n <= 40; n++) {
        std::string a(n, 'a');
        EXPECT_EQ(common_prefix(a.data(), a.data(), n), n);
        for (size_t p = 0; p < n; p++) {
            std::string b = a;
            b[p] = 'b';
            if (p + 1 < n) b[n - 1] = 'c';  // a later difference changes nothing
            EXPECT_EQ(common_prefix(a.data(), b.data(), n), p) << n << " " << p;
        }
    }
}

TEST(FingerprintCache, TwoSignsOfOneStatementAreTellApartWithoutAFailedReplay) {
    // "+ -5" and "+ 5" differ outside a literal: two kept texts of one key. Each new text is
    // replayed from the right one at once.
    auto cache = std::make_unique<FingerprintCache>();
    check(*cache, "UPDATE a SET b = b + -5 WHERE c = 1");
    check(*cache, "UPDATE a SET b = b + 5 WHERE c = 1");
    EXPECT_EQ(cache->stats().scanned, 2u);
    for (int i = 0; i < 10; i++) {
        std::string v = std::to_string(100 + i * 37);
        check(*cache,
              "UPDATE a SET b = b + " + std::string(i % 2 ? "-" : "") + v + " WHERE c = " + v);
    }
    EXPECT_EQ(cache->stats().scanned, 2u);
    EXPECT_EQ(cache->stats().replayed, 10u);
    EXPECT_EQ(cache->stats().failed, 0u);
}
