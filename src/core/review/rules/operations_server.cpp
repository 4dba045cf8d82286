// Operations rules about the server as a whole (OPS-13 to OPS-20 of the catalogue): settings,
// cumulative statistics, replication slots, checkpoints, version, catalog size.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/rules/operations_rules.h"
#include "core/review/rules/relation_facts.h"
#include "core/review/rules/rule_text.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::operations {

using catalog::quote_ident;
using catalog::quote_literal;

namespace {

std::string database_object(const catalog::CatalogSnapshot &snap) {
    return quote_ident(snap.database.name);
}

constexpr double kMiB = 1024.0 * 1024.0;

}  // namespace

// OPS-15: replication slots that hurt the primary: lost or unreserved WAL (the slot is broken
// or about to be), inactive slots (WAL and xmin kept for nobody), and slots retaining at least
// the threshold of WAL (high). Replica lag needs pg_stat_replication's view from the standby's
// side and is not judged here.
void replication_health(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double max_mb = cx.threshold("replication_health_max_retained_mb");
    for (const catalog::ReplicationSlot &s : snap.replication_slots) {
        bool broken = s.wal_status == "lost" || s.wal_status == "unreserved";
        bool inactive = !s.active && !s.temporary;
        bool heavy =
            s.retained_bytes >= 0 && static_cast<double>(s.retained_bytes) >= max_mb * kMiB;
        if (!broken && !inactive && !heavy) continue;
        Finding f = cx.make("replication slot", s.name, "");
        if (broken || heavy) f.severity = raise(f.severity);
        f.title = s.wal_status == "lost"
                      ? fmt::format("Replication slot {} has lost the WAL it needs", s.name)
                  : heavy ? fmt::format("Replication slot {} retains {} of WAL", s.name,
                                        text::bytes(static_cast<double>(s.retained_bytes)))
                          : fmt::format("Replication slot {} is {}", s.name,
                                        inactive ? "inactive" : "about to lose its WAL");
        f.evidence.add("slot_type", s.type)
            .add("active", s.active)
            .add("wal_status", s.wal_status)
            .add("retained_bytes", s.retained_bytes)
            .add("safe_wal_size", s.safe_wal_size)
            .add("max_retained_mb", max_mb);
        f.recommendation =
            "Drop slots no consumer uses; fix or re-create the consumer of a lost "
            "slot; set max_slot_wal_keep_size so one slot cannot fill the disk.";
        f.why =
            "The server keeps all WAL (and, for slots with an xmin, dead rows) a slot still "
            "needs: an abandoned slot fills the disk.";
        f.fix_sql = fmt::format("SELECT pg_drop_replication_slot({});", quote_literal(s.name));
        f.undo_sql = s.type == "logical"
                         ? fmt::format("SELECT pg_create_logical_replication_slot({}, {});",
                                       quote_literal(s.name), quote_literal(s.plugin))
                         : fmt::format("SELECT pg_create_physical_replication_slot({}, true);",
                                       quote_literal(s.name));
        f.impact = static_cast<double>(std::max<int64_t>(s.retained_bytes, 0));
        f.impact_unit = "bytes";
        cx.add(std::move(f));
    }
}

// OPS-16: most checkpoints requested (WAL filled max_wal_size, or explicit CHECKPOINTs) rather
// than timed, over at least the minimum number of checkpoints since the statistics reset.
void checkpoint_pressure(RuleContext &cx) {
    const catalog::Checkpoints &c = cx.catalog().checkpoints;
    if (!c.present || c.timed < 0 || c.requested < 0) {
        cx.skip("checkpoint statistics are not readable");
        return;
    }
    double min_n = cx.threshold("checkpoint_pressure_min_checkpoints");
    double max_pct = cx.threshold("checkpoint_pressure_max_requested_pct");
    double total = static_cast<double>(c.timed + c.requested);
    if (total < min_n || total == 0) return;
    double pct = 100 * static_cast<double>(c.requested) / total;
    if (pct < max_pct) return;
    const catalog::Database &d = cx.catalog().database;
    double wal_mb = d.setting_number("max_wal_size", 1024);
    Finding f = cx.make("database", database_object(cx.catalog()), "");
    f.title = fmt::format("{:.0f}% of checkpoints were requested, not timed", pct);
    f.evidence.add("checkpoints_timed", c.timed)
        .add("checkpoints_requested", c.requested)
        .add("requested_pct", pct)
        .add("max_wal_size_mb", wal_mb)
        .add("checkpoint_timeout_s", d.setting_number("checkpoint_timeout", 300))
        .add("write_ms", c.write_ms);
    f.recommendation =
        "Let checkpoints come from checkpoint_timeout: raise max_wal_size so the "
        "WAL between two checkpoints fits.";
    f.why =
        "Requested checkpoints come in bursts of writes and each makes the next writes of "
        "every page log a full page image.";
    f.fix_sql = fmt::format("ALTER SYSTEM SET max_wal_size = '{:.0f}MB';", wal_mb * 2);
    f.undo_sql = fmt::format("ALTER SYSTEM SET max_wal_size = '{:.0f}MB';", wal_mb);
    f.steps = {"Run the fix (ALTER SYSTEM runs on its own, outside a transaction).",
               "Reload: SELECT pg_reload_conf();",
               "Check again after a busy period: checkpoints_req should grow slower than "
               "checkpoints_timed."};
    f.impact = pct;
    f.impact_unit = "%";
    cx.add(std::move(f));
}

// OPS-17: the evidence of usage-based rules is too short to trust — cumulative statistics reset
// less than the threshold in days ago, captured statements covering less than the threshold in
// hours, or statistics not collected at all (track_counts = off, which also stops autovacuum:
// high). An explicit "insufficient evidence" finding instead of silence.
void stats_window_too_short(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_days = cx.threshold("stats_window_min_days");
    double min_hours = cx.threshold("stats_window_min_workload_hours");
    const std::string db = database_object(snap);
    if (snap.database.setting("track_counts", "on") == "off") {
        Finding f = cx.make("database", db, "track_counts");
        f.severity = Severity::High;
        f.title = "Table statistics are not collected (track_counts = off)";
        f.evidence.add("track_counts", "off");
        f.recommendation = "Turn track_counts on: autovacuum and every usage-based check need it.";
        f.fix_sql = "ALTER SYSTEM SET track_counts = on;";
        f.undo_sql = "ALTER SYSTEM SET track_counts = off;";
        f.steps = {"Run the fix, then reload: SELECT pg_reload_conf();"};
        cx.add(std::move(f));
    }
    double since = seconds_since(snap, snap.database.stats_reset);
    if (since >= 0 && since < min_days * 86400) {
        Finding f = cx.make("database", db, "cumulative_statistics");
        f.title = fmt::format("Statistics were reset {} ago: usage-based findings lack evidence",
                              text::duration(since));
        f.evidence.add("stats_reset_seconds_ago", since).add("min_days", min_days);
        f.current_state = "Scan and tuple counters only cover " + text::duration(since) +
                          "; unused-index and usage findings may describe a quiet period.";
        f.recommendation =
            "Wait until the counters cover a full business cycle (a week or "
            "more) before acting on usage-based findings.";
        f.impact = since;
        f.impact_unit = "seconds";
        cx.add(std::move(f));
    }
    const workload::WorkloadSnapshot &w = cx.workload();
    if (w.available && w.window_start > 0) {
        catalog::Micros end = w.window_end > 0 ? w.window_end : snap.database.now;
        double hours = static_cast<double>(end - w.window_start) / 3.6e9;
        if (hours < min_hours) {
            Finding f = cx.make("database", db, "workload_capture");
            f.title =
                fmt::format("Captured statements cover only {}", text::duration(hours * 3600));
            f.evidence.add("window_hours", hours)
                .add("min_hours", min_hours)
                .add("source", w.source);
            f.recommendation =
                "Let the capture run through a representative period before "
                "acting on statement findings.";
            cx.add(std::move(f));
        }
    }
}

// OPS-13: memory settings the evidence says are too small — work_mem at its 4 MB default while
// queries wrote at least the threshold of temporary files since the statistics reset, and
// shared_buffers at its 128 MB default on a database at least the threshold times larger.
// RAM is not known from SQL, so the right sizes are for the operator to pick.
void memory_settings(RuleContext &cx) {
    const catalog::Database &d = cx.catalog().database;
    double min_temp_mb = cx.threshold("memory_settings_min_temp_mb");
    double ratio = cx.threshold("memory_settings_db_buffers_ratio");
    double work_mem_kb = d.setting_number("work_mem", -1);
    double block = d.setting_number("block_size", 8192);
    double buffers = d.setting_number("shared_buffers", -1) * block;
    const std::string db = database_object(cx.catalog());
    if (work_mem_kb > 0 && work_mem_kb <= 4096 && d.temp_bytes >= 0 &&
        static_cast<double>(d.temp_bytes) >= min_temp_mb * kMiB) {
        Finding f = cx.make("database", db, "work_mem");
        f.title = fmt::format("Queries wrote {} of temporary files with work_mem at {}",
                              text::bytes(static_cast<double>(d.temp_bytes)),
                              text::bytes(work_mem_kb * 1024));
        f.evidence.add("temp_bytes", d.temp_bytes)
            .add("work_mem_kb", work_mem_kb)
            .add("max_connections", d.setting_number("max_connections", -1))
            .add("min_temp_mb", min_temp_mb);
        f.recommendation =
            "Raise work_mem for the roles or queries that sort and hash large "
            "sets; keep work_mem x connections x nodes within RAM.";
        f.fix_sql = "ALTER SYSTEM SET work_mem = '16MB';";
        f.undo_sql = "ALTER SYSTEM RESET work_mem;";
        f.steps = {
            "Find the statements that spill (log_temp_files = 0, or pg_stat_statements' "
            "temp_blks_written); a role- or query-level SET work_mem may be enough.",
            "Otherwise run the fix, then reload: SELECT pg_reload_conf();"};
        f.impact = static_cast<double>(d.temp_bytes);
        f.impact_unit = "bytes";
        cx.add(std::move(f));
    }
    if (buffers > 0 && buffers <= 128 * kMiB && d.size_bytes >= 0 &&
        static_cast<double>(d.size_bytes) >= ratio * buffers) {
        Finding f = cx.make("database", db, "shared_buffers");
        f.title = fmt::format("shared_buffers is {} for a database of about {}",
                              text::bytes(buffers), text::bytes(static_cast<double>(d.size_bytes)));
        f.evidence.add("shared_buffers_bytes", buffers)
            .add("database_bytes", d.size_bytes)
            .add("db_buffers_ratio", ratio);
        f.recommendation =
            "Give shared_buffers about a quarter of the server's RAM (needs a "
            "restart).";
        f.fix_sql =
            "-- about 25% of RAM; takes effect after a restart\n"
            "ALTER SYSTEM SET shared_buffers = '2GB';";
        f.undo_sql = "ALTER SYSTEM RESET shared_buffers;";
        f.impact = static_cast<double>(d.size_bytes);
        f.impact_unit = "bytes";
        cx.add(std::move(f));
    }
}

// OPS-14: the database's buffer cache hit ratio since the statistics reset, over at least the
// minimum block accesses: low below the threshold (PgHero's 99 %), medium below the second.
void cache_hit_ratio(RuleContext &cx) {
    const catalog::Database &d = cx.catalog().database;
    if (d.blks_hit < 0 || d.blks_read < 0) {
        cx.skip("block statistics are not readable");
        return;
    }
    double min_pct = cx.threshold("cache_hit_ratio_min_pct");
    double medium_pct = cx.threshold("cache_hit_ratio_medium_pct");
    double min_blocks = cx.threshold("cache_hit_ratio_min_blocks");
    double total = static_cast<double>(d.blks_hit + d.blks_read);
    if (total < min_blocks || total == 0) return;
    double pct = 100 * static_cast<double>(d.blks_hit) / total;
    if (pct >= min_pct) return;
    Finding f = cx.make("database", database_object(cx.catalog()), "");
    if (pct < medium_pct) f.severity = raise(f.severity);
    f.title = fmt::format("Only {:.2f}% of block reads were served from shared buffers", pct);
    f.evidence.add("blks_hit", d.blks_hit)
        .add("blks_read", d.blks_read)
        .add("hit_pct", pct)
        .add("min_pct", min_pct)
        .add("shared_buffers", d.setting("shared_buffers"));
    f.recommendation =
        "Find the tables read from disk (pg_statio_user_tables): add the "
        "indexes their scans need, or give shared_buffers more memory.";
    f.why = "Each block read that misses shared buffers goes to the OS cache or the disk.";
    f.impact = 100 - pct;
    f.impact_unit = "%";
    cx.add(std::move(f));
}

namespace {

struct MajorRelease {
    int major;
    catalog::Micros end_of_life;  // final release date, microseconds since the epoch
};

// Final minor releases per the PostgreSQL versioning policy (five years after the first).
constexpr catalog::Micros kDay = 86400LL * 1000000;
constexpr MajorRelease kReleases[] = {
    {12, 20048 * kDay},  // 2024-11-21
    {13, 20405 * kDay},  // 2025-11-13
    {14, 20769 * kDay},  // 2026-11-12
    {15, 21133 * kDay},  // 2027-11-11
    {16, 21497 * kDay},  // 2028-11-09
    {17, 21861 * kDay},  // 2029-11-08
    {18, 22232 * kDay},  // 2030-11-14
};

}  // namespace

// OPS-18: the server's major version is past its end of life (high) or within the threshold in
// months of it (low), or it is a release with a known data-corruption bug (14.0 to 14.3: CREATE
// INDEX CONCURRENTLY and REINDEX CONCURRENTLY could corrupt indexes; high). Whether a newer minor
// release exists cannot be known from the server itself and is not judged.
void version_support(RuleContext &cx) {
    const catalog::Database &d = cx.catalog().database;
    int num = d.server_version_num;
    if (num < 100000) {
        cx.skip("server version unknown or older than 10");
        return;
    }
    int major = num / 10000, minor = num % 10000;
    double warn_months = cx.threshold("version_support_warn_months");
    const std::string db = database_object(cx.catalog());
    const MajorRelease *rel = nullptr;
    for (const MajorRelease &r : kReleases)
        if (r.major == major) rel = &r;
    bool past = major < kReleases[0].major || (rel && d.now >= rel->end_of_life);
    double days_left = rel ? static_cast<double>(rel->end_of_life - d.now) / kDay : -1;
    if (past || (rel && days_left <= warn_months * 30.44)) {
        Finding f = cx.make("database", db, "end_of_life");
        f.severity = past ? Severity::High : lower(f.severity);
        f.title = past ? fmt::format("PostgreSQL {} is no longer supported", major)
                       : fmt::format("PostgreSQL {} reaches its end of life in {:.0f} days", major,
                                     days_left);
        f.evidence.add("server_version", d.server_version)
            .add("major", major)
            .add("days_to_end_of_life", days_left)
            .add("warn_months", warn_months);
        f.recommendation =
            "Plan the upgrade to a supported major version (pg_upgrade, or "
            "logical replication for little downtime).";
        f.why = "Unsupported versions receive no security or data-corruption fixes.";
        f.steps = {"Test the application on the new major version.",
                   "Upgrade with pg_upgrade --link (minutes of downtime) or logical "
                   "replication.",
                   "ANALYZE after the upgrade (statistics are not carried over before 18)."};
        cx.add(std::move(f));
    }
    if (major == 14 && minor < 4) {
        Finding f = cx.make("database", db, "known_bug");
        f.severity = Severity::High;
        f.title =
            fmt::format("PostgreSQL {} can corrupt indexes built CONCURRENTLY", d.server_version);
        f.evidence.add("server_version", d.server_version).add("fixed_in", "14.4");
        f.recommendation =
            "Install the latest 14.x minor release, then rebuild indexes built "
            "or reindexed CONCURRENTLY on 14.0-14.3 (amcheck finds them).";
        f.fix_sql =
            "-- after the minor upgrade, for each affected index:\n"
            "-- REINDEX INDEX CONCURRENTLY <index>;";
        cx.add(std::move(f));
    }
}

namespace {

// View nesting depth: 1 for a view reading only tables, 1 + the deepest view it reads.
// Memoised over view_reads, so each view is computed once.
int view_depth(const catalog::CatalogSnapshot &snap, const catalog::Table &v,
               std::unordered_map<uint32_t, int> &memo) {
    auto it = memo.find(v.oid);
    if (it != memo.end()) return it->second;
    memo[v.oid] = 1;  // guards against cycles
    int depth = 1;
    for (uint32_t oid : v.view_reads)
        if (const catalog::Table *t = snap.table(oid); t && t->relkind == 'v')
            depth = std::max(depth, 1 + view_depth(snap, *t, memo));
    memo[v.oid] = depth;
    return depth;
}

}  // namespace

// OPS-19: disabled user triggers (the behaviour they implement is silently off) and views
// nested deeper than the threshold (pgwatch's 3: hard to plan and to change).
void disabled_triggers_nested_views(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    for (const catalog::Trigger &tg : snap.triggers) {
        const catalog::Table *t = snap.table(tg.table);
        if (t == nullptr || tg.enabled != 'D') continue;
        Finding f = cx.make("trigger", quote_ident(tg.name) + " ON " + t->qualified(), tg.name);
        f.title = fmt::format("Trigger {} on {} is disabled", quote_ident(tg.name), t->qualified());
        f.evidence.add("enabled", "D");
        f.recommendation = "Enable the trigger again, or drop it if its job moved elsewhere.";
        f.fix_sql =
            fmt::format("ALTER TABLE {} ENABLE TRIGGER {};", t->qualified(), quote_ident(tg.name));
        f.undo_sql =
            fmt::format("ALTER TABLE {} DISABLE TRIGGER {};", t->qualified(), quote_ident(tg.name));
        cx.add(std::move(f));
    }
    double max_depth = cx.threshold("disabled_triggers_nested_views_max_depth");
    std::unordered_map<uint32_t, int> memo;
    for (const catalog::Table &v : snap.tables) {
        if (v.relkind != 'v') continue;
        int depth = view_depth(snap, v, memo);
        if (depth <= max_depth) continue;
        Finding f = cx.make("view", v.qualified(), "nesting");
        f.title = fmt::format("View {} is nested {} levels deep", v.qualified(), depth);
        f.evidence.add("depth", int64_t{depth}).add("max_depth", max_depth);
        f.recommendation =
            "Flatten the view onto the tables it needs; deep stacks of views "
            "hide joins the planner must still do.";
        cx.add(std::move(f));
    }
}

// OPS-20: very many schemas or relations (catalog size slows planning caches, pg_dump,
// autovacuum's rounds and connection start-up); thresholds chosen here, no anchor publishes
// numbers.
void schema_object_count(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double max_schemas = cx.threshold("schema_object_count_max_schemas");
    double max_relations = cx.threshold("schema_object_count_max_relations");
    int64_t schemas = 0;
    for (const catalog::Schema &s : snap.schemas)
        schemas += s.system ? 0 : 1;
    const std::string db = database_object(snap);
    if (static_cast<double>(schemas) >= max_schemas) {
        Finding f = cx.make("database", db, "schemas");
        f.title = fmt::format("The database has {} schemas", text::count(schemas));
        f.evidence.add("schemas", schemas).add("max_schemas", max_schemas);
        f.recommendation =
            "Consolidate schema-per-tenant layouts (a tenant column with "
            "row-level security scales further).";
        f.impact = static_cast<double>(schemas);
        cx.add(std::move(f));
    }
    if (snap.database.relation_count >= 0 &&
        static_cast<double>(snap.database.relation_count) >= max_relations) {
        Finding f = cx.make("database", db, "relations");
        f.title = fmt::format("The catalog holds {} relations",
                              text::count(static_cast<double>(snap.database.relation_count)));
        f.evidence.add("relations", snap.database.relation_count)
            .add("tables", snap.database.table_count)
            .add("max_relations", max_relations);
        f.recommendation = "Drop unused tables and partitions; merge small partitions.";
        f.impact = static_cast<double>(snap.database.relation_count);
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::operations
