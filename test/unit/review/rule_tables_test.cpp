// The registry tables of every family: unique ids, complete entries, thresholds that become
// settings (unique names, defaults inside their ranges).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/review/registry.h"

using pg_advisor::review::all_rules;
using pg_advisor::review::all_thresholds;
using pg_advisor::review::RuleInfo;

TEST(RuleTables, IdsAndCatalogueIdsAreUnique) {
    std::set<std::string> ids, catalogue;
    for (const RuleInfo *r : all_rules()) {
        EXPECT_TRUE(ids.insert(r->id).second) << r->id;
        if (*r->catalogue_id) {
            EXPECT_TRUE(catalogue.insert(r->catalogue_id).second) << r->id;
        }
    }
}

TEST(RuleTables, EveryRuleIsComplete) {
    for (const RuleInfo *r : all_rules()) {
        EXPECT_NE(r->run, nullptr) << r->id;
        EXPECT_GT(std::string(r->title).size(), 5u) << r->id;
        EXPECT_EQ(std::string(r->passed).back(), '.') << r->id;
    }
}

TEST(RuleTables, ThresholdsAreUniqueSettingsWithSaneDefaults) {
    std::set<std::string> names;
    for (const auto *t : all_thresholds()) {
        EXPECT_TRUE(names.insert(t->name).second) << t->name;
        EXPECT_LE(t->min_value, t->default_value) << t->name;
        EXPECT_LE(t->default_value, t->max_value) << t->name;
        EXPECT_GT(std::string(t->description).size(), 10u) << t->name;
    }
}

// Thresholds of the security, operations and query families are named after their rule.
TEST(RuleTables, ThresholdNamesStartWithTheirRule) {
    for (const auto *family :
         {&pg_advisor::review::security_rules(), &pg_advisor::review::operations_rules(),
          &pg_advisor::review::query_rules()})
        for (const RuleInfo &r : *family)
            for (const auto &t : r.thresholds) {
                std::string name = t.name, id = r.id;
                std::string stem = id == "stats_window_too_short" ? "stats_window" : id;
                EXPECT_EQ(name.compare(0, stem.size(), stem), 0) << name;
            }
}

// The size of every family: a rule dropped from (or added to) a table by mistake changes it.
// Adding a rule updates this count with the rule's table line.
TEST(RuleTables, FamilySizes) {
    EXPECT_EQ(pg_advisor::review::index_rules().size(), 12u);
    EXPECT_EQ(pg_advisor::review::schema_rules().size(), 19u);
    EXPECT_EQ(pg_advisor::review::query_rules().size(), 11u);
    EXPECT_EQ(pg_advisor::review::operations_rules().size(), 20u);
    EXPECT_EQ(pg_advisor::review::security_rules().size(), 12u);
    EXPECT_EQ(all_rules().size(), 74u);
}
