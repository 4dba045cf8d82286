// Query ids reused per statement shape (see query_id.h).
#include <exception>

#include "core/common/hash.h"
#include "core/workload/query_id_cache.h"

extern "C" {
#include "postgres.h"

#include "catalog/namespace.h"
#include "miscadmin.h"
#include "parser/parse_expr.h"
#include "parser/parser.h"
}

#include "pg/compat.h"
#include "pg/guc.h"
#include "pg/boundary/protect.h"
#include "pg/capture/query_id.h"
#include "pg/shmem/shared_state.h"

using pg_advisor::StatementFingerprint;

namespace {

// 4,096 shapes per backend (88 kB).
pg_advisor::QueryIdCache<1024> cache;

// Catalog invalidations counted by pga_query_ids_invalidate(); the cache holds ids computed
// under cache_generation.
uint64 catalog_generation = 0;
uint64 cache_generation = 0;

// What name resolution depended on when the cached ids were computed. Read without any call
// that can raise: the search_path setting, the role, the temporary schema.
struct NameScope {
    bool valid = false;
    Oid user = InvalidOid;
    Oid temp_namespace = InvalidOid;
    char search_path[256];
};
NameScope scope;

// Without a forced check, one reused id in this many is checked against a fresh jumble.
constexpr uint32 kCheckInterval = 4096;
uint32 hits_since_check = 0;
bool mismatch_logged = false;

// Clears the cache when the catalogs or the name scope changed; false when the search_path is
// too long to remember (such statements are jumbled each time).
bool cache_usable() {
    if (cache_generation != catalog_generation) {
        cache.clear();
        cache_generation = catalog_generation;
    }
    const char *path = namespace_search_path ? namespace_search_path : "";
    Oid temp, temp_toast;
    GetTempNamespaceState(&temp, &temp_toast);
    Oid user = GetUserId();
    if (scope.valid && scope.user == user && scope.temp_namespace == temp &&
        strcmp(scope.search_path, path) == 0)
        return true;
    cache.clear();
    size_t len = strlen(path);
    if (len >= sizeof scope.search_path) {
        scope.valid = false;
        return false;
    }
    memcpy(scope.search_path, path, len + 1);
    scope.user = user;
    scope.temp_namespace = temp;
    scope.valid = true;
    return true;
}

// Whether the statement's analysis depended on nothing but its text and the name scope.
bool analysis_from_text_only(const ParseState *pstate, const StatementFingerprint *fp) {
    return fp != NULL && fp->complete && !fp->has_params && pstate->p_paramref_hook == NULL &&
           pstate->p_pre_columnref_hook == NULL && pstate->p_post_columnref_hook == NULL &&
           pstate->p_coerce_param_hook == NULL && pstate->p_queryEnv == NULL;
}

// The settings that change how a text parses are part of its shape.
uint64 shape_key(const StatementFingerprint &fp) {
    return pg_advisor::hash_combine(
        fp.shape, (standard_conforming_strings ? 1u : 0u) | (Transform_null_equals ? 2u : 0u));
}

// The jumble of a (non-utility) query, run under pga_run_protected: 0 when it failed.
uint64 protected_jumble(Query *query, const char *source, JumbleState **jstate) {
    JumbleState *js = NULL;
    pga_run_protected("computing a query id", [&] { js = pga_jumble(query, source); });
    *jstate = js;
    return js != NULL ? pga_queryid(query->queryId) : 0;
}

}  // namespace

JumbleState *pga_jumble(Query *query, const char *source) {
    // JumbleQuery asserts that query ids are enabled: they are, for this call.
    bool saved = query_id_enabled;
    query_id_enabled = true;
    JumbleState *js = NULL;
    PG_TRY();
    { js = PGA_JUMBLE_QUERY(query, source); }
    PG_FINALLY();
    { query_id_enabled = saved; }
    PG_END_TRY();
    return js;
}

void pga_query_ids_invalidate(void) {
    catalog_generation++;
}

uint64 pga_assign_query_id(ParseState *pstate, Query *query, const StatementFingerprint *fp,
                           JumbleState **jstate) {
    *jstate = NULL;
    if (compute_query_id == COMPUTE_QUERY_ID_OFF) return 0;
    const char *source = pstate->p_sourcetext;
    if (!analysis_from_text_only(pstate, fp) || !cache_usable())
        return protected_jumble(query, source, jstate);

    uint64 shape = shape_key(*fp);
    uint64 cached = cache.find(shape);
    if (cached == 0) {
        uint64 id = protected_jumble(query, source, jstate);
        if (id != 0) {
            cache.store(shape, id);
            pg_atomic_fetch_add_u64(&pga_shared->query_id_jumbles, 1);
        }
        return id;
    }
    if (pga_verify_query_ids || ++hits_since_check >= kCheckInterval) {
        hits_since_check = 0;
        uint64 fresh = protected_jumble(query, source, jstate);
        if (fresh != 0 && fresh != cached) {
            pg_atomic_fetch_add_u64(&pga_shared->query_id_mismatches, 1);
            cache.clear();
            cache.store(shape, fresh);
            if (!mismatch_logged) {
                mismatch_logged = true;
                ereport(LOG,
                        (errmsg("pg_advisor: a reused query id differed from the server's jumble"),
                         errdetail_internal("Cached %llu, computed %llu; the statement keeps the "
                                            "computed id and this session's cache was cleared.",
                                            (unsigned long long)cached, (unsigned long long)fresh),
                         errhint("Please report this with the statement's text.")));
            }
        }
        if (fresh != 0) return fresh;
    }
    query->queryId = (pga_queryid_t)cached;
    return cached;
}
