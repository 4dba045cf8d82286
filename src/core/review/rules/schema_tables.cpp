// Tables as a whole: SCH-13 unlogged_table, SCH-15 wide_or_degenerate_table, SCH-18
// unused_or_empty_table.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/review/rules/table_facts.h"
#include "core/review/rules/schema_rules.h"
#include "core/review/rules/usage_window.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Column;
using catalog::Table;

constexpr double kMicrosPerDay = 86400.0 * 1e6;

}  // namespace

void unlogged_table(RuleContext &cx) {
    double min_rows = cx.threshold("unlogged_table_min_rows");
    double block = facts::block_size(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        if (!facts::is_user_table(t) || t.persistence != 'u') continue;
        double rows = facts::table_rows(t);
        Finding f = cx.make("table", t.qualified(), "");
        f.severity = rows < min_rows ? Severity::Low : Severity::Medium;
        f.title = "Table " + t.qualified() + " is UNLOGGED";
        f.evidence.add("table_rows", rows)
            .add("table_bytes", facts::table_bytes(t, block))
            .add("min_rows", min_rows);
        f.recommendation =
            "Keep it unlogged only if its content can be rebuilt (cache, staging "
            "data); otherwise make it LOGGED.";
        f.why =
            "An unlogged table is emptied after a crash or an immediate shutdown, and it is "
            "neither replicated to standbys nor included in WAL-based backups.";
        if (t.relkind == 'r') {
            f.fix_sql = "ALTER TABLE " + t.qualified() + " SET LOGGED;";
            f.undo_sql = "ALTER TABLE " + t.qualified() + " SET UNLOGGED;";
            f.steps = {
                "SET LOGGED rewrites the table into the WAL under an ACCESS EXCLUSIVE lock "
                "(" +
                facts::human_bytes(facts::table_bytes(t, block)) + "): run it in a quiet period."};
        }
        f.impact = rows;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

// ---- wide_or_degenerate_table

namespace {

struct WideLimits {
    double max_columns;
    double high_columns;
    double min_repeats;
};

// Columns named <prefix><number> (phone1, phone2, ...) grouped by prefix.
std::map<std::string, std::vector<std::string>> numbered_columns(const Table &t) {
    std::map<std::string, std::vector<std::string>> out;
    for (const Column &c : t.columns) {
        size_t end = c.name.size();
        while (end > 0 && c.name[end - 1] >= '0' && c.name[end - 1] <= '9')
            end--;
        if (end == c.name.size() || end == 0) continue;
        std::string prefix = c.name.substr(0, end);
        if (prefix.back() == '_') prefix.pop_back();
        if (!prefix.empty()) out[prefix].push_back(c.name);
    }
    return out;
}

bool all_nullable_but_key(const Table &t) {
    std::vector<int16_t> key;
    for (const catalog::Index &ix : t.indexes)
        if (ix.primary) key = ix.keys;
    size_t others = 0;
    for (const Column &c : t.columns) {
        if (std::find(key.begin(), key.end(), c.attnum) != key.end()) continue;
        if (c.not_null) return false;
        others++;
    }
    return others >= 3;
}

// One finding per smell; numbered columns are one per prefix ("repeating_columns:phone").
void add_wide(RuleContext &cx, const Table &t, const char *code, Severity s, std::string title,
              std::string recommendation, std::vector<std::string> columns = {},
              const std::string &prefix = "") {
    Finding f = cx.make("table", t.qualified(), prefix.empty() ? code : code + (":" + prefix));
    f.severity = s;
    f.title = std::move(title);
    f.recommendation = std::move(recommendation);
    f.evidence.add("smell", code)
        .add("columns", static_cast<int64_t>(t.columns.size()))
        .add("table_rows", facts::table_rows(t));
    if (!columns.empty()) f.evidence.add("column_names", columns);
    cx.add(std::move(f));
}

}  // namespace

void wide_or_degenerate_table(RuleContext &cx) {
    WideLimits l{cx.threshold("wide_or_degenerate_table_max_columns"),
                 cx.threshold("wide_or_degenerate_table_high_columns"),
                 cx.threshold("wide_or_degenerate_table_min_repeats")};
    for (const Table &t : cx.catalog().tables) {
        if (!facts::is_designed_table(t)) continue;
        double n = static_cast<double>(t.columns.size());
        if (n > l.max_columns)
            add_wide(
                cx, t, "wide", n > l.high_columns ? Severity::Medium : Severity::Low,
                "Table " + t.qualified() + " has " + std::to_string(t.columns.size()) + " columns",
                "Split rarely used or optional groups of columns into 1:1 side tables: "
                "every row version carries all columns, so updates and scans pay for them.");
        if (n <= 1)
            add_wide(cx, t, "degenerate", Severity::Info,
                     "Table " + t.qualified() + " has " + std::to_string(t.columns.size()) +
                         (n == 1 ? " column" : " columns"),
                     "Check that the table is still needed, or fold it into the table it "
                     "belongs to.");
        for (auto &g : numbered_columns(t))
            if (static_cast<double>(g.second.size()) >= l.min_repeats)
                add_wide(cx, t, "repeating_columns", Severity::Low,
                         "Table " + t.qualified() + " repeats a column as " + g.second.front() +
                             ", " + g.second[1] + ", ...",
                         "Move the repeated values into a child table (one row per value) or an "
                         "array: numbered columns cap the count and make queries list them all.",
                         g.second, g.first);
        if (all_nullable_but_key(t))
            add_wide(cx, t, "all_nullable", Severity::Info,
                     "Every column of " + t.qualified() + " outside the primary key is nullable",
                     "Declare NOT NULL on the columns every row must have: the constraint "
                     "documents the data and lets the planner and the application rely on it.");
    }
}

// ---- unused_or_empty_table

namespace {

struct UnusedTableLimits {
    double window_days;
    double medium_bytes;
};

void report_unused_table(RuleContext &cx, const Table &t, const UsageWindow &w, bool never,
                         int64_t writes, const UnusedTableLimits &l) {
    double bytes = facts::table_bytes(t, facts::block_size(cx.catalog()));
    double rows = facts::table_rows(t);
    bool empty = rows <= 0 && t.relpages <= 0;
    catalog::Micros last = std::max(t.stats.last_seq_scan, t.stats.last_idx_scan);
    Finding f = cx.make("table", t.qualified(), "");
    f.severity = writes > 0 || empty       ? Severity::Info
                 : bytes >= l.medium_bytes ? Severity::Medium
                                           : Severity::Low;
    f.title =
        never ? "Table " + t.qualified() + " was not read in " + w.describe()
              : "Table " + t.qualified() + " has not been read since " + facts::human_time(last);
    if (empty) f.title += " and is empty";
    if (writes > 0) f.title += ", only written";
    f.evidence.add("seq_scans", t.stats.seq_scan)
        .add("idx_scans", t.stats.idx_scan)
        .add("writes", writes)
        .add("table_rows", rows)
        .add("table_bytes", bytes)
        .add("stats_window_days", w.days)
        .add("stats_since", facts::human_time(w.start))
        .add("min_window_days", l.window_days);
    if (last) f.evidence.add("last_read", facts::human_time(last));
    f.recommendation = writes > 0 ? "Nothing reads it: if it is an audit or log table, fine; "
                                    "otherwise stop writing it and drop it."
                                  : "Nothing reads or writes it: confirm with its owners (and "
                                    "on standbys, which count their own reads), then archive and "
                                    "drop it.";
    f.why =
        "An unused table still costs backups, VACUUM and freezing, and it confuses readers "
        "of the schema.";
    f.steps = {
        "Check the standbys' pg_stat_all_tables and jobs that run less often than the "
        "window.",
        "Revoke the application's privileges on it first: anything still using it fails "
        "loudly and can be restored with a GRANT.",
        "Dump it (pg_dump -t) before DROP TABLE."};
    f.impact = bytes;
    f.impact_unit = "bytes";
    cx.add(std::move(f));
}

}  // namespace

void unused_or_empty_table(RuleContext &cx) {
    UsageWindow w;
    if (!require_usage_window(cx, "unused_or_empty_table_min_window_days", &w)) return;
    UnusedTableLimits l{cx.threshold("unused_or_empty_table_min_window_days"),
                        cx.threshold("unused_or_empty_table_medium_bytes")};
    int64_t now = cx.catalog().database.now;
    for (const Table &t : cx.catalog().tables) {
        const catalog::TableStats &s = t.stats;
        if (t.extension_member || t.is_partition || (t.relkind != 'r' && t.relkind != 'm') ||
            !s.present || s.seq_scan < 0)
            continue;
        bool never = s.seq_scan == 0 && s.idx_scan <= 0;
        catalog::Micros last = std::max(s.last_seq_scan, s.last_idx_scan);
        bool idle = last > 0 && static_cast<double>(now - last) >= l.window_days * kMicrosPerDay;
        if (never || idle) report_unused_table(cx, t, w, never, facts::writes(t), l);
    }
}

}  // namespace pg_advisor::review::rules
