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

// Fills builder from a planned statement and the Query it was planned from. params may be
// NULL (generic plan: parameters are still Params). May raise a PostgreSQL error (catalog
// lookups); builder holds no resources.
void pga_extract_shape(const Query *parse, const PlannedStmt *stmt, const PgaParamColumns *params,
                       pg_advisor::ShapeBuilder *builder);

// The expression under implicit casts and relabelings (RelabelType, implicit-cast FuncExpr).
Node *pga_strip_implicit_casts(Node *n);
