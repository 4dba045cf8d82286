// The loop findings of this database that the current role may see (pg_stat_statements' rule:
// other users' loops only for superusers and members of pg_read_all_stats), each described
// with its set-based rewrite, the ORM's fix, the query count after the fix and the reason.
// advisor.n_plus_one and the review both read them from here. Include after postgres.h.
#pragma once

#include "core/loops/loop_finding.h"

struct PgaLoopRow {
    pg_advisor::FindingEntry entry;
    uint64 typical_repeats;
    // palloc'd, NUL-terminated.
    char *parent_text;
    char *child_text;
    char *tags;  // serialize_tags() format (NUL-separated: use tags_len)
    int tags_len;
    char *suggested_sql;
    char *orm_fix;
    char *expected_queries;  // "21 -> 2"
    char *reason;
    char *finding_key;  // "<kind>:<16 hex digits>"
};

// palloc'd array of *n rows; may raise (catalog lookups).
PgaLoopRow *pga_read_loops(int *n);
