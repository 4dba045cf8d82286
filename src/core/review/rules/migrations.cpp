// Review rules of the migration family (see review/registry.h): the registry table. The rule
// functions live in files named by what they look at (migration_rules.h lists them).
#include "core/review/registry.h"

#include "core/review/rules/migration_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

namespace {

constexpr double kMiB = 1024.0 * 1024;
constexpr double kGiB = 1024.0 * kMiB;
constexpr double kBig = 1e18;  // no practical upper bound

}  // namespace

const std::vector<RuleInfo> &migration_rules() {
    using namespace migration;
    static const std::vector<RuleInfo> rules = {
        {"index_not_concurrent",
         "MIG-01",
         Category::Migration,
         Severity::High,
         "CREATE INDEX without CONCURRENTLY",
         "Every index on an existing table is built concurrently.",
         {{"migration_small_table_bytes", 10 * kMiB, 0, kBig,
           "tables known to be smaller than this get info findings only"},
          {"migration_large_table_bytes", kGiB, 0, kBig,
           "tables at least this large raise migration findings one severity step"}},
         nullptr,
         index_not_concurrent},
    };
    return rules;
}

}  // namespace pg_advisor::review
