// Catalog facts behind a loop's fix: the child table and the column the loop varies (from the
// child's captured scan shape), whether that column is the primary key (a many-to-one lookup),
// and which column of the parent's table references it. Shared by the N+1 guard and the view.
#include <exception>
#include <string_view>

#include "core/loops/loop_fixes.h"
#include "core/workload/query_pattern.h"
#include "core/workload/scan_shape.h"
#include "core/workload/shape_cache.h"

extern "C" {
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/sysattr.h"
#include "access/relation.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_constraint.h"
#include "miscadmin.h"
#include "nodes/bitmapset.h"
#include "storage/lwlock.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
}

#include "pg/compat.h"
#include "pg/loops/loop_description.h"
#include "pg/shmem/shared_state.h"

using namespace pg_advisor;

// Largest encoded shape: header + 16 scans + 64 quals + 32 order columns + 2 kB pool.
static constexpr size_t kMaxShapeBlob = 8192;

// Copies the shape blob of a query id into buf (palloc'd by the caller); returns its length.
static size_t copy_shape(uint64 queryid, char *buf) {
    ShapeStore store = pga_shape_store();
    size_t len = 0;
    LWLockAcquire(pga_shared->shapes_lock, LW_SHARED);
    if (ShapeEntry *e = store.find(make_shape_key(MyDatabaseId, queryid))) {
        std::string_view blob = store.blob(e);
        len = Min(blob.size(), kMaxShapeBlob);
        memcpy(buf, blob.data(), len);
    }
    LWLockRelease(pga_shared->shapes_lock);
    return len;
}

char *pga_relation_sql_name(Oid relid) {
    char *name = get_rel_name(relid);
    if (name == NULL) return NULL;
    if (RelationIsVisible(relid)) return pstrdup(quote_identifier(name));
    char *nsp = get_namespace_name(get_rel_namespace(relid));
    return quote_qualified_identifier(nsp, name);
}

// Column the loop varies: an equality with a parameter first, then with a literal, then IN;
// on the child relation first, else on any relation the child reads (a many-to-many child
// filters the link table: tags JOIN post_tags ... WHERE post_tags.post_id = $1).
static AttrNumber key_attnum(const ShapeView &view, Oid relid, bool *aggregate, Oid *key_relid) {
    *aggregate = view.valid() && (view.header().flags & kShapeHasAggregate);
    AttrNumber best = 0;
    int best_rank = 99;
    for (int pass = 0; pass < 2 && best == 0; pass++) {
        for (size_t i = 0; i < view.nscans(); i++) {
            ScanRecord scan = view.scan(i);
            if ((pass == 0) != (scan.relid == relid)) continue;
            for (size_t j = 0; j < scan.nquals; j++) {
                Qual q = view.qual(scan, j);
                if (q.attnum <= 0) continue;
                auto kind = static_cast<QualKind>(q.kind);
                auto source = static_cast<QualSource>(q.source);
                int rank = 99;
                if (kind == QualKind::Equality && source == QualSource::Param)
                    rank = 0;
                else if (kind == QualKind::Equality && source == QualSource::Const)
                    rank = 1;
                else if (kind == QualKind::InList)
                    rank = 2;
                if (rank < best_rank) {
                    best_rank = rank;
                    best = q.attnum;
                    *key_relid = scan.relid;
                }
            }
        }
    }
    return best;
}

static Oid first_scanned_relation(const ShapeView &view) {
    return view.nscans() > 0 ? view.scan(0).relid : InvalidOid;
}

// Column of parent_relid that references child_relid(child_attnum), or NULL. Read from
// pg_constraint, which everyone may read: no lock on the table (describing a loop must never
// queue behind someone's DDL) and no privilege on it needed.
static char *referencing_column(Oid parent_relid, Oid child_relid, AttrNumber child_attnum) {
    if (!OidIsValid(parent_relid) || parent_relid == child_relid) return NULL;
    Relation constraints = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(parent_relid));
    SysScanDesc scan =
        systable_beginscan(constraints, ConstraintRelidTypidNameIndexId, true, NULL, 1, &key);
    AttrNumber column = InvalidAttrNumber;
    HeapTuple tup;
    while (column == InvalidAttrNumber && HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_constraint con = (Form_pg_constraint)GETSTRUCT(tup);
        if (con->contype != CONSTRAINT_FOREIGN || con->confrelid != child_relid) continue;
        bool null_keys, null_refs;
        Datum keys =
            heap_getattr(tup, Anum_pg_constraint_conkey, RelationGetDescr(constraints), &null_keys);
        Datum refs = heap_getattr(tup, Anum_pg_constraint_confkey, RelationGetDescr(constraints),
                                  &null_refs);
        if (null_keys || null_refs) continue;
        ArrayType *k = DatumGetArrayTypeP(keys), *r = DatumGetArrayTypeP(refs);
        if (ARR_NDIM(k) == 1 && ARR_DIMS(k)[0] == 1 && ARR_NDIM(r) == 1 && ARR_DIMS(r)[0] == 1 &&
            ((int16 *)ARR_DATA_PTR(r))[0] == child_attnum)
            column = ((int16 *)ARR_DATA_PTR(k))[0];
    }
    systable_endscan(scan);
    table_close(constraints, AccessShareLock);
    return column != InvalidAttrNumber ? get_attname(parent_relid, column, true) : NULL;
}

void pga_describe_loop(const PgaLoopFacts &facts, LoopFixInput *fix) {
    fix->kind = facts.kind;
    fix->command = facts.command;
    fix->child_text = facts.child_text;
    fix->parent_text = facts.parent_text;
    fix->framework = facts.framework;
    fix->typical_repeats = facts.typical_repeats;

    char *relname = OidIsValid(facts.child_relid) ? get_rel_name(facts.child_relid) : NULL;
    char *relsql = OidIsValid(facts.child_relid) ? pga_relation_sql_name(facts.child_relid) : NULL;
    fix->child_table = relname ? relname : "the child table";
    fix->child_table_sql = relsql ? relsql : "the_child_table";

    char *buf = static_cast<char *>(palloc(kMaxShapeBlob));
    size_t len = copy_shape(facts.child_queryid, buf);
    ShapeView view(std::string_view(buf, len));
    bool aggregate = false;
    Oid key_relid = facts.child_relid;
    AttrNumber attnum =
        view.valid() ? key_attnum(view, facts.child_relid, &aggregate, &key_relid) : 0;
    fix->aggregate = aggregate;
    if (attnum > 0) {
        char *column = get_attname(key_relid, attnum, true);
        if (column) {
            fix->key_column = column;
            fix->key_column_sql = quote_identifier(column);
        }
        Oid constraint;
        Bitmapset *pk = get_primary_key_attnos(key_relid, false, &constraint);
        fix->key_is_unique = key_relid == facts.child_relid &&
                             bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, pk);
    }
    if (fix->key_is_unique && facts.parent_queryid != 0) {
        size_t plen = copy_shape(facts.parent_queryid, buf);
        ShapeView parent(std::string_view(buf, plen));
        if (parent.valid()) {
            char *fk =
                referencing_column(first_scanned_relation(parent), facts.child_relid, attnum);
            if (fk) fix->parent_fk_column = fk;
        }
    }
}
