// Helpers shared by the SQL-callable functions. Include after postgres.h.
#pragma once

extern "C" {
#include "fmgr.h"
#include "nodes/execnodes.h"
#include "storage/lwlock.h"
}

#include <string_view>

// jsonb object from a serialize_tags() buffer.
Datum pga_tags_jsonb(std::string_view serialized);

// Superusers and members of pg_read_all_stats see every user's statements (as with
// pg_stat_statements); everyone else sees only their own.
bool pga_can_see_all_statements(void);

// Copies a store's snapshot into palloc'd memory: allocation first, then the shared lock for
// the copy only (nothing that can raise runs under the lock).
char *pga_copy_snapshot(LWLock *lock, size_t capacity,
                        size_t (*take)(void *store_base, char *dst, size_t cap), void *store_base,
                        size_t *len);

template <class Store>
size_t take_snapshot(void *base, char *dst, size_t cap) {
    return Store(base).snapshot(dst, cap);
}

// text[] from a List of C strings, or from text Datums.
Datum pga_text_array(List *items);
Datum pga_text_array_datums(Datum *elems, int n);
// bigint[] from int64 values.
Datum pga_int8_array(const int64 *values, int n);

// Starts a materialized set-returning function and checks that the SQL definition has the
// number of columns this module fills (else: error with the ALTER EXTENSION hint).
ReturnSetInfo *pga_materialize(FunctionCallInfo fcinfo, int columns, const char *object);
