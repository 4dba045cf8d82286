// Catalog and statistics reads for the index advisor (see catalog_facts.h).
#include <exception>

extern "C" {
#include "postgres.h"

#include "access/genam.h"
#include "access/nbtree.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/sysattr.h"
#include "access/transam.h"
#include "catalog/catalog.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_index.h"
#include "catalog/pg_statistic.h"
#include "catalog/pg_type_d.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "optimizer/plancat.h"
#include "executor/spi.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/pg_locale.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
#include "storage/lmgr.h"
#include "storage/proc.h"
}

#include "pg/compat.h"
#include "pg/catalog/catalog_facts.h"

static constexpr int kMaxMcv = 20;

Oid pga_index_target(Oid relid) {
    if (!get_rel_relispartition(relid)) return relid;
    List *ancestors = get_partition_ancestors(relid);
    return ancestors != NIL ? llast_oid(ancestors) : relid;
}

bool pga_relation_exists(Oid relid) {
    return SearchSysCacheExists1(RELOID, ObjectIdGetDatum(relid));
}

int16 *pga_column_map(Oid relid, Oid root, int *natts) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
    int n = ((Form_pg_class)GETSTRUCT(tup))->relnatts;
    ReleaseSysCache(tup);
    int16 *map = static_cast<int16 *>(palloc0(sizeof(int16) * (n + 1)));
    for (AttrNumber a = 1; a <= n; a++) {
        HeapTuple at = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(a));
        if (!HeapTupleIsValid(at)) continue;
        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(at);
        if (!att->attisdropped)
            map[a] = root == relid ? a : get_attnum(root, NameStr(att->attname));
        ReleaseSysCache(at);
    }
    *natts = n;
    return map;
}

void pga_lock_for_reading(Oid relid, Oid role) {
    const AclMode any = ACL_SELECT | ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE |
                        ACL_REFERENCES | ACL_TRIGGER;
    char *name = get_rel_name(relid);
    if (name == NULL)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
    if (pg_class_aclmask(relid, role, any, ACLMASK_ANY) == 0)
        aclcheck_error(ACLCHECK_NO_PRIV, get_relkind_objtype(get_rel_relkind(relid)), name);
    if (!ConditionalLockRelationOid(relid, AccessShareLock))
        ereport(ERROR, (errcode(ERRCODE_LOCK_NOT_AVAILABLE),
                        errmsg("relation \"%s\" is locked by another session", name)));
}

char *pga_live_attname(Oid relid, AttrNumber attnum) {
    HeapTuple at = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(attnum));
    if (!HeapTupleIsValid(at)) return NULL;
    Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(at);
    char *name = att->attisdropped ? NULL : pstrdup(NameStr(att->attname));
    ReleaseSysCache(at);
    return name;
}

// The planner's row estimate when the reader may read the table and nobody holds a
// conflicting lock; otherwise pg_class.reltuples, which needs neither (no lock is taken on a
// table before the privilege check).
static double leaf_rows(Oid relid) {
    if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) == ACLCHECK_OK &&
        ConditionalLockRelationOid(relid, AccessShareLock)) {
        Relation rel = relation_open(relid, NoLock);
        BlockNumber pages = 0;
        double tuples = 0, allvisfrac = 0;
        estimate_rel_size(rel, NULL, &pages, &tuples, &allvisfrac);
        relation_close(rel, NoLock);
        return tuples;
    }
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
    double tuples = ((Form_pg_class)GETSTRUCT(tup))->reltuples;
    ReleaseSysCache(tup);
    return tuples > 0 ? tuples : 0;
}

double pga_table_rows(Oid relid) {
    if (get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE) return leaf_rows(relid);
    double tuples = 0;
    ListCell *lc;
    foreach (lc, find_all_inheritors(relid, NoLock, NULL)) {
        Oid child = lfirst_oid(lc);
        if (get_rel_relkind(child) == RELKIND_RELATION) tuples += leaf_rows(child);
    }
    return tuples;
}

static double planner_tuples(Oid relid, double *pages_out, double *allvisible_out) {
    Relation rel = relation_open(relid, AccessShareLock);
    double tuples = 0, allvisfrac = 0;
    BlockNumber pages = 0;
    if (rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE) {
        List *children = find_all_inheritors(relid, AccessShareLock, NULL);
        double visible_pages = 0;
        ListCell *lc;
        foreach (lc, children) {
            Oid child = lfirst_oid(lc);
            if (child == relid || get_rel_relkind(child) != RELKIND_RELATION) continue;
            double child_pages, child_visible;
            tuples += planner_tuples(child, &child_pages, &child_visible);
            pages += (BlockNumber)child_pages;
            visible_pages += child_pages * child_visible;
        }
        allvisfrac = pages > 0 ? visible_pages / pages : 0;
    } else {
        estimate_rel_size(rel, NULL, &pages, &tuples, &allvisfrac);
    }
    relation_close(rel, AccessShareLock);
    *pages_out = pages;
    *allvisible_out = allvisfrac;
    return tuples;
}

static const char *pattern_opclass(Oid type, Oid collation) {
    if (OidIsValid(collation) && lc_collate_is_c(collation)) return NULL;
    switch (type) {
        case TEXTOID:
            return "text_pattern_ops";
        case VARCHAROID:
            return "varchar_pattern_ops";
        case BPCHAROID:
            return "bpchar_pattern_ops";
        default:
            return NULL;
    }
}

// Whether a btree index on the type (default operator class) can deduplicate: its operator
// family's "equalimage" support function says so for the collation (numeric, float, jsonb and
// nondeterministic collations cannot).
static bool deduplicates(Oid type, Oid collation) {
    Oid opclass = GetDefaultOpClass(type, BTREE_AM_OID);
    if (!OidIsValid(opclass)) return false;
    Oid family = get_opclass_family(opclass);
    Oid intype = get_opclass_input_type(opclass);
    Oid proc = get_opfamily_proc(family, intype, intype, BTEQUALIMAGE_PROC);
    if (!OidIsValid(proc)) return false;
    return DatumGetBool(OidFunctionCall1Coll(proc, collation, ObjectIdGetDatum(intype)));
}

// What a btree index on a (type, collation) can do, remembered for the transaction: the
// default operator class is not in a syscache, and the index advisor asks for every column of
// thousands of tables, most of them of a handful of types.
struct BtreeSupport {
    Oid type;
    Oid collation;
    bool btree;
    bool dedup;
};
static constexpr int kBtreeSupportCache = 64;
static BtreeSupport btree_support_cache[kBtreeSupportCache];
static int btree_support_count = 0;
static LocalTransactionId btree_support_xact = InvalidLocalTransactionId;

static BtreeSupport btree_support(Oid type, Oid collation) {
    if (btree_support_xact != PGA_LOCAL_XID()) {
        btree_support_xact = PGA_LOCAL_XID();
        btree_support_count = 0;
    }
    for (int i = 0; i < btree_support_count; i++)
        if (btree_support_cache[i].type == type && btree_support_cache[i].collation == collation)
            return btree_support_cache[i];
    BtreeSupport s{type, collation, OidIsValid(GetDefaultOpClass(type, BTREE_AM_OID)), false};
    s.dedup = s.btree && deduplicates(type, collation);
    if (btree_support_count < kBtreeSupportCache) btree_support_cache[btree_support_count++] = s;
    return s;
}

static void read_column_stats(Oid relid, bool inherited, PgaColumnFacts *c, Oid type) {
    HeapTuple tup = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(relid),
                                    Int16GetDatum(c->attnum), BoolGetDatum(inherited));
    if (!HeapTupleIsValid(tup)) return;
    Form_pg_statistic st = (Form_pg_statistic)GETSTRUCT(tup);
    c->null_frac = st->stanullfrac;
    c->n_distinct = st->stadistinct;
    if (st->stawidth > 0) c->avg_width = st->stawidth;
    AttStatsSlot slot;
    if (get_attstatsslot(&slot, tup, STATISTIC_KIND_MCV, InvalidOid,
                         ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS)) {
        Oid output;
        bool varlena;
        getTypeOutputInfo(type, &output, &varlena);
        int n = Min(slot.nvalues, kMaxMcv);
        c->nmcv = n;
        c->mcv_values = static_cast<char **>(palloc(sizeof(char *) * Max(n, 1)));
        c->mcv_freqs = static_cast<double *>(palloc(sizeof(double) * Max(n, 1)));
        for (int i = 0; i < n; i++) {
            c->mcv_values[i] = OidOutputFunctionCall(output, slot.values[i]);
            c->mcv_freqs[i] = i < slot.nnumbers ? slot.numbers[i] : 0;
        }
        free_attstatsslot(&slot);
    }
    ReleaseSysCache(tup);
}

static char *deparse_on(Node *expr, Oid relid) {
    return deparse_expression(expr, deparse_context_for(get_rel_name(relid), relid), false, false);
}

static void read_index(Oid relid, Oid indexoid, PgaIndexFacts *ix) {
    Relation idx = index_open(indexoid, AccessShareLock);
    Form_pg_index form = idx->rd_index;
    ix->oid = indexoid;
    ix->name = pstrdup(RelationGetRelationName(idx));
    ix->valid = form->indisvalid && form->indisready && form->indislive;
    ix->btree = idx->rd_rel->relam == BTREE_AM_OID;
    ix->nkeys = form->indnkeyatts;
    ix->ninclude = form->indnatts - form->indnkeyatts;
    ix->keys = static_cast<AttrNumber *>(palloc(sizeof(AttrNumber) * Max(ix->nkeys, 1)));
    ix->exprs = static_cast<char **>(palloc0(sizeof(char *) * Max(ix->nkeys, 1)));
    ix->desc = static_cast<bool *>(palloc0(sizeof(bool) * Max(ix->nkeys, 1)));
    ix->include = static_cast<AttrNumber *>(palloc(sizeof(AttrNumber) * Max(ix->ninclude, 1)));
    List *exprs = RelationGetIndexExpressions(idx);
    ListCell *next = list_head(exprs);
    for (int i = 0; i < form->indnatts; i++) {
        AttrNumber a = form->indkey.values[i];
        if (i < ix->nkeys) {
            ix->keys[i] = a;
            if (a == 0 && next != NULL) {
                ix->exprs[i] = deparse_on((Node *)lfirst(next), relid);
                next = lnext(exprs, next);
            }
            if (ix->btree) ix->desc[i] = (idx->rd_indoption[i] & INDOPTION_DESC) != 0;
        } else {
            ix->include[i - ix->nkeys] = a;
        }
    }
    List *pred = RelationGetIndexPredicate(idx);
    ix->predicate = pred != NIL ? deparse_on((Node *)make_ands_explicit(pred), relid) : NULL;
    index_close(idx, AccessShareLock);
}

void pga_read_table_facts(Oid relid, PgaTableFacts *out) {
    memset(out, 0, sizeof *out);
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
    Form_pg_class cls = (Form_pg_class)GETSTRUCT(tup);
    out->relid = relid;
    out->name = pstrdup(NameStr(cls->relname));
    out->relkind = cls->relkind;
    out->temporary = cls->relpersistence == RELPERSISTENCE_TEMP;
    out->catalog = relid < FirstNormalObjectId || IsCatalogNamespace(cls->relnamespace) ||
                   IsToastNamespace(cls->relnamespace);
    int natts = cls->relnatts;
    Oid nsp = cls->relnamespace;
    ReleaseSysCache(tup);
    // Always schema-qualified: the DDL must mean the same table whatever the search_path.
    out->name_sql = quote_qualified_identifier(get_namespace_name(nsp), out->name);
    if (out->catalog || out->temporary) return;
    pga_lock_for_reading(relid, GetUserId());
    out->reltuples = planner_tuples(relid, &out->relpages, &out->allvisible);

    bool inherited = out->relkind == RELKIND_PARTITIONED_TABLE;
    out->columns = static_cast<PgaColumnFacts *>(palloc0(sizeof(PgaColumnFacts) * Max(natts, 1)));
    for (AttrNumber a = 1; a <= natts; a++) {
        HeapTuple at = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(a));
        if (!HeapTupleIsValid(at)) continue;
        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(at);
        if (att->attisdropped) {
            ReleaseSysCache(at);
            continue;
        }
        PgaColumnFacts *c = &out->columns[out->ncolumns++];
        c->attnum = a;
        c->name = pstrdup(NameStr(att->attname));
        c->name_sql = pstrdup(quote_identifier(c->name));
        c->type_name = format_type_be(att->atttypid);
        BtreeSupport support = btree_support(att->atttypid, att->attcollation);
        c->btree = support.btree;
        c->dedup = support.dedup;
        c->pattern_opclass = pattern_opclass(att->atttypid, att->attcollation);
        c->is_bool = att->atttypid == BOOLOID;
        bool preferred;
        get_type_category_preferred(att->atttypid, &c->type_category, &preferred);
        c->avg_width = get_typavgwidth(att->atttypid, att->atttypmod);
        Oid type = att->atttypid;
        ReleaseSysCache(at);
        read_column_stats(relid, inherited, c, type);
    }

    Relation rel = relation_open(relid, AccessShareLock);
    List *indexes = RelationGetIndexList(rel);
    ListCell *lc;
    foreach (lc, RelationGetFKeyList(rel)) {
        const ForeignKeyCacheInfo *fk = (const ForeignKeyCacheInfo *)lfirst(lc);
        for (int k = 0; k < fk->nkeys; k++)
            for (int i = 0; i < out->ncolumns; i++)
                if (out->columns[i].attnum == fk->conkey[k]) out->columns[i].foreign_key = true;
    }
    relation_close(rel, AccessShareLock);
    out->indexes =
        static_cast<PgaIndexFacts *>(palloc0(sizeof(PgaIndexFacts) * Max(list_length(indexes), 1)));
    foreach (lc, indexes)
        read_index(relid, lfirst_oid(lc), &out->indexes[out->nindexes++]);

    Oid constraint;
    Bitmapset *pk = get_primary_key_attnos(relid, false, &constraint);
    out->pk = static_cast<AttrNumber *>(palloc(sizeof(AttrNumber) * Max(bms_num_members(pk), 1)));
    for (int x = bms_next_member(pk, -1); x >= 0; x = bms_next_member(pk, x))
        out->pk[out->npk++] = (AttrNumber)(x + FirstLowInvalidHeapAttributeNumber);
}

bool pga_sample_key_groups(const PgaKeySample *sample, PgaKeyGroups *out) {
    StringInfoData sql;
    initStringInfo(&sql);
    // Columns of every set, once; GROUPING() over them tells the sets apart.
    List *columns = NIL;
    for (int i = 0; i < sample->nsets; i++)
        for (int k = 0; k < sample->set_sizes[i]; k++)
            columns = list_append_unique(columns, makeString(pstrdup(sample->sets[i][k])));
    if (list_length(columns) > 31) return false;
    StringInfoData all;
    initStringInfo(&all);
    ListCell *lc;
    foreach (lc, columns)
        appendStringInfo(&all, "%s%s", foreach_current_index(lc) > 0 ? ", " : "",
                         strVal(lfirst(lc)));
    appendStringInfo(&sql,
                     "SELECT g, count(*)::float8, (count(*) FILTER (WHERE n = 1))::float8, "
                     "sum(n)::float8 FROM (SELECT GROUPING(%s)::int AS g, count(*) AS n FROM %s%s "
                     "TABLESAMPLE SYSTEM (%g) REPEATABLE (0)",
                     all.data, sample->inherited ? "" : "ONLY ", sample->table_sql,
                     sample->percent);
    if (sample->predicate != NULL) appendStringInfo(&sql, " WHERE %s", sample->predicate);
    appendStringInfoString(&sql, " GROUP BY GROUPING SETS (");
    for (int i = 0; i < sample->nsets; i++) {
        appendStringInfoString(&sql, i > 0 ? ", (" : "(");
        for (int k = 0; k < sample->set_sizes[i]; k++)
            appendStringInfo(&sql, "%s%s", k > 0 ? ", " : "", sample->sets[i][k]);
        appendStringInfoChar(&sql, ')');
    }
    appendStringInfoString(&sql, ")) s GROUP BY g");

    // GROUPING() bit for each column: the leftmost argument is the most significant bit; a bit
    // is set when the column is not grouped in that set.
    int ncols = list_length(columns);
    int *masks = static_cast<int *>(palloc0(sizeof(int) * sample->nsets));
    for (int i = 0; i < sample->nsets; i++) {
        int mask = (1 << ncols) - 1;
        for (int k = 0; k < sample->set_sizes[i]; k++) {
            int pos = 0;
            foreach (lc, columns) {
                if (strcmp(strVal(lfirst(lc)), sample->sets[i][k]) == 0) {
                    pos = foreach_current_index(lc);
                    break;
                }
            }
            mask &= ~(1 << (ncols - 1 - pos));
        }
        masks[i] = mask;
    }

    out->rows = static_cast<double *>(palloc0(sizeof(double) * sample->nsets));
    out->groups = static_cast<double *>(palloc0(sizeof(double) * sample->nsets));
    out->singletons = static_cast<double *>(palloc0(sizeof(double) * sample->nsets));
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    int rc = SPI_execute(sql.data, true, 0);
    if (rc != SPI_OK_SELECT)
        elog(ERROR, "sampling %s failed: %s", sample->table_sql, SPI_result_code_string(rc));
    for (uint64 r = 0; r < SPI_processed; r++) {
        HeapTuple tup = SPI_tuptable->vals[r];
        TupleDesc desc = SPI_tuptable->tupdesc;
        bool isnull;
        int g = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull));
        for (int i = 0; i < sample->nsets; i++) {
            if (masks[i] != g) continue;
            out->groups[i] = DatumGetFloat8(SPI_getbinval(tup, desc, 2, &isnull));
            out->singletons[i] = DatumGetFloat8(SPI_getbinval(tup, desc, 3, &isnull));
            out->rows[i] = DatumGetFloat8(SPI_getbinval(tup, desc, 4, &isnull));
        }
    }
    SPI_finish();
    return true;
}
