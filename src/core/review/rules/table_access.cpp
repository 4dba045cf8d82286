// How tables are read and written: IDX-07 seq_scan_hotspot (captured hotspots, else the
// seq-scan ratios of pg_stat_all_tables), IDX-11 hot_update_blocked (updates that cannot be
// HOT), and missing_index (the advisor's verified index recommendations).
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "core/review/rules/index_ddl.h"
#include "core/review/rules/index_rules.h"
#include "core/review/rules/table_facts.h"
#include "core/review/rules/usage_window.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Table;
using workload::HotspotEvidence;
using workload::IndexAdviceEvidence;

std::string join(const std::vector<std::string> &items, const char *sep) {
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : sep) + s;
    return out;
}

// ---- seq_scan_hotspot

struct HotspotLimits {
    double min_rows;
    double min_seq_scans;
    double max_index_share;
    double min_read_fraction;
    double high_bytes;
    double high_time_share;
};

const IndexAdviceEvidence *best_advice(const workload::WorkloadSnapshot &w,
                                       const std::string &relation) {
    const IndexAdviceEvidence *best = nullptr;
    for (const IndexAdviceEvidence &a : w.index_advice)
        if (a.relation == relation && (best == nullptr || a.benefit > best->benefit)) best = &a;
    return best;
}

void report_captured_hotspot(RuleContext &cx, const HotspotEvidence &h, const Table *t,
                             const HotspotLimits &l, ddl::NameRegistry &names) {
    double block = facts::block_size(cx.catalog());
    Finding f = cx.make("table", h.relation, "");
    f.severity =
        h.time_share >= l.high_time_share || (t && facts::table_bytes(*t, block) >= l.high_bytes)
            ? Severity::High
            : Severity::Medium;
    f.title = "Sequential scans of " + h.relation + " discard " +
              facts::human_percent(h.filter_ratio) + " of the rows they read";
    f.evidence.add("seq_scans", h.seq_scans)
        .add("rows_scanned", h.rows_scanned)
        .add("rows_returned", h.rows_returned)
        .add("filter_ratio", h.filter_ratio)
        .add("total_ms", h.total_ms)
        .add("time_share", h.time_share)
        .add("quals", h.quals)
        .add("measured", h.measured)
        .add("source", "captured workload");
    if (t) f.evidence.add("table_rows", facts::table_rows(*t));
    f.queryids = h.queryids;
    f.impact = h.total_ms;
    f.impact_unit = "ms";
    f.current_state = "Seq Scan on " + h.relation + " filtering " +
                      (h.quals.empty() ? std::string("rows") : join(h.quals, " AND "));
    f.why = "Each of these scans reads the whole table to return " +
            facts::human_percent(1 - h.filter_ratio) +
            " of it; an index on the filtered columns reads only the matching rows.";
    const IndexAdviceEvidence *a = best_advice(cx.workload(), h.relation);
    if (a) {
        ddl::IndexFix fix = ddl::recommended_index_fix(*a, t, names);
        f.fix_sql = fix.fix_sql;
        f.fix_key = fix.fix_key;
        f.undo_sql = fix.undo_sql;
        f.recommendation =
            "Create the verified index the advisor recommends for these "
            "statements (estimated cost " +
            facts::human_percent(a->saving_pct / 100) + " lower).";
    } else {
        f.recommendation = "Index the filtered columns (" + join(h.quals, ", ") +
                           "), equality columns first; advisor.recommend_indexes() verifies a "
                           "candidate with the planner.";
    }
    f.verify = "EXPLAIN (ANALYZE) of the statements shows an index scan and fewer rows read.";
    cx.add(std::move(f));
}

void report_stats_hotspot(RuleContext &cx, const Table &t, double rows, double share,
                          const HotspotLimits &l, const UsageWindow &w) {
    double bytes = facts::table_bytes(t, facts::block_size(cx.catalog()));
    double per_scan = static_cast<double>(t.stats.seq_tup_read) / t.stats.seq_scan;
    Finding f = cx.make("table", t.qualified(), "");
    f.severity = bytes >= l.high_bytes ? Severity::High : Severity::Medium;
    f.title = facts::human_count(static_cast<double>(t.stats.seq_scan)) + " sequential scans of " +
              t.qualified() + " (" + facts::human_bytes(bytes) + "), " +
              facts::human_percent(share) + " of its scans use an index";
    f.evidence.add("seq_scans", t.stats.seq_scan)
        .add("seq_tup_read", t.stats.seq_tup_read)
        .add("rows_per_seq_scan", per_scan)
        .add("idx_scans", t.stats.idx_scan)
        .add("index_scan_share", share)
        .add("table_rows", rows)
        .add("table_bytes", bytes)
        .add("stats_window_days", w.days)
        .add("source", cx.workload().available
                           ? "pg_stat_all_tables (no captured statement read the table)"
                           : "pg_stat_all_tables (no captured workload)")
        .add("min_rows", l.min_rows)
        .add("max_index_share", l.max_index_share);
    f.impact = static_cast<double>(t.stats.seq_tup_read);
    f.impact_unit = "rows";
    f.current_state = "seq_scan = " + std::to_string(t.stats.seq_scan) +
                      ", idx_scan = " + std::to_string(std::max<int64_t>(t.stats.idx_scan, 0)) +
                      ", on average " + facts::human_count(per_scan) + " rows read per scan";
    f.recommendation = "Find the statements that scan " + t.qualified() +
                       " (pg_stat_statements, or pg_advisor's capture, which names the filtered "
                       "columns and verifies an index) and index their filter columns.";
    f.why = "Each sequential scan reads about " + facts::human_count(per_scan) +
            " rows; if the statements keep only a few, an index reads just those.";
    f.verify = "seq_scan of " + t.qualified() +
               " in pg_stat_all_tables grows much more slowly after the index.";
    cx.add(std::move(f));
}

}  // namespace

void seq_scan_hotspot(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    HotspotLimits l{cx.threshold("seq_scan_hotspot_min_rows"),
                    cx.threshold("seq_scan_hotspot_min_seq_scans"),
                    cx.threshold("seq_scan_hotspot_max_index_share"),
                    cx.threshold("seq_scan_hotspot_min_read_fraction"),
                    cx.threshold("seq_scan_hotspot_high_bytes"),
                    cx.threshold("seq_scan_hotspot_high_time_share")};
    ddl::NameRegistry names(cat);
    // Tables the captured statements read are judged by them (their filters show whether an
    // index would serve); the cumulative statistics judge the tables no captured statement
    // read (nested statements under pg_advisor.track = top, other clients before capture).
    std::unordered_set<std::string> captured;
    if (cx.workload().available) {
        for (const workload::StatementEvidence &st : cx.workload().statements)
            for (const workload::ScanEvidence &scan : st.scans)
                captured.insert(scan.relation);
        std::unordered_map<std::string, const Table *> by_name = facts::tables_by_name(cat);
        for (const HotspotEvidence &h : cx.workload().hotspots) {
            captured.insert(h.relation);
            auto it = by_name.find(h.relation);
            const Table *t = it == by_name.end() ? nullptr : it->second;
            if (t && (t->extension_member || facts::table_rows(*t) < l.min_rows)) continue;
            report_captured_hotspot(cx, h, t, l, names);
        }
    }
    UsageWindow w = usage_window(cat.database);
    for (const Table &t : cat.tables) {
        if (t.extension_member || (t.relkind != 'r' && t.relkind != 'm') || !t.stats.present ||
            captured.count(t.qualified()))
            continue;
        double rows = facts::table_rows(t);
        const catalog::TableStats &s = t.stats;
        if (rows < l.min_rows || s.seq_scan < l.min_seq_scans || s.seq_scan <= 0) continue;
        double share = static_cast<double>(std::max<int64_t>(s.idx_scan, 0)) /
                       static_cast<double>(s.seq_scan + std::max<int64_t>(s.idx_scan, 0));
        double per_scan = static_cast<double>(s.seq_tup_read) / static_cast<double>(s.seq_scan);
        if (share < l.max_index_share && per_scan >= l.min_read_fraction * rows)
            report_stats_hotspot(cx, t, rows, share, l, w);
    }
}

// ---- hot_update_blocked

namespace {

struct HotLimits {
    double min_updates;
    double max_newpage_share;
    double min_hot_share;
    double medium_updates;
};

double current_fillfactor(const Table &t) {
    for (const std::string &o : t.options)
        if (o.compare(0, 11, "fillfactor=") == 0) return std::atof(o.c_str() + 11);
    return 100;
}

std::vector<std::string> indexed_columns(const Table &t) {
    std::vector<std::string> out;
    for (const catalog::Index &ix : t.indexes) {
        if (ix.am == "brin") continue;  // summarizing: does not block HOT (PG16+)
        for (int16_t a : ix.keys)
            if (a) out.push_back(facts::column_name(t, a));
        for (int16_t a : ix.include)
            out.push_back(facts::column_name(t, a));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void report_hot(RuleContext &cx, const Table &t, const char *cause, double share,
                const HotLimits &l) {
    const catalog::TableStats &s = t.stats;
    bool page_space = std::string(cause) != "indexed_columns";
    double ff = current_fillfactor(t);
    Finding f = cx.make("table", t.qualified(), cause);
    f.severity = s.n_tup_upd >= l.medium_updates ? Severity::Medium : Severity::Low;
    f.evidence.add("n_tup_upd", s.n_tup_upd)
        .add("n_tup_hot_upd", s.n_tup_hot_upd)
        .add("n_tup_newpage_upd", s.n_tup_newpage_upd)
        .add("hot_share", static_cast<double>(s.n_tup_hot_upd) / s.n_tup_upd)
        .add("fillfactor", ff)
        .add("indexed_columns", indexed_columns(t))
        .add("cause", cause);
    f.impact = static_cast<double>(s.n_tup_upd - s.n_tup_hot_upd);
    f.impact_unit = "rows";
    std::string cols = join(indexed_columns(t), ", ");
    if (std::string(cause) == "page_space") {
        f.title = facts::human_percent(share) + " of the updates of " + t.qualified() +
                  " move the row to another page";
    } else if (std::string(cause) == "indexed_columns") {
        f.title = "Only " + facts::human_percent(share) + " of the same-page updates of " +
                  t.qualified() + " are HOT";
    } else {
        f.title = facts::human_count(static_cast<double>(s.n_tup_hot_upd)) + " of " +
                  facts::human_count(static_cast<double>(s.n_tup_upd)) + " updates of " +
                  t.qualified() + " are HOT (" + facts::human_percent(share) + ")";
    }
    f.why =
        "A HOT update writes only the new row version on the same page; any other update "
        "also inserts an entry into every index and leaves more for VACUUM.";
    f.current_state =
        "fillfactor " + std::to_string(static_cast<int>(ff)) + "; indexed columns: " + cols;
    if (page_space && ff > 70) {
        int target = ff >= 100 ? 90 : static_cast<int>(ff) - 10;
        f.fix_sql =
            "ALTER TABLE " + t.qualified() + " SET (fillfactor = " + std::to_string(target) + ");";
        f.undo_sql = ff >= 100
                         ? "ALTER TABLE " + t.qualified() + " RESET (fillfactor);"
                         : "ALTER TABLE " + t.qualified() +
                               " SET (fillfactor = " + std::to_string(static_cast<int>(ff)) + ");";
        f.steps = {"Set the fillfactor (only new pages keep the free space).",
                   "Rewrite existing pages when convenient: pg_repack, or VACUUM FULL in a "
                   "maintenance window (ACCESS EXCLUSIVE lock)."};
    }
    f.recommendation =
        page_space ? "Leave free space in each page (lower fillfactor) so updated rows fit on "
                     "their page, and check whether the updates change indexed columns (" +
                         cols + ")."
                   : "Updates change indexed columns (" + cols +
                         "): drop indexes on columns that are updated often and rarely "
                         "searched, or move those columns out of the indexes.";
    f.verify = "n_tup_hot_upd / n_tup_upd of " + t.qualified() +
               " in pg_stat_all_tables rises for the updates after the change.";
    cx.add(std::move(f));
}

}  // namespace

void hot_update_blocked(RuleContext &cx) {
    HotLimits l{cx.threshold("hot_update_blocked_min_updates"),
                cx.threshold("hot_update_blocked_max_newpage_share"),
                cx.threshold("hot_update_blocked_min_hot_share"),
                cx.threshold("hot_update_blocked_medium_updates")};
    for (const Table &t : cx.catalog().tables) {
        const catalog::TableStats &s = t.stats;
        if (!facts::is_user_table(t) || t.relkind != 'r' || !s.present ||
            s.n_tup_upd < l.min_updates || s.n_tup_hot_upd < 0)
            continue;
        double upd = static_cast<double>(s.n_tup_upd);
        if (s.n_tup_newpage_upd >= 0) {  // PG16+: the two causes apart
            double newpage = static_cast<double>(s.n_tup_newpage_upd);
            if (newpage / upd >= l.max_newpage_share)
                report_hot(cx, t, "page_space", newpage / upd, l);
            double same_page = upd - newpage;
            if (same_page >= l.min_updates && s.n_tup_hot_upd / same_page < l.min_hot_share)
                report_hot(cx, t, "indexed_columns", s.n_tup_hot_upd / same_page, l);
        } else if (s.n_tup_hot_upd / upd < l.min_hot_share) {
            report_hot(cx, t, "hot_share_low", s.n_tup_hot_upd / upd, l);
        }
    }
}

// ---- missing_index

void missing_index(RuleContext &cx) {
    const workload::WorkloadSnapshot &w = cx.workload();
    if (!w.available) {
        cx.skip("no captured workload: " + (w.unavailable_reason.empty()
                                                ? std::string("pg_advisor is not capturing")
                                                : w.unavailable_reason));
        return;
    }
    double high_saving = cx.threshold("missing_index_high_saving_pct");
    double high_calls = cx.threshold("missing_index_high_calls");
    double low_calls = cx.threshold("missing_index_low_calls");
    std::unordered_map<std::string, const Table *> by_name = facts::tables_by_name(cx.catalog());
    ddl::NameRegistry names(cx.catalog());
    for (const IndexAdviceEvidence &a : w.index_advice) {
        auto it = by_name.find(a.relation);
        const Table *t = it == by_name.end() ? nullptr : it->second;
        std::string identity = "(" + join(a.key_columns, ", ") + ")";
        if (!a.include_columns.empty())
            identity += " INCLUDE (" + join(a.include_columns, ", ") + ")";
        if (!a.predicate.empty()) identity += " WHERE " + a.predicate;
        Finding f = cx.make("table", a.relation, identity);
        f.severity = a.saving_pct >= high_saving && a.calls >= high_calls ? Severity::High
                     : a.calls < low_calls                                ? Severity::Low
                                                                          : Severity::Medium;
        f.title = "Index " + a.relation + " " + identity + " would make " +
                  facts::human_count(a.calls) + " calls " +
                  facts::human_percent(a.saving_pct / 100) + " cheaper";
        f.evidence.add("key_columns", a.key_columns)
            .add("include_columns", a.include_columns)
            .add("predicate", a.predicate)
            .add("est_size_bytes", a.est_size_bytes)
            .add("calls", a.calls)
            .add("cost_before", a.cost_before)
            .add("cost_after", a.cost_after)
            .add("saving_pct", a.saving_pct)
            .add("benefit", a.benefit)
            .add("recommendation_key", a.recommendation_key)
            .add("reason", a.reason);
        ddl::IndexFix fix = ddl::recommended_index_fix(a, t, names);
        f.fix_sql = fix.fix_sql;
        f.fix_key = fix.fix_key;
        f.undo_sql = fix.undo_sql;
        f.queryids = a.queryids;
        f.impact = a.benefit;
        f.impact_unit = "cost";
        f.recommendation =
            "Create the index: what-if planning with it cut the estimated cost of "
            "the statements it serves from " +
            facts::human_count(a.cost_before) + " to " + facts::human_count(a.cost_after) + ".";
        f.why = a.reason;
        f.steps = {"Run the CREATE INDEX outside a transaction block (CONCURRENTLY).",
                   "ANALYZE the table afterwards so the planner knows the new index's size."};
        f.verify =
            "EXPLAIN of the statements (queryids in the evidence) uses the new index, "
            "and their mean time in pg_stat_statements falls.";
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::rules
