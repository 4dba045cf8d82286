// The server's query id for the statements pg_advisor records, without jumbling each one.
//
// By default (pg_advisor.query_ids = cached) pg_advisor does not turn on compute_query_id for
// every statement. For a statement the server did not jumble, it runs the server's own jumble
// (JumbleQuery) once per statement shape (core/statement_fingerprint.h) and reuses that id for
// every later statement of the same shape in this backend: the ids are the server's, equal to
// what compute_query_id = on and pg_stat_statements give. The reused ids are forgotten whenever
// what they depend on changes: any catalog invalidation of a relation, function, type,
// operator, schema, cast or collation; search_path, the role or the temporary schema; the
// settings that change how text is parsed. Statements whose analysis depends on more than
// their text ($n parameters with client-given types, PL/pgSQL variables, trigger transition
// tables) are jumbled every time. With pg_advisor.query_ids = core, _PG_init calls
// EnableQueryId() and the server jumbles every statement itself.
// Include after postgres.h.
#pragma once

#include "core/sql/statement_fingerprint.h"

extern "C" {
#include "nodes/parsenodes.h"
#include "parser/parse_node.h"
}

#include "pg/compat.h"

// Returns the query id of `query` (also set in query->queryId): reused from an earlier statement
// of the same shape, or computed now by the server's jumble, in which case *jstate receives the
// jumble (constant locations). fp: the statement's fingerprint, or NULL when it was not scanned
// (the jumble then always runs). Returns 0 when query ids are off (compute_query_id = off) or
// the jumble failed (counted as a capture failure). Never raises.
uint64 pga_assign_query_id(ParseState *pstate, Query *query,
                           const pg_advisor::StatementFingerprint *fp, JumbleState **jstate);

// Runs the server's jumble on query (sets query->queryId). May raise.
JumbleState *pga_jumble(Query *query, const char *source);

// Forgets every reused id (a catalog invalidation arrived).
void pga_query_ids_invalidate(void);
