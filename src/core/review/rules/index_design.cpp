// IDX-09 partial_index_candidate and IDX-10 index_design_smell: indexes whose shape costs more
// than it needs to, judged from the catalog and pg_stats.
#include <cctype>
#include <unordered_set>

#include "core/indexes/index_candidates.h"
#include "core/review/rules/index_ddl.h"
#include "core/review/rules/index_rules.h"
#include "core/review/rules/table_facts.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Column;
using catalog::Index;
using catalog::Table;

// A valid full single-column btree that enforces nothing.
const Column *single_plain_key(const Table &t, const Index &ix) {
    if (ix.am != "btree" || ix.keys.size() != 1 || ix.keys[0] == 0 || ix.partial || ix.unique ||
        ix.constraint_oid != 0 || ix.replica_identity || !ix.valid || ix.relkind != 'i' ||
        ix.being_built || ix.parent_index != 0)
        return nullptr;
    return facts::column_at(t, ix.keys[0]);
}

// Columns that some foreign key of the table starts with (lookups by an arbitrary value).
std::unordered_set<uint64_t> fk_leading_columns(const catalog::CatalogSnapshot &cat) {
    std::unordered_set<uint64_t> out;
    for (const catalog::Constraint &c : cat.constraints)
        if (c.type == 'f' && !c.columns.empty())
            out.insert(uint64_t{c.table} << 16 | static_cast<uint16_t>(c.columns[0]));
    return out;
}

struct PartialLimits {
    double min_rows;
    double min_bytes;
    double min_null_frac;
    double min_value_frac;
};

void report_partial(RuleContext &cx, const Table &t, const Index &ix, const Column &c, bool nulls,
                    double share, ddl::NameRegistry &names, const PartialLimits &l) {
    double bytes = facts::index_bytes(ix, facts::block_size(cx.catalog()));
    std::string col = catalog::quote_ident(c.name);
    std::string predicate = nulls
                                ? col + " IS NOT NULL"
                                : col + " <> " + catalog::quote_literal(c.stats.most_common_value);
    Finding f = cx.make("index", facts::index_object(t, ix), ix.name);
    f.severity = nulls ? Severity::Low : Severity::Info;
    f.title = "Index " + ix.name + ": " + facts::human_percent(share) + " of its entries are " +
              (nulls ? "NULL " + c.name + " values"
                     : c.name + " = " + catalog::quote_literal(c.stats.most_common_value));
    f.evidence.add("index", ix.name)
        .add("column", c.name)
        .add(nulls ? "null_frac" : "most_common_freq", share)
        .add("table_rows", facts::table_rows(t))
        .add("index_bytes", bytes)
        .add("estimated_saving_bytes", bytes * share)
        .add(nulls ? "min_null_frac" : "min_value_frac",
             nulls ? l.min_null_frac : l.min_value_frac);
    if (!nulls) f.evidence.add("most_common_value", c.stats.most_common_value);
    ddl::NewIndex n;
    n.name_columns = {c.name};
    n.name = names.choose(t.schema, t.name, n.name_columns, nulls ? "nn_idx" : "partial_idx");
    n.keys_sql = col;
    n.predicate = predicate;
    ddl::PartitionMap none;
    f.fix_sql = ddl::create_index(t, n, none, names) + "\n" + ddl::drop_index(t, ix);
    f.undo_sql = ddl::recreate_index(t, ix) + "\n" + ddl::drop_new_index(t, n);
    f.impact = bytes * share;
    f.impact_unit = "bytes";
    f.current_state = ddl::index_definition(t, ix);
    if (nulls) {
        f.recommendation = "Replace " + ix.name + " with a partial index WHERE " + predicate +
                           ": queries comparing " + c.name +
                           " with = or ranges never look for NULLs, and the planner proves the "
                           "predicate from them, so every such query can still use it.";
    } else {
        f.recommendation = "Consider a partial index WHERE " + predicate +
                           ": the planner does "
                           "not use an index to fetch " +
                           facts::human_percent(share) +
                           " of the table anyway. Only queries whose condition implies the "
                           "predicate (a literal other than that value) can use it, not generic "
                           "plans with a parameter: check the queries first.";
    }
    f.why = "The index stores an entry for every row, but " + facts::human_percent(share) +
            " of them are " + (nulls ? "NULL" : "one value") +
            ": the partial index would be "
            "about " +
            facts::human_bytes(bytes * (1 - share)) + " instead of " + facts::human_bytes(bytes) +
            ", and writes of those rows would not touch it.";
    f.steps = {"Create the partial index (outside a transaction block).",
               "Check with EXPLAIN that the queries use it.",
               "Drop the old index; keep the undo statements."};
    f.verify = "EXPLAIN SELECT * FROM " + t.qualified() + " WHERE " + col + " = <a value>; uses " +
               n.name + ".";
    cx.add(std::move(f));
}

}  // namespace

void partial_index_candidate(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    PartialLimits l{cx.threshold("partial_index_candidate_min_rows"),
                    cx.threshold("partial_index_candidate_min_bytes"),
                    cx.threshold("partial_index_candidate_min_null_frac"),
                    cx.threshold("partial_index_candidate_min_value_frac")};
    double block = facts::block_size(cat);
    std::unordered_set<uint64_t> fk_columns = fk_leading_columns(cat);
    ddl::NameRegistry names(cat);
    for (const Table &t : cat.tables) {
        if (t.extension_member || t.relkind == 'p' || facts::table_rows(t) < l.min_rows) continue;
        for (const Index &ix : t.indexes) {
            const Column *c = single_plain_key(t, ix);
            if (c == nullptr || !c->stats.present || facts::index_bytes(ix, block) < l.min_bytes)
                continue;
            if (c->stats.null_frac >= l.min_null_frac) {
                report_partial(cx, t, ix, *c, true, c->stats.null_frac, names, l);
                continue;
            }
            bool fk = fk_columns.count(uint64_t{t.oid} << 16 | static_cast<uint16_t>(c->attnum));
            double top = c->stats.most_common_freqs.empty() ? 0 : c->stats.most_common_freqs[0];
            if (!fk && top >= l.min_value_frac && !c->stats.most_common_value.empty())
                report_partial(cx, t, ix, *c, false, top, names, l);
        }
    }
}

// ---- index_design_smell

namespace {

struct SmellLimits {
    double max_columns;
    double min_rows;
    double max_leading_distinct;
};

struct Smell {
    const char *code;
    Severity severity;
    std::string title;
    std::string recommendation;
    std::string why;
};

// A smell's fix, when it has one.
struct SmellFix {
    std::string fix_sql;
    std::string undo_sql;
};

void report_smell(RuleContext &cx, const Table &t, const Index &ix, Smell s,
                  SmellFix fix = SmellFix()) {
    Finding f = cx.make("index", facts::index_object(t, ix), ix.name + ":" + s.code);
    f.severity = s.severity;
    f.title = "Index " + ix.name + ": " + s.title;
    f.evidence.add("index", ix.name)
        .add("smell", s.code)
        .add("key_columns", facts::key_names(t, ix))
        .add("table_rows", facts::table_rows(t))
        .add("index_bytes", facts::index_bytes(ix, facts::block_size(cx.catalog())))
        .add("definition", ddl::index_definition(t, ix));
    f.recommendation = s.recommendation;
    f.why = s.why;
    f.current_state = ddl::index_definition(t, ix);
    f.impact = facts::index_bytes(ix, facts::block_size(cx.catalog()));
    f.impact_unit = "bytes";
    f.fix_sql = std::move(fix.fix_sql);
    f.undo_sql = std::move(fix.undo_sql);
    cx.add(std::move(f));
}

// (e) WHERE c IS NOT NULL [AND ...] on NOT NULL columns only: the predicate filters nothing.
bool redundant_not_null_predicate(const Table &t, const Index &ix) {
    if (!ix.partial || ix.predicate.empty()) return false;
    // canonical_predicate(): no parentheses or casts, lower-case words, terms joined by " AND ".
    std::string p = canonical_predicate(ix.predicate);
    const std::string suffix = " is not null";
    size_t start = 0;
    while (true) {
        size_t end = p.find(" AND ", start);
        std::string term = p.substr(start, end == std::string::npos ? end : end - start);
        if (term.size() <= suffix.size() ||
            term.compare(term.size() - suffix.size(), suffix.size(), suffix) != 0)
            return false;
        std::string col = term.substr(0, term.size() - suffix.size());
        bool not_null = false;
        for (const Column &c : t.columns) {
            std::string lower;
            for (char ch : c.name)
                lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            if (col == catalog::quote_ident(c.name) || (col[0] != '"' && col == lower))
                not_null = c.not_null;
        }
        if (!not_null) return false;
        if (end == std::string::npos) return true;
        start = end + 5;
    }
}

// The end of the parenthesised list that starts at `open` (quotes skipped), npos if none.
size_t closing_paren(const std::string &sql, size_t open) {
    int depth = 0;
    char quote = 0;
    for (size_t i = open; i < sql.size(); i++) {
        char ch = sql[i];
        if (quote) {
            if (ch == quote) quote = 0;
        } else if (ch == '"' || ch == '\'') {
            quote = ch;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')' && --depth == 0) {
            return i;
        }
    }
    return std::string::npos;
}

// The index rebuilt without its predicate under a new name, the old one dropped and the new
// one renamed to the old name (a partitioned table's index the safe way: create_index);
// undone by dropping the rebuilt index and recreating the partial one. False when the
// definition cannot be taken apart.
bool fix_without_predicate(const Table &t, const Index &ix, const ddl::PartitionMap &partitions,
                           ddl::NameRegistry &names, SmellFix *fix) {
    std::string def = ddl::index_definition(t, ix);
    std::string using_am = " USING " + ix.am + " (";
    size_t at = def.find(using_am);
    size_t where = def.rfind(" WHERE ");
    if (ix.unique || at == std::string::npos || where == std::string::npos || where < at)
        return false;
    size_t open = at + using_am.size() - 1;
    size_t close = closing_paren(def, open);
    if (close == std::string::npos || close > where) return false;
    ddl::NewIndex n;
    n.name = names.choose(t.schema, ix.name, {}, "new");
    n.method = ix.am;
    n.keys_sql = def.substr(open + 1, close - open - 1);
    n.options_sql = def.substr(close + 1, where - close - 1);
    n.name_columns = facts::key_names(t, ix);
    fix->fix_sql = ddl::create_index(t, n, partitions, names) + "\n" + ddl::drop_index(t, ix) +
                   "\nALTER INDEX " + catalog::qualified_name(t.schema, n.name) + " RENAME TO " +
                   catalog::quote_ident(ix.name) + ";";
    // The rebuilt index has the old name (and is partitioned when the old one was).
    fix->undo_sql = ddl::drop_index(t, ix) + "\n" + ddl::recreate_index(t, ix);
    return true;
}

void smells_of(RuleContext &cx, const Table &t, const Index &ix, const SmellLimits &l,
               const ddl::PartitionMap &partitions, ddl::NameRegistry &names) {
    bool big = facts::table_rows(t) >= l.min_rows;
    bool btree = ix.am == "btree";
    if (btree && big && !ix.unique && ix.keys.size() > l.max_columns)
        report_smell(cx, t, ix,
                     {"too_many_columns", Severity::Low,
                      std::to_string(ix.keys.size()) + " key columns on a non-unique index",
                      "Check which leading columns the queries filter on; an index on those "
                      "(with the rest as INCLUDE columns, or none) is smaller and as useful.",
                      "Every key column widens every entry and every inner page; queries can only "
                      "use the leading columns they have equality conditions on."});
    for (size_t k = 0; btree && big && !ix.unique && k + 1 < ix.keys.size(); k++) {
        const Column *c = ix.keys[k] ? facts::column_at(t, ix.keys[k]) : nullptr;
        if (c == nullptr || (c->type_category != "D" && c->type_category != "R")) continue;
        report_smell(cx, t, ix,
                     {"range_column_not_last", Severity::Info,
                      c->name + " (" + c->type + ") comes before other key columns",
                      "If queries filter " + c->name +
                          " by a range and the later columns by "
                          "equality, put the equality columns first and " +
                          c->name + " last.",
                      "After a range condition on a key column, the following key columns can "
                      "only filter entries, not narrow the part of the index that is read."});
        break;
    }
    const Column *single = single_plain_key(t, ix);
    if (single && big && single->stats.present &&
        ((single->stats.n_distinct > 0 && single->stats.n_distinct <= l.max_leading_distinct) ||
         single->type_oid == 16))
        report_smell(
            cx, t, ix,
            {"low_cardinality", Severity::Info,
             "single column " + single->name + " with only a few distinct values",
             "Replace it with a partial index on the rare value the queries look for "
             "(WHERE " +
                 catalog::quote_ident(single->name) + " = ...), or drop it.",
             "The planner does not use an index that returns a large share of the "
             "table; an index on a column with a few values helps only for the rare one."});
    for (size_t k = 0; btree && k < ix.keys.size(); k++) {
        const Column *c = ix.keys[k] ? facts::column_at(t, ix.keys[k]) : nullptr;
        if (c == nullptr || c->type_category != "A") continue;
        report_smell(cx, t, ix,
                     {"btree_on_array", Severity::Low, "btree on array column " + c->name,
                      "If queries test containment or overlap (@>, <@, &&), index " + c->name +
                          " with GIN (CREATE INDEX CONCURRENTLY ... USING gin (" +
                          catalog::quote_ident(c->name) +
                          ")); a btree serves only equality of "
                          "whole arrays.",
                      "A btree orders whole arrays; it cannot find rows whose array contains a "
                      "value."});
        break;
    }
    if (redundant_not_null_predicate(t, ix)) {
        Smell s{"redundant_not_null_predicate", Severity::Low,
                "predicate " + ix.predicate + " on NOT NULL column(s)",
                "Rebuild it without the WHERE clause: it filters nothing, but queries "
                "must repeat the predicate (or imply it) to use the index.",
                "The column cannot be NULL, so the partial index holds every row while "
                "the planner still has to prove the predicate before using it."};
        SmellFix fix;
        fix_without_predicate(t, ix, partitions, names, &fix);
        report_smell(cx, t, ix, std::move(s), std::move(fix));
    }
}

}  // namespace

void index_design_smell(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    SmellLimits l{cx.threshold("index_design_smell_max_columns"),
                  cx.threshold("index_design_smell_min_rows"),
                  cx.threshold("index_design_smell_max_leading_distinct")};
    ddl::NameRegistry names(cat);
    ddl::PartitionMap partitions = facts::partitions_by_parent(cat);
    for (const Table &t : cat.tables) {
        if (t.extension_member || t.ddl_locked) continue;
        for (const Index &ix : t.indexes)
            if (ix.valid && ix.texts_known && !ix.being_built && ix.parent_index == 0)
                smells_of(cx, t, ix, l, partitions, names);
    }
}

}  // namespace pg_advisor::review::rules
