// IDX-01 fk_missing_index: a foreign key whose columns do not lead any usable full index of the
// referencing table. Deleting a parent row (or changing its key) then scans the child table
// for referencing rows, once per parent row, and joins along the key cannot use an index.
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/rules/index_ddl.h"
#include "core/review/rules/index_rules.h"
#include "core/review/rules/table_facts.h"
#include "core/review/rules/usage_window.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Constraint;
using catalog::Table;

struct FkLimits {
    double min_rows;
    double large_rows;
    double busy_parent_writes;
    double quiet_window_days;
};

const char *action_name(char a) {
    switch (a) {
        case 'c':
            return "CASCADE";
        case 'n':
            return "SET NULL";
        case 'd':
            return "SET DEFAULT";
        case 'r':
            return "RESTRICT";
        default:
            return "NO ACTION";
    }
}

// A verified recommendation of the index advisor for the child whose leading key columns are
// the foreign key's columns (in any order, no predicate): that index serves the foreign key as
// well, so one CREATE INDEX fixes both findings (the engine then reports them as one).
const workload::IndexAdviceEvidence *advice_covering(const workload::WorkloadSnapshot &w,
                                                     const Table &child,
                                                     const std::vector<std::string> &keys) {
    const workload::IndexAdviceEvidence *best = nullptr;
    std::string relation = child.qualified();
    for (const workload::IndexAdviceEvidence &a : w.index_advice) {
        if (a.relation != relation || !a.predicate.empty() || a.key_columns.size() < keys.size())
            continue;
        std::vector<std::string> leading(a.key_columns.begin(),
                                         a.key_columns.begin() + keys.size());
        bool covers = std::all_of(keys.begin(), keys.end(), [&](const std::string &k) {
            return std::find(leading.begin(), leading.end(), k) != leading.end();
        });
        if (covers && (best == nullptr || a.benefit > best->benefit)) best = &a;
    }
    return best;
}

// Severity from the child's size and the parent's UPDATE/DELETE traffic.
Severity fk_severity(double rows, int64_t parent_writes, double window_days, const FkLimits &l,
                     std::string *reason) {
    if (rows < l.min_rows) {
        *reason = "child below fk_missing_index_min_rows: each parent delete scans few rows";
        return Severity::Info;
    }
    if (rows >= l.large_rows && parent_writes >= l.busy_parent_writes) {
        *reason = "large child and a parent with many UPDATE/DELETE";
        return Severity::High;
    }
    if (parent_writes == 0 && window_days >= l.quiet_window_days) {
        *reason = "the parent had no UPDATE or DELETE in the statistics window";
        return Severity::Low;
    }
    *reason = "child above fk_missing_index_min_rows";
    return Severity::Medium;
}

void report(RuleContext &cx, const Table &child, const Constraint &fk, const FkLimits &limits,
            const ddl::PartitionMap &partitions, ddl::NameRegistry &names, double window_days) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    const Table *parent = cat.table(fk.ref_table);
    double block = facts::block_size(cat);
    // Partitioned tables: their partitions' rows, pages and counters.
    facts::TableTotals child_totals = facts::table_totals(child, partitions, block);
    facts::TableTotals parent_totals;
    if (parent) parent_totals = facts::table_totals(*parent, partitions, block);
    double rows = child_totals.rows;
    double bytes = child_totals.bytes;
    int64_t parent_writes = parent ? parent_totals.updates_and_deletes() : -1;
    std::string cols = facts::column_list_sql(child, fk.columns);
    std::string parent_name = parent ? parent->qualified() : "its parent";

    Finding f = cx.make("table", child.qualified(), fk.name);
    std::string reason;
    f.severity = fk_severity(rows, parent_writes, window_days, limits, &reason);
    f.title =
        "Foreign key " + fk.name + " has no index on " + child.qualified() + " (" + cols + ")";
    f.evidence.add("constraint", fk.name)
        .add("columns", facts::column_names(child, fk.columns))
        .add("referenced_table", parent_name)
        .add("child_rows", rows)
        .add("child_bytes", bytes)
        .add("parent_updates", parent_totals.updates)
        .add("parent_deletes", parent_totals.deletes)
        .add("on_delete", action_name(fk.on_delete))
        .add("on_update", action_name(fk.on_update))
        .add("stats_window_days", window_days)
        .add("min_rows", limits.min_rows)
        .add("severity_reason", reason);
    std::vector<std::string> keys;
    for (const std::string &c : facts::column_names(child, fk.columns))
        keys.push_back(catalog::quote_ident(c));
    std::string index_name;
    // The advisor's statement is one CREATE INDEX: for a partitioned table that is a plain
    // (blocking) build of every partition, so there the safe sequence is kept.
    const workload::IndexAdviceEvidence *advice =
        child.relkind == 'p' ? nullptr : advice_covering(cx.workload(), child, keys);
    ddl::IndexFix verified;
    if (advice != nullptr) verified = ddl::recommended_index_fix(*advice, &child, names);
    bool uses_advice = !verified.name.empty();
    if (uses_advice) {
        // The advisor's index (same key for the engine: one finding, one fix).
        index_name = verified.name;
        f.fix_sql = verified.fix_sql;
        f.fix_key = verified.fix_key;
        f.undo_sql = verified.undo_sql;
        f.evidence.add("verified_index", advice->key_columns);
    } else {
        ddl::NewIndex ix;
        ix.name_columns = facts::column_names(child, fk.columns);
        ix.name = names.choose(child.schema, child.name, ix.name_columns, "idx");
        ix.keys_sql = cols;
        index_name = ix.name;
        f.fix_sql = ddl::create_index(child, ix, partitions, names);
        // The same index as a verified recommendation or a hotspot's fix: one finding.
        f.fix_key = index_fix_key(child.qualified(), keys, "");
        f.undo_sql = ddl::drop_new_index(child, ix);
    }
    f.impact = bytes;
    f.impact_unit = "bytes";
    f.recommendation = "Index " + child.qualified() + " (" + cols + ") so that deleting a row of " +
                       parent_name +
                       " (or changing its key) finds the referencing rows through the index, "
                       "and joins on the key can use it.";
    if (uses_advice)
        f.recommendation +=
            " The index the advisor verified for the captured statements starts "
            "with these columns: it serves both.";
    f.current_state = fk.definition.empty() ? "FOREIGN KEY (" + cols + ")" : fk.definition;
    f.current_state +=
        "; no valid full index of " + child.qualified() + " starts with (" + cols + ")";
    f.why = "For every row deleted from " + parent_name +
            " (or whose key is updated), "
            "PostgreSQL checks " +
            child.qualified() + " for referencing rows (ON DELETE " + action_name(fk.on_delete) +
            "): without an index that is a sequential scan of " + facts::human_count(rows) +
            " rows (" + facts::human_bytes(bytes) +
            ") per parent row, inside the parent's transaction.";
    f.steps = {
        "Run the CREATE INDEX statement outside a transaction block (CONCURRENTLY cannot "
        "run inside one); it does not block writes.",
        "If it fails (lock timeout, cancel), drop the INVALID index it leaves behind and "
        "run it again.",
        "Keep the undo statement: dropping the index later restores the previous state."};
    f.verify = "EXPLAIN SELECT 1 FROM " + child.qualified() + " WHERE " +
               facts::column_sql(child, fk.columns.front()) +
               " = <a value>; shows an Index Scan (or Bitmap Index Scan) on " +
               catalog::quote_ident(index_name) + ".";
    cx.add(std::move(f));
}

}  // namespace

void fk_missing_index(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    FkLimits limits{cx.threshold("fk_missing_index_min_rows"),
                    cx.threshold("fk_missing_index_large_rows"),
                    cx.threshold("fk_missing_index_busy_parent_writes"),
                    cx.threshold("fk_missing_index_quiet_window_days")};
    double window_days = usage_window(cat.database).days;
    std::unordered_map<uint32_t, std::vector<const Constraint *>> fks;
    for (const Constraint &c : cat.constraints)
        if (c.type == 'f' && c.parent == 0 && !c.columns.empty()) fks[c.table].push_back(&c);
    if (fks.empty()) return;
    ddl::PartitionMap partitions = facts::partitions_by_parent(cat);
    ddl::NameRegistry names(cat);
    for (const Table &t : cat.tables) {
        auto it = fks.find(t.oid);
        if (it == fks.end() || !facts::is_user_table(t)) continue;
        facts::LookupCoverage coverage(t);
        for (const Constraint *fk : it->second)
            if (coverage.covering(fk->columns).empty())
                report(cx, t, *fk, limits, partitions, names, window_days);
    }
}

}  // namespace pg_advisor::review::rules
