// The PostgreSQL side of the boundary (protect.h, pg_guard.h, sql_function.h, run_as.h):
// failure accounting for capture code, which errors must never be swallowed, message
// clipping, the re-entrancy guard.
#include <exception>

extern "C" {
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_db_role_setting.h"
#include "catalog/pg_type_d.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

#include "pg/boundary/protect.h"
#include "pg/boundary/run_as.h"
#include "pg/boundary/sql_function.h"
#include "pg/shmem/shared_state.h"

static bool logged_failure = false;

void pga_report_cpp_failure(const char *what, const PgaCppFailure &f) {
    if (f.interrupted) ereport(ERROR, (errcode(f.code), errmsg("%s", f.message)));
    if (f.failed) pga_capture_failed(what, f.message);
}

void pga_capture_failed(const char *what, const char *detail) {
    if (pga_shared) pg_atomic_fetch_add_u64(&pga_shared->capture_failures, 1);
    if (logged_failure) return;
    logged_failure = true;
    ereport(LOG, (errmsg("pg_advisor: %s failed; this statement was not recorded", what),
                  errdetail_internal("%s", detail ? detail : "no detail"),
                  errhint("Statements keep running normally. Later failures of this session "
                          "are counted in advisor.capture_info, not logged.")));
}

bool pga_error_must_propagate(const ErrorData *edata) {
    return edata->elevel >= FATAL ||
           ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION ||
           ProcDiePending || QueryCancelPending;
}

void pga_copy_message(char *dst, size_t cap, const char *src) {
    if (cap == 0) return;
    size_t len = strlen(src);
    if (len < cap) {
        memcpy(dst, src, len + 1);
        return;
    }
    int keep = pg_mbcliplen(src, (int)len, (int)cap - 1);
    memcpy(dst, src, keep);
    dst[keep] = '\0';
}

char *pga_clip_input(const char *input, int max_bytes) {
    int len = (int)strlen(input);
    if (len <= max_bytes) return pstrdup(input);
    int keep = pg_mbcliplen(input, len, max_bytes);
    return psprintf("%.*s...", keep, input);
}

// ---- Re-entrancy (sql_function.h).

const char *pga_active_function = NULL;
bool pga_advisor_called = false;

void pga_reentered(const char *function) {
    ereport(ERROR,
            (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
             errmsg("%s cannot be called while %s is running", function, pga_active_function),
             errdetail("pg_advisor's functions are not re-entrant: this call came from code that "
                       "%s ran, such as a function in a captured statement that the index "
                       "advisor planned.",
                       pga_active_function),
             errhint("Do not call pg_advisor's views or functions from functions used in "
                     "queries.")));
}

// The search_path one pg_db_role_setting row sets, or NULL.
static char *search_path_setting(Relation settings, Oid database, Oid role) {
    ScanKeyData key[2];
    ScanKeyInit(&key[0], Anum_pg_db_role_setting_setdatabase, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(database));
    ScanKeyInit(&key[1], Anum_pg_db_role_setting_setrole, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(role));
    SysScanDesc scan =
        systable_beginscan(settings, DbRoleSettingDatidRolidIndexId, true, NULL, 2, key);
    char *found = NULL;
    HeapTuple tup = systable_getnext(scan);
    bool isnull = true;
    Datum config = HeapTupleIsValid(tup) ? heap_getattr(tup, Anum_pg_db_role_setting_setconfig,
                                                        RelationGetDescr(settings), &isnull)
                                         : (Datum)0;
    if (!isnull) {
        Datum *items;
        bool *nulls;
        int n;
        deconstruct_array(DatumGetArrayTypeP(config), TEXTOID, -1, false, TYPALIGN_INT, &items,
                          &nulls, &n);
        for (int i = 0; i < n && found == NULL; i++) {
            char *item = nulls[i] ? NULL : TextDatumGetCString(items[i]);
            if (item != NULL && strncmp(item, "search_path=", 12) == 0) found = pstrdup(item + 12);
        }
    }
    systable_endscan(scan);
    return found;
}

char *pga_role_search_path(Oid role) {
    // The order in which a new session applies them: the most specific one wins.
    const Oid pairs[4][2] = {{MyDatabaseId, role},
                             {InvalidOid, role},
                             {MyDatabaseId, InvalidOid},
                             {InvalidOid, InvalidOid}};
    Relation settings = table_open(DbRoleSettingRelationId, AccessShareLock);
    char *path = NULL;
    for (int i = 0; i < 4 && path == NULL; i++)
        path = search_path_setting(settings, pairs[i][0], pairs[i][1]);
    table_close(settings, AccessShareLock);
    return psprintf("%s, pg_temp", path != NULL ? path : "\"$user\", public");
}

Oid pga_relation_owner(Oid relid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
    Oid owner = ((Form_pg_class)GETSTRUCT(tup))->relowner;
    ReleaseSysCache(tup);
    return owner;
}
