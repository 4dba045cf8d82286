// Security rules about functions, schemas, roles and how clients connect (SEC-07 to SEC-10 of
// the catalogue).
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/review/rules/rule_text.h"
#include "core/review/rules/security_rules.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::security {

using catalog::Function;
using catalog::quote_ident;
using catalog::quote_literal;

namespace {

std::unordered_map<std::string, const catalog::Role *> roles_by_name(
    const catalog::CatalogSnapshot &snap) {
    std::unordered_map<std::string, const catalog::Role *> out;
    for (const catalog::Role &r : snap.roles)
        out[r.name] = &r;
    return out;
}

std::string database_object(const catalog::CatalogSnapshot &snap) {
    return quote_ident(snap.database.name);
}

// ---- function_search_path_mutable helpers

// The value of "search_path=..." in the function's SET clauses, if any.
std::optional<std::string> pinned_path(const Function &f) {
    for (const std::string &c : f.config)
        if (c.compare(0, 12, "search_path=") == 0) return c.substr(12);
    return std::nullopt;
}

// Schema names of a search_path value: trimmed, double quotes removed.
std::vector<std::string> path_schemas(const std::string &path) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= path.size()) {
        size_t comma = path.find(',', start);
        std::string item =
            path.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
        item = b == std::string::npos ? "" : item.substr(b, e - b + 1);
        if (item.size() >= 2 && item.front() == '"' && item.back() == '"')
            item = item.substr(1, item.size() - 2);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

bool checks_search_path(const Function &f) {
    if (f.extension_member || f.sql_body) return false;
    if (f.kind != 'f' && f.kind != 'p') return false;  // aggregates, window functions
    return f.language != "c" && f.language != "internal";
}

const char *routine_word(const Function &f) {
    return f.kind == 'p' ? "PROCEDURE" : "FUNCTION";
}

// Why a pinned search_path of a SECURITY DEFINER function is still unsafe ("" when it is safe):
// a schema any role may create objects in, or pg_temp not last (searched first otherwise).
std::string unsafe_pinned_path(const catalog::CatalogSnapshot &snap, const std::string &path) {
    std::vector<std::string> schemas = path_schemas(path);
    std::vector<std::string> writable;
    for (const std::string &s : schemas)
        if (const catalog::Schema *schema = snap.schema(s); schema && schema->public_create)
            writable.push_back(s);
    if (!writable.empty())
        return "the search_path includes " + text::join_words(writable) +
               ", where every role may create objects";
    if (!schemas.empty() && schemas.back() != "pg_temp")
        return "pg_temp is not listed last, so temporary tables of the caller are searched first";
    return "";
}

}  // namespace

// SEC-07: functions that resolve names through a search_path the caller controls. Invoker
// functions are hygiene (low); SECURITY DEFINER functions run with their owner's rights (high;
// critical when a superuser owns one PUBLIC may execute). A pinned path of a definer function
// still counts when it lists a PUBLIC-writable schema or does not end with pg_temp. Definer
// functions PUBLIC may execute are a second finding (identity "public_execute").
void function_search_path_mutable(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    auto roles = roles_by_name(snap);
    for (const Function &f : snap.functions) {
        if (!checks_search_path(f)) continue;
        auto owner = roles.find(f.owner);
        bool owner_super = owner != roles.end() && owner->second->superuser;
        std::optional<std::string> path = pinned_path(f);
        std::string unsafe = path && f.security_definer ? unsafe_pinned_path(snap, *path) : "";
        const catalog::Schema *home = snap.schema(f.schema);
        std::string safe_path = home && !home->public_create
                                    ? "pg_catalog, " + quote_ident(f.schema) + ", pg_temp"
                                    : "pg_catalog, pg_temp";
        if (!path || !unsafe.empty()) {
            Finding x = cx.make("function", f.qualified(), "search_path");
            if (!f.security_definer) x.severity = lower(x.severity);
            if (f.security_definer) x.severity = raise(x.severity);
            if (f.security_definer && f.public_execute && owner_super)
                x.severity = raise(x.severity);
            x.title = fmt::format("{} {} has a mutable search_path",
                                  f.security_definer ? "SECURITY DEFINER function" : "Function",
                                  f.qualified());
            x.evidence.add("security_definer", f.security_definer)
                .add("owner", f.owner)
                .add("owner_is_superuser", owner_super)
                .add("public_execute", f.public_execute)
                .add("language", f.language)
                .add("search_path", path ? *path : std::string("(not set)"));
            if (!unsafe.empty()) x.evidence.add("problem", unsafe);
            x.current_state = path ? "SET search_path = " + *path + ": " + unsafe
                                   : "No SET search_path: names resolve through the caller's "
                                     "search_path.";
            x.recommendation =
                "Pin the function's search_path and qualify the names its body "
                "uses outside it.";
            x.why = f.security_definer
                        ? "A caller who can create an object earlier on the search_path (an "
                          "operator, a function, a temporary table) runs it with the owner's "
                          "rights."
                        : "The function's behaviour depends on the caller's search_path; a "
                          "pinned path makes it predictable and safe to turn into SECURITY "
                          "DEFINER later.";
            x.fix_sql = fmt::format("ALTER {} {} SET search_path = {};", routine_word(f),
                                    f.qualified(), safe_path);
            x.undo_sql = path ? fmt::format("ALTER {} {} SET search_path = {};", routine_word(f),
                                            f.qualified(), *path)
                              : fmt::format("ALTER {} {} RESET search_path;", routine_word(f),
                                            f.qualified());
            x.steps = {
                "Qualify every table, function and operator the body uses outside the "
                "pinned schemas.",
                "Pin the search_path (fix_sql) and run the function's tests."};
            x.verify = fmt::format(
                "SELECT proconfig FROM pg_proc WHERE oid = {}::regprocedure; "
                "shows search_path.",
                quote_literal(f.qualified()));
            if (f.security_definer && f.public_execute) {
                // One function, one finding: both fixes together.
                x.title += " and may be executed by every role";
                x.fix_sql += fmt::format("\nREVOKE EXECUTE ON {} {} FROM PUBLIC;", routine_word(f),
                                         f.qualified());
                x.undo_sql += fmt::format("\nGRANT EXECUTE ON {} {} TO PUBLIC;", routine_word(f),
                                          f.qualified());
                x.evidence.add("execute_roles", f.execute_roles);
                x.steps.push_back(
                    "GRANT EXECUTE to the roles that call it, then REVOKE it from PUBLIC.");
            }
            cx.add(std::move(x));
        } else if (f.security_definer && f.public_execute) {
            Finding x = cx.make("function", f.qualified(), "public_execute");
            if (owner_super) x.severity = raise(x.severity);
            x.title = fmt::format("SECURITY DEFINER function {} may be executed by every role",
                                  f.qualified());
            x.evidence.add("owner", f.owner)
                .add("owner_is_superuser", owner_super)
                .add("public_execute", true)
                .add("execute_roles", f.execute_roles);
            x.current_state = "EXECUTE is granted to PUBLIC (the default for new functions).";
            x.recommendation =
                "Revoke EXECUTE from PUBLIC and grant it to the roles that need "
                "the owner's rights.";
            x.fix_sql =
                fmt::format("REVOKE EXECUTE ON {} {} FROM PUBLIC;", routine_word(f), f.qualified());
            x.undo_sql =
                fmt::format("GRANT EXECUTE ON {} {} TO PUBLIC;", routine_word(f), f.qualified());
            x.steps = {"GRANT EXECUTE to the roles that call it.", "REVOKE it from PUBLIC."};
            cx.add(std::move(x));
        }
    }
}

// SEC-08: schemas where PUBLIC may CREATE (every role can plant objects that shadow others' on
// the search_path; high for "public", which every default search_path lists), and extensions
// installed in such a schema (low).
void public_schema_create(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    for (const catalog::Schema &s : snap.schemas) {
        if (s.system || !s.public_create) continue;
        Finding f = cx.make("schema", quote_ident(s.name), "");
        if (s.name == "public") f.severity = raise(f.severity);
        f.title = fmt::format("Every role may create objects in schema {}", quote_ident(s.name));
        f.evidence.add("owner", s.owner)
            .add("public_create", true)
            .add("public_usage", s.public_usage);
        f.current_state = "CREATE on the schema is granted to PUBLIC.";
        f.recommendation =
            "Revoke CREATE from PUBLIC; grant it to the roles that own the "
            "application's objects.";
        f.why =
            "A role that can create a function or operator in a schema on another role's "
            "search_path can make that role run its code (CVE-2018-1058).";
        f.fix_sql = fmt::format("REVOKE CREATE ON SCHEMA {} FROM PUBLIC;", quote_ident(s.name));
        f.undo_sql = fmt::format("GRANT CREATE ON SCHEMA {} TO PUBLIC;", quote_ident(s.name));
        f.verify = fmt::format(
            "SELECT has_schema_privilege('public', {}, 'CREATE'); returns "
            "false.",
            quote_literal(s.name));
        cx.add(std::move(f));
    }
    for (const catalog::Extension &e : snap.extensions) {
        const catalog::Schema *s = snap.schema(e.schema);
        if (s == nullptr || s->system || !s->public_create) continue;
        Finding f = cx.make("extension", quote_ident(e.name), "writable_schema");
        f.severity = lower(f.severity);
        f.title = fmt::format(
            "Extension {} is installed in schema {}, where every role may "
            "create objects",
            e.name, quote_ident(e.schema));
        f.evidence.add("schema", e.schema).add("relocatable", e.relocatable);
        f.recommendation = "Move the extension to a schema only its owner may create in.";
        if (e.relocatable) {
            f.fix_sql = fmt::format(
                "CREATE SCHEMA IF NOT EXISTS extensions;\nALTER EXTENSION {} SET SCHEMA "
                "extensions;",
                quote_ident(e.name));
            f.undo_sql = fmt::format("ALTER EXTENSION {} SET SCHEMA {};", quote_ident(e.name),
                                     quote_ident(e.schema));
            f.steps = {
                "Add the new schema to the search_path of the roles that use the "
                "extension unqualified.",
                "Move the extension (fix_sql)."};
        } else {
            f.steps = {
                "The extension is not relocatable: drop and re-create it in another "
                "schema during a maintenance window, or revoke CREATE on its schema."};
        }
        cx.add(std::move(f));
    }
}

namespace {

// Login roles that reach `target` through role membership (breadth-first down the member
// edges: linear in memberships).
std::vector<const catalog::Role *> login_members_of(
    const std::string &target,
    const std::unordered_map<std::string, std::vector<const catalog::Role *>> &members) {
    std::vector<const catalog::Role *> out;
    std::unordered_set<std::string> seen{target};
    std::vector<std::string> work{target};
    while (!work.empty()) {
        std::string r = work.back();
        work.pop_back();
        auto it = members.find(r);
        if (it == members.end()) continue;
        for (const catalog::Role *m : it->second) {
            if (!seen.insert(m->name).second) continue;
            if (m->login && !m->superuser) out.push_back(m);
            work.push_back(m->name);
        }
    }
    return out;
}

struct PredefinedRole {
    const char *name;
    bool high;  // reaches the server's files or programs
};

constexpr PredefinedRole kPowerfulRoles[] = {
    {"pg_execute_server_program", true}, {"pg_read_server_files", true},
    {"pg_write_server_files", true},     {"pg_read_all_data", false},
    {"pg_write_all_data", false},
};

}  // namespace

// SEC-09: privileges beyond what an application needs — many login superusers (at or above the
// threshold, pgwatch's 10), login roles with BYPASSRLS where policies exist, CREATEROLE (before
// PostgreSQL 16 it reaches every non-superuser role), membership in predefined roles that reach
// the server's files or every table, and application schemas owned by a superuser. Whether a
// role ever logs in cannot be known from one server and is not checked.
void privileged_roles(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_super = cx.threshold("privileged_roles_min_superusers");
    std::vector<std::string> supers;
    std::unordered_map<std::string, std::vector<const catalog::Role *>> members;
    for (const catalog::Role &r : snap.roles) {
        if (r.superuser && r.login) supers.push_back(r.name);
        for (const std::string &g : r.member_of)
            members[g].push_back(&r);
    }
    if (!supers.empty() && static_cast<double>(supers.size()) >= min_super) {
        Finding f = cx.make("database", database_object(snap), "login_superusers");
        f.title = fmt::format("{} roles can log in as superuser", supers.size());
        f.evidence.add("login_superusers", supers).add("threshold", min_super);
        f.recommendation =
            "Keep one or two administrator superusers; give the others only "
            "the privileges they use.";
        for (const catalog::Role &r : snap.roles) {
            if (!r.superuser || !r.login || r.oid == 10 || r.name == snap.database.current_user)
                continue;
            f.fix_sql += fmt::format("ALTER ROLE {} NOSUPERUSER;\n", quote_ident(r.name));
            f.undo_sql += fmt::format("ALTER ROLE {} SUPERUSER;\n", quote_ident(r.name));
        }
        cx.add(std::move(f));
    }
    auto role_finding = [&](const catalog::Role &r, const std::string &what, Severity sev,
                            std::string title, std::string fix, std::string undo,
                            const std::vector<std::string> &login_roles = {}) {
        Finding f = cx.make("role", quote_ident(r.name), what);
        f.severity = sev;
        f.title = std::move(title);
        f.evidence.add("privilege", what).add("login", r.login).add("member_of", r.member_of);
        if (!login_roles.empty()) f.evidence.add("login_roles", login_roles);
        f.recommendation = "Remove the privilege unless the role's job needs it.";
        f.fix_sql = std::move(fix);
        f.undo_sql = std::move(undo);
        cx.add(std::move(f));
    };
    Severity base = cx.rule().default_severity;
    std::string q;
    for (const catalog::Role &r : snap.roles) {
        if (!r.login || r.superuser) continue;
        q = quote_ident(r.name);
        if (r.bypass_rls && !snap.policies.empty())
            role_finding(r, "bypassrls", base, "Role " + q + " bypasses row-level security",
                         "ALTER ROLE " + q + " NOBYPASSRLS;", "ALTER ROLE " + q + " BYPASSRLS;");
        if (r.create_role)
            role_finding(r, "createrole",
                         snap.database.server_version_num >= 160000 ? lower(base) : base,
                         "Role " + q + " can create and alter roles",
                         "ALTER ROLE " + q + " NOCREATEROLE;", "ALTER ROLE " + q + " CREATEROLE;");
    }
    // One finding per role granted the predefined role directly (the membership a REVOKE can
    // remove), when login roles reach it through that grant: the role itself or its members.
    for (const PredefinedRole &p : kPowerfulRoles) {
        auto direct = members.find(p.name);
        if (direct == members.end()) continue;
        for (const catalog::Role *m : direct->second) {
            std::vector<std::string> logins;
            if (m->login && !m->superuser) logins.push_back(m->name);
            for (const catalog::Role *l : login_members_of(m->name, members))
                logins.push_back(l->name);
            if (logins.empty()) continue;
            q = quote_ident(m->name);
            bool self_only = logins.size() == 1 && logins[0] == m->name;
            std::string title = fmt::format("Role {} is a member of {}", q, p.name);
            if (!self_only)
                title += fmt::format(" (login roles reaching it: {})", text::comma(logins));
            role_finding(*m, p.name, p.high ? raise(base) : base, std::move(title),
                         fmt::format("REVOKE {} FROM {};", p.name, q),
                         fmt::format("GRANT {} TO {};", p.name, q), logins);
        }
    }
    for (const catalog::Schema &s : snap.schemas) {
        if (s.system || s.extension_member || s.name == "public" || !s.owner_is_superuser) continue;
        Finding f = cx.make("schema", quote_ident(s.name), "superuser_owner");
        f.severity = lower(base);
        f.title = fmt::format("Schema {} is owned by superuser {}", quote_ident(s.name), s.owner);
        f.evidence.add("owner", s.owner).add("owner_is_superuser", true);
        f.current_state =
            "The application's objects are created as a superuser, so the "
            "migrations (and maybe the application) run with every privilege.";
        f.recommendation =
            "Give the schema and its objects to a non-superuser owner role and "
            "run migrations as that role.";
        f.fix_sql = fmt::format(
            "-- with a non-superuser role that should own the application's objects:\n"
            "-- ALTER SCHEMA {} OWNER TO <owner role>;  (and its tables, sequences, functions)",
            quote_ident(s.name));
        f.undo_sql =
            fmt::format("ALTER SCHEMA {} OWNER TO {};", quote_ident(s.name), quote_ident(s.owner));
        cx.add(std::move(f));
    }
}

namespace {

// Prefix length of a netmask ("255.255.255.0" -> 24, "ffff:ffff::" -> 32); -1 when unknown.
int mask_bits(const std::string &mask) {
    if (mask.empty()) return -1;
    bool v6 = mask.find(':') != std::string::npos;
    int bits = 0;
    size_t start = 0;
    while (start <= mask.size()) {
        size_t sep = mask.find(v6 ? ':' : '.', start);
        std::string part =
            mask.substr(start, sep == std::string::npos ? std::string::npos : sep - start);
        if (!part.empty()) {
            unsigned long v = std::strtoul(part.c_str(), nullptr, v6 ? 16 : 10);
            while (v) {
                bits += static_cast<int>(v & 1u);
                v >>= 1;
            }
        }
        if (sep == std::string::npos) break;
        start = sep + 1;
    }
    return bits;
}

bool loopback(const std::string &address) {
    return address.compare(0, 4, "127.") == 0 || address == "::1" || address == "localhost" ||
           address == "samehost";
}

std::string hba_object(const catalog::HbaRule &h) {
    std::string where = h.address;
    int bits = mask_bits(h.netmask);
    if (!where.empty() && bits >= 0) where += "/" + std::to_string(bits);
    std::string out =
        "pg_hba.conf: " + h.type + " " + comma_list(h.databases) + " " + comma_list(h.users);
    if (!where.empty()) out += " " + where;
    return out + " " + h.auth_method;
}

// Severity of a pg_hba line's method, or nothing when the method is fine. trust anywhere but a
// socket or loopback: critical; trust on a socket or loopback: the default; cleartext
// "password" over the network without TLS: high; elsewhere: low.
std::optional<Severity> hba_severity(const catalog::HbaRule &h, Severity base) {
    bool local = h.type == "local" || loopback(h.address);
    if (h.auth_method == "trust") return local ? base : Severity::Critical;
    if (h.auth_method == "password")
        return local || h.type == "hostssl" ? lower(base) : raise(base);
    return std::nullopt;
}

}  // namespace

// SEC-10: weak authentication or transport — pg_hba lines with trust or cleartext password
// (only when the reader may read pg_hba_file_rules), password_encryption = md5, client sessions
// over the network without TLS (loopback and sockets excluded), and ssl = off while pg_hba
// accepts connections from the network.
void weak_auth_or_transport(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    Severity base = cx.rule().default_severity;
    bool network_lines = false;
    // One finding per weakness (method and how exposed), listing its lines: the fix is one
    // edit of pg_hba.conf.
    struct Lines {
        std::string method;
        Severity severity;
        std::vector<const catalog::HbaRule *> rules;
    };
    std::vector<Lines> groups;
    for (const catalog::HbaRule &h : snap.hba_rules) {
        if (h.type != "local" && !loopback(h.address) && h.type != "hostssl") network_lines = true;
        std::optional<Severity> sev = hba_severity(h, base);
        if (!sev) continue;
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Lines &l) {
            return l.method == h.auth_method && l.severity == *sev;
        });
        if (g == groups.end()) g = groups.insert(groups.end(), Lines{h.auth_method, *sev, {}});
        g->rules.push_back(&h);
    }
    for (const Lines &g : groups) {
        std::vector<std::string> numbers, objects;
        bool all_local = true;
        for (const catalog::HbaRule *h : g.rules) {
            numbers.push_back(std::to_string(h->line));
            objects.push_back(hba_object(*h));
            all_local = all_local && h->type == "local";
        }
        std::string list = text::comma(numbers);
        Finding f = cx.make("hba_rule", "pg_hba.conf",
                            g.method + " " + std::string(severity_name(g.severity)));
        f.severity = g.severity;
        f.title = fmt::format("pg_hba.conf accepts {} with {} (line{} {})",
                              all_local ? "socket connections" : "connections",
                              g.method == "trust" ? "no password (trust)" : "a cleartext password",
                              g.rules.size() > 1 ? "s" : "", list);
        f.evidence.add("lines", numbers).add("rules", objects).add("auth_method", g.method);
        for (const std::string &o : objects)
            f.current_state += (f.current_state.empty() ? "" : "\n") + o;
        f.recommendation =
            "Use scram-sha-256 (or peer for local sockets, cert for services) "
            "and hostssl for network lines.";
        f.steps = {fmt::format("Edit line{} {} of pg_hba.conf: replace {} by scram-sha-256.",
                               g.rules.size() > 1 ? "s" : "", list, g.method),
                   "Make sure the roles that connect there have a SCRAM password.",
                   "Reload: SELECT pg_reload_conf();"};
        f.verify = fmt::format(
            "SELECT line_number FROM pg_hba_file_rules WHERE auth_method = '{}'; returns none "
            "of lines {}.",
            g.method, list);
        cx.add(std::move(f));
    }
    const std::string db = database_object(snap);
    if (snap.database.setting("password_encryption") == "md5") {
        Finding f = cx.make("database", db, "password_encryption");
        f.title = "New passwords are stored as MD5 hashes (password_encryption = md5)";
        f.evidence.add("password_encryption", "md5");
        f.recommendation = "Store SCRAM-SHA-256 verifiers, then reset each role's password.";
        f.fix_sql = "ALTER SYSTEM SET password_encryption = 'scram-sha-256';";
        f.undo_sql = "ALTER SYSTEM RESET password_encryption;";
        f.steps = {
            "Change the setting (fix_sql; a database or role may also set it: ALTER "
            "DATABASE/ROLE ... RESET password_encryption), then SELECT pg_reload_conf();",
            "Reset every role's password (\\password in psql) so it is re-hashed.",
            "Change md5 to scram-sha-256 in pg_hba.conf."};
        cx.add(std::move(f));
    }
    std::vector<std::string> users, addresses;
    int64_t sessions = 0;
    for (const catalog::Activity &a : snap.activity) {
        if (a.backend_type != "client backend" || a.local || !a.ssl_known || a.ssl) continue;
        if (a.client_addr.empty() || loopback(a.client_addr)) continue;
        sessions++;
        if (std::find(users.begin(), users.end(), a.user) == users.end()) users.push_back(a.user);
        if (std::find(addresses.begin(), addresses.end(), a.client_addr) == addresses.end())
            addresses.push_back(a.client_addr);
    }
    if (sessions > 0) {
        Finding f = cx.make("database", db, "sessions_without_tls");
        f.title = fmt::format("{} client sessions connect over the network without TLS", sessions);
        f.evidence.add("sessions", sessions).add("users", users).add("client_addresses", addresses);
        f.recommendation =
            "Require TLS: hostssl lines in pg_hba.conf and sslmode=verify-full "
            "(or require) in the clients' connection strings.";
        f.steps = {"Turn on ssl with a certificate (ssl = on, ssl_cert_file, ssl_key_file).",
                   "Set sslmode in the applications' connection strings.",
                   "Change their pg_hba.conf lines from host to hostssl and reload."};
        cx.add(std::move(f));
    }
    if (snap.database.setting("ssl") == "off" && network_lines) {
        Finding f = cx.make("database", db, "ssl_off");
        f.title = "TLS is off while pg_hba.conf accepts connections from the network";
        f.evidence.add("ssl", "off");
        f.recommendation = "Install a certificate and turn ssl on, then use hostssl lines.";
        f.fix_sql = "ALTER SYSTEM SET ssl = on;  -- needs ssl_cert_file and ssl_key_file";
        f.undo_sql = "ALTER SYSTEM RESET ssl;";
        f.steps = {"Install the server certificate and key.", "Run the fix.",
                   "Reload: SELECT pg_reload_conf();", "Change network lines to hostssl."};
        cx.add(std::move(f));
    }
    // pg_hba.conf is only readable by superusers (and roles granted pg_hba_file_rules): without
    // it the most important part was not checked, and passing would overstate it.
    if (!snap.database.hba_readable && cx.findings().empty())
        cx.skip("pg_hba.conf is not readable by " + snap.database.current_user +
                "; password_encryption, ssl and the visible sessions were checked and are fine");
}

}  // namespace pg_advisor::review::security
