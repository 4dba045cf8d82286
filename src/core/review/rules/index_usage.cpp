// IDX-04 unused_index and IDX-05 low_value_index: indexes the workload does not read (or
// reads far less than it pays for them on writes), judged on cumulative scan counters over a
// statistics window long enough to mean something (usage_window.h).
//
// Never candidates: indexes that enforce something (primary key, unique, exclusion, any
// constraint), the replica identity, the only index covering a foreign key, indexes not valid
// or being built, indexes of extensions' tables, and access methods outside core (their
// idx_scan may not count). A partition's index attached to a partitioned index is judged with
// its siblings, as the partitioned index (the only one that can be dropped).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/review/rules/index_ddl.h"
#include "core/review/rules/index_rules.h"
#include "core/review/rules/table_facts.h"
#include "core/review/rules/usage_window.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Index;
using catalog::Table;

constexpr double kMicrosPerDay = 86400.0 * 1e6;

bool builtin_am(const std::string &am) {
    return am == "btree" || am == "hash" || am == "gist" || am == "gin" || am == "spgist" ||
           am == "brin";
}

bool enforces_something(const Index &ix) {
    return ix.unique || ix.primary || ix.exclusion || ix.constraint_oid != 0 || ix.replica_identity;
}

// Indexes that are the only usable cover of some foreign key.
std::unordered_set<uint32_t> sole_fk_indexes(const catalog::CatalogSnapshot &cat) {
    std::unordered_map<uint32_t, std::vector<const catalog::Constraint *>> fks;
    for (const catalog::Constraint &c : cat.constraints)
        if (c.type == 'f' && !c.columns.empty()) fks[c.table].push_back(&c);
    std::unordered_set<uint32_t> out;
    for (const Table &t : cat.tables) {
        auto it = fks.find(t.oid);
        if (it == fks.end()) continue;
        facts::LookupCoverage coverage(t);
        for (const catalog::Constraint *fk : it->second) {
            const std::vector<const Index *> &c = coverage.covering(fk->columns);
            if (c.size() == 1) out.insert(c[0]->oid);
        }
    }
    return out;
}

// What the counters say about one droppable index (a partitioned index: summed over the
// partitions' indexes attached to it).
struct Usage {
    const Table *table = nullptr;
    const Index *index = nullptr;
    int64_t scans = 0;
    bool known = true;
    double bytes = 0;
    catalog::Micros last_scan = 0;
    int partitions = 0;
};

void add_part(Usage &u, const Index &ix, double block) {
    if (ix.scans < 0) u.known = false;
    u.scans += std::max<int64_t>(ix.scans, 0);
    u.bytes += facts::index_bytes(ix, block);
    u.last_scan = std::max(u.last_scan, ix.last_scan);
}

// Droppable indexes with their usage, in snapshot order.
std::vector<Usage> droppable_usage(const catalog::CatalogSnapshot &cat) {
    double block = facts::block_size(cat);
    std::unordered_set<uint32_t> sole_fk = sole_fk_indexes(cat);
    std::unordered_map<uint32_t, uint32_t> parent_of;
    for (const Table &t : cat.tables)
        for (const Index &ix : t.indexes)
            if (ix.parent_index != 0) parent_of[ix.oid] = ix.parent_index;
    auto root = [&](uint32_t oid) {
        for (int depth = 0; depth < 64; depth++) {
            auto it = parent_of.find(oid);
            if (it == parent_of.end()) break;
            oid = it->second;
        }
        return oid;
    };
    std::vector<Usage> out;
    std::unordered_map<uint32_t, size_t> slot;  // root index oid -> out[]
    for (const Table &t : cat.tables) {
        if (t.extension_member) continue;
        for (const Index &ix : t.indexes) {
            if (ix.parent_index != 0 || !builtin_am(ix.am) || !ix.valid || !ix.ready ||
                ix.being_built || enforces_something(ix) || sole_fk.count(ix.oid))
                continue;
            slot[ix.oid] = out.size();
            Usage u;
            u.table = &t;
            u.index = &ix;
            if (ix.relkind != 'I') add_part(u, ix, block);
            out.push_back(u);
        }
    }
    for (const Table &t : cat.tables)
        for (const Index &ix : t.indexes) {
            if (ix.parent_index == 0 || ix.relkind == 'I') continue;
            auto it = slot.find(root(ix.oid));
            if (it == slot.end()) continue;
            add_part(out[it->second], ix, block);
            out[it->second].partitions++;
        }
    // A partitioned index without partitions has no counters at all.
    for (Usage &u : out)
        if (u.index->relkind == 'I' && u.partitions == 0) u.known = false;
    return out;
}

std::string when(catalog::Micros t) {
    return t ? facts::human_time(t) : "never (in the window)";
}

void fill_common(Finding &f, const Usage &u, const UsageWindow &w) {
    const Table &t = *u.table;
    const Index &ix = *u.index;
    f.evidence.add("index", ix.name)
        .add("table", t.qualified())
        .add("index_bytes", u.bytes)
        .add("index_scans", u.scans)
        .add("stats_window_days", w.days)
        .add("stats_since", facts::human_time(w.start))
        .add("definition", ddl::index_definition(t, ix));
    if (u.last_scan) f.evidence.add("last_index_scan", facts::human_time(u.last_scan));
    if (u.partitions) f.evidence.add("partitions", u.partitions);
    f.impact = u.bytes;
    f.impact_unit = "bytes";
    f.fix_sql = ddl::drop_index(t, ix);
    f.undo_sql = ddl::recreate_index(t, ix);
    f.fix_key = drop_index_fix_key(facts::index_object(t, ix));
    f.current_state = ddl::index_definition(t, ix);
    f.steps = {
        "Check the standbys: each counts its own scans in pg_stat_all_indexes, and an "
        "index only a read replica uses looks unused here.",
        "Check for jobs that run less often than the window (monthly reports, "
        "year-end) and would need it.",
        "Run the DROP outside a transaction block; keep the undo statement (it rebuilds "
        "the index concurrently)."};
    if (ix.relkind == 'I')
        f.steps.back() =
            "A partitioned index cannot be dropped concurrently: DROP INDEX takes an "
            "ACCESS EXCLUSIVE lock on every partition for the moment it runs; pick "
            "a quiet period (the undo rebuilds it the same way).";
}

// ---- unused_index

struct UnusedLimits {
    double window_days;
    double min_bytes;
    double medium_bytes;
    double high_bytes;
    double busy_writes_per_day;
};

Severity unused_severity(const Usage &u, double writes_per_day, const UnusedLimits &l) {
    Severity s = u.bytes >= l.high_bytes     ? Severity::High
                 : u.bytes >= l.medium_bytes ? Severity::Medium
                                             : Severity::Low;
    if (writes_per_day >= l.busy_writes_per_day && s != Severity::High) s = raise(s);
    return s;
}

void report_unused(RuleContext &cx, const Usage &u, const UsageWindow &w, int64_t now,
                   const UnusedLimits &limits) {
    const Table &t = *u.table;
    const Index &ix = *u.index;
    int64_t writes = facts::writes(t);
    // Per day over at least one day: a window of hours says little about a daily rate.
    double per_day = writes > 0 ? static_cast<double>(writes) / std::max(w.days, 1.0) : 0;
    Finding f = cx.make("index", facts::index_object(t, ix), ix.name);
    f.severity = unused_severity(u, per_day, limits);
    bool never = u.scans == 0;
    f.title = never ? "Index " + ix.name + " was not scanned in " + w.describe()
                    : "Index " + ix.name + " has not been scanned since " + when(u.last_scan);
    fill_common(f, u, w);
    f.evidence.add("table_writes", writes)
        .add("table_writes_per_day", per_day)
        .add("min_window_days", limits.window_days)
        .add("min_bytes", limits.min_bytes);
    double idle_days = u.last_scan ? static_cast<double>(now - u.last_scan) / kMicrosPerDay : -1;
    if (!never) f.evidence.add("days_since_last_scan", idle_days);
    f.recommendation = "Drop " + ix.name + " if no standby and no periodic job uses it: it costs " +
                       facts::human_bytes(u.bytes) + " and work on every write of " +
                       t.qualified() + ".";
    f.why =
        "An index no query reads still has to be updated by every INSERT, every non-HOT "
        "UPDATE and by VACUUM, and it competes for cache; dropping it frees " +
        facts::human_bytes(u.bytes) + ".";
    f.verify = "After the drop, the statements that touch " + t.qualified() +
               " keep their timing (pg_stat_statements), and the table's HOT update share "
               "(n_tup_hot_upd / n_tup_upd) does not fall.";
    cx.add(std::move(f));
}

}  // namespace

void unused_index(RuleContext &cx) {
    UsageWindow w;
    if (!require_usage_window(cx, "unused_index_min_window_days", &w)) return;
    UnusedLimits limits{
        cx.threshold("unused_index_min_window_days"), cx.threshold("unused_index_min_bytes"),
        cx.threshold("unused_index_medium_bytes"), cx.threshold("unused_index_high_bytes"),
        cx.threshold("unused_index_busy_writes_per_day")};
    int64_t now = cx.catalog().database.now;
    const std::unordered_set<uint32_t> &partners = overlap_partners(cx);
    for (const Usage &u : droppable_usage(cx.catalog())) {
        if (!u.known || u.bytes < limits.min_bytes || partners.count(u.index->oid)) continue;
        bool idle_since = u.last_scan > 0 && static_cast<double>(now - u.last_scan) >=
                                                 limits.window_days * kMicrosPerDay;
        if (u.scans == 0 || idle_since) report_unused(cx, u, w, now, limits);
    }
}

// ---- low_value_index

namespace {

struct LowValueLimits {
    double min_bytes;
    double min_writes;
    double max_scans_per_write;
    double max_scan_share;
    double large_bytes;
    double large_max_scan_share;
    double window_days;
};

void report_low_value(RuleContext &cx, const Usage &u, const UsageWindow &w, int64_t writes,
                      double share, const LowValueLimits &l) {
    const Table &t = *u.table;
    const Index &ix = *u.index;
    bool write_heavy = writes > l.min_writes &&
                       static_cast<double>(u.scans) <= l.max_scans_per_write * writes &&
                       share < l.max_scan_share;
    Finding f = cx.make("index", facts::index_object(t, ix), ix.name);
    f.severity = write_heavy && u.bytes >= l.large_bytes ? Severity::Medium : Severity::Low;
    f.title = "Index " + ix.name + " serves " + facts::human_count(u.scans) + " scans (" +
              facts::human_percent(share) + " of the table's scans) against " +
              facts::human_count(static_cast<double>(writes)) + " writes";
    fill_common(f, u, w);
    f.evidence.add("table_scans", facts::scans(t))
        .add("index_scan_share", share)
        .add("table_writes", writes)
        .add("scans_per_write", writes > 0 ? static_cast<double>(u.scans) / writes : 0.0)
        .add("reason", write_heavy ? "few scans for many writes" : "large and seldom used");
    f.recommendation = "Review the queries that use " + ix.name +
                       " (pg_stat_statements, EXPLAIN): drop it if they run fine without it, "
                       "or narrow it (partial index, fewer columns) so it costs less per write.";
    f.why = "It is maintained on every write of " + t.qualified() + " (" +
            facts::human_count(static_cast<double>(writes)) + " in " + w.describe() +
            ") but answered only " + facts::human_count(u.scans) + " scans.";
    f.verify =
        "After the change, the statements that used it keep acceptable timing "
        "(pg_stat_statements mean_exec_time) and write latency on " +
        t.qualified() + " improves.";
    cx.add(std::move(f));
}

}  // namespace

void low_value_index(RuleContext &cx) {
    UsageWindow w;
    if (!require_usage_window(cx, "low_value_index_min_window_days", &w)) return;
    LowValueLimits l{cx.threshold("low_value_index_min_bytes"),
                     cx.threshold("low_value_index_min_writes"),
                     cx.threshold("low_value_index_max_scans_per_write"),
                     cx.threshold("low_value_index_max_scan_share"),
                     cx.threshold("low_value_index_large_bytes"),
                     cx.threshold("low_value_index_large_max_scan_share"),
                     cx.threshold("low_value_index_min_window_days")};
    int64_t now = cx.catalog().database.now;
    const std::unordered_set<uint32_t> &partners = overlap_partners(cx);
    for (const Usage &u : droppable_usage(cx.catalog())) {
        if (!u.known || u.scans <= 0 || u.bytes < l.min_bytes || u.index->relkind == 'I' ||
            partners.count(u.index->oid))
            continue;
        // Not scanned for a whole window (PG16+ last_idx_scan): unused_index reports it.
        if (u.last_scan > 0 &&
            static_cast<double>(now - u.last_scan) >= l.window_days * kMicrosPerDay)
            continue;
        int64_t writes = facts::writes(*u.table);
        int64_t table_scans = facts::scans(*u.table);
        if (writes < 0 || table_scans <= 0) continue;
        double share = static_cast<double>(u.scans) / static_cast<double>(table_scans);
        bool write_heavy = writes > l.min_writes &&
                           static_cast<double>(u.scans) <= l.max_scans_per_write * writes &&
                           share < l.max_scan_share;
        bool large_seldom = u.bytes >= l.large_bytes && share < l.large_max_scan_share;
        if (write_heavy || large_seldom) report_low_value(cx, u, w, writes, share, l);
    }
}

}  // namespace pg_advisor::review::rules
