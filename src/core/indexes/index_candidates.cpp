#include "core/indexes/index_candidates.h"

#include "core/indexes/key_distinct.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/sql/sql_lexer.h"

#include "core/common/no_postgres.h"

namespace pg_advisor {

namespace {

constexpr double kDefaultDistinct = 200;  // PostgreSQL's DEFAULT_NUM_DISTINCT

std::string join(const std::vector<std::string> &parts, const char *sep) {
    std::string out;
    for (size_t i = 0; i < parts.size(); i++) {
        if (i) out += sep;
        out += parts[i];
    }
    return out;
}

// Share of rows holding `value` in column c, from the most common values.
double value_fraction(const TableInfo &t, const ColumnInfo &c, const std::string &value) {
    double mcv_total = 0;
    for (size_t i = 0; i < c.mcv_values.size(); i++) {
        mcv_total += c.mcv_freqs[i];
        if (c.mcv_values[i] == value) return c.mcv_freqs[i];
        if (c.is_bool && ((value == "true" && c.mcv_values[i] == "t") ||
                          (value == "false" && c.mcv_values[i] == "f")))
            return c.mcv_freqs[i];
    }
    double others = t.distinct_values(c) - static_cast<double>(c.mcv_values.size());
    double rest = 1.0 - mcv_total - c.null_frac;
    if (rest <= 0) return 0;
    return others >= 1 ? rest / others : rest;
}

bool is_common_value(const ColumnInfo &c, const std::string &value) {
    return std::find(c.mcv_values.begin(), c.mcv_values.end(), value) != c.mcv_values.end();
}

// A column named like a key of rows: id, account_id, accountId, ACCOUNT_ID.
bool id_like(const std::string &name) {
    size_t n = name.size();
    auto lower = [&](size_t i) { return std::tolower(static_cast<unsigned char>(name[i])); };
    if (n == 2) return lower(0) == 'i' && lower(1) == 'd';
    if (n < 3) return false;
    if (lower(n - 2) == 'i' && lower(n - 1) == 'd' && name[n - 3] == '_') return true;
    return name[n - 2] == 'I' && name[n - 1] == 'd';  // camelCase
}

// Whether an equality with a constant value of this column can be a partial-index predicate:
// a boolean, or a status-like column (text or enum, few distinct values, the value one of its
// common ones); never a column that holds keys of rows (a foreign key, an id), whose every
// value is as good as another and deserves an index that serves them all.
bool setting_column(const TableInfo &t, const ColumnInfo &c, const std::string &value,
                    const CandidateLimits &limits) {
    if (c.is_bool) return true;
    if (c.type_category != 'S' && c.type_category != 'E') return false;
    if (c.foreign_key || id_like(c.name)) return false;
    return t.distinct_values(c) <= limits.partial_max_distinct && is_common_value(c, value);
}

struct Classified {
    struct Key {
        IndexKey key;
        double distinct;
        bool join;
    };
    std::vector<Key> equality;     // equality / IN keys
    std::vector<IndexKey> ranges;  // range or LIKE-prefix keys (first is used)
    bool pattern_ops = false;
    bool expression = false;
    std::vector<std::string> predicates;  // constant predicates fit for a partial index
    std::vector<int16_t> predicate_columns;
    double predicate_fraction = 1;
    std::vector<std::string> unselective;  // reasons for quals left out
    std::vector<IndexKey> unselective_keys;
    std::vector<std::string> unindexable;  // columns without a btree operator class
    std::vector<IndexKey> unindexable_keys;
    // ORs over several columns: per OR (its number), the columns of its arms.
    std::map<uint16_t, std::vector<int16_t>> ors;
};

bool has_key(const std::vector<IndexKey> &keys, const IndexKey &k) {
    for (const IndexKey &x : keys)
        if (x.attnum == k.attnum && x.expr == k.expr) return true;
    return false;
}

Classified classify(const TableInfo &t, const ScanUse &use, const CandidateLimits &limits) {
    Classified out;
    auto add_equality = [&](IndexKey k, double distinct, bool join) {
        for (const auto &e : out.equality)
            if (e.key.attnum == k.attnum && e.key.expr == k.expr) return;
        out.equality.push_back({k, distinct, join});
    };
    for (const ScanUse::Q &q : use.quals) {
        if (q.source == QualSource::Column) continue;  // a = b within the row: no index
        if (q.attnum == 0) {
            if (q.expr.empty()) continue;
            IndexKey k;
            k.expr = q.expr;
            if (q.kind == QualKind::Equality || q.kind == QualKind::InList) {
                add_equality(k, kDefaultDistinct, false);
                out.expression = true;
            } else if (q.kind == QualKind::Range) {
                out.ranges.push_back(k);
                out.expression = true;
            }
            continue;
        }
        const ColumnInfo *c = t.column(q.attnum);
        if (c == nullptr) continue;
        IndexKey k;
        k.attnum = q.attnum;
        if (!c->btree) {
            if (!has_key(out.unindexable_keys, k)) {
                out.unindexable.push_back(c->name + " (" +
                                          (c->type_name.empty() ? "its type" : c->type_name) +
                                          " has no btree operator class)");
                out.unindexable_keys.push_back(k);
            }
            continue;
        }
        if (q.kind == QualKind::OrArm) {
            std::vector<int16_t> &arms = out.ors[q.nvalues];
            if (std::find(arms.begin(), arms.end(), q.attnum) == arms.end())
                arms.push_back(q.attnum);
            continue;
        }
        switch (q.kind) {
            case QualKind::Equality:
            case QualKind::InList: {
                bool constant = q.source == QualSource::Const && !q.value.empty() &&
                                q.kind == QualKind::Equality;
                if (constant) {
                    double f = value_fraction(t, *c, q.value);
                    // A partial index is for a setting of the statement (a value it always
                    // uses) on a status-like column, not for one example of many values.
                    if (q.recurring && setting_column(t, *c, q.value, limits) &&
                        f <= limits.partial_max_fraction) {
                        if (c->is_bool)
                            out.predicates.push_back(q.value == "true" ? c->name_sql
                                                                       : "NOT " + c->name_sql);
                        else
                            out.predicates.push_back(c->name_sql + " = " + quote_literal(q.value));
                        out.predicate_columns.push_back(q.attnum);
                        out.predicate_fraction *= std::max(f, 1e-6);
                        // Also usable as a key column (the full-index alternative).
                    } else if (c->is_bool || f > 0.5) {
                        out.unselective.push_back(c->name + " (" + q.value + " is in " +
                                                  std::to_string(int(std::lround(f * 100))) +
                                                  "% of rows)");
                        out.unselective_keys.push_back(k);
                        continue;
                    }
                } else if (c->is_bool) {
                    out.unselective.push_back(c->name + " (a boolean)");
                    out.unselective_keys.push_back(k);
                    continue;
                }
                add_equality(k, t.distinct_values(*c), q.source == QualSource::JoinParam);
                break;
            }
            case QualKind::Range:
                out.ranges.push_back(k);
                break;
            case QualKind::LikePrefix:
                k.opclass = c->pattern_opclass;
                if (!k.opclass.empty()) out.pattern_ops = true;
                out.ranges.push_back(k);
                break;
            case QualKind::IsNull:
            case QualKind::IsNotNull: {
                bool is_null = q.kind == QualKind::IsNull;
                double f = is_null ? c->null_frac : 1.0 - c->null_frac;
                out.predicates.push_back(c->name_sql + (is_null ? " IS NULL" : " IS NOT NULL"));
                out.predicate_columns.push_back(q.attnum);
                out.predicate_fraction *= std::max(f, 1e-6);
                break;
            }
            default:
                break;
        }
    }
    // Most selective equality column first.
    std::stable_sort(
        out.equality.begin(), out.equality.end(),
        [](const Classified::Key &a, const Classified::Key &b) { return a.distinct > b.distinct; });
    return out;
}

void add_candidate(CandidateSet &set, Candidate c, uint64_t queryid) {
    for (Candidate &existing : set.candidates) {
        if (existing.same_index(c)) {
            if (std::find(existing.queryids.begin(), existing.queryids.end(), queryid) ==
                existing.queryids.end())
                existing.queryids.push_back(queryid);
            if (!c.or_arm_of.empty() &&
                std::find(existing.or_arm_of.begin(), existing.or_arm_of.end(), queryid) ==
                    existing.or_arm_of.end())
                existing.or_arm_of.push_back(queryid);
            return;
        }
    }
    c.queryids = {queryid};
    set.candidates.push_back(std::move(c));
}

// One index often serves several statements: each full candidate is also planned with the
// other statements of the table that filter on its leading column, so that the choice is made
// against every statement it could serve, not only the one it was derived from. (A partial
// index serves only statements that imply its predicate; it stays with its own.)
void offer_to_other_statements(CandidateSet &set, const std::vector<ScanUse> &uses) {
    for (Candidate &c : set.candidates) {
        if (!c.predicate.empty() || c.keys.empty() || c.keys[0].attnum == 0 ||
            !c.keys[0].opclass.empty())
            continue;
        for (const ScanUse &u : uses) {
            if (std::find(c.queryids.begin(), c.queryids.end(), u.queryid) != c.queryids.end())
                continue;
            bool leads = false;
            for (const ScanUse::Q &q : u.quals)
                leads = leads || (q.attnum == c.keys[0].attnum && q.source != QualSource::Column &&
                                  (q.kind == QualKind::Equality || q.kind == QualKind::InList ||
                                   q.kind == QualKind::Range));
            if (leads) c.queryids.push_back(u.queryid);
        }
    }
}

}  // namespace

const char *candidate_rule_name(CandidateRule r) {
    switch (r) {
        case CandidateRule::Equality:
            return "equality";
        case CandidateRule::EqualityRange:
            return "equality + range";
        case CandidateRule::EqualityOrder:
            return "equality + order by";
        case CandidateRule::Covering:
            return "covering (INCLUDE)";
        case CandidateRule::Partial:
            return "partial";
        case CandidateRule::Expression:
            return "expression";
        case CandidateRule::PatternOps:
            return "LIKE prefix (pattern operator class)";
        case CandidateRule::JoinKey:
            return "join key";
        case CandidateRule::OrArm:
            return "OR arm (BitmapOr)";
    }
    return "unknown";
}

const ColumnInfo *TableInfo::column(int16_t attnum) const {
    for (const ColumnInfo &c : columns)
        if (c.attnum == attnum) return &c;
    return nullptr;
}

double TableInfo::distinct_values(const ColumnInfo &c) const {
    if (c.n_distinct > 0) return c.n_distinct;
    if (c.n_distinct < 0) return -c.n_distinct * std::max(reltuples, 1.0);
    return kDefaultDistinct;
}

std::string Candidate::signature() const {
    std::string s = std::to_string(relid) + ":";
    for (const IndexKey &k : keys) {
        s += k.attnum ? std::to_string(k.attnum) : "(" + k.expr + ")";
        if (!k.opclass.empty()) s += " " + k.opclass;
        if (k.desc) s += " d";
        if (k.nulls_first != k.desc) s += " n";
        s += ",";
    }
    s += "|";
    for (int16_t i : include)
        s += std::to_string(i) + ",";
    s += "|" + predicate;
    return s;
}

bool Candidate::extends(const Candidate &narrower) const {
    if (predicate != narrower.predicate || keys.size() < narrower.keys.size()) return false;
    for (size_t i = 0; i < narrower.keys.size(); i++)
        if (!(keys[i] == narrower.keys[i])) return false;
    for (int16_t a : narrower.include)
        if (std::find(include.begin(), include.end(), a) == include.end()) return false;
    return keys.size() > narrower.keys.size() || include.size() > narrower.include.size();
}

CandidateSet generate_candidates(const TableInfo &t, const std::vector<ScanUse> &uses,
                                 const CandidateLimits &limits) {
    CandidateSet set;
    if (t.catalog) {
        set.table_skipped = "system catalog";
        return set;
    }
    if (t.temporary) {
        set.table_skipped = "temporary table";
        return set;
    }
    if (t.relkind != 'r' && t.relkind != 'p' && t.relkind != 'm') {
        set.table_skipped = "not a table or materialized view";
        return set;
    }
    std::string small;
    if (t.reltuples < limits.min_table_rows)
        small = "small table (" + std::to_string(static_cast<long long>(t.reltuples)) +
                " rows, below pg_advisor.min_table_rows = " +
                std::to_string(static_cast<long long>(limits.min_table_rows)) +
                "): a sequential scan is as cheap";
    for (const ScanUse &use : uses) {
        Classified cl = classify(t, use, limits);
        // Equality keys: the statement's own filters. Join columns (values from the other side
        // of a join) lead only when there is no filter; otherwise they make a separate join-key
        // candidate, the access path of a parameterised nested loop.
        std::vector<IndexKey> eq, join_keys;
        for (const auto &e : cl.equality) {
            if (e.join)
                join_keys.push_back(e.key);
            else if (eq.size() < limits.max_key_columns)
                eq.push_back(e.key);
        }
        bool join_only = eq.empty() && !join_keys.empty();
        if (join_only) {
            eq = join_keys;
            if (eq.size() > limits.max_key_columns) eq.resize(limits.max_key_columns);
            join_keys.clear();
        }
        // The ORDER BY can be served only when it is entirely on this table's columns.
        std::vector<IndexKey> order;
        for (const ScanUse::Order &o : use.order) {
            const ColumnInfo *c = t.column(o.attnum);
            if (c == nullptr || !c->btree) {
                order.clear();
                break;
            }
            IndexKey k;
            k.attnum = o.attnum;
            k.desc = o.desc;
            k.nulls_first = o.nulls_first;
            if (!has_key(eq, k)) order.push_back(k);
        }
        auto base_rule = [&](CandidateRule fallback) {
            if (cl.expression) return CandidateRule::Expression;
            if (join_only) return CandidateRule::JoinKey;
            return fallback;
        };
        auto make = [&](std::vector<IndexKey> keys, CandidateRule rule) {
            Candidate c;
            c.relid = t.relid;
            if (keys.size() > limits.max_key_columns) keys.resize(limits.max_key_columns);
            c.keys = std::move(keys);
            c.rule = rule;
            return c;
        };
        std::vector<Candidate> made;
        // The most selective column alone, so that verification can tell whether the others
        // are worth their bytes (a wider index must beat it by a margin).
        std::vector<Candidate> alternatives;
        if (eq.size() >= 2)
            alternatives.push_back(make({eq.front()}, base_rule(CandidateRule::Equality)));
        if (!join_keys.empty()) alternatives.push_back(make(join_keys, CandidateRule::JoinKey));
        // Several join columns may join several other tables (orders joined to its customer
        // and to its items): each alone is the access path of one nested loop.
        const std::vector<IndexKey> &joined = join_only ? eq : join_keys;
        for (size_t k = 0; joined.size() >= 2 && k < joined.size(); k++)
            if (!(join_only && k == 0))  // the first is already the narrower alternative
                alternatives.push_back(make({joined[k]}, CandidateRule::JoinKey));
        // Only join columns plus a range filter: the filter alone serves a hash join.
        if (join_only && !cl.ranges.empty())
            alternatives.push_back(make({cl.ranges.front()}, cl.ranges.front().opclass.empty()
                                                                 ? CandidateRule::EqualityRange
                                                                 : CandidateRule::PatternOps));
        if (!eq.empty()) made.push_back(make(eq, base_rule(CandidateRule::Equality)));
        if (!cl.ranges.empty()) {
            std::vector<IndexKey> keys = eq;
            if (!has_key(keys, cl.ranges.front())) keys.push_back(cl.ranges.front());
            CandidateRule rule = cl.pattern_ops && !cl.ranges.front().opclass.empty()
                                     ? CandidateRule::PatternOps
                                     : base_rule(eq.empty() ? CandidateRule::EqualityRange
                                                            : CandidateRule::EqualityRange);
            made.push_back(make(keys, rule));
        }
        if (!order.empty()) {
            std::vector<IndexKey> keys = eq;
            keys.insert(keys.end(), order.begin(), order.end());
            made.push_back(make(keys, CandidateRule::EqualityOrder));
        }
        // Covering variant of the widest candidate.
        if (!made.empty() && !use.needs_more && use.needed_columns != 0) {
            const Candidate &widest = made.back();
            std::vector<int16_t> include;
            int32_t width = 0;
            bool fits = true;
            for (int a = 1; a <= 64; a++) {
                if (!(use.needed_columns & (uint64_t{1} << (a - 1)))) continue;
                IndexKey k;
                k.attnum = static_cast<int16_t>(a);
                bool in_keys = false;
                for (const IndexKey &x : widest.keys)
                    in_keys = in_keys || x.attnum == a;
                if (in_keys) continue;
                const ColumnInfo *c = t.column(static_cast<int16_t>(a));
                if (c == nullptr) continue;
                include.push_back(static_cast<int16_t>(a));
                width += c->avg_width;
            }
            // Worth it only if the index stays much narrower than the table: an index holding
            // most of the row is a second copy of the table.
            int32_t key_width = 0, row_width = 0;
            for (const IndexKey &x : widest.keys) {
                const ColumnInfo *c = x.attnum ? t.column(x.attnum) : nullptr;
                key_width += c ? c->avg_width : 16;
            }
            for (const ColumnInfo &c : t.columns)
                row_width += c.avg_width;
            fits = !include.empty() && include.size() <= limits.max_include_columns &&
                   width <= limits.max_include_width && 2 * (key_width + width) <= row_width;
            if (fits) {
                Candidate c = widest;
                c.include = include;
                c.rule = CandidateRule::Covering;
                made.push_back(c);
            }
        }
        // Partial variant: constant predicates move to WHERE; what remains is the key (of the
        // widest full candidate without INCLUDE). Selection costs it against the full ones.
        const Candidate *full = nullptr;
        for (const Candidate &m : made)
            if (m.include.empty()) full = &m;
        if (!cl.predicates.empty()) {
            std::vector<IndexKey> keys;
            const std::vector<IndexKey> &from = full == nullptr ? eq : full->keys;
            for (const IndexKey &k : from) {
                bool in_pred = std::find(cl.predicate_columns.begin(), cl.predicate_columns.end(),
                                         k.attnum) != cl.predicate_columns.end() &&
                               k.attnum != 0;
                if (!in_pred) keys.push_back(k);
            }
            if (keys.empty()) {
                for (const IndexKey &k : order)
                    keys.push_back(k);
            }
            if (keys.empty() && !cl.ranges.empty()) keys.push_back(cl.ranges.front());
            if (keys.empty() && !t.primary_key.empty()) {
                IndexKey k;
                k.attnum = t.primary_key.front();
                keys.push_back(k);
            }
            // Never keyed on its own predicate's column ((status) WHERE status = 'x'): with
            // nothing else to key on, there is no partial form.
            if (!keys.empty()) {
                Candidate c = make(keys, CandidateRule::Partial);
                std::vector<std::string> preds = cl.predicates;
                std::sort(preds.begin(), preds.end());
                preds.erase(std::unique(preds.begin(), preds.end()), preds.end());
                c.predicate = join(preds, " AND ");
                c.predicate_fraction = std::min(1.0, cl.predicate_fraction);
                made.push_back(c);
            }
        }
        // An OR over several columns: one index per arm, after the equality columns.
        for (const auto &[number, columns] : cl.ors) {
            bool indexable = columns.size() >= 2;
            for (int16_t a : columns)
                indexable = indexable && t.column(a) != nullptr && t.column(a)->btree;
            if (!indexable) continue;
            for (int16_t a : columns) {
                IndexKey k;
                k.attnum = a;
                std::vector<IndexKey> keys;
                for (const IndexKey &e : eq)
                    if (!(e.attnum == a && e.expr.empty())) keys.push_back(e);
                keys.push_back(k);
                Candidate c = make(keys, CandidateRule::OrArm);
                c.or_arm_of = {use.queryid};
                made.push_back(std::move(c));
            }
        }
        if (made.empty()) {
            // Say why nothing could be built from this statement's quals.
            auto reject = [&](const std::vector<IndexKey> &keys, const std::string &reason) {
                Candidate c = make(keys, CandidateRule::Equality);
                c.queryids = {use.queryid};
                for (RejectedCandidate &r : set.rejected) {
                    if (r.candidate.same_index(c) && r.reason == reason) {
                        if (std::find(r.candidate.queryids.begin(), r.candidate.queryids.end(),
                                      use.queryid) == r.candidate.queryids.end())
                            r.candidate.queryids.push_back(use.queryid);
                        return;
                    }
                }
                set.rejected.push_back({c, reason});
            };
            if (!cl.unindexable.empty())
                reject(cl.unindexable_keys,
                       "no btree operator class: " + join(cl.unindexable, ", "));
            if (!cl.unselective.empty())
                reject(cl.unselective_keys,
                       "only unselective columns to index: " + join(cl.unselective, ", "));
        }
        for (Candidate &c : alternatives)
            add_candidate(set, std::move(c), use.queryid);
        for (Candidate &c : made)
            add_candidate(set, std::move(c), use.queryid);
    }
    offer_to_other_statements(set, uses);
    // Existing indexes that already serve a candidate reject it.
    std::vector<Candidate> kept;
    for (Candidate &c : set.candidates) {
        if (!small.empty()) {
            set.rejected.push_back({c, small});
        } else if (const ExistingIndex *e = serving_index(t, c)) {
            set.rejected.push_back({c, "already served by index " + e->name});
        } else if (kept.size() < limits.max_candidates_per_table) {
            kept.push_back(std::move(c));
        } else {
            set.rejected.push_back({c, "too many candidates for one table"});
        }
    }
    set.candidates = std::move(kept);
    return set;
}

const ExistingIndex *serving_index(const TableInfo &t, const Candidate &c) {
    if (c.keys.empty()) return nullptr;
    // Equality-only prefix length: the candidate rules put equality keys first; ORDER BY and
    // range keys follow. Treat every key but a trailing ordered/range one as order-free only
    // for the Equality and JoinKey rules.
    size_t free_prefix = (c.rule == CandidateRule::Equality || c.rule == CandidateRule::JoinKey ||
                          c.rule == CandidateRule::Expression)
                             ? c.keys.size()
                             : c.keys.size() - 1;
    for (const ExistingIndex &e : t.indexes) {
        if (!e.valid || !e.btree || e.keys.size() < c.keys.size()) continue;
        // A partial candidate exists for its predicate: only an index with the same one serves
        // it; a partial index serves only statements that imply its predicate.
        if (e.partial != !c.predicate.empty()) continue;
        if (e.partial && canonical_predicate(e.predicate) != canonical_predicate(c.predicate))
            continue;
        auto same = [&](size_t ei, const IndexKey &k) {
            if (k.attnum != 0) return e.keys[ei] == k.attnum;
            return e.keys[ei] == 0 && ei < e.exprs.size() && e.exprs[ei] == k.expr;
        };
        bool ok = true;
        for (size_t i = 0; i < free_prefix && ok; i++) {
            bool found = false;
            for (size_t j = 0; j < free_prefix && !found; j++)
                found = same(j, c.keys[i]);
            ok = found;
        }
        // The ordered suffix: same directions, or all reversed (a backward scan).
        bool forward = true, backward = true;
        for (size_t i = free_prefix; i < c.keys.size() && ok; i++) {
            ok = same(i, c.keys[i]);
            bool edesc = i < e.desc.size() && e.desc[i];
            forward = forward && edesc == c.keys[i].desc;
            backward = backward && edesc != c.keys[i].desc;
        }
        ok = ok && (forward || backward);
        for (const IndexKey &k : c.keys)
            if (!k.opclass.empty()) ok = false;  // pattern operator classes: not comparable
        if (ok && !c.include.empty()) {
            for (int16_t a : c.include) {
                bool present = false;
                for (int16_t x : e.keys)
                    present = present || x == a;
                for (int16_t x : e.include)
                    present = present || x == a;
                ok = ok && present;
            }
        }
        if (ok) return &e;
    }
    return nullptr;
}

std::vector<std::string> key_column_names(const TableInfo &t, const Candidate &c) {
    std::vector<std::string> out;
    for (const IndexKey &k : c.keys) {
        std::string s;
        if (k.attnum) {
            const ColumnInfo *col = t.column(k.attnum);
            s = col ? col->name_sql : "#" + std::to_string(k.attnum);
        } else {
            s = "(" + k.expr + ")";
        }
        if (!k.opclass.empty()) s += " " + k.opclass;
        if (k.desc) s += " DESC";
        if (k.nulls_first != k.desc) s += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
        out.push_back(s);
    }
    return out;
}

std::vector<std::string> include_column_names(const TableInfo &t, const Candidate &c) {
    std::vector<std::string> out;
    for (int16_t a : c.include) {
        const ColumnInfo *col = t.column(a);
        out.push_back(col ? col->name_sql : "#" + std::to_string(a));
    }
    return out;
}

std::string candidate_form(const TableInfo &t, const Candidate &c) {
    std::string form = "(" + join(key_column_names(t, c), ", ") + ")";
    if (!c.include.empty()) form += " INCLUDE (" + join(include_column_names(t, c), ", ") + ")";
    if (!c.predicate.empty()) form += " WHERE " + c.predicate;
    return form;
}

std::string candidate_ddl(const TableInfo &t, const Candidate &c, bool concurrently) {
    std::string ddl = "CREATE INDEX ";
    if (concurrently && t.relkind != 'p') ddl += "CONCURRENTLY ";
    return ddl + "ON " + t.name_sql + " USING btree " + candidate_form(t, c);
}

double index_data_width(const TableInfo &t, const Candidate &c, SizeModel model) {
    const double expr_default = model == SizeModel::HypoPG ? 50 : 32;
    auto expr_width = [&](const std::string &e) {
        // lower(col) / upper(col): the column's width.
        for (const char *f : {"lower(", "upper("}) {
            size_t n = std::char_traits<char>::length(f);
            if (e.size() > n + 1 && e.compare(0, n, f) == 0 && e.back() == ')') {
                std::string inner = e.substr(n, e.size() - n - 1);
                for (const ColumnInfo &col : t.columns)
                    if (inner == col.name || inner == col.name_sql) return double(col.avg_width);
            }
        }
        if (e.compare(0, 4, "md5(") == 0) return 32.0;
        return expr_default;
    };
    double width = 0;
    for (const IndexKey &k : c.keys) {
        const ColumnInfo *col = k.attnum ? t.column(k.attnum) : nullptr;
        width += col ? col->avg_width : expr_width(k.expr);
    }
    for (int16_t a : c.include) {
        const ColumnInfo *col = t.column(a);
        width += col ? col->avg_width : 8;
    }
    return width;
}

double index_distinct_keys(const TableInfo &t, const Candidate &c) {
    KeyDistinct k = key_distinct_bounds(t, c);
    if (k.high <= 0) return 0;
    return c.distinct_keys > 0 ? std::min(std::max(c.distinct_keys, k.low), k.high) : k.high;
}

BtreeSize estimate_index_size(const TableInfo &t, const Candidate &c, SizeModel model) {
    double tuples = t.reltuples * c.predicate_fraction;
    double distinct = std::min(index_distinct_keys(t, c), tuples);
    return estimate_btree(model, tuples, index_data_width(t, c, model),
                          static_cast<int>(c.keys.size() + c.include.size()), distinct);
}

double estimate_index_bytes(const TableInfo &t, const Candidate &c) {
    return estimate_index_size(t, c).pages * 8192;
}

std::string canonical_predicate(std::string_view text) {
    // Tokens without parentheses and casts, split at top-level AND, sorted.
    std::vector<std::string> terms(1);
    size_t pos = 0;
    while (pos < text.size()) {
        size_t start = sql::skip_space_and_comments(text, pos);
        if (start >= text.size()) break;
        size_t end = sql::skip_token(text, start);
        if (end <= start) end = start + 1;
        std::string_view tok = text.substr(start, end - start);
        pos = end;
        if (tok == "(" || tok == ")") continue;
        if (tok == ":" && pos < text.size() && text[pos] == ':') pos++, tok = "::";
        if (tok == "::") {
            // Skip the type name (one or more words, e.g. "timestamp with time zone", "text[]").
            size_t p = sql::skip_space_and_comments(text, pos);
            while (p < text.size() && sql::is_ident_start(static_cast<unsigned char>(text[p]))) {
                pos = sql::skip_token(text, p);
                p = sql::skip_space_and_comments(text, pos);
                std::string_view next = text.substr(p, sql::skip_token(text, p) - p);
                bool more = next == "with" || next == "without" || next == "time" ||
                            next == "zone" || next == "varying" || next == "precision";
                if (!more) break;
            }
            continue;
        }
        std::string word(tok);
        bool ident = sql::is_ident_start(static_cast<unsigned char>(word[0]));
        if (ident)
            for (char &ch : word)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (ident && word == "and") {
            terms.emplace_back();
            continue;
        }
        if (!terms.back().empty()) terms.back() += ' ';
        terms.back() += word;
    }
    std::sort(terms.begin(), terms.end());
    terms.erase(std::remove(terms.begin(), terms.end(), std::string()), terms.end());
    return join(terms, " AND ");
}

std::string quote_literal(const std::string &value) {
    std::string out = "'";
    for (char ch : value) {
        if (ch == '\'') out += '\'';
        out += ch;
    }
    return out + "'";
}

}  // namespace pg_advisor
