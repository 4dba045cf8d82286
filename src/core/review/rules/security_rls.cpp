// Security rules about row-level security and what tables, views and materialized views expose
// (SEC-01 to SEC-06, SEC-11, SEC-12 of the catalogue). "Exposed" is defined in exposure.h.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/review/rules/exposure.h"
#include "core/review/rules/relation_facts.h"
#include "core/review/rules/rule_text.h"
#include "core/review/rules/security_rules.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::security {

using catalog::Policy;
using catalog::quote_ident;
using catalog::Table;

namespace {

// Policies of each table, in snapshot order.
std::unordered_map<uint32_t, std::vector<const Policy *>> policies_by_table(
    const catalog::CatalogSnapshot &snap) {
    std::unordered_map<uint32_t, std::vector<const Policy *>> out;
    for (const Policy &p : snap.policies)
        out[p.table].push_back(&p);
    return out;
}

std::vector<std::string> policy_names(const std::vector<const Policy *> &policies) {
    std::vector<std::string> out;
    for (const Policy *p : policies)
        out.push_back(p->name);
    return out;
}

// Roles other than the owner holding a data privilege on the table.
std::vector<std::string> data_grantees(const Table &t) {
    std::vector<std::string> out;
    for (const catalog::Grant &g : t.grants)
        if (is_data_privilege(g.privilege) && g.grantee != t.owner &&
            std::find(out.begin(), out.end(), g.grantee) == out.end())
            out.push_back(g.grantee);
    return out;
}

std::string grantee_sql(const std::string &grantee) {
    return grantee == "PUBLIC" ? "PUBLIC" : quote_ident(grantee);
}

const char *command_name(char cmd) {
    switch (cmd) {
        case 'r':
            return "SELECT";
        case 'a':
            return "INSERT";
        case 'w':
            return "UPDATE";
        case 'd':
            return "DELETE";
        default:
            return "ALL";
    }
}

}  // namespace

// SEC-01: an exposed table (see exposure.h) without row-level security. A small table exposed
// for reading only (reference data) is one step less severe.
void rls_disabled_on_exposed_table(RuleContext &cx) {
    Exposure exposure(cx.catalog());
    double small = cx.threshold("rls_disabled_on_exposed_table_small_rows");
    for (const Table &t : cx.catalog().tables) {
        if (!relation::is_user_table(t) || t.rls_enabled) continue;
        Access a = exposure.of(t);
        if (!a.exposed()) continue;
        double rows = relation::table_rows(t);
        Finding f = cx.make("table", t.qualified(), "");
        if (a.only_reads() && rows >= 0 && rows < small) f.severity = lower(f.severity);
        bool to_public =
            std::find(a.exposed_to.begin(), a.exposed_to.end(), "PUBLIC") != a.exposed_to.end();
        f.title = fmt::format("Table {} is reachable by {} without row-level security",
                              t.qualified(), text::join_words(a.exposed_to));
        f.evidence.add("exposed_to", a.exposed_to)
            .add("privileges", a.privileges)
            .add("other_grantees", a.other_grantees)
            .add("rls_enabled", false)
            .add("estimated_rows", rows)
            .add("small_table_rows", small)
            .add("exposure", Exposure::definition());
        f.current_state = fmt::format(
            "{} {} on {}; row-level security is disabled.", text::join_words(a.exposed_to),
            a.exposed_to.size() > 1 ? "hold" : "holds", comma_list(a.privileges));
        f.why =
            "Without row-level security every role that holds the privilege sees and "
            "changes every row; policies restrict each role to its own rows.";
        if (to_public) {
            f.recommendation =
                "Revoke the privileges from PUBLIC and grant them to the roles "
                "that need them; enable row-level security with policies if "
                "those roles must see only some rows.";
            f.fix_sql = fmt::format("REVOKE {} ON {} FROM PUBLIC;", comma_list(a.privileges),
                                    t.qualified());
            f.undo_sql =
                fmt::format("GRANT {} ON {} TO PUBLIC;", comma_list(a.privileges), t.qualified());
            f.steps = {"List the roles that really need the table.",
                       "GRANT the privileges to those roles.",
                       "REVOKE them from PUBLIC (fix_sql)."};
        } else {
            f.recommendation =
                "Write policies for the roles that reach the table, then enable "
                "row-level security.";
            f.fix_sql = fmt::format(
                "-- first: CREATE POLICY ... ON {} TO {} USING (<rows the role may see>);\n"
                "ALTER TABLE {} ENABLE ROW LEVEL SECURITY;",
                t.qualified(), grantee_sql(a.exposed_to.front()), t.qualified());
            f.undo_sql = fmt::format("ALTER TABLE {} DISABLE ROW LEVEL SECURITY;", t.qualified());
            f.steps = {"Write one policy per role and command the application needs.",
                       "Enable row-level security (fix_sql) in the same transaction, so no "
                       "role is left without a policy.",
                       "Test as each role that its queries return the expected rows."};
        }
        f.verify = fmt::format(
            "SET ROLE {}; SELECT count(*) FROM {}; returns only the rows the "
            "role may see.",
            grantee_sql(a.exposed_to.front()), t.qualified());
        f.impact = rows > 0 ? rows : 0;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

// SEC-02: policies exist but row-level security is off, so none of them applies. Less severe
// when no role but the owner (who bypasses RLS anyway) holds a data privilege.
void policy_but_rls_disabled(RuleContext &cx) {
    auto by_table = policies_by_table(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        auto it = by_table.find(t.oid);
        if (it == by_table.end() || t.rls_enabled || t.relkind == 'v') continue;
        std::vector<std::string> names = policy_names(it->second);
        std::vector<std::string> grantees = data_grantees(t);
        Finding f = cx.make("table", t.qualified(), "");
        if (grantees.empty()) f.severity = lower(f.severity);
        f.title =
            fmt::format("Table {} has {} {} but row-level security is disabled", t.qualified(),
                        names.size(), names.size() == 1 ? "policy" : "policies");
        f.evidence.add("policies", names)
            .add("rls_enabled", false)
            .add("grantees", grantees)
            .add("owner", t.owner);
        f.current_state = "Policies " + text::join_words(names) +
                          " are defined but ignored: row-level security is disabled.";
        f.recommendation = "Enable row-level security so the policies apply.";
        f.why =
            "The policies were written to restrict rows; until row-level security is "
            "enabled every role with a privilege sees every row.";
        f.fix_sql = fmt::format("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", t.qualified());
        f.undo_sql = fmt::format("ALTER TABLE {} DISABLE ROW LEVEL SECURITY;", t.qualified());
        f.steps = {
            "Check that every role that reads or writes the table is covered by a policy "
            "(roles without one will see no rows).",
            "Enable row-level security (fix_sql)."};
        f.verify = "SELECT relrowsecurity FROM pg_class WHERE oid = " +
                   catalog::quote_literal(t.qualified()) + "::regclass; returns true.";
        cx.add(std::move(f));
    }
}

// SEC-03: row-level security on, no policy: every role but the owner sees no rows. Usually
// deliberate (deny all); one step more severe when other roles hold privileges they cannot use.
void rls_enabled_no_policy(RuleContext &cx) {
    auto by_table = policies_by_table(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        if (!t.rls_enabled || by_table.count(t.oid)) continue;
        std::vector<std::string> grantees = data_grantees(t);
        Finding f = cx.make("table", t.qualified(), "");
        if (!grantees.empty()) f.severity = raise(f.severity);
        f.title =
            fmt::format("Table {} has row-level security enabled but no policy", t.qualified());
        f.evidence.add("rls_enabled", true)
            .add("rls_forced", t.rls_forced)
            .add("policies", int64_t{0})
            .add("grantees", grantees);
        f.current_state =
            "Row-level security is enabled and no policy exists: every role "
            "except the owner" +
            std::string(t.rls_forced ? " (forced: the owner too)" : "") + " gets no rows.";
        f.recommendation =
            "Create the policies the roles need, or disable row-level security "
            "if the table is not meant to use it.";
        f.fix_sql = fmt::format(
            "-- CREATE POLICY <name> ON {} FOR SELECT TO <role> USING (<rows the role may see>);",
            t.qualified());
        f.undo_sql = "";
        f.steps = {"Decide whether deny-all is intended (then suppress this finding).",
                   "Otherwise create one policy per role and command."};
        cx.add(std::move(f));
    }
}

// SEC-04: a permissive policy whose USING or WITH CHECK is always true (true, 1 = 1, ... OR
// true): it grants every row. A missing clause is not flagged: the server treats it as no rows.
// More severe when the tautology opens a write path.
void permissive_policy_always_true(RuleContext &cx) {
    for (const Policy &p : cx.catalog().policies) {
        const Table *t = cx.catalog().table(p.table);
        if (t == nullptr || !p.permissive || !p.texts_known) continue;
        bool using_true = !p.using_expr.empty() && always_true(p.using_expr);
        bool check_true = !p.check_expr.empty() && always_true(p.check_expr);
        if (!using_true && !check_true) continue;
        bool write = p.command != 'r';
        Finding f = cx.make("policy", policy_object(p, *t), p.name);
        if (write) f.severity = raise(f.severity);
        f.title = fmt::format("Policy {} on {} lets {} {} every row", quote_ident(p.name),
                              t->qualified(), text::join_words(p.roles), write ? "write" : "read");
        f.evidence.add("command", command_name(p.command))
            .add("roles", p.roles)
            .add("using", p.using_expr)
            .add("with_check", p.check_expr)
            .add("using_always_true", using_true)
            .add("with_check_always_true", check_true)
            .add("rls_enabled", t->rls_enabled);
        f.current_state = fmt::format(
            "CREATE POLICY {} ON {} AS PERMISSIVE FOR {} TO {}{}{};", quote_ident(p.name),
            t->qualified(), command_name(p.command), comma_list(p.roles),
            p.using_expr.empty() ? "" : " USING (" + p.using_expr + ")",
            p.check_expr.empty() ? "" : " WITH CHECK (" + p.check_expr + ")");
        f.recommendation =
            "Replace the always-true condition by the rows the roles may see or "
            "write (e.g. tenant_id = current_setting('app.tenant_id')::bigint).";
        f.why =
            "Permissive policies are combined with OR: one always-true policy opens every "
            "row, whatever the other policies say.";
        std::string clause = using_true ? "USING" : "WITH CHECK";
        const std::string &expr = using_true ? p.using_expr : p.check_expr;
        std::string rest = without_tautologies(expr);
        std::string alter =
            fmt::format("ALTER POLICY {} ON {} {} (", quote_ident(p.name), t->qualified(), clause);
        // "a OR true" keeps "a"; a condition that is only a tautology needs the user's rule.
        f.fix_sql = rest.empty() ? fmt::format("-- {}<rows the roles may {}>);", alter,
                                               using_true ? "see" : "write")
                                 : alter + rest + ");";
        f.undo_sql = alter + expr + ");";
        cx.add(std::move(f));
    }
}

// SEC-05: more than one permissive policy applies to the same role and command: each is
// evaluated for every row (OR), and the effective rule is hard to reason about. Counted per
// (role, command) from each policy's own roles, PUBLIC policies added to every role: linear in
// the policies' role lists. Less severe on small tables.
void multiple_permissive_policies(RuleContext &cx) {
    static const char kCommands[] = {'r', 'a', 'w', 'd'};
    double min_rows = cx.threshold("multiple_permissive_policies_min_rows");
    auto by_table = policies_by_table(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        auto it = by_table.find(t.oid);
        if (it == by_table.end()) continue;
        // role -> command index -> policy names; "public" collects the PUBLIC policies.
        std::map<std::string, std::array<std::vector<std::string>, 4>> applies;
        for (const Policy *p : it->second) {
            if (!p->permissive) continue;
            for (const std::string &role : p->roles)
                for (int c = 0; c < 4; c++)
                    if (p->command == '*' || p->command == kCommands[c])
                        applies[role][c].push_back(p->name);
        }
        auto pub = applies.find("public");
        std::vector<std::string> overlaps;
        for (auto &[role, cmds] : applies) {
            for (int c = 0; c < 4; c++) {
                std::vector<std::string> names = cmds[c];
                if (role != "public" && pub != applies.end())
                    names.insert(names.end(), pub->second[c].begin(), pub->second[c].end());
                if (names.size() > 1)
                    overlaps.push_back(fmt::format("{} {}: {}", role, command_name(kCommands[c]),
                                                   text::join_words(names)));
            }
        }
        if (overlaps.empty()) continue;
        double rows = relation::table_rows(t);
        Finding f = cx.make("table", t.qualified(), "");
        if (rows >= 0 && rows < min_rows) f.severity = lower(f.severity);
        f.title = fmt::format(
            "Table {} has several permissive policies for the same role and "
            "command",
            t.qualified());
        f.evidence.add("overlaps", overlaps).add("estimated_rows", rows).add("min_rows", min_rows);
        f.current_state = "Overlapping permissive policies: " + text::join_words(overlaps, ";");
        f.recommendation =
            "Merge the policies of each role and command into one policy whose "
            "condition ORs theirs, or make the extra ones RESTRICTIVE.";
        f.why =
            "Every permissive policy is evaluated for every row read; one policy per role "
            "and command is faster and says in one place what the role may see.";
        f.steps = {"For each overlap, write one policy with USING ((a) OR (b)).",
                   "Create it, then drop the policies it replaces, in one transaction."};
        f.impact = rows > 0 ? rows : 0;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

namespace {

// RLS-enabled tables a view reads, directly or through views that run as their caller
// (security_invoker), which therefore run as this view's owner. Memoised per invoker view, so
// every view is expanded once however many views read it.
class RlsReach {
  public:
    explicit RlsReach(const catalog::CatalogSnapshot &snap) : snap_(snap) {}

    std::vector<const Table *> of(const Table &v) {
        std::vector<const Table *> out;
        std::unordered_set<uint32_t> seen;
        for (uint32_t oid : v.view_reads)
            for (const Table *t : through(oid))
                if (seen.insert(t->oid).second) out.push_back(t);
        return out;
    }

  private:
    // What reading relation `oid` exposes: itself when RLS-enabled, the reach of an invoker
    // view, nothing otherwise.
    const std::vector<const Table *> &through(uint32_t oid) {
        auto it = memo_.find(oid);
        if (it != memo_.end()) return it->second;
        memo_[oid];  // a cycle of views ends here
        std::vector<const Table *> out;
        const Table *t = snap_.table(oid);
        if (t && (t->relkind == 'r' || t->relkind == 'p') && t->rls_enabled) out.push_back(t);
        if (t && t->relkind == 'v' && relation::reloption_bool(*t, "security_invoker", false))
            out = of(*t);
        return memo_[oid] = std::move(out);
    }

    const catalog::CatalogSnapshot &snap_;
    std::unordered_map<uint32_t, std::vector<const Table *>> memo_;
};

}  // namespace

// SEC-06: a view without security_invoker reads RLS-protected tables as its owner, and other
// roles may query it: they see the rows the owner sees. High when the owner bypasses RLS on a
// table (superuser, BYPASSRLS, or owner of the table without FORCE); medium when the owner's own
// policies apply instead of the caller's.
void security_definer_view(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    Exposure exposure(snap);
    bool invoker_supported = snap.database.server_version_num >= 150000;
    RlsReach reach(snap);
    for (const Table &v : snap.tables) {
        if (v.relkind != 'v' || v.extension_member) continue;
        if (relation::reloption_bool(v, "security_invoker", false)) continue;
        std::vector<std::string> grantees;
        for (const catalog::Grant &g : v.grants)
            if (g.grantee != v.owner && is_data_privilege(g.privilege) &&
                std::find(grantees.begin(), grantees.end(), g.grantee) == grantees.end())
                grantees.push_back(g.grantee);
        if (grantees.empty()) continue;
        std::vector<const Table *> read = reach.of(v);
        if (read.empty()) continue;
        std::vector<std::string> names, bypassed;
        for (const Table *t : read) {
            names.push_back(t->qualified());
            if (exposure.bypasses_rls(v.owner) || (t->owner == v.owner && !t->rls_forced))
                bypassed.push_back(t->qualified());
        }
        Finding f = cx.make("view", v.qualified(), "");
        if (bypassed.empty()) f.severity = lower(f.severity);
        f.title = fmt::format("View {} reads row-level-secured tables with its owner's rights",
                              v.qualified());
        f.evidence.add("owner", v.owner)
            .add("grantees", grantees)
            .add("rls_tables", names)
            .add("rls_bypassed_by_owner", bypassed)
            .add("security_invoker", false);
        f.current_state =
            fmt::format("{} may query the view; it reads {} as {}{}.", text::join_words(grantees),
                        text::join_words(names), v.owner,
                        bypassed.empty() ? "" : ", who bypasses their row-level security");
        f.why =
            "A view runs with its owner's privileges unless security_invoker is set, so row "
            "-level security is checked for the owner, not for the role querying the view.";
        if (invoker_supported) {
            f.recommendation =
                "Make the view run with the caller's rights (security_invoker), "
                "and grant the callers what the view reads.";
            f.fix_sql = fmt::format("ALTER VIEW {} SET (security_invoker = true);", v.qualified());
            f.undo_sql = fmt::format("ALTER VIEW {} RESET (security_invoker);", v.qualified());
            f.steps = {
                "GRANT SELECT on the tables the view reads to the roles that query it "
                "(their policies now apply).",
                "Set security_invoker on the view (fix_sql)."};
        } else {
            f.recommendation =
                "Before PostgreSQL 15 views cannot run as the caller: revoke the "
                "view from other roles, or replace it by a function that "
                "filters by the caller.";
            std::string revokes, grants;
            for (const std::string &g : grantees) {
                revokes +=
                    fmt::format("REVOKE ALL ON {} FROM {};\n", v.qualified(), grantee_sql(g));
                grants += fmt::format("GRANT SELECT ON {} TO {};\n", v.qualified(), grantee_sql(g));
            }
            f.fix_sql = revokes;
            f.undo_sql = grants;
        }
        f.verify = "SET ROLE <a grantee>; SELECT count(*) FROM " + v.qualified() +
                   "; returns only that role's rows.";
        cx.add(std::move(f));
    }
}

// SEC-11: columns named like secrets or personal data (password, token, ssn, credit_card, ...)
// on a table without RLS whose whole-table SELECT is granted to other roles. High when a reader
// is exposed (PUBLIC or RLS-restricted); medium for ordinary grantees. Boolean and date/time
// columns (password_set, token_expires_at) are not secrets.
void sensitive_columns_unprotected(RuleContext &cx) {
    Exposure exposure(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        if ((!relation::is_user_table(t) && t.relkind != 'm') || t.rls_enabled) continue;
        std::vector<std::string> sensitive, other;
        for (const catalog::Column &c : t.columns) {
            bool flag =
                c.type_category != "B" && c.type_category != "D" && sensitive_column_name(c.name);
            (flag ? sensitive : other).push_back(c.name);
        }
        if (sensitive.empty()) continue;
        std::vector<std::string> exposed, readers;
        for (const catalog::Grant &g : t.grants) {
            if (g.privilege != "SELECT" || g.grantee == t.owner) continue;
            if (exposure.bypasses_rls(g.grantee)) continue;
            bool is_exposed = g.grantee == "PUBLIC" || exposure.rls_restricted(g.grantee);
            (is_exposed ? exposed : readers).push_back(g.grantee);
        }
        if (exposed.empty() && readers.empty()) continue;
        std::vector<std::string> all = exposed;
        all.insert(all.end(), readers.begin(), readers.end());
        Finding f = cx.make("table", t.qualified(), "");
        if (exposed.empty()) f.severity = lower(f.severity);
        f.title = fmt::format("Table {} exposes {} to {}", t.qualified(),
                              text::join_words(sensitive), text::join_words(all));
        f.evidence.add("sensitive_columns", sensitive)
            .add("exposed_readers", exposed)
            .add("other_readers", readers)
            .add("rls_enabled", false)
            .add("exposure", Exposure::definition());
        f.current_state = fmt::format(
            "SELECT on the whole table is granted to {}; row-level "
            "security is disabled.",
            text::join_words(all));
        f.recommendation =
            "Grant SELECT only on the columns the readers need, or protect the "
            "rows with row-level security, or move the secrets to a table only "
            "the owner reads.";
        f.why =
            "A table-wide SELECT includes every column, so every reader can read the "
            "secrets; column privileges keep them to the roles that need them.";
        std::string cols;
        for (const std::string &c : other)
            cols += (cols.empty() ? "" : ", ") + quote_ident(c);
        for (const std::string &g : all) {
            f.fix_sql +=
                fmt::format("REVOKE SELECT ON {} FROM {};\n", t.qualified(), grantee_sql(g));
            if (!cols.empty())
                f.fix_sql += fmt::format("GRANT SELECT ({}) ON {} TO {};\n", cols, t.qualified(),
                                         grantee_sql(g));
            if (!cols.empty())
                f.undo_sql += fmt::format("REVOKE SELECT ({}) ON {} FROM {};\n", cols,
                                          t.qualified(), grantee_sql(g));
            f.undo_sql += fmt::format("GRANT SELECT ON {} TO {};\n", t.qualified(), grantee_sql(g));
        }
        f.steps = {
            "Check which columns each reader's queries use (SELECT * breaks with column "
            "grants).",
            "Apply the column grants (fix_sql) in one transaction."};
        f.verify =
            fmt::format("SET ROLE {}; SELECT {} FROM {}; fails with permission denied.",
                        grantee_sql(all.front()), quote_ident(sensitive.front()), t.qualified());
        cx.add(std::move(f));
    }
}

// SEC-12: objects that sidestep row-level security when exposed — materialized views (no RLS
// possible; high when they copy RLS-protected rows) and foreign tables granted to exposed
// roles — and extensions whose installed version is older than the package's (low).
void unsafe_object_exposure(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    Exposure exposure(snap);
    for (const Table &t : snap.tables) {
        if ((t.relkind != 'm' && t.relkind != 'f') || t.extension_member) continue;
        std::vector<std::string> readers;
        for (const catalog::Grant &g : t.grants)
            if (g.privilege == "SELECT" && g.grantee != t.owner &&
                (g.grantee == "PUBLIC" || exposure.rls_restricted(g.grantee)))
                readers.push_back(g.grantee);
        if (readers.empty()) continue;
        std::vector<std::string> rls_sources;
        for (uint32_t oid : t.view_reads)
            if (const Table *src = snap.table(oid); src && src->rls_enabled)
                rls_sources.push_back(src->qualified());
        bool matview = t.relkind == 'm';
        Finding f =
            cx.make(matview ? "materialized view" : "foreign table", t.qualified(), "exposed");
        if (!rls_sources.empty()) f.severity = raise(f.severity);
        f.title = fmt::format("{} {} is readable by {} and cannot have row-level security",
                              matview ? "Materialized view" : "Foreign table", t.qualified(),
                              text::join_words(readers));
        f.evidence.add("readers", readers)
            .add("rls_protected_sources", rls_sources)
            .add("exposure", Exposure::definition());
        f.current_state = fmt::format("SELECT granted to {}{}.", text::join_words(readers),
                                      rls_sources.empty()
                                          ? ""
                                          : "; it copies rows of " + text::join_words(rls_sources) +
                                                " past their row-level security");
        f.recommendation =
            "Revoke it from the exposed roles; serve the data through a view "
            "with security_invoker or a function that filters by the caller.";
        for (const std::string &g : readers) {
            f.fix_sql +=
                fmt::format("REVOKE SELECT ON {} FROM {};\n", t.qualified(), grantee_sql(g));
            f.undo_sql += fmt::format("GRANT SELECT ON {} TO {};\n", t.qualified(), grantee_sql(g));
        }
        cx.add(std::move(f));
    }
    for (const catalog::Extension &e : snap.extensions) {
        if (e.default_version.empty() || e.version == e.default_version) continue;
        Finding f = cx.make("extension", quote_ident(e.name), "outdated");
        f.severity = lower(f.severity);
        f.title = fmt::format("Extension {} is at version {}; the installed package provides {}",
                              e.name, e.version, e.default_version);
        f.evidence.add("installed_version", e.version).add("default_version", e.default_version);
        f.current_state =
            "The server's package was upgraded but the extension's objects in "
            "this database were not.";
        f.recommendation = "Update the extension so its functions carry the package's fixes.";
        f.fix_sql = fmt::format("ALTER EXTENSION {} UPDATE;", quote_ident(e.name));
        f.undo_sql = fmt::format(
            "ALTER EXTENSION {} UPDATE TO {};  -- only if the package ships "
            "a downgrade script",
            quote_ident(e.name), catalog::quote_literal(e.version));
        f.verify = fmt::format(
            "SELECT extversion FROM pg_extension WHERE extname = {}; returns "
            "{}.",
            catalog::quote_literal(e.name), e.default_version);
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::security
