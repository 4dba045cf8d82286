// Review rules of the operations family (see review/registry.h).
#include "core/review/registry.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

const std::vector<RuleInfo> &operations_rules() {
    static const std::vector<RuleInfo> rules = {};
    return rules;
}

}  // namespace pg_advisor::review
