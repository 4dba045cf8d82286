// Plan → scan shape translation (see shape_extract.cpp). Include after postgres.h.
#pragma once

#include "core/workload/scan_shape.h"

// Columns a Query compares with client parameters ($n), noted before planning: a custom plan
// folds the bound values into constants, and a client's value is not a constant of the query.
struct PgaParamColumns {
    static constexpr int kMax = 64;
    int n;
    bool overflow;     // more than kMax: treat every constant as a possible parameter
    bool limit_param;  // LIMIT $n
    struct {
        Oid relid;
        AttrNumber attnum;  // 0: an expression over the relation's columns
    } cols[kMax];
};

// Fills params from the Query before it is planned (the planner rewrites it in place).
void pga_collect_param_columns(Query *parse, PgaParamColumns *params);

// Where the statement's first literals start in its source text (StatementFingerprint), so
// that each constant compared with a column is tied to the literal it came from
// (Qual::literal).
struct PgaStatementLiterals {
    const char *source;
    const uint32 *offsets;
    int n;
};

// Fills builder from a planned statement and the Query it was planned from. params may be
// NULL (generic plan: parameters are still Params), literals too (not tied). May raise a
// PostgreSQL error (catalog lookups); builder holds no resources.
void pga_extract_shape(const Query *parse, const PlannedStmt *stmt, const PgaParamColumns *params,
                       pg_advisor::ShapeBuilder *builder,
                       const PgaStatementLiterals *literals = NULL);

// The expression under implicit casts and relabelings (RelabelType, implicit-cast FuncExpr).
Node *pga_strip_implicit_casts(Node *n);
