// Operations rules about vacuum, freezing and planner statistics (OPS-07, 08, 09, 11, 12 of the
// catalogue), over the relation family's tables (Table::stats, reltuples, options, xid_age).
// Per-table storage options override the server's autovacuum settings, as autovacuum does.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/review/rules/operations_rules.h"
#include "core/review/rules/relation_facts.h"
#include "core/review/rules/rule_text.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::operations {

using catalog::Table;

namespace {

constexpr double kWraparoundLimit = 2147483648.0;  // 2^31 transactions (or multixacts)

bool has_heap(const Table &t) {
    return t.relkind == 'r' || t.relkind == 'm';
}

// A server setting, overridden by the table's storage option of the same name.
double table_setting(const catalog::CatalogSnapshot &snap, const Table &t, const std::string &name,
                     double fallback) {
    return relation::reloption_number(t, name, snap.database.setting_number(name, fallback));
}

bool autovacuum_on(const catalog::CatalogSnapshot &snap, const Table &t) {
    return snap.database.setting("autovacuum", "on") == "on" &&
           snap.database.setting("track_counts", "on") == "on" &&
           relation::reloption_bool(t, "autovacuum_enabled", true);
}

}  // namespace

// OPS-07: dead tuples above the table's own autovacuum trigger (threshold + scale factor x
// reltuples, per-table options honoured, as pg-extras' vacuum-stats computes it), at least the
// minimum count, and no vacuum for at least the threshold in minutes. High when autovacuum is
// off for the table or the dead tuples reach the high factor times the trigger.
void vacuum_lag(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_dead = cx.threshold("vacuum_lag_min_dead_tuples");
    double min_minutes = cx.threshold("vacuum_lag_min_minutes");
    double high_factor = cx.threshold("vacuum_lag_high_factor");
    for (const Table &t : snap.tables) {
        if (!has_heap(t) || !t.stats.present || t.stats.n_dead_tup < 0) continue;
        double dead = static_cast<double>(t.stats.n_dead_tup);
        double base = table_setting(snap, t, "autovacuum_vacuum_threshold", 50);
        double scale = table_setting(snap, t, "autovacuum_vacuum_scale_factor", 0.2);
        double rows = std::max(t.reltuples, 0.0);
        double trigger = base + scale * rows;
        if (dead <= trigger || dead < min_dead) continue;
        catalog::Micros last = std::max(t.stats.last_autovacuum, t.stats.last_vacuum);
        double since = seconds_since(snap, last);
        if (last > 0 && since < min_minutes * 60) continue;
        bool enabled = autovacuum_on(snap, t);
        Finding f = cx.make("table", t.qualified(), "");
        if (!enabled || dead >= high_factor * trigger) f.severity = raise(f.severity);
        f.title = fmt::format("Table {} has {} dead tuples, above its autovacuum trigger of {}",
                              t.qualified(), text::count(dead), text::count(trigger));
        f.evidence.add("dead_tuples", dead)
            .add("live_tuples", static_cast<double>(t.stats.n_live_tup))
            .add("reltuples", t.reltuples)
            .add("autovacuum_trigger", trigger)
            .add("vacuum_threshold", base)
            .add("vacuum_scale_factor", scale)
            .add("autovacuum_enabled", enabled)
            .add("last_vacuum_seconds_ago", since)
            .add("min_dead_tuples", min_dead)
            .add("min_minutes", min_minutes);
        f.current_state = fmt::format(
            "{} dead tuples; autovacuum starts at {} ({} + {} x {} rows); last vacuum: {}.",
            text::count(dead), text::count(trigger), text::count(base), scale, text::count(rows),
            last > 0 ? text::duration(since) + " ago" : "never");
        std::string q = t.qualified();
        if (!relation::reloption_bool(t, "autovacuum_enabled", true)) {
            f.recommendation =
                "Autovacuum is disabled for this table: enable it again and "
                "vacuum now.";
            f.fix_sql = fmt::format("ALTER TABLE {} RESET (autovacuum_enabled);", q);
            f.undo_sql = fmt::format("ALTER TABLE {} SET (autovacuum_enabled = false);", q);
            f.steps = {"Enable autovacuum for the table (fix_sql).",
                       fmt::format("Vacuum it now, as a statement of its own: VACUUM (VERBOSE, "
                                   "ANALYZE) {};",
                                   q)};
        } else {
            f.recommendation =
                "Vacuum the table now; if autovacuum keeps falling behind, make "
                "it start earlier for this table and let it work faster.";
            f.fix_sql = fmt::format("VACUUM (VERBOSE, ANALYZE) {};", q);
            f.steps = {
                "Check nothing holds the xmin horizon (xmin_horizon_held), or vacuum "
                "cannot remove them.",
                "Run the fix; VACUUM does not block reads or writes."};
            if (rows >= 1e6 && scale > 0.02) {
                auto old = relation::reloption(t, "autovacuum_vacuum_scale_factor");
                f.steps.push_back(fmt::format(
                    "Make autovacuum start earlier on this large table: ALTER TABLE {} SET "
                    "(autovacuum_vacuum_scale_factor = 0.01); (undo: {})",
                    q,
                    old ? fmt::format("ALTER TABLE {} SET (autovacuum_vacuum_scale_factor = {});",
                                      q, *old)
                        : fmt::format("ALTER TABLE {} RESET (autovacuum_vacuum_scale_factor);",
                                      q)));
            }
        }
        f.why =
            "Dead tuples take space and slow every scan until vacuum removes them; index "
            "scans also visit them.";
        f.verify = fmt::format(
            "SELECT n_dead_tup, last_vacuum FROM pg_stat_all_tables WHERE "
            "relid = {}::regclass;",
            catalog::quote_literal(q));
        f.impact = dead;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

namespace {

struct AgeThresholds {
    double min_pct, high_pct, critical_pct, freeze_factor;
};

// Severity for an age against the 2^31 limit and the freeze age, or nothing below both.
std::optional<Severity> age_severity(double age, double freeze_max, const AgeThresholds &th) {
    double pct = 100 * age / kWraparoundLimit;
    if (pct >= th.critical_pct) return Severity::Critical;
    if (pct >= th.high_pct) return Severity::High;
    if (pct >= th.min_pct || (freeze_max > 0 && age >= th.freeze_factor * freeze_max))
        return Severity::Medium;
    return std::nullopt;
}

struct AgeRule {
    const char *prefix;          // threshold prefix: "xid_wraparound"
    const char *counter;         // "transaction IDs", "multixact IDs"
    const char *freeze_setting;  // autovacuum_freeze_max_age, ...
    double freeze_default;
    int64_t Table::*table_age;
    int64_t catalog::Database::*database_age;
};

void report_age(RuleContext &cx, const AgeRule &rule, std::string type, std::string object,
                double age, double freeze_max, std::optional<Severity> sev, std::string fix) {
    Finding f = cx.make(std::move(type), object, "");
    f.severity = *sev;
    double pct = 100 * age / kWraparoundLimit;
    f.title =
        fmt::format("{} has used {:.1f}% of its {} before wraparound", object, pct, rule.counter);
    f.evidence.add("age", age)
        .add("used_pct", pct)
        .add("wraparound_limit", kWraparoundLimit)
        .add(rule.freeze_setting, freeze_max)
        .add("past_freeze_max_age", age >= freeze_max);
    f.current_state = fmt::format("age {} of 2,147,483,648; autovacuum forces a freeze from {}.",
                                  text::count(age), text::count(freeze_max));
    f.recommendation =
        "Freeze the oldest tables now and make sure nothing blocks vacuum "
        "(long transactions, prepared transactions, replication slots).";
    f.why =
        "At the limit the server stops assigning new IDs and refuses writes until the "
        "database is vacuumed.";
    f.fix_sql = std::move(fix);
    f.steps = {"Check xmin_horizon_held: nothing may hold back the freeze.",
               "Run the VACUUM (FREEZE); raise autovacuum_vacuum_cost_limit if autovacuum is "
               "slow to finish."};
    f.impact = age;
    f.impact_unit = rule.counter;
    cx.add(std::move(f));
}

void run_age_rule(RuleContext &cx, const AgeRule &rule) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    std::string p = rule.prefix;
    AgeThresholds th{cx.threshold(p + "_min_pct"), cx.threshold(p + "_high_pct"),
                     cx.threshold(p + "_critical_pct"), cx.threshold(p + "_freeze_factor")};
    double server_freeze = snap.database.setting_number(rule.freeze_setting, rule.freeze_default);
    for (const Table &t : snap.tables) {
        double age = static_cast<double>(t.*rule.table_age);
        if (age < 0 || !has_heap(t)) continue;
        // A table can only make the freeze age smaller than the server's.
        double freeze = std::min(server_freeze,
                                 relation::reloption_number(t, rule.freeze_setting, server_freeze));
        if (auto sev = age_severity(age, freeze, th))
            report_age(cx, rule, "table", t.qualified(), age, freeze, sev,
                       fmt::format("VACUUM (FREEZE, VERBOSE) {};", t.qualified()));
    }
    double db_age = static_cast<double>(snap.database.*rule.database_age);
    if (db_age >= 0)
        if (auto sev = age_severity(db_age, server_freeze, th))
            report_age(cx, rule, "database", catalog::quote_ident(snap.database.name), db_age,
                       server_freeze, sev,
                       "VACUUM (FREEZE, VERBOSE);  -- every table of the database; or "
                       "vacuumdb --freeze --min-xid-age");
}

}  // namespace

// OPS-08: frozen-XID age of tables (TOAST included: Table::xid_age is the larger of the two)
// and of the database: medium from the first threshold (30 % of 2^31, PgHero's "less than 1.5
// billion left") or from the freeze factor times autovacuum_freeze_max_age (the forced freeze is
// not finishing), high from 50 % (postgres-checkup's P1), critical from the third threshold.
void xid_wraparound(RuleContext &cx) {
    run_age_rule(cx, {"xid_wraparound", "transaction IDs", "autovacuum_freeze_max_age", 200000000,
                      &Table::xid_age, &catalog::Database::xid_age});
}

// OPS-09: the same for multixact IDs (relminmxid / datminmxid) against
// autovacuum_multixact_freeze_max_age.
void multixact_wraparound(RuleContext &cx) {
    run_age_rule(cx,
                 {"multixact_wraparound", "multixact IDs", "autovacuum_multixact_freeze_max_age",
                  400000000, &Table::mxid_age, &catalog::Database::mxid_age});
}

// OPS-11: planner statistics that do not describe the table: never analysed although it holds
// at least the minimum rows, or modified since the last analyse by at least the threshold share
// of its rows (and the minimum rows) with that analyse at least the threshold in hours ago.
// High from the large-table threshold.
void stale_statistics(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_rows = cx.threshold("stale_statistics_min_rows");
    double min_pct = cx.threshold("stale_statistics_min_mod_pct");
    double min_hours = cx.threshold("stale_statistics_min_hours");
    double high_rows = cx.threshold("stale_statistics_high_rows");
    for (const Table &t : snap.tables) {
        if (!has_heap(t) || !t.stats.present) continue;
        double rows = std::max(t.reltuples, static_cast<double>(t.stats.n_live_tup));
        double mods = static_cast<double>(t.stats.n_mod_since_analyze);
        catalog::Micros last = std::max(t.stats.last_analyze, t.stats.last_autoanalyze);
        double since = seconds_since(snap, last);
        bool never = last == 0 && rows >= min_rows;
        bool stale = last > 0 && mods >= min_rows && mods >= min_pct / 100 * std::max(rows, 1.0) &&
                     since >= min_hours * 3600;
        if (!never && !stale) continue;
        Finding f = cx.make("table", t.qualified(), "");
        if (rows >= high_rows) f.severity = raise(f.severity);
        f.title = never ? fmt::format("Table {} ({} rows) has never been analysed", t.qualified(),
                                      text::count(rows))
                        : fmt::format("Table {} changed {} rows since its last analyse {} ago",
                                      t.qualified(), text::count(mods), text::duration(since));
        f.evidence.add("rows", rows)
            .add("modified_since_analyze", mods)
            .add("never_analyzed", never)
            .add("last_analyze_seconds_ago", since)
            .add("min_rows", min_rows)
            .add("min_mod_pct", min_pct)
            .add("autovacuum_enabled", autovacuum_on(snap, t));
        f.recommendation =
            "Analyse the table; if autoanalyze does not keep up, lower its "
            "analyze scale factor.";
        f.why =
            "The planner estimates row counts from these statistics; stale ones choose "
            "wrong join orders and scan types.";
        f.fix_sql = fmt::format("ANALYZE VERBOSE {};", t.qualified());
        f.verify = fmt::format(
            "SELECT last_analyze, n_mod_since_analyze FROM pg_stat_all_tables "
            "WHERE relid = {}::regclass;",
            catalog::quote_literal(t.qualified()));
        f.impact = never ? rows : mods;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

namespace {

struct HeapEstimate {
    double row_bytes = 0;  // tuple header + data, aligned
    double expected_pages = 0;
    bool known = false;
};

// Pages the table would need when packed: rows of (aligned header + average data width) plus a
// 4-byte line pointer, on pages of block_size - 24 filled to the fillfactor. Average widths are
// pg_stats' (non-null values), weighted by the non-null share. Alignment padding between
// columns and TOASTed data are not counted, so the estimate errs towards less bloat.
HeapEstimate estimate_heap(const Table &t, double block) {
    HeapEstimate e;
    if (t.columns.empty() || t.reltuples < 0) return e;
    double width = 0;
    bool nullable = false;
    for (const catalog::Column &c : t.columns) {
        if (!c.stats.present) return e;  // not analysed (or not visible): no estimate
        width += c.stats.avg_width * (1 - c.stats.null_frac);
        nullable = nullable || c.stats.null_frac > 0;
    }
    auto align8 = [](double v) { return std::ceil(v / 8) * 8; };
    double header = align8(23 + (nullable ? std::ceil(t.columns.size() / 8.0) : 0));
    e.row_bytes = align8(header + width);
    double fill = relation::reloption_number(t, "fillfactor", 100) / 100;
    double per_page = std::max(1.0, std::floor((block - 24) * fill / (e.row_bytes + 4)));
    e.expected_pages = std::ceil(t.reltuples / per_page);
    e.known = true;
    return e;
}

}  // namespace

// OPS-10: heap space the rows do not use, estimated from reltuples, relpages and the columns'
// average widths (no pgstattuple scan): at least the threshold share of the table's pages and
// the threshold size (postgres-checkup's 40 % / 90 %, pgFirstAid's 100 MB). High from the
// second share.
void table_bloat(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_pct = cx.threshold("table_bloat_min_pct");
    double high_pct = cx.threshold("table_bloat_high_pct");
    double min_mb = cx.threshold("table_bloat_min_mb");
    double block = snap.database.setting_number("block_size", 8192);
    for (const Table &t : snap.tables) {
        if (!has_heap(t) || t.relpages < 1) continue;
        HeapEstimate e = estimate_heap(t, block);
        if (!e.known) continue;
        double wasted = t.relpages - e.expected_pages;
        double pct = 100 * wasted / t.relpages;
        double bytes = wasted * block;
        if (pct < min_pct || bytes < min_mb * 1024 * 1024) continue;
        Finding f = cx.make("table", t.qualified(), "");
        if (pct >= high_pct) f.severity = raise(f.severity);
        f.title = fmt::format("Table {} is about {:.0f}% empty space ({})", t.qualified(), pct,
                              text::bytes(bytes));
        f.evidence.add("estimated", true)
            .add("pages", t.relpages)
            .add("expected_pages", e.expected_pages)
            .add("bloat_bytes", bytes)
            .add("bloat_pct", pct)
            .add("rows", t.reltuples)
            .add("row_bytes", e.row_bytes)
            .add("min_pct", min_pct)
            .add("min_mb", min_mb);
        f.current_state = fmt::format(
            "{} pages hold {} rows of about {} bytes; packed they would "
            "need about {} pages.",
            text::count(t.relpages), text::count(t.reltuples), text::count(e.row_bytes),
            text::count(e.expected_pages));
        f.recommendation =
            "Rewrite the table online with pg_repack (or VACUUM FULL in a "
            "maintenance window), then keep autovacuum ahead of the deletes.";
        f.why =
            "Scans read the empty space too, and it stays allocated: plain VACUUM makes it "
            "reusable but does not return it.";
        f.fix_sql = fmt::format(
            "-- takes an ACCESS EXCLUSIVE lock for the whole rewrite; "
            "pg_repack does the same online\nVACUUM (FULL, VERBOSE, ANALYZE) "
            "{};",
            t.qualified());
        f.steps = {
            "Confirm with pgstattuple_approx() if installed (the estimate ignores "
            "alignment and TOAST).",
            "Rewrite with pg_repack, or VACUUM FULL during a maintenance window.",
            "Check vacuum_lag for the table so the space is reused next time."};
        f.impact = bytes;
        f.impact_unit = "bytes";
        cx.add(std::move(f));
    }
}

// OPS-12: the server's autovacuum settings left at their defaults (vacuum scale factor 0.1 or
// more; cost limit 200) while tables have at least the threshold rows and no options of their
// own: a 0.2 scale factor lets such a table collect a fifth of its rows as dead tuples first.
// Medium when the cost limit is also the default.
void autovacuum_untuned(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_rows = cx.threshold("autovacuum_untuned_min_rows");
    double scale = snap.database.setting_number("autovacuum_vacuum_scale_factor", 0.2);
    double cost = snap.database.setting_number("autovacuum_vacuum_cost_limit", -1);
    if (cost < 0) cost = snap.database.setting_number("vacuum_cost_limit", 200);
    if (scale < 0.1) return;
    std::vector<std::string> big;
    std::string fix, undo;
    for (const Table &t : snap.tables) {
        if (!has_heap(t) || t.reltuples < min_rows) continue;
        if (relation::reloption(t, "autovacuum_vacuum_scale_factor") ||
            relation::reloption(t, "autovacuum_vacuum_threshold"))
            continue;
        big.push_back(fmt::format("{} ({} rows)", t.qualified(), text::count(t.reltuples)));
        fix += fmt::format(
            "ALTER TABLE {} SET (autovacuum_vacuum_scale_factor = 0.01, "
            "autovacuum_analyze_scale_factor = 0.005);\n",
            t.qualified());
        undo += fmt::format(
            "ALTER TABLE {} RESET (autovacuum_vacuum_scale_factor, "
            "autovacuum_analyze_scale_factor);\n",
            t.qualified());
    }
    if (big.empty()) return;
    Finding f = cx.make("database", catalog::quote_ident(snap.database.name), "");
    if (cost <= 200) {
        f.severity = raise(f.severity);
        f.steps.push_back(
            "Let autovacuum work faster, as statements of their own: ALTER SYSTEM "
            "SET autovacuum_vacuum_cost_limit = 1000; SELECT pg_reload_conf(); "
            "(undo: ALTER SYSTEM RESET autovacuum_vacuum_cost_limit;)");
    }
    f.title = fmt::format("Autovacuum runs with default settings on {} large table{}", big.size(),
                          big.size() == 1 ? "" : "s");
    f.evidence.add("autovacuum_vacuum_scale_factor", scale)
        .add("effective_cost_limit", cost)
        .add("autovacuum_max_workers", snap.database.setting_number("autovacuum_max_workers", 3))
        .add("large_tables", big)
        .add("min_rows", min_rows);
    f.recommendation =
        "Give large tables their own, smaller scale factors and let autovacuum "
        "do more work per round.";
    f.why =
        "With a 0.2 scale factor a table of 100 million rows waits for 20 million dead "
        "tuples before autovacuum starts, then vacuums for hours at the default cost limit.";
    f.fix_sql = fix;
    f.undo_sql = undo;
    cx.add(std::move(f));
}

}  // namespace pg_advisor::review::operations
