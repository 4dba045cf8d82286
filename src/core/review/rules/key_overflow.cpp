// SCH-02 sequence_or_key_near_overflow: a sequence (serial or identity) or an integer key near
// the largest value it can hold: the sequence's own bound or the column type's (a bigint
// sequence filling an integer column overflows at 2^31 - 1), and integer foreign-key columns
// that reference it. Values come from the sequence (last_value) and, where the snapshot could
// not read it, from the column's largest value in pg_stats at the last ANALYZE.
#include <algorithm>
#include <unordered_map>

#include "core/review/rules/table_facts.h"
#include "core/review/rules/schema_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Column;
using catalog::Sequence;
using catalog::Table;

uint64_t column_key(uint32_t table, int16_t attnum) {
    return uint64_t{table} << 16 | static_cast<uint16_t>(attnum);
}

struct OverflowLimits {
    double min_used;
    double high_used;
    double critical_used;
};

Severity overflow_severity(double used, const OverflowLimits &l) {
    return used >= l.critical_used ? Severity::Critical
           : used >= l.high_used   ? Severity::High
                                   : Severity::Medium;
}

// Foreign-key columns referencing one column: (constraint, child table, child attnum).
struct Referencing {
    const catalog::Constraint *fk;
    const Table *child;
    int16_t attnum;
};
using ReferenceMap = std::unordered_map<uint64_t, std::vector<Referencing>>;

ReferenceMap references(const catalog::CatalogSnapshot &cat) {
    ReferenceMap out;
    for (const catalog::Constraint &c : cat.constraints) {
        if (c.type != 'f' || c.parent != 0) continue;
        const Table *child = cat.table(c.table);
        for (size_t i = 0; child && i < c.columns.size() && i < c.ref_columns.size(); i++) {
            // Two foreign keys on one column (to one key) are one referencing column.
            std::vector<Referencing> &refs = out[column_key(c.ref_table, c.ref_columns[i])];
            bool seen = std::any_of(refs.begin(), refs.end(), [&](const Referencing &r) {
                return r.child == child && r.attnum == c.columns[i];
            });
            if (!seen) refs.push_back({&c, child, c.columns[i]});
        }
    }
    return out;
}

// One thing that can overflow: where the value is, what bounds it, and where its fix goes.
struct Capacity {
    const Sequence *seq = nullptr;
    const Table *table = nullptr;  // the column's table (null: a sequence of no visible column)
    const Column *column = nullptr;
    int64_t value = 0;
    const char *value_source = "";
    double limit = 0;
    const char *limit_source = "";
    double base = 0;
    double used = 0;
};

void fill_evidence(Finding &f, const Capacity &k) {
    f.evidence.add("value", k.value)
        .add("value_source", k.value_source)
        .add("limit", k.limit)
        .add("limit_source", k.limit_source)
        .add("used_fraction", k.used)
        .add("remaining", k.limit - static_cast<double>(k.value));
    if (k.seq)
        f.evidence.add("sequence", k.seq->qualified())
            .add("sequence_type", k.seq->type)
            .add("increment", k.seq->increment);
    if (k.column)
        f.evidence.add("column", facts::column_object(*k.table, *k.column))
            .add("column_type", k.column->type)
            .add("table_rows", facts::table_rows(*k.table));
}

std::string used_text(const Capacity &k) {
    return facts::human_percent(k.used) + " of " + k.limit_source + " maximum " +
           facts::human_count(k.limit);
}

void report(RuleContext &cx, const Capacity &k, const OverflowLimits &l, const KeyWidening &widen) {
    std::string object = k.seq ? k.seq->qualified() : facts::column_object(*k.table, *k.column);
    std::string identity = k.column ? k.table->name + "." + k.column->name : "";
    Finding f = cx.make(k.seq ? "sequence" : "column", object, identity);
    f.severity = overflow_severity(k.used, l);
    f.title =
        (k.seq ? "Sequence " + k.seq->name : "Key " + k.column->name) + " is at " + used_text(k);
    fill_evidence(f, k);
    f.impact = k.used;
    f.impact_unit = "share";
    bool column_bound = std::string(k.limit_source).find("column") != std::string::npos;
    if (column_bound) {
        f.fix_sql = widen.sql(*k.table, *k.column);
        f.fix_key = widen_column_fix_key(facts::column_object(*k.table, *k.column));
    } else if (k.seq) {
        f.fix_sql = "ALTER SEQUENCE " + k.seq->qualified() +
                    (k.seq->type != "bigint" ? " AS bigint;" : " NO MAXVALUE;");
    }
    f.recommendation = column_bound ? "Widen " + k.column->name +
                                          " (and the columns referencing it) to "
                                          "bigint before the sequence reaches the "
                                          "integer maximum."
                                    : "Raise the sequence's bound (bigint, no explicit MAXVALUE).";
    f.why = "When the value passes " + facts::human_count(k.limit) +
            ", every INSERT fails (nextval: reached maximum value, or integer out of range) "
            "until the type is widened, which on a large table takes a long rewrite.";
    f.current_state = std::string(k.value_source) + " value " +
                      facts::human_count(static_cast<double>(k.value)) + " of " +
                      facts::human_count(k.limit);
    if (k.table) f.steps = rewrite_steps(*k.table, facts::table_rows(*k.table), {});
    f.verify =
        "SELECT format_type(atttypid, atttypmod) FROM pg_attribute ... shows bigint for "
        "the key and every column referencing it; pg_sequences.max_value is the bigint "
        "maximum.";
    cx.add(std::move(f));
}

// Fills value, limit and usage for a sequence; false when nothing can be said.
bool sequence_capacity(const catalog::CatalogSnapshot &cat, const Sequence &s, Capacity *k) {
    k->seq = &s;
    k->table = s.owned_by_table ? cat.table(s.owned_by_table) : nullptr;
    k->column = k->table ? facts::column_at(*k->table, s.owned_by_column) : nullptr;
    if (k->table && k->table->extension_member) return false;
    bool asc = s.increment > 0;
    double col_max =
        k->column ? static_cast<double>(facts::integer_type_max(k->column->type_oid)) : 0;
    // The column's type bounds the key when it ends no later than the sequence (an integer
    // sequence on an integer column: both; the fix must then widen the column too).
    double seq_max = static_cast<double>(s.max_value), seq_min = static_cast<double>(s.min_value);
    bool column_bound = col_max > 0 && (asc ? col_max <= seq_max : -col_max - 1 >= seq_min);
    bool sequence_first = col_max <= 0 || (asc ? seq_max <= col_max : seq_min >= -col_max - 1);
    if (s.cycle && sequence_first) return false;  // wraps around before the column overflows
    k->limit = column_bound ? (asc ? col_max : -col_max - 1)
                            : static_cast<double>(asc ? s.max_value : s.min_value);
    k->limit_source = column_bound ? "the column type's" : "the sequence's";
    k->base = static_cast<double>(asc ? s.min_value : s.max_value);
    bool stats = asc && k->column && k->column->stats.has_int_max;
    if (!s.has_value && !stats) return false;
    k->value = s.has_value ? s.last_value : k->column->stats.int_max;
    k->value_source = s.has_value ? "sequence last" : "pg_stats largest";
    if (stats && k->column->stats.int_max > k->value && asc) {
        k->value = k->column->stats.int_max;
        k->value_source = "pg_stats largest";
    }
    double span = k->limit - k->base;
    k->used = span != 0 ? (static_cast<double>(k->value) - k->base) / span : 0;
    return true;
}

}  // namespace

KeyWidening::KeyWidening(const catalog::CatalogSnapshot &cat) {
    for (const auto &[key, refs] : references(cat))
        for (const Referencing &r : refs)
            referencing_[key].push_back({r.child, r.attnum});
    for (const Sequence &s : cat.sequences)
        if (s.owned_by_table) owned_[column_key(s.owned_by_table, s.owned_by_column)] = &s;
}

std::string KeyWidening::sql(const Table &t, const Column &c) const {
    std::string sql = "ALTER TABLE " + t.qualified() + " ALTER COLUMN " +
                      catalog::quote_ident(c.name) + " TYPE bigint;";
    auto refs = referencing_.find(column_key(t.oid, c.attnum));
    if (refs != referencing_.end())
        for (const Ref &r : refs->second) {
            const Column *cc = facts::column_at(*r.child, r.attnum);
            if (cc && facts::integer_type_max(cc->type_oid) > 0 && cc->type_oid != 20)
                sql += "\nALTER TABLE " + r.child->qualified() + " ALTER COLUMN " +
                       catalog::quote_ident(cc->name) + " TYPE bigint;";
        }
    auto seq = owned_.find(column_key(t.oid, c.attnum));
    if (seq != owned_.end() && seq->second->type != "bigint")
        sql += "\nALTER SEQUENCE " + seq->second->qualified() + " AS bigint;";
    return sql;
}

void sequence_or_key_near_overflow(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    OverflowLimits l{cx.threshold("sequence_or_key_near_overflow_min_used"),
                     cx.threshold("sequence_or_key_near_overflow_high_used"),
                     cx.threshold("sequence_or_key_near_overflow_critical_used")};
    ReferenceMap refs = references(cat);
    KeyWidening widen(cat);
    std::unordered_map<uint64_t, bool> has_sequence;
    for (const Sequence &s : cat.sequences) {
        if (s.owned_by_table) has_sequence[column_key(s.owned_by_table, s.owned_by_column)] = true;
        Capacity k;
        if (!sequence_capacity(cat, s, &k)) continue;
        if (k.used >= l.min_used) report(cx, k, l, widen);
        if (!k.column || s.increment < 0) continue;
        // Integer columns referencing the key overflow at their own type's maximum.
        auto it = refs.find(column_key(k.table->oid, k.column->attnum));
        for (const Referencing &r : it == refs.end() ? std::vector<Referencing>{} : it->second) {
            const Column *cc = facts::column_at(*r.child, r.attnum);
            double max = cc ? static_cast<double>(facts::integer_type_max(cc->type_oid)) : 0;
            if (cc == nullptr || max <= 0 || max >= k.limit) continue;
            Capacity child = k;
            child.seq = nullptr;
            child.table = r.child;
            child.column = cc;
            child.limit = max;
            child.limit_source = "the referencing column type's";
            child.used = (static_cast<double>(k.value) - k.base) / (max - k.base);
            if (child.used >= l.min_used) report(cx, child, l, widen);
        }
    }
    // Integer primary keys filled without a sequence (application-generated values).
    for (const Table &t : cat.tables) {
        if (!facts::is_designed_table(t)) continue;
        for (const catalog::Index &ix : t.indexes) {
            if (!ix.primary || ix.keys.size() != 1 || ix.keys[0] == 0) continue;
            const Column *c = facts::column_at(t, ix.keys[0]);
            double max = c ? static_cast<double>(facts::integer_type_max(c->type_oid)) : 0;
            if (!c || max <= 0 || c->type_oid == 20 || !c->stats.has_int_max ||
                has_sequence.count(column_key(t.oid, c->attnum)))
                continue;
            Capacity k;
            k.table = &t;
            k.column = c;
            k.value = c->stats.int_max;
            k.value_source = "pg_stats largest";
            k.limit = max;
            k.limit_source = "the column type's";
            k.used = static_cast<double>(k.value) / max;
            if (k.used >= l.min_used) report(cx, k, l, widen);
        }
    }
}

}  // namespace pg_advisor::review::rules
