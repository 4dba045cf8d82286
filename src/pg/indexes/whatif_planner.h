// What-if planning with hypothetical indexes (see whatif_planner.cpp). Include after
// postgres.h. Every function may raise a PostgreSQL error: call them under pga_pg_subxact().
#pragma once

extern "C" {
#include "nodes/params.h"
}

struct PgaHypotheticalIndex;

// A hypothetical btree index from CREATE INDEX text (no CONCURRENTLY) on relid. Its size is
// estimated when a plan sees it, from the relation's row count (times the planner's
// selectivity of a partial index's predicate), data_width (average bytes of the key and
// INCLUDE values of one entry), distinct_keys (0 unknown; deduplication) and the size model
// (core/btree_size.h: 0 statistics, 1 HypoPG).
PgaHypotheticalIndex *pga_hypothetical_index(Oid relid, const char *ddl, int size_model,
                                             double data_width, double distinct_keys);
Oid pga_hypothetical_oid(const PgaHypotheticalIndex *h);

struct PgaPlanned {
    Query *query;  // the first rewritten query, as analysed (before planning)
    List *plans;   // PlannedStmt list
    double cost;   // sum of the plans' total costs
    List *relids;  // OIDs of the relations the plans read (partitions as their roots)
};

struct PgaAnalyzed {
    const char *sql;
    List *queries;     // rewritten, not planned
    Oid *param_types;  // of $1..$n, inferred from the statement
    int nparams;
    ParamListInfo params;  // example values bound to some of them (NULL: generic plan)
    int nbound;
};

// An example value of a column compared with a constant, as captured in a scan shape (relid
// and attnum as the partition root numbers them).
struct PgaExampleValue {
    Oid relid;
    AttrNumber attnum;
    Oid opno;
    const char *value;  // the constant's text (type output)
};

// Binds example values to the $n parameters of an analysed (normalised) statement that are
// compared with a column having an example (same column and operator, or its commutator), and
// the example LIMIT (>= 0) to a LIMIT $n; the statement is then planned as a custom plan for
// those values instead of a generic plan with default selectivities. Returns the number of
// parameters bound.
int pga_bind_examples(PgaAnalyzed *a, const PgaExampleValue *examples, int nexamples, int64 limit);

// Parses, analyses (types of $n inferred) and rewrites one statement. Rejects anything but
// SELECT / INSERT / UPDATE / DELETE / MERGE with a clear error. Before analysis takes any lock,
// every relation the text names must be one the current user owns or holds a privilege on
// (else the permission error a SELECT gets), and the statement may read at most
// max_relations relations (else a clear error naming the limit).
void pga_analyze_statement(const char *sql, int max_relations, PgaAnalyzed *out);

// Raises the permission error a plain execution of the planned statement would raise, for the
// current user (columns included, views as their owners), or returns false when
// ereport_on_violation is false.
bool pga_check_planned_permissions(const PgaPlanned *planned, bool ereport_on_violation);

// Plans (a copy of) an analysed statement, generic plan, with the given hypothetical indexes
// visible to the planner.
void pga_plan_analyzed(const PgaAnalyzed *a, PgaHypotheticalIndex **hypos, int n, PgaPlanned *out);

// Whether a planned statement scans the given index.
bool pga_planned_uses(const PgaPlanned *planned, Oid indexid);
