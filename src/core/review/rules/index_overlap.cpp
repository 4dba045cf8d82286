// IDX-02 duplicate_index and IDX-03 redundant_prefix_index: indexes another index of the same
// table already provides. Identical means same access method, keys (columns or expressions),
// operator classes, collations, orders, INCLUDE columns and predicate; a prefix means the
// narrower btree's keys start the wider one's with the same predicate. Both are found with
// hash maps keyed by those signatures, so the cost is linear in the number of index keys.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/review/rules/index_ddl.h"
#include "core/review/rules/index_rules.h"
#include "core/review/rules/table_facts.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Index;
using catalog::Table;

// Whether the index takes part in overlap checks: built and valid, its texts known, not a
// partition's index attached to a partitioned one (that one is compared instead).
bool comparable(const Table &t, const Index &ix) {
    if (!ix.valid || !ix.ready || !ix.live || ix.being_built || ix.parent_index != 0) return false;
    bool texts_needed = ix.partial || std::count(ix.keys.begin(), ix.keys.end(), 0) > 0;
    bool texts_known = ix.texts_known && !t.ddl_locked && (!ix.partial || !ix.predicate.empty());
    return !texts_needed || texts_known;
}

// Signature of key k: column or expression, operator class, collation, order.
std::string key_signature(const Index &ix, size_t k) {
    std::string s =
        ix.keys[k] != 0
            ? std::to_string(ix.keys[k])
            : "(" + (k < ix.key_expressions.size() ? ix.key_expressions[k] : std::string("?")) +
                  ")";
    s += '\x1f' + (k < ix.opclass_schemas.size() ? ix.opclass_schemas[k] : "");
    s += '\x1f' + (k < ix.opclasses.size() ? ix.opclasses[k] : "");
    s += '\x1f' + (k < ix.collation_schemas.size() ? ix.collation_schemas[k] : "");
    s += '\x1f' + (k < ix.collations.size() ? ix.collations[k] : "");
    s += (k < ix.descending.size() && ix.descending[k]) ? "\x1f"
                                                          "d"
                                                        : "\x1f"
                                                          "a";
    s += (k < ix.nulls_first.size() && ix.nulls_first[k]) ? "f" : "l";
    return s;
}

std::string keys_signature(const Index &ix, size_t n) {
    std::string s;
    for (size_t k = 0; k < n; k++)
        s += key_signature(ix, k) + '\x1e';
    return s;
}

std::string include_signature(const Index &ix) {
    std::vector<int16_t> inc = ix.include;
    std::sort(inc.begin(), inc.end());
    std::string s;
    for (int16_t a : inc)
        s += std::to_string(a) + ",";
    return s;
}

// Everything but the keys that two interchangeable indexes share.
std::string context_signature(const Table &t, const Index &ix) {
    return std::to_string(t.oid) + '\x1d' + ix.am + '\x1d' + ix.predicate + '\x1d';
}

std::string scans_text(int64_t scans) {
    return scans < 0 ? "unknown" : facts::human_count(static_cast<double>(scans));
}

// ---- duplicate_index

// Which of two identical indexes to keep: the primary key's, one a constraint, a foreign key
// or the replica identity needs, a unique one, else the one scanned most (the queries already
// use it: dropping the other changes no plan), then the first by name (stable across runs and
// restores).
int keep_rank(const Index &ix, const std::unordered_set<uint32_t> &fk_referenced) {
    if (ix.primary) return 0;
    if (ix.constraint_oid != 0) return 1;
    if (fk_referenced.count(ix.oid)) return 2;
    if (ix.replica_identity) return 3;
    if (ix.unique) return 4;
    return 5;
}

struct DuplicateLimits {
    double low_bytes;
    double high_bytes;
};

using ConstraintMap = std::unordered_map<uint32_t, const catalog::Constraint *>;

// An index to drop and the index that serves its queries after the drop.
struct Overlap {
    const Table *table;
    const Index *dropped;
    const Index *kept;
};

void report_duplicate(RuleContext &cx, const Table &t, const Index &dup, const Index &kept,
                      const DuplicateLimits &limits, const ConstraintMap &constraints) {
    double block = facts::block_size(cx.catalog());
    double bytes = facts::index_bytes(dup, block);
    Finding f = cx.make("index", facts::index_object(t, dup), dup.name);
    f.severity = bytes < limits.low_bytes     ? Severity::Low
                 : bytes >= limits.high_bytes ? Severity::High
                                              : Severity::Medium;
    f.title = "Index " + dup.name + " duplicates " + kept.name + " on " + t.qualified();
    f.evidence.add("index", dup.name)
        .add("duplicate_of", kept.name)
        .add("index_bytes", bytes)
        .add("kept_index_bytes", facts::index_bytes(kept, block))
        .add("index_scans", dup.scans)
        .add("kept_index_scans", kept.scans)
        .add("definition", ddl::index_definition(t, dup))
        .add("kept_definition", ddl::index_definition(t, kept))
        .add("table_writes", facts::writes(t));
    f.impact = bytes;
    f.impact_unit = "bytes";
    f.recommendation = "Drop " + dup.name + ": " + kept.name +
                       " has the same keys, operator classes, collations and predicate, so it "
                       "serves every query " +
                       dup.name + " serves.";
    f.current_state = ddl::index_definition(t, dup) + "\n" + ddl::index_definition(t, kept);
    f.why = "Every INSERT and every non-HOT UPDATE writes both indexes; dropping one frees " +
            facts::human_bytes(bytes) + " and that write work. Scans of " + dup.name + " (" +
            scans_text(dup.scans) + " so far) move to " + kept.name + ".";
    if (dup.constraint_oid != 0) {
        // Both back constraints (e.g. a PRIMARY KEY and a UNIQUE constraint on the same columns).
        auto it = constraints.find(dup.constraint_oid);
        const catalog::Constraint *con = it == constraints.end() ? nullptr : it->second;
        if (con == nullptr || con->definition.empty()) return;  // not listed by duplicates()
        f.fix_sql = "ALTER TABLE " + t.qualified() + " DROP CONSTRAINT " +
                    catalog::quote_ident(con->name) + ";";
        f.undo_sql = "ALTER TABLE " + t.qualified() + " ADD CONSTRAINT " +
                     catalog::quote_ident(con->name) + " " + con->definition + ";";
        f.recommendation += " It backs constraint " + con->name + ", which " + kept.name +
                            "'s constraint already enforces: drop the constraint.";
    } else {
        f.fix_sql = ddl::drop_index(t, dup);
        f.undo_sql = ddl::recreate_index(t, dup);
    }
    f.fix_key = drop_index_fix_key(facts::index_object(t, dup));
    f.steps = {"Check that no query hint or extension names " + dup.name + " explicitly.",
               "Run the DROP outside a transaction block (DROP INDEX CONCURRENTLY cannot run "
               "inside one).",
               "Keep the undo statement to recreate it if needed."};
    f.verify = "SELECT indexrelid::regclass FROM pg_index WHERE indrelid = " +
               catalog::quote_literal(t.qualified()) + "::regclass; no longer lists " + dup.name +
               ".";
    cx.add(std::move(f));
}

ConstraintMap constraint_map(const catalog::CatalogSnapshot &cat) {
    ConstraintMap constraints;
    for (const catalog::Constraint &c : cat.constraints)
        constraints[c.oid] = &c;
    return constraints;
}

// The duplicates duplicate_index reports, each with the index it keeps.
std::vector<Overlap> duplicates(const catalog::CatalogSnapshot &cat,
                                const ConstraintMap &constraints) {
    std::vector<Overlap> out;
    std::unordered_set<uint32_t> fk_referenced;
    for (const catalog::Constraint &c : cat.constraints)
        if (c.type == 'f' && c.index_oid != 0) fk_referenced.insert(c.index_oid);
    for (const Table &t : cat.tables) {
        if (t.extension_member || t.indexes.size() < 2) continue;
        std::unordered_map<std::string, std::vector<const Index *>> groups;
        for (const Index &ix : t.indexes)
            if (comparable(t, ix))
                groups[context_signature(t, ix) + keys_signature(ix, ix.keys.size()) + '\x1d' +
                       include_signature(ix) + (ix.unique && ix.nulls_not_distinct ? "N" : "")]
                    .push_back(&ix);
        for (auto &g : groups) {
            std::vector<const Index *> &ixs = g.second;
            if (ixs.size() < 2) continue;
            std::sort(ixs.begin(), ixs.end(), [&](const Index *a, const Index *b) {
                int ra = keep_rank(*a, fk_referenced), rb = keep_rank(*b, fk_referenced);
                if (ra != rb) return ra < rb;
                int64_t sa = std::max<int64_t>(a->scans, 0), sb = std::max<int64_t>(b->scans, 0);
                return sa != sb ? sa > sb : a->name < b->name;
            });
            for (size_t i = 1; i < ixs.size(); i++) {
                const Index &dup = *ixs[i];
                // A foreign key or the replica identity depends on it: not droppable as is.
                if (fk_referenced.count(dup.oid) || dup.replica_identity) continue;
                if (dup.constraint_oid != 0) {
                    auto it = constraints.find(dup.constraint_oid);
                    if (it == constraints.end() || it->second->definition.empty()) continue;
                }
                out.push_back({&t, &dup, ixs[0]});
            }
        }
    }
    return out;
}

}  // namespace

void duplicate_index(RuleContext &cx) {
    DuplicateLimits limits{cx.threshold("duplicate_index_low_bytes"),
                           cx.threshold("duplicate_index_high_bytes")};
    ConstraintMap constraints = constraint_map(cx.catalog());
    for (const Overlap &o : duplicates(cx.catalog(), constraints))
        report_duplicate(cx, *o.table, *o.dropped, *o.kept, limits, constraints);
}

// ---- redundant_prefix_index

namespace {

struct PrefixLimits {
    double min_bytes;
    double medium_bytes;
};

// Droppable as redundant: a plain (non-unique, no constraint, no replica identity) btree.
bool prefix_candidate(const Table &t, const Index &ix) {
    return ix.am == "btree" && !ix.unique && ix.constraint_oid == 0 && !ix.replica_identity &&
           !ix.keys.empty() && comparable(t, ix);
}

// The wider index serves the narrower one's index-only scans too.
bool includes_covered(const Index &narrow, const Index &wide) {
    for (int16_t a : narrow.include) {
        bool found = std::find(wide.keys.begin(), wide.keys.end(), a) != wide.keys.end() ||
                     std::find(wide.include.begin(), wide.include.end(), a) != wide.include.end();
        if (!found) return false;
    }
    return true;
}

void report_prefix(RuleContext &cx, const Table &t, const Index &narrow, const Index &wide,
                   const PrefixLimits &limits) {
    double block = facts::block_size(cx.catalog());
    double bytes = facts::index_bytes(narrow, block);
    double wide_bytes = facts::index_bytes(wide, block);
    std::vector<std::string> keys = facts::key_names(t, narrow);
    std::vector<std::string> wide_keys = facts::key_names(t, wide);
    Finding f = cx.make("index", facts::index_object(t, narrow), narrow.name);
    f.severity = bytes >= limits.medium_bytes ? Severity::Medium : Severity::Low;
    f.title =
        "Index " + narrow.name + " is a leading prefix of " + wide.name + " on " + t.qualified();
    f.evidence.add("index", narrow.name)
        .add("key_columns", keys)
        .add("index_bytes", bytes)
        .add("index_scans", narrow.scans)
        .add("covered_by", wide.name)
        .add("covered_by_key_columns", wide_keys)
        .add("covered_by_bytes", wide_bytes)
        .add("covered_by_scans", wide.scans)
        .add("covered_by_unique", wide.unique)
        .add("min_bytes", limits.min_bytes);
    f.impact = bytes;
    f.impact_unit = "bytes";
    f.recommendation = "Drop " + narrow.name + ": " + wide.name +
                       " starts with the same key columns (same operator classes, collations, "
                       "orders and predicate), so lookups and ordered scans on them can use it. "
                       "Not identical: " +
                       wide.name + " has more key columns (" + facts::human_bytes(wide_bytes) +
                       " vs " + facts::human_bytes(bytes) +
                       "), so those scans may read a few more pages.";
    f.current_state = ddl::index_definition(t, narrow) + "\n" + ddl::index_definition(t, wide);
    f.why = "Every INSERT and non-HOT UPDATE maintains both indexes; the narrower one adds " +
            facts::human_bytes(bytes) + " and write work for queries " + wide.name +
            " already serves.";
    f.fix_sql = ddl::drop_index(t, narrow);
    f.undo_sql = ddl::recreate_index(t, narrow);
    f.fix_key = drop_index_fix_key(facts::index_object(t, narrow));
    f.steps = {"Look at the queries that use " + narrow.name + " (" + scans_text(narrow.scans) +
                   " scans): they will use " + wide.name + " after the drop.",
               "Run the DROP outside a transaction block.",
               "Watch their timing for a day; recreate with the undo statement if one got "
               "slower."};
    f.verify = "EXPLAIN of a query filtering on (" + facts::column_list_sql(t, narrow.keys) +
               ") shows an Index Scan on " + wide.name + ".";
    cx.add(std::move(f));
}

// The prefixes redundant_prefix_index reports, each with the wider index that covers it.
std::vector<Overlap> prefixes(const catalog::CatalogSnapshot &cat, const PrefixLimits &limits) {
    std::vector<Overlap> out;
    double block = facts::block_size(cat);
    for (const Table &t : cat.tables) {
        if (t.extension_member || t.indexes.size() < 2) continue;
        // Proper prefixes of every valid btree index -> the indexes they start.
        std::unordered_map<std::string, std::vector<const Index *>> wider;
        for (const Index &ix : t.indexes) {
            if (ix.am != "btree" || !comparable(t, ix)) continue;
            std::string sig = context_signature(t, ix);
            for (size_t k = 0; k + 1 < ix.keys.size(); k++) {
                sig += key_signature(ix, k) + '\x1e';
                wider[sig].push_back(&ix);
            }
        }
        for (const Index &ix : t.indexes) {
            if (!prefix_candidate(t, ix) || facts::index_bytes(ix, block) < limits.min_bytes)
                continue;
            auto it = wider.find(context_signature(t, ix) + keys_signature(ix, ix.keys.size()));
            if (it == wider.end()) continue;
            const Index *best = nullptr;
            for (const Index *w : it->second)
                if (includes_covered(ix, *w) && (best == nullptr || w->pages < best->pages ||
                                                 (w->pages == best->pages && w->name < best->name)))
                    best = w;
            if (best) out.push_back({&t, &ix, best});
        }
    }
    return out;
}

PrefixLimits prefix_limits(const RuleContext &cx) {
    return {cx.threshold("redundant_prefix_index_min_bytes"),
            cx.threshold("redundant_prefix_index_medium_bytes")};
}

}  // namespace

void redundant_prefix_index(RuleContext &cx) {
    PrefixLimits limits = prefix_limits(cx);
    for (const Overlap &o : prefixes(cx.catalog(), limits))
        report_prefix(cx, *o.table, *o.dropped, *o.kept, limits);
}

const std::unordered_set<uint32_t> &overlap_partners(const RuleContext &cx) {
    return cx.derived<std::unordered_set<uint32_t>>("index_overlap_partners", [&cx] {
        std::unordered_set<uint32_t> kept;
        for (const Overlap &o : duplicates(cx.catalog(), constraint_map(cx.catalog())))
            kept.insert(o.kept->oid);
        for (const Overlap &o : prefixes(cx.catalog(), prefix_limits(cx)))
            kept.insert(o.kept->oid);
        return kept;
    });
}

}  // namespace pg_advisor::review::rules
