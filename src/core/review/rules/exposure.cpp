#include "core/review/rules/exposure.h"

#include <algorithm>

#include "core/common/no_postgres.h"

namespace pg_advisor::review::security {

namespace {

void add_unique(std::vector<std::string> &v, const std::string &s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

}  // namespace

bool is_data_privilege(const std::string &p) {
    return p == "SELECT" || p == "INSERT" || p == "UPDATE" || p == "DELETE" || p == "TRUNCATE";
}

bool Access::only_reads() const {
    return std::all_of(privileges.begin(), privileges.end(),
                       [](const std::string &p) { return p == "SELECT"; });
}

const char *Exposure::definition() {
    return "exposed = a data privilege granted to PUBLIC, or to a role the database restricts "
           "with row-level security elsewhere (named in a policy, a member of such a role, or a "
           "group it belongs to)";
}

Exposure::Exposure(const catalog::CatalogSnapshot &snap) {
    for (const catalog::Role &r : snap.roles)
        roles_[r.name] = &r;
    // Roles named by policies; a policy TO PUBLIC restricts the grantees of its table.
    std::vector<std::string> named;
    for (const catalog::Policy &p : snap.policies) {
        for (const std::string &r : p.roles) {
            if (r != "public") {
                named.push_back(r);
                continue;
            }
            const catalog::Table *t = snap.table(p.table);
            if (t == nullptr) continue;
            for (const catalog::Grant &g : t->grants)
                if (g.grantee != "PUBLIC" && g.grantee != t->owner) named.push_back(g.grantee);
        }
    }
    // Members of those roles (policies apply to members), then the groups of all of them
    // (a grant to a group reaches its members). Each role is visited once per direction.
    std::unordered_map<std::string, std::vector<std::string>> members;
    for (const catalog::Role &r : snap.roles)
        for (const std::string &g : r.member_of)
            members[g].push_back(r.name);
    std::unordered_set<std::string> down;
    std::vector<std::string> work = named;
    while (!work.empty()) {
        std::string r = work.back();
        work.pop_back();
        if (!down.insert(r).second) continue;
        auto it = members.find(r);
        if (it != members.end()) work.insert(work.end(), it->second.begin(), it->second.end());
    }
    work.assign(down.begin(), down.end());
    while (!work.empty()) {
        std::string r = work.back();
        work.pop_back();
        if (!restricted_.insert(r).second) continue;
        if (const catalog::Role *role = this->role(r))
            work.insert(work.end(), role->member_of.begin(), role->member_of.end());
    }
    for (auto it = restricted_.begin(); it != restricted_.end();)
        it = bypasses_rls(*it) ? restricted_.erase(it) : std::next(it);
}

const catalog::Role *Exposure::role(const std::string &name) const {
    auto it = roles_.find(name);
    return it == roles_.end() ? nullptr : it->second;
}

bool Exposure::bypasses_rls(const std::string &name) const {
    const catalog::Role *r = role(name);
    return r != nullptr && (r->superuser || r->bypass_rls);
}

Access Exposure::of(const catalog::Table &t) const {
    Access a;
    for (const catalog::Grant &g : t.grants) {
        if (!is_data_privilege(g.privilege) || g.grantee == t.owner) continue;
        if (g.grantee == "PUBLIC" || rls_restricted(g.grantee)) {
            add_unique(a.exposed_to, g.grantee);
            add_unique(a.privileges, g.privilege);
        } else if (!bypasses_rls(g.grantee)) {
            add_unique(a.other_grantees, g.grantee);
        }
    }
    return a;
}

}  // namespace pg_advisor::review::security
