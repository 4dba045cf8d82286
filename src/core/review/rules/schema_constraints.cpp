// Constraints: SCH-04 fk_type_mismatch, SCH-05 nullable_fk, SCH-12 not_valid_constraint_left,
// SCH-17 duplicate_or_overlapping_fk, SCH-20 cross_schema_fk_and_ownership. Foreign keys a
// partition inherited (conparentid set) are judged once, on the partitioned table's constraint.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/review/rules/table_facts.h"
#include "core/review/rules/schema_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Column;
using catalog::Constraint;
using catalog::Table;

// Calls fn(child, fk, parent-or-null) for every own foreign key of a user table.
template <typename Fn>
void for_each_fk(const catalog::CatalogSnapshot &cat, Fn fn) {
    for (const Constraint &c : cat.constraints) {
        if (c.type != 'f' || c.parent != 0 || c.columns.empty()) continue;
        const Table *child = cat.table(c.table);
        if (child == nullptr || !facts::is_user_table(*child)) continue;
        fn(*child, c, cat.table(c.ref_table));
    }
}

std::string alter(const Table &t) {
    return "ALTER TABLE " + t.qualified() + " ";
}

// The constraint's definition with the referenced table schema-qualified (the server prints it
// relative to the reader's search_path) and optionally MATCH FULL; "" when it cannot be built.
std::string fk_definition(const Constraint &fk, const Table *parent, bool match_full) {
    const std::string &def = fk.definition;
    size_t ref = def.find(" REFERENCES ");
    size_t open = ref == std::string::npos ? ref : def.find('(', ref);
    size_t close = open == std::string::npos ? open : def.find(')', open);
    if (close == std::string::npos) return "";
    std::string target = parent ? parent->qualified() + def.substr(open, close + 1 - open)
                                : def.substr(ref + 12, close + 1 - ref - 12);
    std::string rest = def.substr(close + 1);
    if (match_full && rest.find("MATCH ") != std::string::npos) return "";
    return def.substr(0, ref) + " REFERENCES " + target + (match_full ? " MATCH FULL" : "") + rest;
}

std::string readd_sql(const Table &t, const std::string &name, const std::string &definition) {
    std::string q = catalog::quote_ident(name);
    return alter(t) + "ADD CONSTRAINT " + q + " " + definition + " NOT VALID;\n" + alter(t) +
           "VALIDATE CONSTRAINT " + q + ";";
}

}  // namespace

// ---- fk_type_mismatch

void fk_type_mismatch(RuleContext &cx) {
    for_each_fk(cx.catalog(), [&](const Table &t, const Constraint &fk, const Table *parent) {
        if (parent == nullptr) return;
        std::string fix, undo, pairs;
        bool type_differs = false, narrower = false;
        std::vector<std::string> details;
        for (size_t i = 0; i < fk.columns.size() && i < fk.ref_columns.size(); i++) {
            const Column *c = facts::column_at(t, fk.columns[i]);
            const Column *p = facts::column_at(*parent, fk.ref_columns[i]);
            if (!c || !p || (c->type_oid == p->type_oid && c->typmod == p->typmod)) continue;
            type_differs = type_differs || c->type_oid != p->type_oid;
            int64_t cmax = facts::integer_type_max(c->type_oid);
            narrower = narrower || (cmax > 0 && cmax < facts::integer_type_max(p->type_oid));
            std::string col = catalog::quote_ident(c->name);
            fix +=
                std::string(fix.empty() ? "" : ", ") + "ALTER COLUMN " + col + " TYPE " + p->type;
            undo +=
                std::string(undo.empty() ? "" : ", ") + "ALTER COLUMN " + col + " TYPE " + c->type;
            details.push_back(c->name + " " + c->type + " -> " + parent->name + "." + p->name +
                              " " + p->type);
        }
        if (details.empty()) return;
        Finding f = cx.make("table", t.qualified(), fk.name);
        f.severity = narrower ? Severity::High : type_differs ? Severity::Medium : Severity::Low;
        f.title = "Foreign key " + fk.name + " of " + t.qualified() +
                  " has columns of another type than the key it references";
        f.evidence.add("constraint", fk.name)
            .add("referenced_table", parent->qualified())
            .add("mismatches", details)
            .add("narrower_integer", narrower)
            .add("table_rows", facts::table_rows(t));
        f.recommendation = "Give the referencing columns the referenced columns' types.";
        f.why = narrower ? "The referencing column holds smaller integers than the key: once the "
                           "parent's ids pass its maximum, inserts here fail."
                         : "Comparisons across types need casts: joins and the foreign key's own "
                           "checks may not use indexes, and values can be truncated or rejected.";
        f.fix_sql = alter(t) + fix + ";";
        f.undo_sql = alter(t) + undo + ";";
        f.steps = rewrite_steps(t, facts::table_rows(t), {});
        f.current_state = fk.definition;
        f.impact = facts::table_rows(t);
        f.impact_unit = "rows";
        cx.add(std::move(f));
    });
}

// ---- nullable_fk

void nullable_fk(RuleContext &cx) {
    for_each_fk(cx.catalog(), [&](const Table &t, const Constraint &fk, const Table *parent) {
        std::vector<std::string> nullable;
        for (int16_t a : fk.columns) {
            const Column *c = facts::column_at(t, a);
            if (c && !c->not_null) nullable.push_back(c->name);
        }
        bool multi = fk.columns.size() > 1;
        if (nullable.empty() || (multi && fk.match_type == 'f')) return;
        Finding f = cx.make("table", t.qualified(), fk.name);
        f.evidence.add("constraint", fk.name)
            .add("nullable_columns", nullable)
            .add("match", fk.match_type == 'f'   ? "FULL"
                          : fk.match_type == 'p' ? "PARTIAL"
                                                 : "SIMPLE");
        f.current_state = fk.definition;
        if (!multi) {
            f.severity = Severity::Info;
            f.title = "Foreign key " + fk.name + " of " + t.qualified() + " allows NULL (" +
                      nullable[0] + ")";
            f.recommendation = "If every row must reference a " +
                               (parent ? parent->qualified() : std::string("parent")) +
                               " row, make " + nullable[0] +
                               " NOT NULL; if the relation is "
                               "optional, nothing to do.";
            f.why = "A NULL foreign key is not checked: the row simply has no parent.";
            cx.add(std::move(f));
            return;
        }
        f.severity = Severity::Medium;
        f.title = "Multi-column foreign key " + fk.name + " of " + t.qualified() +
                  " is MATCH SIMPLE with nullable columns";
        f.recommendation =
            "Recreate it as MATCH FULL (NOT VALID, then VALIDATE), or make its "
            "columns NOT NULL.";
        f.why =
            "With MATCH SIMPLE, a row with any NULL among the key columns is not checked at "
            "all: its other columns can hold values no parent row has.";
        std::string def = fk_definition(fk, parent, true);
        if (!def.empty()) {
            std::string tmp =
                fk.name.size() < 58 ? fk.name + "_full" : fk.name.substr(0, 58) + "_full";
            f.fix_sql = readd_sql(t, tmp, def) + "\n" + alter(t) + "DROP CONSTRAINT " +
                        catalog::quote_ident(fk.name) + ";\n" + alter(t) + "RENAME CONSTRAINT " +
                        catalog::quote_ident(tmp) + " TO " + catalog::quote_ident(fk.name) + ";";
            f.undo_sql = alter(t) + "DROP CONSTRAINT " + catalog::quote_ident(fk.name) + ";\n" +
                         readd_sql(t, fk.name, fk_definition(fk, parent, false));
            f.steps = {
                "Find rows with some but not all key columns NULL first: SELECT count(*) "
                "FROM " +
                    t.qualified() + " WHERE num_nulls(" + facts::column_list_sql(t, fk.columns) +
                    ") NOT IN (0, " + std::to_string(fk.columns.size()) +
                    "); VALIDATE fails on them.",
                "ADD ... NOT VALID takes a short lock; VALIDATE scans without blocking "
                "writes."};
        }
        cx.add(std::move(f));
    });
}

// ---- not_valid_constraint_left

void not_valid_constraint_left(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    for (const Constraint &c : cat.constraints) {
        if (c.validated || c.parent != 0) continue;
        const Table *t = cat.table(c.table);
        if (t == nullptr || !facts::is_user_table(*t)) continue;
        const char *kind = c.type == 'f' ? "foreign key" : c.type == 'c' ? "check" : "constraint";
        Finding f = cx.make("table", t->qualified(), c.name);
        f.title = std::string("The ") + kind + " constraint " + c.name + " of " + t->qualified() +
                  " was never validated";
        f.evidence.add("constraint", c.name)
            .add("type", std::string(1, c.type))
            .add("definition", c.definition)
            .add("table_rows", facts::table_rows(*t));
        f.recommendation = "Validate it: the existing rows have not been checked.";
        f.why =
            "A NOT VALID constraint checks only new and updated rows; rows from before may "
            "violate it, and the planner cannot rely on it (constraint exclusion, join "
            "removal).";
        f.fix_sql = alter(*t) + "VALIDATE CONSTRAINT " + catalog::quote_ident(c.name) + ";";
        f.steps = {"VALIDATE scans " + t->qualified() +
                       " under a SHARE UPDATE EXCLUSIVE lock "
                       "(reads and writes continue).",
                   "If it fails, fix or delete the rows it names, then run it again."};
        f.verify = "SELECT convalidated FROM pg_constraint WHERE conname = " +
                   catalog::quote_literal(c.name) +
                   " AND conrelid = " + catalog::quote_literal(t->qualified()) +
                   "::regclass; returns true.";
        f.current_state = c.definition + " NOT VALID";
        f.impact = facts::table_rows(*t);
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

// ---- duplicate_or_overlapping_fk

namespace {

std::string fk_signature(const Constraint &fk) {
    std::vector<std::pair<int16_t, int16_t>> pairs;
    for (size_t i = 0; i < fk.columns.size() && i < fk.ref_columns.size(); i++)
        pairs.emplace_back(fk.columns[i], fk.ref_columns[i]);
    std::sort(pairs.begin(), pairs.end());
    std::string s = std::to_string(fk.ref_table) + ":";
    for (auto &p : pairs)
        s += std::to_string(p.first) + "=" + std::to_string(p.second) + ",";
    return s;
}

bool shares_column(const Constraint &a, const Constraint &b) {
    for (int16_t x : a.columns)
        if (std::find(b.columns.begin(), b.columns.end(), x) != b.columns.end()) return true;
    return false;
}

void report_duplicate_fk(RuleContext &cx, const Table &t, const Constraint &dup,
                         const Constraint &kept, const Table *parent) {
    Finding f = cx.make("table", t.qualified(), dup.name);
    f.severity = Severity::Medium;
    f.title = "Foreign key " + dup.name + " of " + t.qualified() + " duplicates " + kept.name;
    f.evidence.add("constraint", dup.name)
        .add("duplicate_of", kept.name)
        .add("definition", dup.definition);
    f.recommendation = "Drop " + dup.name + ": " + kept.name + " enforces the same reference.";
    f.why =
        "Each foreign key runs its own trigger checks on every insert and update here and on "
        "every delete in the parent: the duplicate doubles that work for nothing.";
    f.fix_sql = alter(t) + "DROP CONSTRAINT " + catalog::quote_ident(dup.name) + ";";
    std::string def = fk_definition(dup, parent, false);
    if (!def.empty()) f.undo_sql = readd_sql(t, dup.name, def);
    f.current_state = dup.definition + "\n" + kept.definition;
    cx.add(std::move(f));
}

void report_overlap(RuleContext &cx, const Table &t, const Constraint &a, const Constraint &b) {
    Finding f = cx.make("table", t.qualified(), a.name + "|" + b.name);
    f.severity = Severity::Low;
    f.title = "Foreign keys " + a.name + " and " + b.name + " of " + t.qualified() +
              " overlap on the same referenced table";
    f.evidence.add("constraints", std::vector<std::string>{a.name, b.name})
        .add("definitions", std::vector<std::string>{a.definition, b.definition});
    f.recommendation =
        "Check whether one of them is meant to be the other: keep the one that "
        "matches the referenced key and drop the other.";
    f.why =
        "Two foreign keys sharing columns towards one table usually mean a migration added "
        "the composite key without removing the single-column one.";
    f.current_state = a.definition + "\n" + b.definition;
    cx.add(std::move(f));
}

}  // namespace

void duplicate_or_overlapping_fk(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    // table -> referenced table -> its foreign keys (small groups: pairwise is fine within).
    std::unordered_map<uint32_t, std::map<uint32_t, std::vector<const Constraint *>>> groups;
    for_each_fk(cat, [&](const Table &t, const Constraint &fk, const Table *) {
        groups[t.oid][fk.ref_table].push_back(&fk);
    });
    for (auto &by_table : groups) {
        const Table &t = *cat.table(by_table.first);
        for (auto &by_parent : by_table.second) {
            std::vector<const Constraint *> &fks = by_parent.second;
            std::sort(fks.begin(), fks.end(), [](const Constraint *a, const Constraint *b) {
                return a->validated != b->validated ? a->validated : a->name < b->name;
            });
            std::unordered_map<std::string, const Constraint *> first;
            for (size_t i = 0; i < fks.size(); i++) {
                auto ins = first.emplace(fk_signature(*fks[i]), fks[i]);
                if (!ins.second) {
                    report_duplicate_fk(cx, t, *fks[i], *ins.first->second,
                                        cat.table(by_parent.first));
                    continue;
                }
                for (size_t j = 0; j < i; j++)
                    if (fk_signature(*fks[j]) != fk_signature(*fks[i]) &&
                        shares_column(*fks[i], *fks[j]))
                        report_overlap(cx, t, *fks[std::min(i, j)], *fks[std::max(i, j)]);
            }
        }
    }
}

// ---- cross_schema_fk_and_ownership

namespace {

const char *alter_kind(char relkind) {
    switch (relkind) {
        case 'v':
            return "ALTER VIEW ";
        case 'm':
            return "ALTER MATERIALIZED VIEW ";
        case 'f':
            return "ALTER FOREIGN TABLE ";
        default:
            return "ALTER TABLE ";
    }
}

void report_mixed_owners(RuleContext &cx, const std::string &schema,
                         const std::vector<const Table *> &rels) {
    std::map<std::string, int> owners;
    for (const Table *r : rels)
        owners[r->owner]++;
    if (owners.size() < 2) return;
    std::string main_owner;
    int most = 0;
    for (auto &o : owners)
        if (o.second > most) main_owner = o.first, most = o.second;
    std::vector<std::string> listed, others;
    std::string fix, undo;
    for (auto &o : owners)
        listed.push_back(o.first + " (" + std::to_string(o.second) + ")");
    for (const Table *r : rels) {
        if (r->owner == main_owner) continue;
        others.push_back(r->qualified());
        fix += std::string(fix.empty() ? "" : "\n") + alter_kind(r->relkind) + r->qualified() +
               " OWNER TO " + catalog::quote_ident(main_owner) + ";";
        undo += std::string(undo.empty() ? "" : "\n") + alter_kind(r->relkind) + r->qualified() +
                " OWNER TO " + catalog::quote_ident(r->owner) + ";";
    }
    Finding f = cx.make("schema", catalog::quote_ident(schema), "owners");
    f.severity = Severity::Low;
    f.title =
        "Schema " + schema + " has relations owned by " + std::to_string(owners.size()) + " roles";
    f.evidence.add("owners", listed)
        .add("main_owner", main_owner)
        .add("other_owner_relations", others);
    f.recommendation =
        "Give the schema's relations one owner (the role migrations run as), so "
        "that DDL, grants and default privileges behave the same for all of them.";
    f.why =
        "Only the owner can ALTER or DROP a relation: with mixed owners, migrations fail on "
        "some tables, and ALTER DEFAULT PRIVILEGES of one owner misses the others' tables.";
    f.fix_sql = fix;
    f.undo_sql = undo;
    f.impact = static_cast<double>(others.size());
    cx.add(std::move(f));
}

}  // namespace

void cross_schema_fk_and_ownership(RuleContext &cx) {
    const catalog::CatalogSnapshot &cat = cx.catalog();
    for_each_fk(cat, [&](const Table &t, const Constraint &fk, const Table *parent) {
        if (parent == nullptr || parent->schema == t.schema) return;
        Finding f = cx.make("table", t.qualified(), fk.name);
        f.severity = Severity::Info;
        f.title = "Foreign key " + fk.name + " of " + t.qualified() + " references " +
                  parent->qualified() + " in another schema";
        f.evidence.add("constraint", fk.name).add("referenced_table", parent->qualified());
        f.recommendation =
            "Keep it if the schemas are deployed together; otherwise move the "
            "tables into one schema or drop the cross-schema reference.";
        f.why =
            "A foreign key across schemas ties their lifecycles: dropping, restoring or "
            "moving one schema alone fails or needs CASCADE.";
        f.current_state = fk.definition;
        cx.add(std::move(f));
    });
    std::map<std::string, std::vector<const Table *>> by_schema;
    for (const Table &t : cat.tables)
        if (!t.extension_member && !t.is_partition) by_schema[t.schema].push_back(&t);
    for (auto &s : by_schema) {
        report_mixed_owners(cx, s.first, s.second);
        const catalog::Schema *schema = cat.schema(s.first);
        if (schema == nullptr || !schema->owner_is_superuser || schema->system) continue;
        Finding f = cx.make("schema", catalog::quote_ident(s.first), "superuser_owner");
        f.severity = Severity::Info;
        f.title = "Schema " + s.first + " is owned by the superuser " + schema->owner;
        f.evidence.add("owner", schema->owner)
            .add("relations", static_cast<int64_t>(s.second.size()));
        f.recommendation =
            "Let an application owner role own the schema and run migrations as "
            "that role, not as a superuser.";
        f.why =
            "Objects created by a superuser bypass privilege checks during migrations, so "
            "permission mistakes surface only in production.";
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::rules
