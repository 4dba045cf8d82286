// The index advisor's candidates as rows: what advisor.index_recommendations,
// advisor.index_candidates and advisor.recommend_indexes() list, what
// advisor.explain_recommendation() explains and what the review's missing_index rule reads.
// Plain C++ over a finished run (no PostgreSQL call). Include after postgres.h.
#pragma once

#include <string>
#include <vector>

#include "pg/indexes/index_advisor.h"

extern const char *const kPgaRecommended;  // statuses
extern const char *const kPgaNotChosen;
extern const char *const kPgaRejected;

struct PgaAdviceRow {
    std::string key;
    Oid relid = InvalidOid;
    std::string relation;  // schema-qualified, quoted
    std::vector<std::string> keys, include;
    std::string predicate, ddl, rule, status, reason;
    double size_bytes = 0;
    std::vector<int64> queryids;
    bool verified = false;  // costs below are known
    double calls = 0, cost_before = 0, cost_after = 0, saving_pct = 0, benefit = 0,
           write_overhead = 0;
};

// Rows of one advisor run: chosen first (by benefit), then verified but not chosen, then (with
// include_rejected) rejected before verification.
std::vector<PgaAdviceRow> pga_advice_rows(const PgaIndexAdvice &a, bool include_rejected);
