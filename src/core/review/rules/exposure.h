// Who can reach a relation besides its owner, and whether that makes it "exposed" for the
// security rules.
//
// Without an API layer that names its roles (Supabase's anon/authenticated), exposure is defined
// from the database's own evidence:
//   - a data privilege (SELECT, INSERT, UPDATE, DELETE, TRUNCATE) granted to PUBLIC: every role,
//     present and future, holds it;
//   - or granted to a role the database itself restricts with row-level security: a role named
//     in some policy (or, for a policy TO PUBLIC, a role granted the policy's table), together
//     with its members and the groups those roles belong to. The application relies on RLS for
//     that role, so a table it reaches without RLS is where rows leak.
// Superusers and BYPASSRLS roles are never restricted, so granting to them exposes nothing.
// Ordinary grants to other roles are reported as "other grantees" (context, lower severity).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::review::security {

struct Access {
    std::vector<std::string> exposed_to;      // "PUBLIC" and RLS-restricted grantees
    std::vector<std::string> other_grantees;  // data privileges held by other non-owner roles
    std::vector<std::string> privileges;      // data privileges the exposed grantees hold
    bool exposed() const { return !exposed_to.empty(); }
    bool only_reads() const;  // the exposed grantees hold SELECT and nothing else
};

class Exposure {
  public:
    explicit Exposure(const catalog::CatalogSnapshot &snap);
    Access of(const catalog::Table &t) const;
    // Whether the role is restricted by RLS somewhere (see above).
    bool rls_restricted(const std::string &role) const { return restricted_.count(role) > 0; }
    // Superuser or BYPASSRLS (unknown roles: false).
    bool bypasses_rls(const std::string &role) const;
    const catalog::Role *role(const std::string &name) const;
    // The definition above in one sentence, for evidence.
    static const char *definition();

  private:
    std::unordered_map<std::string, const catalog::Role *> roles_;
    std::unordered_set<std::string> restricted_;
};

// A data privilege (one RLS governs or TRUNCATE, which RLS does not stop).
bool is_data_privilege(const std::string &privilege);

}  // namespace pg_advisor::review::security
