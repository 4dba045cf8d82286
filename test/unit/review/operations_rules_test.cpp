#include <gtest/gtest.h>

#include "rule_run.h"

using pg_advisor::catalog::Activity;
using pg_advisor::catalog::Micros;
using pg_advisor::review::Severity;
using pg_advisor::review::severity_name;
using pg_advisor::review::testing::column;
using pg_advisor::review::testing::objects;
using pg_advisor::review::testing::RuleRun;

namespace {

constexpr Micros kSecond = 1000000;

Activity session(RuleRun &r, int pid, const std::string &user, const std::string &state,
                 double seconds_in_state) {
    Activity a;
    a.pid = pid;
    a.user = user;
    a.database = "app";
    a.application_name = "web";
    a.backend_type = "client backend";
    a.state = state;
    a.query = "SELECT 1";
    Micros at = r.snap.database.now - static_cast<Micros>(seconds_in_state * kSecond);
    a.state_change = a.query_start = a.xact_start = at;
    a.local = true;
    return a;
}

std::vector<std::string> described(const std::vector<pg_advisor::review::Finding> &fs) {
    std::vector<std::string> out;
    for (const auto &f : fs)
        out.push_back(f.object + (f.identity.empty() ? "" : " " + f.identity) + " " +
                      std::string(severity_name(f.severity)));
    return out;
}

}  // namespace

// ---- OPS-01 connection_saturation

TEST(ConnectionSaturation, ServerAndRoleLimits) {
    RuleRun r;
    r.snap.database.settings = {{"max_connections", "23"}, {"superuser_reserved_connections", "3"}};
    for (int i = 0; i < 14; i++)
        r.snap.activity.push_back(session(r, 100 + i, "app", "idle", 5));
    Activity hidden;
    hidden.pid = 200;
    hidden.user = "other";
    hidden.database = "app";
    hidden.details_hidden = true;  // another user's session: counted, not judged
    r.snap.activity.push_back(hidden);
    Activity worker;
    worker.pid = 300;
    worker.backend_type = "autovacuum worker";
    r.snap.activity.push_back(worker);
    r.role("app").connection_limit = 16;
    auto fs = r.run("connection_saturation");
    // 15 clients of 20 available = 75 %: at the threshold; app 14 of 16 = 87.5 %.
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"app medium", "app connection_limit medium"}));
    EXPECT_EQ(fs[0].evidence.get("connections"), "15");
    EXPECT_EQ(fs[0].evidence.get("hidden_sessions"), "1");
    EXPECT_EQ(fs[0].evidence.get("idle_sessions"), "14");
    r.snap.activity.push_back(session(r, 400, "app", "active", 1));
    r.snap.activity.push_back(session(r, 401, "app", "active", 1));
    r.snap.activity.push_back(session(r, 402, "app", "active", 1));
    fs = r.run("connection_saturation");  // 18 of 20 = 90 %; app 17 of 16
    EXPECT_EQ(described(fs), (std::vector<std::string>{"app high", "app connection_limit high"}));
    r.snap.activity.resize(10);
    EXPECT_TRUE(r.run("connection_saturation").empty());
}

// ---- OPS-02 connection_churn_without_pooler

TEST(ConnectionChurn, ShortSessionsOnly) {
    RuleRun r;
    r.snap.database.sessions = 20000;
    r.snap.database.session_time_ms = 20000 * 40.0;
    auto fs = r.run("connection_churn_without_pooler");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].evidence.get("avg_session_ms"), "40");
    r.snap.database.session_time_ms = 20000 * 1000.5;
    EXPECT_TRUE(r.run("connection_churn_without_pooler").empty());
    r.snap.database.session_time_ms = 9999 * 10.0;
    r.snap.database.sessions = 9999;
    EXPECT_TRUE(r.run("connection_churn_without_pooler").empty());
    r.snap.database.sessions = -1;
    EXPECT_TRUE(r.run("connection_churn_without_pooler").empty());
    EXPECT_TRUE(r.skipped);
}

// ---- OPS-03 idle_in_transaction

TEST(IdleInTransaction, GroupsByRoleSkipsOwnAndShortSessions) {
    RuleRun r;
    r.snap.activity.push_back(session(r, 1, "app", "idle in transaction", 120));
    r.snap.activity.push_back(session(r, 2, "app", "idle in transaction (aborted)", 61));
    r.snap.activity.push_back(session(r, 3, "app", "idle in transaction", 59));  // too short
    r.snap.activity.push_back(session(r, 4, "batch", "idle in transaction", 7200));
    Activity own = session(r, 5, "postgres", "idle in transaction", 600);
    own.own = true;  // the reviewing session itself
    r.snap.activity.push_back(own);
    r.snap.activity.push_back(session(r, 6, "web", "idle", 9000));
    r.role("batch").config = {"idle_in_transaction_session_timeout=1h"};
    auto fs = r.run("idle_in_transaction");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"app medium", "batch high"}));
    EXPECT_EQ(fs[0].evidence.get("sessions"), "2");
    EXPECT_EQ(fs[0].evidence.get("longest_seconds"), "120");
    EXPECT_EQ(fs[0].fix_sql, "ALTER ROLE app SET idle_in_transaction_session_timeout = '60s';");
    EXPECT_EQ(fs[0].undo_sql, "ALTER ROLE app RESET idle_in_transaction_session_timeout;");
    EXPECT_EQ(fs[1].undo_sql, "ALTER ROLE batch SET idle_in_transaction_session_timeout = '1h';");
    r.settings.set("idle_in_transaction_min_seconds", 121);
    EXPECT_EQ(described(r.run("idle_in_transaction")), std::vector<std::string>{"batch high"});
}

// ---- OPS-04 long_running_query

TEST(LongRunningQuery, ClientStatementsOnly) {
    RuleRun r;
    r.snap.activity.push_back(session(r, 1, "app", "active", 60));
    r.snap.activity.push_back(session(r, 2, "app", "active", 30));
    Activity vacuum = session(r, 3, "", "active", 9000);
    vacuum.backend_type = "autovacuum worker";
    r.snap.activity.push_back(vacuum);
    Activity hidden = session(r, 4, "other", "", 9000);
    hidden.details_hidden = true;
    hidden.query.clear();
    r.snap.activity.push_back(hidden);
    r.snap.activity.push_back(session(r, 5, "report", "active", 3600));
    auto fs = r.run("long_running_query");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"app medium", "report high"}));
    EXPECT_EQ(fs[0].fix_sql, "ALTER ROLE app SET statement_timeout = '60s';");
    EXPECT_EQ(fs[0].query, "SELECT 1");
}

// ---- OPS-05 xmin_horizon_held

TEST(XminHorizonHeld, BackendsPreparedTransactionsAndSlots) {
    RuleRun r;
    r.snap.database.settings["autovacuum_freeze_max_age"] = "200000000";
    Activity old = session(r, 1, "app", "idle in transaction", 10);
    old.backend_xmin_age = 1500000;
    r.snap.activity.push_back(old);
    Activity elsewhere = old;  // another database: holds only shared catalogs
    elsewhere.pid = 2;
    elsewhere.database = "other";
    r.snap.activity.push_back(elsewhere);
    Activity own = old;
    own.pid = 3;
    own.own = true;
    r.snap.activity.push_back(own);
    Activity vacuum = old;  // an autovacuum worker's snapshot does not hold back vacuum
    vacuum.pid = 4;
    vacuum.user.clear();
    vacuum.backend_type = "autovacuum worker";
    r.snap.activity.push_back(vacuum);
    pg_advisor::catalog::PreparedXact p;
    p.gid = "tx-1";
    p.owner = "app";
    p.database = "app";
    p.prepared = r.snap.database.now - 7200 * kSecond;
    p.xid_age = 10;
    r.snap.prepared_xacts.push_back(p);
    p.gid = "tx-2";
    p.prepared = r.snap.database.now - 60 * kSecond;
    r.snap.prepared_xacts.push_back(p);  // young and recent: not yet
    pg_advisor::catalog::ReplicationSlot s;
    s.name = "standby";
    s.type = "physical";
    s.xmin_age = 250000000;
    r.snap.replication_slots.push_back(s);
    auto fs = r.run("xmin_horizon_held");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"app backend medium", "'tx-1' tx-1 medium",
                                                       "standby high"}));
    EXPECT_EQ(fs[1].fix_sql, "ROLLBACK PREPARED 'tx-1';");
    EXPECT_EQ(fs[2].fix_sql, "SELECT pg_drop_replication_slot('standby');");
    EXPECT_EQ(fs[2].undo_sql, "SELECT pg_create_physical_replication_slot('standby', true);");
    r.settings.set("xmin_horizon_held_min_xid_age", 1500001);
    EXPECT_EQ(objects(r.run("xmin_horizon_held")), (std::vector<std::string>{"'tx-1'", "standby"}));
}

// ---- OPS-06 lock_contention

// A reader without pg_read_all_stats sees other sessions' xmin but not their type: a process
// without a user (an autovacuum worker, say) is not a backend to terminate; a hidden session of
// a role still is.
TEST(XminHorizonHeld, HiddenProcessesWithoutAUserAreNotTerminated) {
    RuleRun r;
    Activity worker = session(r, 5, "", "", 10);
    worker.backend_type.clear();
    worker.details_hidden = true;
    worker.backend_xmin_age = 1500000;
    r.snap.activity.push_back(worker);
    Activity hidden = worker;
    hidden.pid = 6;
    hidden.user = "app";
    r.snap.activity.push_back(hidden);
    auto fs = r.run("xmin_horizon_held");
    EXPECT_EQ(described(fs), std::vector<std::string>{"app backend medium"});
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].fix_sql,
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (6);");
}

TEST(LockContention, GroupsByTheHeadOfTheChain) {
    RuleRun r;
    Activity blocker = session(r, 10, "migrator", "idle in transaction", 100);
    blocker.query = "ALTER TABLE orders ADD COLUMN x int";
    r.snap.activity.push_back(blocker);
    Activity middle = session(r, 11, "app", "active", 30);
    middle.blocked_by = {10};
    r.snap.activity.push_back(middle);
    for (int i = 0; i < 4; i++) {
        Activity w = session(r, 20 + i, "app", "active", 20);
        w.blocked_by = {11};
        r.snap.activity.push_back(w);
    }
    Activity brief = session(r, 30, "app", "active", 1);  // waiting below the threshold
    brief.blocked_by = {10};
    r.snap.activity.push_back(brief);
    auto fs = r.run("lock_contention");
    EXPECT_EQ(described(fs), std::vector<std::string>{"migrator blocker high"});
    EXPECT_EQ(fs[0].evidence.get("blocked_sessions"), "5");
    EXPECT_EQ(fs[0].evidence.get("blocker_pid"), "10");
    EXPECT_EQ(fs[0].fix_sql, "SELECT pg_terminate_backend(10);");
    r.settings.set("lock_contention_high_blocked", 6);
    EXPECT_EQ(r.run("lock_contention")[0].severity, Severity::Medium);
}

// Two independent chains whose heads are sessions of one role: one finding, both heads ended.
TEST(LockContention, EveryHeadOfARoleIsEnded) {
    RuleRun r;
    for (int32_t head : {10, 12}) {
        r.snap.activity.push_back(session(r, head, "migrator", "idle in transaction", 100));
        Activity w = session(r, head + 1, "app", "active", 20);
        w.blocked_by = {head};
        r.snap.activity.push_back(w);
    }
    auto fs = r.run("lock_contention");
    ASSERT_EQ(described(fs), std::vector<std::string>{"migrator blocker medium"});
    EXPECT_EQ(fs[0].fix_sql, "SELECT pg_terminate_backend(10);\nSELECT pg_terminate_backend(12);");
    EXPECT_EQ(fs[0].evidence.get("blocker_pids"), "[\"10\", \"12\"]");
    EXPECT_EQ(fs[0].evidence.get("blocked_sessions"), "2");
}

// ---- OPS-07 vacuum_lag

TEST(VacuumLag, HonoursTheTablesOwnTrigger) {
    RuleRun r;
    r.snap.database.settings = {{"autovacuum", "on"},
                                {"track_counts", "on"},
                                {"autovacuum_vacuum_threshold", "50"},
                                {"autovacuum_vacuum_scale_factor", "0.2"}};
    auto &a = r.table(1, "public", "events");
    a.reltuples = 100000;  // trigger 20,050
    a.stats.n_dead_tup = 20051;
    auto &b = r.table(2, "public", "tuned");
    b.reltuples = 100000;  // trigger 50 + 0.01 x 100,000 = 1,050
    b.options = {"autovacuum_vacuum_scale_factor=0.01"};
    b.stats.n_dead_tup = 15000;
    auto &c = r.table(3, "public", "below");
    c.reltuples = 100000;
    c.stats.n_dead_tup = 20050;  // at the trigger: not above
    auto &d = r.table(4, "public", "recent");
    d.reltuples = 100000;
    d.stats.n_dead_tup = 50000;
    d.stats.last_autovacuum = r.snap.database.now - 30 * 60 * kSecond;  // 30 min ago
    auto &e = r.table(5, "public", "disabled");
    e.reltuples = 100000;
    e.options = {"autovacuum_enabled=false"};
    e.stats.n_dead_tup = 30000;
    auto &f = r.table(6, "public", "tiny");
    f.reltuples = 10;
    f.stats.n_dead_tup = 9999;  // above its trigger, below the minimum dead tuples
    auto fs = r.run("vacuum_lag");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"public.events medium", "public.tuned high",
                                                       "public.disabled high"}));
    EXPECT_EQ(fs[0].evidence.get("autovacuum_trigger"), "20050");
    EXPECT_EQ(fs[1].evidence.get("autovacuum_trigger"), "1050");
    EXPECT_EQ(fs[0].fix_sql, "VACUUM (VERBOSE, ANALYZE) public.events;");
    // One statement per fix: VACUUM cannot share a multi-statement string with anything.
    EXPECT_EQ(fs[2].fix_sql, "ALTER TABLE public.disabled RESET (autovacuum_enabled);");
    EXPECT_EQ(fs[2].steps.back(),
              "Vacuum it now, as a statement of its own: VACUUM (VERBOSE, ANALYZE) "
              "public.disabled;");
    r.settings.set("vacuum_lag_min_minutes", 20);
    EXPECT_EQ(objects(r.run("vacuum_lag")).size(), 4u);  // "recent" now counts
}

// ---- OPS-08 / OPS-09 wraparound

TEST(XidWraparound, PercentOfTheLimitAndFreezeAge) {
    RuleRun r;
    r.snap.database.settings["autovacuum_freeze_max_age"] = "200000000";
    auto age = [&](uint32_t oid, const char *name, int64_t xid_age) {
        r.table(oid, "public", name).xid_age = xid_age;
    };
    age(1, "young", 150000000);
    age(2, "stuck", 400000000);    // twice the freeze age (18.6 %)
    age(3, "old", 644245095);      // 30 % of 2^31, rounded up
    age(4, "older", 1073741824);   // 50 %
    age(5, "oldest", 1610612736);  // 75 %
    r.table(6, "public", "lower_freeze").xid_age = 150000000;
    r.snap.tables.back().options = {"autovacuum_freeze_max_age=50000000"};  // 3 x its own
    r.snap.database.xid_age = 1610612736;
    auto fs = r.run("xid_wraparound");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"public.stuck medium", "public.old medium",
                                        "public.older high", "public.oldest critical",
                                        "public.lower_freeze medium", "app critical"}));
    EXPECT_EQ(fs[0].fix_sql, "VACUUM (FREEZE, VERBOSE) public.stuck;");
    EXPECT_EQ(fs[0].evidence.get("past_freeze_max_age"), "true");
}

TEST(MultixactWraparound, UsesMultixactAges) {
    RuleRun r;
    r.table(1, "public", "locked").mxid_age = 900000000;  // 41.9 %
    r.table(2, "public", "fine").mxid_age = 100;
    r.snap.tables[1].xid_age = 2000000000;  // transaction age is not this rule's business
    auto fs = r.run("multixact_wraparound");
    EXPECT_EQ(described(fs), std::vector<std::string>{"public.locked medium"});
}

// ---- OPS-11 stale_statistics

TEST(StaleStatistics, NeverAnalysedOrManyModifications) {
    RuleRun r;
    Micros day_ago = r.snap.database.now - 25 * 3600 * kSecond;
    auto &a = r.table(1, "public", "fresh_load");
    a.stats.n_live_tup = 5000;  // never analysed
    auto &b = r.table(2, "public", "churning");
    b.reltuples = 10000;
    b.stats.last_autoanalyze = day_ago;
    b.stats.n_mod_since_analyze = 2000;  // 20 %
    auto &c = r.table(3, "public", "calm");
    c.reltuples = 10000;
    c.stats.last_analyze = day_ago;
    c.stats.n_mod_since_analyze = 1999;
    auto &d = r.table(4, "public", "just_analysed");
    d.reltuples = 10000;
    d.stats.last_analyze = r.snap.database.now - 3600 * kSecond;
    d.stats.n_mod_since_analyze = 9000;
    auto &e = r.table(5, "public", "small");
    e.stats.n_live_tup = 999;
    auto &f = r.table(6, "public", "huge");
    f.reltuples = 2e6;
    auto fs = r.run("stale_statistics");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"public.fresh_load medium", "public.churning medium",
                                        "public.huge high"}));
    EXPECT_EQ(fs[0].evidence.get("never_analyzed"), "true");
    EXPECT_EQ(fs[0].fix_sql, "ANALYZE VERBOSE public.fresh_load;");
    r.settings.set("stale_statistics_min_hours", 0);
    EXPECT_EQ(described(r.run("stale_statistics")).size(), 4u);
}

// ---- OPS-12 autovacuum_untuned

TEST(AutovacuumUntuned, LargeTablesWithoutTheirOwnSettings) {
    RuleRun r;
    r.snap.database.settings = {{"autovacuum_vacuum_scale_factor", "0.2"},
                                {"autovacuum_vacuum_cost_limit", "-1"},
                                {"vacuum_cost_limit", "200"}};
    r.table(1, "public", "big").reltuples = 2e6;
    r.table(2, "public", "tuned").reltuples = 2e6;
    r.snap.tables.back().options = {"autovacuum_vacuum_scale_factor=0.01"};
    r.table(3, "public", "small").reltuples = 999999;
    auto fs = r.run("autovacuum_untuned");
    EXPECT_EQ(described(fs), std::vector<std::string>{"app medium"});
    EXPECT_EQ(fs[0].evidence.get("large_tables"), "[\"public.big (2,000,000 rows)\"]");
    r.snap.database.settings["autovacuum_vacuum_cost_limit"] = "1000";
    EXPECT_EQ(described(r.run("autovacuum_untuned")), std::vector<std::string>{"app low"});
    r.snap.database.settings["autovacuum_vacuum_scale_factor"] = "0.05";
    EXPECT_TRUE(r.run("autovacuum_untuned").empty());
}

// ---- OPS-13 .. OPS-20

TEST(MemorySettings, DefaultsWithEvidenceThatTheyAreSmall) {
    RuleRun r;
    r.snap.database.settings = {
        {"work_mem", "4096"}, {"shared_buffers", "16384"}, {"block_size", "8192"}};
    r.snap.database.temp_bytes = 2LL << 30;
    r.snap.database.size_bytes = 512LL << 20;  // 4 x 128 MB
    auto fs = r.run("memory_settings");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"app work_mem low", "app shared_buffers low"}));
    r.snap.database.settings["work_mem"] = "16384";
    r.snap.database.size_bytes = (512LL << 20) - 1;
    EXPECT_TRUE(r.run("memory_settings").empty());
}

TEST(CacheHitRatio, BelowTargetWithEnoughReads) {
    RuleRun r;
    r.snap.database.blks_hit = 98500;
    r.snap.database.blks_read = 1500;
    EXPECT_EQ(described(r.run("cache_hit_ratio")), std::vector<std::string>{"app low"});
    r.snap.database.blks_hit = 90000;
    r.snap.database.blks_read = 10000;
    EXPECT_EQ(described(r.run("cache_hit_ratio")), std::vector<std::string>{"app medium"});
    r.snap.database.blks_hit = 99000;
    r.snap.database.blks_read = 999;  // under the minimum block accesses
    EXPECT_TRUE(r.run("cache_hit_ratio").empty());
}

TEST(ReplicationHealth, InactiveLostAndHeavySlots) {
    RuleRun r;
    pg_advisor::catalog::ReplicationSlot s;
    s.type = "logical";
    s.plugin = "pgoutput";
    s.active = true;
    s.name = "busy";
    s.retained_bytes = 2LL << 30;
    r.snap.replication_slots.push_back(s);
    s.name = "fine";
    s.retained_bytes = 1 << 20;
    r.snap.replication_slots.push_back(s);
    s.name = "idle";
    s.active = false;
    r.snap.replication_slots.push_back(s);
    s.name = "gone";
    s.wal_status = "lost";
    r.snap.replication_slots.push_back(s);
    auto fs = r.run("replication_health");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"busy high", "idle medium", "gone high"}));
    EXPECT_EQ(fs[0].undo_sql, "SELECT pg_create_logical_replication_slot('busy', 'pgoutput');");
}

TEST(CheckpointPressure, RequestedShare) {
    RuleRun r;
    r.snap.checkpoints.present = true;
    r.snap.checkpoints.timed = 5;
    r.snap.checkpoints.requested = 5;
    r.snap.database.settings["max_wal_size"] = "1024";
    auto fs = r.run("checkpoint_pressure");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].fix_sql, "ALTER SYSTEM SET max_wal_size = '2048MB';");
    EXPECT_EQ(fs[0].undo_sql, "ALTER SYSTEM SET max_wal_size = '1024MB';");
    r.snap.checkpoints.timed = 6;
    EXPECT_TRUE(r.run("checkpoint_pressure").empty());
    r.snap.checkpoints.timed = 1;
    r.snap.checkpoints.requested = 8;  // 9 checkpoints: too few to judge
    EXPECT_TRUE(r.run("checkpoint_pressure").empty());
}

TEST(StatsWindowTooShort, ExplicitInsufficientEvidence) {
    RuleRun r;
    r.snap.database.stats_reset = r.snap.database.now - 2 * 86400 * kSecond;
    r.work.window_start = r.snap.database.now - 3600 * kSecond;
    auto fs = r.run("stats_window_too_short");
    EXPECT_EQ(described(fs), (std::vector<std::string>{"app cumulative_statistics info",
                                                       "app workload_capture info"}));
    r.snap.database.stats_reset = r.snap.database.now - 8 * 86400 * kSecond;
    r.work.window_start = r.snap.database.now - 25 * 3600 * kSecond;
    EXPECT_TRUE(r.run("stats_window_too_short").empty());
    r.snap.database.settings["track_counts"] = "off";
    EXPECT_EQ(described(r.run("stats_window_too_short")),
              std::vector<std::string>{"app track_counts high"});
}

TEST(VersionSupport, EndOfLifeAndKnownBugs) {
    RuleRun r;  // 2027-01-15
    r.snap.database.server_version_num = 140002;
    r.snap.database.server_version = "14.2";
    EXPECT_EQ(described(r.run("version_support")),
              (std::vector<std::string>{"app end_of_life high", "app known_bug high"}));
    r.snap.database.server_version_num = 150020;  // end of life 2027-11-11: 300 days away
    EXPECT_TRUE(r.run("version_support").empty());
    r.settings.set("version_support_warn_months", 10);
    EXPECT_EQ(described(r.run("version_support")), std::vector<std::string>{"app end_of_life low"});
    r.snap.database.server_version_num = 160004;
    EXPECT_TRUE(r.run("version_support").empty());
    r.snap.database.server_version_num = 110022;
    EXPECT_EQ(described(r.run("version_support")),
              std::vector<std::string>{"app end_of_life high"});
}

TEST(DisabledTriggersNestedViews, TriggersAndDepth) {
    RuleRun r;
    r.table(1, "public", "orders");
    for (uint32_t i = 0; i < 5; i++) {
        r.table(10 + i, "public", "v" + std::to_string(i + 1), 'v');
        r.snap.tables.back().view_reads = {i == 0 ? 1u : 9 + i};
    }
    pg_advisor::catalog::Trigger t;
    t.table = 1;
    t.name = "audit";
    t.enabled = 'D';
    r.snap.triggers.push_back(t);
    t.name = "on";
    t.enabled = 'O';
    r.snap.triggers.push_back(t);
    auto fs = r.run("disabled_triggers_nested_views");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"audit ON public.orders audit low", "public.v4 nesting low",
                                        "public.v5 nesting low"}));
    EXPECT_EQ(fs[0].fix_sql, "ALTER TABLE public.orders ENABLE TRIGGER audit;");
    EXPECT_EQ(fs[2].evidence.get("depth"), "5");
}

TEST(SchemaObjectCount, Thresholds) {
    RuleRun r;
    for (int i = 0; i < 3; i++) {
        pg_advisor::catalog::Schema s;
        s.name = "tenant_" + std::to_string(i);
        r.snap.schemas.push_back(s);
    }
    pg_advisor::catalog::Schema sys;
    sys.name = "pg_catalog";
    sys.system = true;
    r.snap.schemas.push_back(sys);
    r.snap.database.relation_count = 500;
    r.settings.set("schema_object_count_max_schemas", 3);
    r.settings.set("schema_object_count_max_relations", 501);
    EXPECT_EQ(described(r.run("schema_object_count")), std::vector<std::string>{"app schemas low"});
    r.settings.set("schema_object_count_max_schemas", 4);
    r.settings.set("schema_object_count_max_relations", 500);
    EXPECT_EQ(described(r.run("schema_object_count")),
              std::vector<std::string>{"app relations low"});
}

// ---- OPS-10 table_bloat

TEST(TableBloat, EstimatedFromRowsPagesAndWidths) {
    RuleRun r;
    r.snap.database.settings["block_size"] = "8192";
    // Rows of 8 + 92 bytes: header 24 -> 128-byte tuples, 8,168 / 132 = 61 per page.
    auto table = [&](uint32_t oid, const char *name, double rows, double pages) {
        auto &t = r.table(oid, "public", name);
        t.reltuples = rows;
        t.relpages = pages;
        t.columns = {column(1, "id", "N", 8), column(2, "body", "S", 92)};
        return oid;
    };
    table(1, "bloated", 61000, 20000);    // needs 1,000 pages: 95 % empty, 148 MB
    table(2, "half", 61000, 2000);        // 50 %, but 7.8 MB
    table(3, "packed", 61000, 1000);      // no bloat
    table(4, "big_half", 610000, 20000);  // 10,000 pages needed: 50 %, 78 MB
    table(5, "unanalysed", 61000, 20000);
    r.snap.tables.back().columns[1].stats.present = false;  // no widths: no estimate
    r.settings.set("table_bloat_min_mb", 70);
    auto fs = r.run("table_bloat");
    EXPECT_EQ(described(fs),
              (std::vector<std::string>{"public.bloated high", "public.big_half medium"}));
    EXPECT_EQ(fs[0].evidence.get("expected_pages"), "1000");
    EXPECT_EQ(fs[0].evidence.get("row_bytes"), "128");
    EXPECT_EQ(fs[1].evidence.get("bloat_pct"), "50");
    r.snap.tables[3].options = {"fillfactor=50"};  // half-full pages are by design
    EXPECT_EQ(described(r.run("table_bloat")), std::vector<std::string>{"public.bloated high"});
}

TEST(IdleInTransaction, EvidenceListsAreBoundedButCountsAreNot) {
    RuleRun r;
    for (int i = 0; i < 30; i++)
        r.snap.activity.push_back(session(r, 1000 + i, "app", "idle in transaction", 90));
    auto fs = r.run("idle_in_transaction");
    ASSERT_EQ(fs.size(), 1u);
    EXPECT_EQ(fs[0].evidence.get("sessions"), "30");
    std::string pids = fs[0].evidence.get("pids");
    EXPECT_EQ(std::count(pids.begin(), pids.end(), ','), 19);
}
