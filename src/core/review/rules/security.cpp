// Review rules of the security family (see review/registry.h); the rule functions are in
// security_rls.cpp and security_access.cpp. "Exposed" is defined in exposure.h.
#include "core/review/registry.h"
#include "core/review/rules/security_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

const std::vector<RuleInfo> &security_rules() {
    using namespace security;
    constexpr Category kSec = Category::Security;
    static const std::vector<RuleInfo> rules = {
        {"rls_disabled_on_exposed_table",
         "SEC-01",
         kSec,
         Severity::High,
         "Exposed table without row-level security",
         "No table granted to PUBLIC or to a role restricted by row-level security elsewhere "
         "lacks row-level security.",
         {{"rls_disabled_on_exposed_table_small_rows", 1000, 0, 1e12,
           "tables with fewer rows, exposed for reading only, are one severity step lower"}},
         rls_disabled_on_exposed_table},
        {"policy_but_rls_disabled",
         "SEC-02",
         kSec,
         Severity::High,
         "Policies defined but row-level security disabled",
         "No table with policies has row-level security disabled.",
         {},
         policy_but_rls_disabled},
        {"rls_enabled_no_policy",
         "SEC-03",
         kSec,
         Severity::Info,
         "Row-level security enabled without a policy",
         "Every table with row-level security enabled has at least one policy.",
         {},
         rls_enabled_no_policy},
        {"permissive_policy_always_true",
         "SEC-04",
         kSec,
         Severity::Medium,
         "Permissive policy that is always true",
         "No permissive policy has an always-true USING or WITH CHECK condition.",
         {},
         permissive_policy_always_true},
        {"multiple_permissive_policies",
         "SEC-05",
         kSec,
         Severity::Medium,
         "Several permissive policies for one role and command",
         "No table has more than one permissive policy for the same role and command.",
         {{"multiple_permissive_policies_min_rows", 10000, 0, 1e12,
           "tables with fewer rows are one severity step lower"}},
         multiple_permissive_policies},
        {"security_definer_view",
         "SEC-06",
         kSec,
         Severity::High,
         "View bypasses row-level security of the tables it reads",
         "No view shared with other roles reads row-level-secured tables with its owner's "
         "rights.",
         {},
         security_definer_view},
        {"function_search_path_mutable",
         "SEC-07",
         kSec,
         Severity::Medium,
         "Function with a mutable search_path",
         "Every function pins its search_path, and no SECURITY DEFINER function is executable "
         "by PUBLIC.",
         {},
         function_search_path_mutable},
        {"public_schema_create",
         "SEC-08",
         kSec,
         Severity::Medium,
         "PUBLIC may create objects in a schema",
         "No schema lets every role create objects in it.",
         {},
         public_schema_create},
        {"privileged_roles",
         "SEC-09",
         kSec,
         Severity::Medium,
         "Roles with excessive privileges",
         "No login role holds BYPASSRLS, CREATEROLE or a server-file role it may not need, and "
         "the number of login superusers is below the threshold.",
         {{"privileged_roles_min_superusers", 10, 1, 1e6,
           "this many login superusers or more are reported"}},
         privileged_roles},
        {"weak_auth_or_transport",
         "SEC-10",
         kSec,
         Severity::Medium,
         "Weak authentication or unencrypted transport",
         "No pg_hba line trusts or takes cleartext passwords, passwords are hashed with SCRAM, "
         "and no network session runs without TLS.",
         {},
         weak_auth_or_transport},
        {"sensitive_columns_unprotected",
         "SEC-11",
         kSec,
         Severity::High,
         "Secret-looking columns readable by other roles",
         "No table readable by other roles without row-level security has columns named like "
         "secrets or personal data.",
         {},
         sensitive_columns_unprotected},
        {"unsafe_object_exposure",
         "SEC-12",
         kSec,
         Severity::Medium,
         "Object that bypasses row-level security is exposed, or extension outdated",
         "No materialized view or foreign table is exposed, and every extension is at its "
         "package's version.",
         {},
         unsafe_object_exposure},
    };
    return rules;
}

}  // namespace pg_advisor::review
