#include "core/report/slug.h"

#include <gtest/gtest.h>

#include <string>

using namespace pg_advisor::report;

namespace {

bool slug_characters_only(const std::string &slug) {
    for (char c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return slug.front() != '-' && slug.back() != '-' && slug.find("--") == std::string::npos;
}

}  // namespace

TEST(ReportSlug, FromRuleAndObject) {
    EXPECT_EQ(finding_slug("fk_missing_index", "\"public\".\"orders\".\"customer_id\""),
              "fk-missing-index-orders-customer-id");
    EXPECT_EQ(finding_slug("duplicate_index", "\"sales\".\"orders_idx\""),
              "duplicate-index-sales-orders-idx");
    EXPECT_EQ(finding_slug("no_primary_key", "public.Legacy Import"),
              "no-primary-key-legacy-import");
    EXPECT_EQ(finding_slug("n_plus_one", "\"public\""), "n-plus-one-public");
    EXPECT_EQ(finding_slug("x", "\"a.b\".\"c\"\"d\""), "x-a-b-c-d");
    EXPECT_EQ(finding_file_name(3, "fk-missing-index-orders-customer-id"),
              "finding-003-fk-missing-index-orders-customer-id.md");
    EXPECT_EQ(finding_file_name(1234, "x"), "finding-1234-x.md");
    EXPECT_EQ(export_basename("2025-01-15"), "database-review-2025-01-15");
}

TEST(ReportSlug, LowercaseAsciiOnly) {
    EXPECT_EQ(finding_slug("Rule", "\"public\".\"Café Crème\".\"Größe\""),
              "rule-cafe-creme-grosse");
    EXPECT_EQ(finding_slug("r", "\"public\".\"Ørsted_Æble\""), "r-orsted-aeble");
    EXPECT_EQ(finding_slug("r", "\"public\".\"заказы\".\"id\""), "r-id");
    EXPECT_EQ(finding_slug("r", "\"public\".\"注文\""), "r");
    EXPECT_EQ(finding_slug("", "\"public\".\"注文\""), "finding");
    EXPECT_EQ(finding_slug("r",
                           "\"public\".\"a\xff\xfe"
                           "b\""),
              "r-a-b");  // invalid UTF-8
    for (const char *object : {"\"Ünïcödé\"", "\"--x--\"", "\"\"", "\"🐘 elephants 🐘\"",
                               "\"<script>alert(1)</script>\"", "\"../../etc/passwd\""}) {
        std::string slug = finding_slug("rule_id", object);
        EXPECT_TRUE(slug_characters_only(slug)) << slug;
    }
    EXPECT_EQ(finding_slug("rule_id", "\"../../etc/passwd\""), "rule-id-etc-passwd");
}

TEST(ReportSlug, LengthIsCapped) {
    std::string table(200, 'a');
    std::string slug = finding_slug("fk_missing_index", "\"public\".\"" + table + "\"");
    EXPECT_EQ(slug.size(), kMaxSlugLength);
    std::string words =
        "\"public\".\"customer_addresses\".\"billing_country_code_iso\"."
        "\"extra_long_column_name_here\"";
    slug = finding_slug("fk_missing_index", words);
    EXPECT_LE(slug.size(), kMaxSlugLength);
    EXPECT_EQ(slug, "fk-missing-index-customer-addresses-billing-country-code-iso");
    EXPECT_TRUE(slug_characters_only(slug));
}

TEST(ReportSlug, UniqueWithSuffixes) {
    SlugSet set;
    EXPECT_EQ(set.unique("a-b"), "a-b");
    EXPECT_EQ(set.unique("a-b"), "a-b-2");
    EXPECT_EQ(set.unique("a-b"), "a-b-3");
    EXPECT_EQ(set.unique("a-b-2"), "a-b-2-2");
    std::string longest(kMaxSlugLength, 'x');
    EXPECT_EQ(set.unique(longest), longest);
    std::string second = set.unique(longest);
    EXPECT_EQ(second.size(), kMaxSlugLength);
    EXPECT_EQ(second, std::string(kMaxSlugLength - 2, 'x') + "-2");
    EXPECT_NE(set.unique(longest), second);
}
