// Primary keys: SCH-01 no_primary_key, SCH-03 int_key_design, SCH-19 pk_design.
#include "core/review/rules/index_ddl.h"
#include "core/review/rules/table_facts.h"
#include "core/review/rules/schema_rules.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review::rules {

namespace {

using catalog::Column;
using catalog::Index;
using catalog::Table;

const Index *primary_key(const Table &t) {
    for (const Index &ix : t.indexes)
        if (ix.primary) return &ix;
    return nullptr;
}

// A valid full unique index on NOT NULL plain columns: a key in all but name.
const Index *usable_unique_key(const Table &t) {
    for (const Index &ix : t.indexes) {
        if (!ix.unique || !ix.valid || ix.partial || ix.keys.empty()) continue;
        bool ok = true;
        for (int16_t a : ix.keys) {
            const Column *c = a ? facts::column_at(t, a) : nullptr;
            ok = ok && c && c->not_null;
        }
        if (ok) return &ix;
    }
    return nullptr;
}

// Whether ADD PRIMARY KEY USING INDEX accepts the index: a valid plain btree index (no
// expression, no predicate) not already backing a constraint, every key in its default sort
// order with the type's default operator class and no explicit collation.
bool promotable(const Index &ix) {
    if (ix.am != "btree" || ix.relkind != 'i' || ix.constraint_oid != 0 || ix.partial ||
        !ix.valid || ix.exclusion)
        return false;
    for (size_t k = 0; k < ix.keys.size(); k++) {
        bool plain = ix.keys[k] != 0 && k < ix.default_opclass.size() && ix.default_opclass[k] &&
                     !(k < ix.descending.size() && ix.descending[k]) &&
                     !(k < ix.nulls_first.size() && ix.nulls_first[k]) &&
                     !(k < ix.collations.size() && !ix.collations[k].empty());
        if (!plain) return false;
    }
    return true;
}

// A name for a new surrogate key column: id, <table>_id, pk_id, ...
std::string free_column_name(const Table &t) {
    for (std::string name : {std::string("id"), t.name + "_id", std::string("pk_id")})
        if (t.column(name) == nullptr) return name;
    return "pk_id_" + std::to_string(t.columns.size() + 1);
}

const char *replica_identity_name(char r) {
    switch (r) {
        case 'f':
            return "full";
        case 'i':
            return "index";
        case 'n':
            return "nothing";
        default:
            return "default";
    }
}

void fix_with_unique(Finding &f, const Table &t, const Index &key) {
    std::string name = catalog::quote_ident(key.name);
    f.fix_sql = "ALTER TABLE " + t.qualified() + " ADD CONSTRAINT " + name +
                " PRIMARY KEY USING INDEX " + name + ";";
    f.undo_sql = "ALTER TABLE " + t.qualified() + " DROP CONSTRAINT " + name + ";\n" +
                 ddl::recreate_index(t, key);
    f.recommendation = "Promote the unique index " + key.name +
                       " (all its columns are NOT NULL) to the primary key.";
    f.steps = {
        "ADD CONSTRAINT ... USING INDEX takes an ACCESS EXCLUSIVE lock for a moment and "
        "does not rebuild the index."};
}

void fix_with_identity(Finding &f, const Table &t, double rows) {
    std::string col = catalog::quote_ident(free_column_name(t));
    f.fix_sql = "ALTER TABLE " + t.qualified() + " ADD COLUMN " + col +
                " bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;";
    f.undo_sql = "ALTER TABLE " + t.qualified() + " DROP COLUMN " + col + ";";
    f.recommendation =
        "Add a primary key: the natural key if the rows have one (a unique index "
        "built CONCURRENTLY, then ADD PRIMARY KEY USING INDEX), else a bigint "
        "identity column.";
    f.steps = {"Adding an identity column rewrites " + t.qualified() + " (" +
                   facts::human_count(rows) +
                   " rows) under an ACCESS EXCLUSIVE lock: on a large "
                   "table, add the column nullable with a sequence default, backfill in "
                   "batches, build the unique index CONCURRENTLY, then ADD PRIMARY KEY USING "
                   "INDEX.",
               "If duplicate rows exist, decide which to keep before adding a natural key."};
}

}  // namespace

void no_primary_key(RuleContext &cx) {
    double high_rows = cx.threshold("no_primary_key_high_rows");
    double block = facts::block_size(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        if (!facts::is_designed_table(t) || primary_key(t)) continue;
        double rows = facts::table_rows(t);
        const Index *key = usable_unique_key(t);
        Finding f = cx.make("table", t.qualified(), "");
        f.severity = key ? Severity::Low : rows >= high_rows ? Severity::High : Severity::Medium;
        f.title = "Table " + t.qualified() + " has no primary key";
        f.evidence.add("table_rows", rows)
            .add("table_bytes", facts::table_bytes(t, block))
            .add("replica_identity", replica_identity_name(t.replica_identity))
            .add("unique_not_null_index", key ? key->name : "")
            .add("updates_and_deletes", facts::updates_and_deletes(t))
            .add("high_rows", high_rows);
        f.why =
            "Without a primary key, rows cannot be addressed reliably (duplicates slip in), "
            "logical replication cannot replicate UPDATE and DELETE (replica identity " +
            std::string(replica_identity_name(t.replica_identity)) +
            "), and ORMs and tools that need a key fall back to whole-row matching.";
        f.impact = rows;
        f.impact_unit = "rows";
        if (key && t.relkind == 'r' && promotable(*key))
            fix_with_unique(f, t, *key);
        else if (t.relkind == 'r')
            fix_with_identity(f, t, rows);
        else
            f.recommendation =
                "Add a primary key that includes the partition key columns "
                "(a partitioned table's unique constraints must).";
        f.verify = "SELECT conname FROM pg_constraint WHERE conrelid = " +
                   catalog::quote_literal(t.qualified()) +
                   "::regclass AND contype = 'p'; "
                   "returns one row.";
        cx.add(std::move(f));
    }
}

void int_key_design(RuleContext &cx) {
    double min_rows = cx.threshold("int_key_design_min_rows");
    double low_rows = cx.threshold("int_key_design_low_rows");
    KeyWidening widen(cx.catalog());
    for (const Table &t : cx.catalog().tables) {
        const Index *pk = facts::is_designed_table(t) ? primary_key(t) : nullptr;
        double rows = facts::table_rows(t);
        if (pk == nullptr || rows < min_rows) continue;
        for (int16_t a : pk->keys) {
            const Column *c = a ? facts::column_at(t, a) : nullptr;
            if (c == nullptr || (c->type_oid != 21 && c->type_oid != 23)) continue;
            Finding f = cx.make("column", facts::column_object(t, *c), "");
            f.severity = rows >= low_rows || c->type_oid == 21 ? Severity::Low : Severity::Info;
            f.title = "Primary key column " + c->name + " of " + t.qualified() + " is " + c->type;
            f.evidence.add("table", t.qualified())
                .add("column", c->name)
                .add("type", c->type)
                .add("type_max", facts::integer_type_max(c->type_oid))
                .add("table_rows", rows)
                .add("min_rows", min_rows);
            f.recommendation =
                "Use bigint for keys of tables that grow: widening later means a "
                "rewrite of this table and of every table referencing it.";
            f.why = c->type + " ends at " +
                    facts::human_count(static_cast<double>(facts::integer_type_max(c->type_oid))) +
                    "; sequences also burn values on rolled-back inserts, so the limit comes "
                    "sooner than the row count suggests.";
            f.fix_sql = widen.sql(t, *c);
            f.fix_key = widen_column_fix_key(facts::column_object(t, *c));
            f.steps = rewrite_steps(t, rows, {});
            f.impact = rows;
            f.impact_unit = "rows";
            cx.add(std::move(f));
        }
    }
}

void pk_design(RuleContext &cx) {
    double max_columns = cx.threshold("pk_design_max_columns");
    for (const Table &t : cx.catalog().tables) {
        const Index *pk = facts::is_designed_table(t) ? primary_key(t) : nullptr;
        if (pk == nullptr || pk->keys.empty()) continue;
        auto add = [&](const char *code, Severity s, std::string title, std::string rec) {
            Finding f = cx.make("table", t.qualified(), code);
            f.severity = s;
            f.title = std::move(title);
            f.recommendation = std::move(rec);
            f.evidence.add("smell", code)
                .add("primary_key", pk->name)
                .add("key_columns", facts::key_names(t, *pk))
                .add("table_rows", facts::table_rows(t));
            f.current_state = ddl::index_definition(t, *pk);
            cx.add(std::move(f));
        };
        if (pk->keys.size() > max_columns)
            add("composite_pk", Severity::Low,
                "Primary key of " + t.qualified() + " has " + std::to_string(pk->keys.size()) +
                    " columns",
                "Use a surrogate bigint identity key and keep the natural key as a UNIQUE "
                "constraint: every foreign key to this table must repeat all the key columns.");
        const Column *first = facts::column_at(t, pk->keys[0]);
        if (pk->keys.size() == 1 && first && first->type_category == "S")
            add("natural_key_pk", Severity::Info,
                "Primary key of " + t.qualified() + " is the text column " + first->name,
                "Natural text keys change (renames, case, typos) and widen every referencing "
                "row and index: prefer a bigint identity key with a UNIQUE constraint on " +
                    first->name + ".");
        if (pk->keys.size() == 1 && first && !t.columns.empty() &&
            t.columns.front().attnum != first->attnum)
            add("pk_not_first", Severity::Info,
                "Primary key column " + first->name + " of " + t.qualified() +
                    " is not the first column",
                "Put the key first when the table is created or rebuilt: readers of SELECT * "
                "and of dumps expect it there.");
    }
}

}  // namespace pg_advisor::review::rules
