// Helpers shared by the SQL-callable functions (see sql_support.h).
#include <exception>
#include <string_view>

#include "core/sql/query_tags.h"

extern "C" {
#include "postgres.h"

#include "catalog/pg_authid_d.h"
#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
}

#include "pg/compat.h"
#include "pg/sql/support.h"

using namespace pg_advisor;

Datum pga_tags_jsonb(std::string_view serialized) {
    StringInfoData buf;
    initStringInfo(&buf);
    appendStringInfoChar(&buf, '{');
    size_t pos = 0;
    std::string_view k, v;
    bool first = true;
    while (next_serialized_tag(serialized, pos, k, v)) {
        if (!first) appendStringInfoString(&buf, ", ");
        first = false;
        char *key = pnstrdup(k.data(), k.size());
        char *value = pnstrdup(v.data(), v.size());
        escape_json(&buf, key);
        appendStringInfoString(&buf, ": ");
        escape_json(&buf, value);
    }
    appendStringInfoChar(&buf, '}');
    return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
}

bool pga_can_see_all_statements(void) {
    return has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS);
}

char *pga_copy_snapshot(LWLock *lock, size_t capacity,
                        size_t (*take)(void *store_base, char *dst, size_t cap), void *store_base,
                        size_t *len) {
    char *buf = static_cast<char *>(MemoryContextAllocHuge(CurrentMemoryContext, capacity));
    LWLockAcquire(lock, LW_SHARED);
    *len = take(store_base, buf, capacity);
    LWLockRelease(lock);
    return buf;
}

Datum pga_text_array_datums(Datum *elems, int n) {
    return PointerGetDatum(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

Datum pga_text_array(List *items) {
    int n = list_length(items);
    Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * Max(n, 1)));
    int i = 0;
    ListCell *lc;
    foreach (lc, items)
        elems[i++] = CStringGetTextDatum((char *)lfirst(lc));
    return pga_text_array_datums(elems, n);
}

Datum pga_int8_array(const int64 *values, int n) {
    Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * Max(n, 1)));
    for (int i = 0; i < n; i++)
        elems[i] = Int64GetDatum(values[i]);
    return PointerGetDatum(construct_array(elems, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

ReturnSetInfo *pga_materialize(FunctionCallInfo fcinfo, int columns, const char *object) {
    TupleDesc desc;
    bool scalar = get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE;
    PGA_INIT_MATERIALIZED_SRF(fcinfo, scalar);
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    if (rsinfo->setDesc->natts != columns)
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s: the SQL definition does not match the loaded module", object),
                        errhint("Run ALTER EXTENSION pg_advisor UPDATE.")));
    return rsinfo;
}
