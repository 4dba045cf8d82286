// The catalog invalidations pg_advisor listens to, registered once at server start (one
// relcache slot of the ten PostgreSQL has, so that a busy server runs out of them at start-up,
// with a clear message, rather than in a user's session):
//   - relations: the what-if cost cache of the index advisor and the reused query ids;
//   - functions, types, operators, schemas, casts, collations: the reused query ids (name
//     resolution of a statement's text may now give other objects).
#include <exception>

extern "C" {
#include "postgres.h"

#include "utils/inval.h"
#include "utils/syscache.h"
}

#include "pg/capture/capture.h"
#include "pg/indexes/index_advisor.h"
#include "pg/capture/query_id.h"

static void relation_changed(Datum arg, Oid relid) {
    pga_query_ids_invalidate();
    pga_whatif_relation_changed(relid);
}

static void object_changed(Datum arg, int cacheid, uint32 hashvalue) {
    pga_query_ids_invalidate();
}

void pga_install_invalidation_callbacks(void) {
    CacheRegisterRelcacheCallback(relation_changed, (Datum)0);
    const int caches[] = {PROCOID, TYPEOID, OPEROID, NAMESPACEOID, CASTSOURCETARGET, COLLOID};
    for (int cache : caches)
        CacheRegisterSyscacheCallback(cache, object_changed, (Datum)0);
}
