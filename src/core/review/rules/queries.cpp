// Review rules of the queries family (see review/registry.h).
#include "core/review/registry.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

const std::vector<RuleInfo> &query_rules() {
    static const std::vector<RuleInfo> rules = {};
    return rules;
}

}  // namespace pg_advisor::review
