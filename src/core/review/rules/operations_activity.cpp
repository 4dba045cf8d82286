// Operations rules over the server's current activity (OPS-01 to OPS-06 of the catalogue). The
// snapshot holds pg_stat_activity as the server showed it to the reading role: other users'
// state and queries are hidden from ordinary roles, and those sessions are then only counted,
// never judged. The reading backend itself is never reported.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/rules/operations_rules.h"
#include "core/review/rules/rule_text.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::operations {

using catalog::Activity;
using catalog::quote_ident;
using catalog::quote_literal;

double seconds_since(const catalog::CatalogSnapshot &snap, catalog::Micros then) {
    if (then <= 0 || snap.database.now <= 0) return -1;
    return static_cast<double>(snap.database.now - then) / 1e6;
}

std::optional<std::string> role_setting(const catalog::Role *role, const std::string &name) {
    if (role == nullptr) return std::nullopt;
    for (const std::string &c : role->config)
        if (c.size() > name.size() && c.compare(0, name.size(), name) == 0 && c[name.size()] == '=')
            return c.substr(name.size() + 1);
    return std::nullopt;
}

void role_setting_fix(const catalog::Role *role, const std::string &role_name,
                      const std::string &name, const std::string &value, Finding &f) {
    std::string r = quote_ident(role_name);
    f.fix_sql = fmt::format("ALTER ROLE {} SET {} = {};", r, name, quote_literal(value));
    std::optional<std::string> old = role_setting(role, name);
    f.undo_sql = old ? fmt::format("ALTER ROLE {} SET {} = {};", r, name, quote_literal(*old))
                     : fmt::format("ALTER ROLE {} RESET {};", r, name);
}

namespace {

// At most this many pids, applications or queries listed in one finding's evidence.
constexpr size_t kListed = 20;

bool client(const Activity &a) {
    return a.backend_type == "client backend" && !a.own;
}

// A session the reader cannot see the details of but that belongs to a user and a database:
// most likely a client backend.
bool hidden_client(const Activity &a) {
    return a.details_hidden && !a.user.empty() && !a.database.empty();
}

std::unordered_map<std::string, const catalog::Role *> roles_by_name(
    const catalog::CatalogSnapshot &snap) {
    std::unordered_map<std::string, const catalog::Role *> out;
    for (const catalog::Role &r : snap.roles)
        out[r.name] = &r;
    return out;
}

const catalog::Role *find_role(const std::unordered_map<std::string, const catalog::Role *> &m,
                               const std::string &name) {
    auto it = m.find(name);
    return it == m.end() ? nullptr : it->second;
}

void add_unique(std::vector<std::string> &v, const std::string &s) {
    if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Sessions of one role that a rule reports together.
struct RoleSessions {
    int64_t count = 0;
    double longest = 0;  // seconds
    const Activity *longest_session = nullptr;
    std::vector<std::string> pids, applications, databases;
    void add(const Activity &a, double seconds) {
        count++;
        if (longest_session == nullptr || seconds > longest) {
            longest = seconds;
            longest_session = &a;
        }
        // Evidence lists stay short (and the cost linear) however many sessions there are.
        if (pids.size() < kListed) pids.push_back(std::to_string(a.pid));
        if (applications.size() < kListed) add_unique(applications, a.application_name);
        if (databases.size() < kListed) add_unique(databases, a.database);
    }
};

void add_sessions_evidence(Finding &f, const RoleSessions &s) {
    f.evidence.add("sessions", s.count)
        .add("longest_seconds", s.longest)
        .add("pids", s.pids)
        .add("applications", s.applications)
        .add("databases", s.databases);
}

}  // namespace

// OPS-01: client connections against the connections the server accepts (max_connections minus
// the reserved ones), and per role against its CONNECTION LIMIT. Hidden sessions of other
// users count as clients. Medium at the threshold (pg:diagnose's 75 %), high from 90 %.
void connection_saturation(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double max_conn = snap.database.setting_number("max_connections", -1);
    if (max_conn <= 0) {
        cx.skip("max_connections is unknown");
        return;
    }
    double reserved = snap.database.setting_number("superuser_reserved_connections", 3) +
                      snap.database.setting_number("reserved_connections", 0);
    double available = max_conn - reserved;
    double min_pct = cx.threshold("connection_saturation_min_pct");
    double high_pct = cx.threshold("connection_saturation_high_pct");
    int64_t clients = 0, hidden = 0, idle = 0;
    std::map<std::string, int64_t> by_user;
    for (const Activity &a : snap.activity) {
        bool is_client = a.backend_type == "client backend";
        if (!is_client && !hidden_client(a)) continue;
        clients++;
        hidden += is_client ? 0 : 1;
        idle += a.state == "idle" ? 1 : 0;
        by_user[a.user]++;
    }
    auto report = [&](std::string type, std::string object, std::string identity, double used,
                      double limit, std::string what, const std::vector<std::string> &users) {
        double pct = limit > 0 ? 100.0 * used / limit : 0;
        if (limit <= 0 || pct < min_pct) return;
        Finding f = cx.make(std::move(type), std::move(object), std::move(identity));
        if (pct >= high_pct) f.severity = raise(f.severity);
        f.title = fmt::format("{} uses {} of {} connections ({:.0f}%)", what, text::count(used),
                              text::count(limit), pct);
        f.evidence.add("connections", used)
            .add("limit", limit)
            .add("used_pct", pct)
            .add("min_pct", min_pct)
            .add("high_pct", high_pct)
            .add("idle_sessions", idle)
            .add("hidden_sessions", hidden);
        if (!users.empty()) f.evidence.add("by_user", users);
        f.recommendation =
            "Put a transaction-mode pooler (PgBouncer) in front of the "
            "application, or lower the application's pool sizes; idle sessions "
            "hold connections without work.";
        f.why =
            "When the limit is reached new connections fail with \"too many clients\"; "
            "each backend also costs memory and snapshot work.";
        f.steps = {
            "Count connections per application: SELECT application_name, count(*) FROM "
            "pg_stat_activity GROUP BY 1;",
            "Size pools so their sum stays below the limit, or add a pooler."};
        f.impact = pct;
        f.impact_unit = "%";
        cx.add(std::move(f));
    };
    std::vector<std::string> top;
    for (const auto &[user, n] : by_user)
        top.push_back((user.empty() ? "(unknown)" : user) + ": " + std::to_string(n));
    report("database", quote_ident(snap.database.name), "", static_cast<double>(clients), available,
           "The server", top);
    for (const catalog::Role &r : snap.roles) {
        auto it = by_user.find(r.name);
        if (r.connection_limit <= 0 || it == by_user.end()) continue;
        report("role", quote_ident(r.name), "connection_limit", static_cast<double>(it->second),
               r.connection_limit, "Role " + quote_ident(r.name), {});
    }
}

// OPS-02: many short sessions (connect per request, no pooler): sessions since the statistics
// reset and their average length (pg_stat_database, PostgreSQL 14+). Session time is counted
// when a session's state changes, so the average is a lower bound of real session length.
void connection_churn_without_pooler(RuleContext &cx) {
    const catalog::Database &d = cx.catalog().database;
    if (d.sessions < 0 || d.session_time_ms < 0) {
        cx.skip("session counters need PostgreSQL 14 or later");
        return;
    }
    double min_sessions = cx.threshold("connection_churn_without_pooler_min_sessions");
    double max_avg = cx.threshold("connection_churn_without_pooler_max_avg_ms");
    if (d.sessions == 0 || static_cast<double>(d.sessions) < min_sessions) return;
    double avg = d.session_time_ms / static_cast<double>(d.sessions);
    if (avg > max_avg) return;
    Finding f = cx.make("database", quote_ident(d.name), "");
    f.title = fmt::format(
        "{} sessions lasted {} on average: connections are opened per "
        "request",
        text::count(static_cast<double>(d.sessions)), text::millis(avg));
    f.evidence.add("sessions", d.sessions)
        .add("session_time_ms", d.session_time_ms)
        .add("avg_session_ms", avg)
        .add("min_sessions", min_sessions)
        .add("max_avg_ms", max_avg);
    f.recommendation =
        "Keep connections open: use the driver's pool, or a pooler such as "
        "PgBouncer in transaction mode.";
    f.why =
        "Each new connection forks a backend, authenticates and warms its caches: "
        "milliseconds of work and latency per request that a pool pays once.";
    f.impact = static_cast<double>(d.sessions);
    f.impact_unit = "sessions";
    cx.add(std::move(f));
}

// OPS-03: sessions idle inside a transaction for at least the threshold (pg:diagnose's 1 min),
// one finding per role; high from the second threshold (postgres-checkup's 1 h). They hold
// locks and the xmin horizon.
void idle_in_transaction(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_s = cx.threshold("idle_in_transaction_min_seconds");
    double high_s = cx.threshold("idle_in_transaction_high_seconds");
    auto roles = roles_by_name(snap);
    std::map<std::string, RoleSessions> by_user;
    for (const Activity &a : snap.activity) {
        if (!client(a) || a.state.compare(0, 19, "idle in transaction") != 0) continue;
        double idle = seconds_since(snap, a.state_change);
        if (idle >= min_s) by_user[a.user].add(a, idle);
    }
    for (const auto &[user, s] : by_user) {
        Finding f = cx.make("role", quote_ident(user), "");
        if (s.longest >= high_s) f.severity = raise(f.severity);
        f.title =
            fmt::format("{} session{} of {} idle in a transaction, the longest for {}", s.count,
                        s.count == 1 ? "" : "s", quote_ident(user), text::duration(s.longest));
        add_sessions_evidence(f, s);
        f.evidence.add("min_seconds", min_s)
            .add("high_seconds", high_s)
            .add("transaction_age_seconds", seconds_since(snap, s.longest_session->xact_start))
            .add("server_timeout", snap.database.setting("idle_in_transaction_session_timeout"));
        f.query = s.longest_session->query;
        f.current_state = fmt::format(
            "Session {} ({}) has been \"{}\" for {}; its last "
            "statement: {}",
            s.longest_session->pid, s.longest_session->application_name, s.longest_session->state,
            text::duration(s.longest), f.query.empty() ? "(hidden)" : text::shorten(f.query, 200));
        f.recommendation =
            "Commit or roll back promptly in the application; let the server end "
            "sessions that forget (idle_in_transaction_session_timeout).";
        f.why =
            "An open transaction keeps its locks and stops vacuum from removing rows "
            "deleted after it started.";
        role_setting_fix(find_role(roles, user), user, "idle_in_transaction_session_timeout",
                         fmt::format("{:.0f}s", min_s), f);
        f.steps = {
            "Find where the application leaves transactions open (the last statement "
            "above, application_name).",
            "Set the timeout for the role (fix_sql).",
            "End the current ones if needed: SELECT pg_terminate_backend(pid) for pids " +
                text::join_words(s.pids) + "."};
        f.verify =
            "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in "
            "transaction%' AND now() - state_change > interval '" +
            fmt::format("{:.0f}", min_s) + " seconds'; returns 0.";
        f.impact = s.longest;
        f.impact_unit = "seconds";
        cx.add(std::move(f));
    }
}

// OPS-04: statements running for at least the threshold (PgHero's 60 s), client backends only
// (autovacuum, walsenders and parallel workers are not statements of the application), one
// finding per role; high from the second threshold.
void long_running_query(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_s = cx.threshold("long_running_query_min_seconds");
    double high_s = cx.threshold("long_running_query_high_seconds");
    auto roles = roles_by_name(snap);
    std::map<std::string, RoleSessions> by_user;
    for (const Activity &a : snap.activity) {
        if (!client(a) || (a.state != "active" && a.state != "fastpath function call")) continue;
        double running = seconds_since(snap, a.query_start);
        if (running >= min_s) by_user[a.user].add(a, running);
    }
    for (const auto &[user, s] : by_user) {
        Finding f = cx.make("role", quote_ident(user), "");
        if (s.longest >= high_s) f.severity = raise(f.severity);
        f.title = fmt::format("{} statement{} of {} running for more than {}, the longest for {}",
                              s.count, s.count == 1 ? "" : "s", quote_ident(user),
                              text::duration(min_s), text::duration(s.longest));
        add_sessions_evidence(f, s);
        f.evidence.add("min_seconds", min_s)
            .add("high_seconds", high_s)
            .add("wait_event_type", s.longest_session->wait_event_type)
            .add("wait_event", s.longest_session->wait_event)
            .add("server_timeout", snap.database.setting("statement_timeout"));
        f.query = s.longest_session->query;
        f.current_state = "Running for " + text::duration(s.longest) + ": " +
                          (f.query.empty() ? "(hidden)" : text::shorten(f.query, 200));
        f.recommendation =
            "Find why the statement is slow (EXPLAIN, locks it waits for) and "
            "bound it with a statement_timeout for the role.";
        role_setting_fix(find_role(roles, user), user, "statement_timeout",
                         fmt::format("{:.0f}s", min_s), f);
        f.steps = {"EXPLAIN the statement; check wait_event for lock waits.",
                   "Set a statement_timeout for the role (fix_sql); longer jobs can SET a "
                   "larger one locally.",
                   "Cancel the current ones if needed: SELECT pg_cancel_backend(pid) for pids " +
                       text::join_words(s.pids) + "."};
        f.impact = s.longest;
        f.impact_unit = "seconds";
        cx.add(std::move(f));
    }
}

namespace {

struct XminHolder {
    std::string type, object, identity, what;
    int64_t age = -1;
    std::string fix, undo;
};

}  // namespace

// OPS-05: what holds back the xmin horizon (vacuum cannot remove newer dead rows, freezing
// stalls): backends of this database (or of none: walsenders with hot_standby_feedback) with an
// old snapshot, autovacuum workers excepted, prepared transactions of this
// database, replication slots with an xmin or catalog_xmin. At least the xid-age threshold, or
// for prepared transactions the age threshold in seconds; high when the age reaches
// autovacuum_freeze_max_age.
void xmin_horizon_held(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_age = cx.threshold("xmin_horizon_held_min_xid_age");
    double min_prepared_s = cx.threshold("xmin_horizon_held_min_prepared_seconds");
    double freeze_max = snap.database.setting_number("autovacuum_freeze_max_age", 200000000);
    std::vector<XminHolder> holders;
    std::map<std::string, std::pair<int64_t, std::vector<std::string>>> backends;  // user
    for (const Activity &a : snap.activity) {
        if (a.own || a.backend_xmin_age < min_age) continue;
        // Vacuum's own snapshot does not hold back other vacuums (PROC_IN_VACUUM).
        if (a.backend_type.compare(0, 10, "autovacuum") == 0) continue;
        // A process without a user is a background process (an autovacuum worker whose type
        // the server hid from the reader, among others): no role to name, nothing to end.
        if (a.user.empty()) continue;
        if (!a.database.empty() && a.database != snap.database.name) continue;
        auto &b = backends[a.user];
        b.first = std::max(b.first, a.backend_xmin_age);
        b.second.push_back(std::to_string(a.pid));
    }
    for (const auto &[who, b] : backends)
        holders.push_back({"role", quote_ident(who), "backend",
                           "backends " + text::join_words(b.second) + " of " + who, b.first,
                           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (" +
                               text::comma(b.second) + ");",
                           ""});
    for (const catalog::PreparedXact &p : snap.prepared_xacts) {
        if (p.database != snap.database.name) continue;
        double age_s = seconds_since(snap, p.prepared);
        if (p.xid_age < min_age && age_s < min_prepared_s) continue;
        holders.push_back({"prepared transaction", quote_literal(p.gid), p.gid,
                           fmt::format("prepared transaction {} of {}, prepared {} ago",
                                       quote_literal(p.gid), p.owner, text::duration(age_s)),
                           p.xid_age, "ROLLBACK PREPARED " + quote_literal(p.gid) + ";", ""});
    }
    for (const catalog::ReplicationSlot &s : snap.replication_slots) {
        int64_t age = std::max(s.xmin_age, s.catalog_xmin_age);
        if (age < min_age) continue;
        std::string create =
            s.type == "logical"
                ? fmt::format("SELECT pg_create_logical_replication_slot({}, {});",
                              quote_literal(s.name), quote_literal(s.plugin))
                : fmt::format("SELECT pg_create_physical_replication_slot({}, true);",
                              quote_literal(s.name));
        holders.push_back(
            {"replication slot", s.name, "",
             fmt::format("{} replication slot {} ({})", s.type, s.name,
                         s.active ? "active" : "inactive"),
             age, fmt::format("SELECT pg_drop_replication_slot({});", quote_literal(s.name)),
             create});
    }
    for (XminHolder &h : holders) {
        Finding f = cx.make(h.type, h.object, h.identity);
        if (static_cast<double>(h.age) >= freeze_max) f.severity = raise(f.severity);
        f.title = fmt::format("The {} holds back vacuum by {} transactions", h.what,
                              text::count(static_cast<double>(h.age)));
        f.evidence.add("xmin_age", h.age)
            .add("min_xid_age", min_age)
            .add("autovacuum_freeze_max_age", freeze_max);
        f.recommendation =
            "End what holds the horizon: commit or terminate the old "
            "transaction, resolve the prepared transaction, drop a slot nobody "
            "consumes.";
        f.why =
            "Vacuum keeps every row version newer than the oldest snapshot still needed; "
            "tables bloat and, past autovacuum_freeze_max_age, freezing cannot advance.";
        f.fix_sql = std::move(h.fix);
        f.undo_sql = std::move(h.undo);
        f.impact = static_cast<double>(h.age);
        f.impact_unit = "transactions";
        cx.add(std::move(f));
    }
}

// OPS-06: sessions waiting on a lock for at least the threshold, grouped by the role of the
// session at the head of the chain (a blocker that is not itself waiting); high when it blocks
// at least the second threshold's number of sessions.
void lock_contention(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_s = cx.threshold("lock_contention_min_seconds");
    double high_n = cx.threshold("lock_contention_high_blocked");
    std::unordered_map<int32_t, const Activity *> by_pid;
    for (const Activity &a : snap.activity)
        by_pid[a.pid] = &a;
    // Head of the chain for each pid, memoised (each pid resolved once).
    std::unordered_map<int32_t, int32_t> head;
    std::function<int32_t(int32_t, int)> root = [&](int32_t pid, int depth) -> int32_t {
        auto known = head.find(pid);
        if (known != head.end()) return known->second;
        auto it = by_pid.find(pid);
        int32_t r = pid;
        if (depth < 64 && it != by_pid.end() && !it->second->blocked_by.empty())
            r = root(it->second->blocked_by.front(), depth + 1);
        head[pid] = r;
        return r;
    };
    // Independent chains whose heads belong to one role are one finding; each head is ended.
    struct Chain {
        const Activity *head = nullptr;
        int32_t head_pid = 0;
        std::vector<int32_t> head_pids;
        int64_t blocked = 0;
        double longest = 0;
        std::vector<std::string> waiting_pids, waiting_queries;
    };
    std::map<std::string, Chain> by_head_user;
    for (const Activity &a : snap.activity) {
        if (a.blocked_by.empty()) continue;
        double waited = seconds_since(snap, a.query_start);
        if (waited < min_s) continue;
        int32_t h = root(a.blocked_by.front(), 0);
        auto it = by_pid.find(h);
        const Activity *blocker = it == by_pid.end() ? nullptr : it->second;
        Chain &c = by_head_user[blocker && !blocker->user.empty() ? blocker->user : "(hidden)"];
        if (c.head_pids.empty()) {
            c.head = blocker;
            c.head_pid = h;
        }
        if (std::find(c.head_pids.begin(), c.head_pids.end(), h) == c.head_pids.end())
            c.head_pids.push_back(h);
        c.blocked++;
        c.longest = std::max(c.longest, waited);
        if (c.waiting_pids.size() < kListed) c.waiting_pids.push_back(std::to_string(a.pid));
        if (!a.query.empty() && c.waiting_queries.size() < kListed)
            add_unique(c.waiting_queries, text::shorten(a.query, 120));
    }
    for (const auto &[user, c] : by_head_user) {
        Finding f = cx.make("role", user == "(hidden)" ? user : quote_ident(user), "blocker");
        if (static_cast<double>(c.blocked) >= high_n) f.severity = raise(f.severity);
        std::string state = c.head ? c.head->state : "";
        f.title = c.head_pids.size() == 1
                      ? fmt::format("A session of {} blocks {} other{} for up to {}", user,
                                    c.blocked, c.blocked == 1 ? "" : "s", text::duration(c.longest))
                      : fmt::format("{} sessions of {} block {} others for up to {}",
                                    c.head_pids.size(), user, c.blocked, text::duration(c.longest));
        std::vector<std::string> heads;
        for (int32_t pid : c.head_pids)
            heads.push_back(std::to_string(pid));
        f.evidence.add("blocker_pid", int64_t{c.head_pid})
            .add("blocker_pids", heads)
            .add("blocker_state", state)
            .add("blocked_sessions", c.blocked)
            .add("longest_wait_seconds", c.longest)
            .add("waiting_pids", c.waiting_pids)
            .add("waiting_queries", c.waiting_queries)
            .add("min_seconds", min_s);
        f.query = c.head ? c.head->query : "";
        f.current_state = fmt::format("Blocker {} is {}; its {} statement: {}", c.head_pid,
                                      state.empty() ? "(state hidden)" : "\"" + state + "\"",
                                      state == "active" ? "current" : "last",
                                      f.query.empty() ? "(hidden)" : text::shorten(f.query, 200));
        f.recommendation =
            "Keep transactions that take strong locks short; set lock_timeout "
            "for DDL and statements that may wait.";
        for (int32_t pid : c.head_pids)
            f.fix_sql += fmt::format("{}SELECT pg_terminate_backend({});",
                                     f.fix_sql.empty() ? "" : "\n", pid);
        f.steps = {
            "Look at what the blocker does (state, query); an idle-in-transaction "
            "blocker is an application that forgot to commit.",
            "End it if it must not continue (fix_sql).",
            "Add lock_timeout to migrations and retry them."};
        f.impact = static_cast<double>(c.blocked);
        f.impact_unit = "sessions";
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::operations
