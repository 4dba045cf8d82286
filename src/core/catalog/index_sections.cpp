// Snapshot sections of the relation family, continued: indexes, constraints and sequences (see
// relation_sections.cpp for the locking rules these queries follow).
#include "core/catalog/relation_sections.h"

#include <algorithm>

#include "core/catalog/definitions.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::catalog {

namespace {

// Sequences whose last value is read (each read locks the sequence until the snapshot ends).
constexpr int kSequenceValueLimit = 1000;

// ---- indexes

enum IndexCol {
    kIxTable,
    kIxOid,
    kIxName,
    kIxAm,
    kIxKind,
    kIxUnique,
    kIxPrimary,
    kIxExclusion,
    kIxValid,
    kIxReady,
    kIxLive,
    kIxReplident,
    kIxNullsNotDistinct,
    kIxBeingBuilt,
    kIxKeys,
    kIxKeyCount,
    kIxOpclasses,
    kIxDefaultOpclasses,
    kIxCollations,
    kIxOptions,
    kIxExpressions,
    kIxPartial,
    kIxPredicate,
    kIxConstraint,
    kIxPages,
    kIxTuples,
    kIxScans,
    kIxTuplesRead,
    kIxLastScan,
    kIxParent,
    kIxRelOptions,
    kIxTextsKnown,
    kIxOpclassSchemas,
    kIxCollationSchemas,
};

// Operator classes (name, default for its type) and collations of the keys: joined for the
// first four keys (nearly every index), aggregated per index beyond (a correlated subquery per
// index, or one aggregation over all keys, would cost more than the rest of the query).
constexpr int kJoinedKeys = 4;  // kWideKeysCte: more than 4

std::string key_joins() {
    std::string sql;
    for (int k = 0; k < kJoinedKeys; k++) {
        std::string n = std::to_string(k);
        sql += "LEFT JOIN pg_opclass o" + n + " ON o" + n + ".oid = i.indclass[" + n + "] " +
               "LEFT JOIN pg_namespace on" + n + " ON on" + n + ".oid = o" + n + ".opcnamespace " +
               "LEFT JOIN pg_collation c" + n + " ON c" + n + ".oid = i.indcollation[" + n + "] " +
               "LEFT JOIN pg_namespace cn" + n + " ON cn" + n + ".oid = c" + n + ".collnamespace ";
    }
    return sql;
}

// ARRAY[<each>(0), <each>(1), ...][1:indnkeyatts], or the `wide` CTE's `column` for indexes
// with more keys.
std::string key_array(std::string (*each)(const std::string &n), const char *column) {
    std::string sql = "CASE WHEN i.indnkeyatts <= " + std::to_string(kJoinedKeys) + " THEN (ARRAY[";
    for (int k = 0; k < kJoinedKeys; k++)
        sql += (k ? ", " : "") + each(std::to_string(k));
    return sql + "])[1:i.indnkeyatts] ELSE w." + column + " END";
}

std::string opclass_name(const std::string &n) {
    return "o" + n + ".opcname";
}
std::string opclass_default(const std::string &n) {
    return "o" + n + ".opcdefault";
}
std::string collation_name(const std::string &n) {
    return "CASE WHEN i.indcollation[" + n + "] IN (0, 100) THEN ''::name ELSE c" + n +
           ".collname END";
}
// The schemas of operator classes and collations outside pg_catalog ("" in it), to qualify
// their names (extensions.gin_trgm_ops).
std::string opclass_schema(const std::string &n) {
    return "CASE WHEN on" + n + ".nspname = 'pg_catalog' THEN ''::name ELSE on" + n +
           ".nspname END";
}
std::string collation_schema(const std::string &n) {
    return "CASE WHEN i.indcollation[" + n + "] IN (0, 100) OR cn" + n +
           ".nspname = 'pg_catalog' THEN ''::name ELSE cn" + n + ".nspname END";
}

// The few indexes with more keys, aggregated once (a subquery in the select list, even when
// CASE never runs it, costs as much as the rest of the query).
const char *kWideKeysCte =
    ", wide AS MATERIALIZED (SELECT i.indexrelid, array_agg(opc.opcname ORDER BY k.n) AS "
    "opclasses, array_agg(opc.opcdefault ORDER BY k.n) AS defaults, array_agg(CASE WHEN "
    "k.coll IN (0, 100) THEN ''::name ELSE co.collname END ORDER BY k.n) AS collations, "
    "array_agg(CASE WHEN opn.nspname = 'pg_catalog' THEN ''::name ELSE opn.nspname END "
    "ORDER BY k.n) AS opclass_schemas, array_agg(CASE WHEN k.coll IN (0, 100) OR "
    "con.nspname = 'pg_catalog' THEN ''::name ELSE con.nspname END ORDER BY k.n) AS "
    "collation_schemas "
    "FROM rel JOIN pg_index i ON i.indrelid = rel.oid AND i.indnkeyatts > 4 "
    "CROSS JOIN LATERAL unnest(i.indclass::oid[], i.indcollation::oid[]) "
    "WITH ORDINALITY k(opc, coll, n) JOIN pg_opclass opc ON opc.oid = k.opc "
    "JOIN pg_namespace opn ON opn.oid = opc.opcnamespace "
    "LEFT JOIN pg_collation co ON co.oid = k.coll "
    "LEFT JOIN pg_namespace con ON con.oid = co.collnamespace GROUP BY i.indexrelid) ";

const char *kProgressCte =
    ", progress AS MATERIALIZED (SELECT relid, index_relid FROM pg_stat_progress_create_index) ";

std::string indexes_sql(int version) {
    std::string sql = relation_ctes() + kProgressCte + kWideKeysCte;
    sql +=
        "SELECT i.indrelid, i.indexrelid, ic.relname, am.amname, ic.relkind, i.indisunique, "
        "i.indisprimary, i.indisexclusion, i.indisvalid, i.indisready, i.indislive, "
        "i.indisreplident, ";
    sql += version >= 150000 ? "i.indnullsnotdistinct, " : "false, ";
    sql +=
        "EXISTS (SELECT 1 FROM progress p WHERE p.index_relid = i.indexrelid "
        "OR p.relid = i.indrelid), "
        "i.indkey, i.indnkeyatts, " +
        key_array(opclass_name, "opclasses") + ", " + key_array(opclass_default, "defaults") +
        ", " + key_array(collation_name, "collations") +
        ", i.indoption, "
        "CASE WHEN i.indexprs IS NOT NULL AND lk.oid IS NULL AND lki.oid IS NULL "
        "THEN pg_get_expr(i.indexprs, i.indrelid) END, "
        "i.indpred IS NOT NULL, "
        "CASE WHEN i.indpred IS NOT NULL AND lk.oid IS NULL AND lki.oid IS NULL "
        "THEN pg_get_expr(i.indpred, i.indrelid) END, "
        "con.oid, ic.relpages, ic.reltuples, "
        // The counters pg_stat_all_indexes shows, for these indexes only.
        "CASE WHEN ic.relkind = 'i' THEN pg_stat_get_numscans(i.indexrelid) END, "
        "CASE WHEN ic.relkind = 'i' THEN pg_stat_get_tuples_returned(i.indexrelid) END, ";
    sql +=
        version >= 160000 ? "extract(epoch FROM pg_stat_get_lastscan(i.indexrelid)), " : "NULL, ";
    sql +=
        "ih.inhparent, ic.reloptions, "
        // Whether the expressions and the predicate above were read (no lock on the table or
        // the index now: one may have appeared since the tables were read).
        "lk.oid IS NULL AND lki.oid IS NULL, " +
        key_array(opclass_schema, "opclass_schemas") + ", " +
        key_array(collation_schema, "collation_schemas") +
        " FROM rel JOIN pg_index i ON i.indrelid = rel.oid "
        "JOIN pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_am am ON am.oid = ic.relam " +
        key_joins() + "LEFT JOIN wide w ON w.indexrelid = i.indexrelid " +
        "LEFT JOIN locked lk ON lk.oid = i.indrelid "
        "LEFT JOIN locked lki ON lki.oid = i.indexrelid "
        "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid "
        "AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x') "
        "LEFT JOIN pg_inherits ih ON ih.inhrelid = i.indexrelid";
    return sql;
}

void load_index_keys(Index &ix, const RowReader &r) {
    std::vector<int16_t> all = attnums(r, kIxKeys);
    int64_t nkeys = r.integer(kIxKeyCount, 0);
    if (nkeys < 0 || nkeys > static_cast<int64_t>(all.size()))
        r.fail(kIxKeyCount, "more key columns than indkey lists");
    ix.keys.assign(all.begin(), all.begin() + nkeys);
    ix.include.assign(all.begin() + nkeys, all.end());
    ix.opclasses = r.text_array(kIxOpclasses);
    for (const std::string &d : r.text_array(kIxDefaultOpclasses))
        ix.default_opclass.push_back(d == "t" || d == "true");
    ix.collations = r.text_array(kIxCollations);
    ix.opclass_schemas = r.text_array(kIxOpclassSchemas);
    ix.collation_schemas = r.text_array(kIxCollationSchemas);
    if (ix.opclass_schemas.empty()) ix.opclass_schemas.assign(ix.keys.size(), std::string());
    if (ix.collation_schemas.empty()) ix.collation_schemas.assign(ix.keys.size(), std::string());
    if (ix.opclass_schemas.size() != ix.keys.size() ||
        ix.collation_schemas.size() != ix.keys.size())
        r.fail(kIxOpclassSchemas, "one operator class and collation schema per key expected");
    std::vector<int64_t> options = r.int_array(kIxOptions);
    if (ix.opclasses.size() != ix.keys.size() || ix.collations.size() != ix.keys.size() ||
        ix.default_opclass.size() != ix.keys.size() || options.size() != ix.keys.size())
        r.fail(kIxOptions, "one operator class, collation and option per key column expected");
    for (int64_t o : options) {
        ix.descending.push_back((o & 1) != 0);   // INDOPTION_DESC
        ix.nulls_first.push_back((o & 2) != 0);  // INDOPTION_NULLS_FIRST
    }
    if (r.is_null(kIxExpressions)) return;
    std::vector<std::string> exprs = split_expressions(ix.expressions);
    size_t next = 0;
    ix.key_expressions.assign(ix.keys.size(), std::string());
    for (size_t k = 0; k < ix.keys.size(); k++)
        if (ix.keys[k] == 0) {
            if (next >= exprs.size()) r.fail(kIxExpressions, "fewer expressions than keys need");
            ix.key_expressions[k] = exprs[next++];
        }
}

void load_index(CatalogSnapshot &snap, const RowReader &r) {
    Table *t = table_of(snap, r, kIxTable);
    if (t == nullptr) return;
    Index ix;
    ix.oid = oid_of(r, kIxOid);
    ix.name = r.text(kIxName);
    ix.am = r.text(kIxAm);
    ix.relkind = r.character(kIxKind, 'i');
    ix.unique = r.boolean(kIxUnique);
    ix.primary = r.boolean(kIxPrimary);
    ix.exclusion = r.boolean(kIxExclusion);
    ix.valid = r.boolean(kIxValid, true);
    ix.ready = r.boolean(kIxReady, true);
    ix.live = r.boolean(kIxLive, true);
    ix.replica_identity = r.boolean(kIxReplident);
    ix.nulls_not_distinct = r.boolean(kIxNullsNotDistinct);
    ix.being_built = r.boolean(kIxBeingBuilt);
    ix.expressions = r.text(kIxExpressions);
    load_index_keys(ix, r);
    ix.partial = r.boolean(kIxPartial);
    ix.predicate = r.text(kIxPredicate);
    ix.constraint_oid = oid_of(r, kIxConstraint);
    ix.pages = r.number(kIxPages, 0);
    ix.tuples = r.number(kIxTuples, -1);
    ix.scans = r.integer(kIxScans, -1);
    ix.tuples_read = r.integer(kIxTuplesRead, -1);
    ix.last_scan = r.micros(kIxLastScan);
    ix.parent_index = oid_of(r, kIxParent);
    ix.options = r.text_array(kIxRelOptions);
    ix.texts_known = r.boolean(kIxTextsKnown, true);
    ix.definition = index_definition(*t, ix);  // the columns section came first
    t->indexes.push_back(std::move(ix));
}

// ---- constraints

enum ConstraintCol {
    kConOid,
    kConName,
    kConType,
    kConTable,
    kConColumns,
    kConRefTable,
    kConRefColumns,
    kConValidated,
    kConMatch,
    kConOnDelete,
    kConOnUpdate,
    kConDeferrable,
    kConDeferred,
    kConDefinition,
    kConIndex,
    kConParent,
    kConRefSchema,
    kConRefName,
    kConRefColumnNames,
};

// The server's text only for CHECK, EXCLUDE and the like (and PG15's ON DELETE SET NULL (...)
// column lists): the rest is built from the catalog (definitions.h).
std::string constraints_sql(int version) {
    std::string server_text = "con.contype NOT IN ('p', 'u', 'f')";
    if (version >= 150000) server_text = "(" + server_text + " OR con.confdelsetcols IS NOT NULL)";
    return relation_ctes() +
           "SELECT con.oid, con.conname, con.contype, con.conrelid, con.conkey, con.confrelid, "
           "con.confkey, con.convalidated, con.confmatchtype, con.confdeltype, con.confupdtype, "
           "con.condeferrable, con.condeferred, CASE WHEN " +
           server_text +
           " AND lk.oid IS NULL THEN pg_get_constraintdef(con.oid) END, con.conindid, "
           "con.conparentid, rn.nspname, rc.relname, "
           // Referenced column names, when the referenced table is not in the snapshot.
           "CASE WHEN con.contype = 'f' AND rr.oid IS NULL THEN (SELECT array_agg(a.attname "
           "ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n) "
           "JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) END "
           "FROM rel JOIN pg_constraint con ON con.conrelid = rel.oid "
           "LEFT JOIN locked lk ON lk.oid = con.conrelid "
           "LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
           "LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace "
           "LEFT JOIN rel rr ON rr.oid = con.confrelid";
}

std::string constraint_definition(const CatalogSnapshot &snap, const Constraint &c,
                                  const RowReader &r) {
    std::string server = r.text(kConDefinition);
    const std::string not_valid = " NOT VALID";
    if (server.size() > not_valid.size() &&
        server.compare(server.size() - not_valid.size(), not_valid.size(), not_valid) == 0)
        server.erase(server.size() - not_valid.size());
    const Table *t = snap.table(c.table);
    if (!server.empty() || t == nullptr) return server;
    bool deferred = r.boolean(kConDeferred);
    if (c.type == 'p' || c.type == 'u') return key_constraint_definition(*t, c, deferred);
    if (c.type != 'f') return server;
    std::vector<std::string> refs;
    if (const Table *parent = snap.table(c.ref_table)) {
        for (int16_t a : c.ref_columns)
            for (const Column &col : parent->columns)
                if (col.attnum == a) refs.push_back(col.name);
    } else {
        refs = r.text_array(kConRefColumnNames);
    }
    return foreign_key_definition(*t, c, qualified_name(r.text(kConRefSchema), r.text(kConRefName)),
                                  refs, deferred);
}

void load_constraint(CatalogSnapshot &snap, const RowReader &r) {
    Constraint c;
    c.oid = oid_of(r, kConOid);
    c.name = r.text(kConName);
    c.type = r.character(kConType);
    c.table = oid_of(r, kConTable);
    c.columns = attnums(r, kConColumns);
    c.ref_table = oid_of(r, kConRefTable);
    c.ref_columns = attnums(r, kConRefColumns);
    c.validated = r.boolean(kConValidated, true);
    c.match_type = r.character(kConMatch, 's');
    if (c.match_type == ' ') c.match_type = 's';
    c.on_delete = r.character(kConOnDelete, 'a');
    c.on_update = r.character(kConOnUpdate, 'a');
    if (c.on_delete == ' ') c.on_delete = 'a';  // not a foreign key
    if (c.on_update == ' ') c.on_update = 'a';
    c.deferrable = r.boolean(kConDeferrable);
    c.index_oid = oid_of(r, kConIndex);
    c.parent = oid_of(r, kConParent);
    c.definition = constraint_definition(snap, c, r);
    snap.constraints.push_back(std::move(c));
}

// Deterministic order whatever the server's plan: indexes by name within their table,
// constraints by table and name.
void sort_indexes_and_constraints(CatalogSnapshot &snap) {
    for (Table &t : snap.tables)
        std::sort(t.indexes.begin(), t.indexes.end(),
                  [](const Index &a, const Index &b) { return a.name < b.name; });
    std::sort(snap.constraints.begin(), snap.constraints.end(),
              [](const Constraint &a, const Constraint &b) {
                  return a.table != b.table ? a.table < b.table : a.name < b.name;
              });
}

// ---- sequences

enum SequenceCol {
    kSeqOid,
    kSeqSchema,
    kSeqName,
    kSeqType,
    kSeqLastValue,
    kSeqMin,
    kSeqMax,
    kSeqIncrement,
    kSeqCycle,
    kSeqTable,
    kSeqColumn,
    kSeqStart,
};

std::string sequences_sql(int) {
    return relation_ctes() +
           // Columns filled by a sequence (serial: 'a', identity: 'i').
           ", owned AS MATERIALIZED (SELECT d.objid AS seq, d.refobjid AS relid, "
           "d.refobjsubid AS attnum FROM pg_depend d JOIN pg_sequence sq ON sq.seqrelid = d.objid "
           "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
           "AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0), "
           // The smallest integer type among the foreign-key columns referencing them.
           "refmax AS MATERIALIZED (SELECT o.seq, min(CASE ca.atttypid WHEN 21 THEN 32767 "
           "ELSE 2147483647 END) AS max_value FROM owned o "
           "JOIN pg_constraint fk ON fk.confrelid = o.relid AND fk.contype = 'f' "
           "AND o.attnum = ANY (fk.confkey) "
           "JOIN pg_attribute ca ON ca.attrelid = fk.conrelid "
           "AND ca.attnum = fk.conkey[array_position(fk.confkey, o.attnum)] "
           "WHERE ca.atttypid IN (21, 23) GROUP BY o.seq), "
           // Locks that a read of the sequence (RowExclusiveLock) would queue behind.
           "seq_locked AS MATERIALIZED (SELECT DISTINCT l.relation AS oid FROM pg_locks l "
           "WHERE l.locktype = 'relation' AND l.pid IS DISTINCT FROM pg_backend_pid() "
           "AND l.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', "
           "'AccessExclusiveLock')), "
           "seq AS MATERIALIZED (SELECT c.oid, n.nspname, c.relname, s.seqtypid, s.seqmin, "
           "s.seqmax, s.seqincrement, s.seqcycle, s.seqstart, o.relid, o.attnum, "
           "CASE WHEN s.seqincrement > 0 THEN least(s.seqmax, CASE att.atttypid WHEN 21 THEN "
           "32767 WHEN 23 THEN 2147483647 END, rm.max_value)::numeric ELSE -greatest(s.seqmin, "
           "CASE att.atttypid WHEN 21 THEN -32768 WHEN 23 THEN -2147483648 END)::numeric "
           "END AS capacity, "
           "has_sequence_privilege(c.oid, 'SELECT, USAGE') AND sl.oid IS NULL AS readable "
           "FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
           "JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN reader "
           "LEFT JOIN owned o ON o.seq = c.oid "
           "LEFT JOIN pg_attribute att ON att.attrelid = o.relid AND att.attnum = o.attnum "
           "LEFT JOIN refmax rm ON rm.seq = c.oid "
           "LEFT JOIN seq_locked sl ON sl.oid = c.oid "
           "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
           "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
           "AND (reader.all_tables OR pg_has_role(c.relowner, 'USAGE') "
           "OR has_sequence_privilege(c.oid, 'SELECT, USAGE, UPDATE'))), "
           "ranked AS (SELECT seq.*, readable AND capacity <= 2147483647 AS eligible, "
           "row_number() OVER (PARTITION BY readable AND capacity <= 2147483647 "
           "ORDER BY capacity, oid) AS rn FROM seq) "
           "SELECT oid, nspname, relname, format_type(seqtypid, NULL), "
           "CASE WHEN eligible AND rn <= " +
           std::to_string(kSequenceValueLimit) +
           " THEN pg_sequence_last_value(oid) END, "
           "seqmin, seqmax, seqincrement, seqcycle, relid, attnum, seqstart FROM ranked";
}

void load_sequence(CatalogSnapshot &snap, const RowReader &r) {
    Sequence s;
    s.oid = oid_of(r, kSeqOid);
    s.schema = r.text(kSeqSchema);
    s.name = r.text(kSeqName);
    s.type = r.text(kSeqType);
    s.has_value = !r.is_null(kSeqLastValue);
    s.last_value = r.integer(kSeqLastValue, 0);
    s.min_value = r.integer(kSeqMin, 0);
    s.max_value = r.integer(kSeqMax, 0);
    s.increment = r.integer(kSeqIncrement, 1);
    s.cycle = r.boolean(kSeqCycle);
    s.owned_by_table = oid_of(r, kSeqTable);
    int64_t col = r.integer(kSeqColumn, 0);
    if (col < 0 || col > 32767) r.fail(kSeqColumn, "not an attribute number");
    s.owned_by_column = static_cast<int16_t>(col);
    s.start_value = r.integer(kSeqStart, 1);
    snap.sequences.push_back(std::move(s));
}

}  // namespace

const SnapshotSection &index_section() {
    static const SnapshotSection s{"indexes", indexes_sql, load_index, nullptr, nullptr};
    return s;
}

const SnapshotSection &constraint_section() {
    static const SnapshotSection s{"constraints", constraints_sql, load_constraint,
                                   sort_indexes_and_constraints, nullptr};
    return s;
}

const SnapshotSection &sequence_section() {
    static const SnapshotSection s{"sequences", sequences_sql, load_sequence, nullptr, nullptr};
    return s;
}

}  // namespace pg_advisor::catalog
