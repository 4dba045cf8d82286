// The index advisor run (see index_advisor.cpp). C++ results: call from inside pga_sql_call();
// PostgreSQL errors arrive as PgError. Include after postgres.h and the core headers.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/indexes/index_candidates.h"
#include "core/indexes/index_selection.h"
#include "core/indexes/seq_scan_hotspots.h"

struct PgaIndexAdvice {
    std::vector<pg_advisor::TableInfo> tables;
    std::vector<pg_advisor::Candidate> candidates;
    std::vector<pg_advisor::IndexDecision> decisions;           // parallel to candidates
    std::vector<pg_advisor::RejectedCandidate> rejected;        // rejected before verification
    std::vector<std::pair<uint32_t, std::string>> skipped;      // tables left out, and why
    std::vector<std::pair<uint64_t, std::string>> unplannable;  // statements, and why
    std::vector<pg_advisor::WhatIfCost> costs;    // every candidate planned with a statement
    std::vector<pg_advisor::WhatIfCombo> combos;  // statements planned with several at once
    size_t statements = 0;
    size_t ntables = 0;      // tables considered (for the statistics of the last run)
    size_t ncandidates = 0;  // candidates, verified or rejected
    size_t planner_calls = 0;
    size_t cache_hits = 0;
    size_t key_samples = 0;  // table samples for index sizes (key_distinct.h)
    double key_sample_ms = 0;
    double elapsed_ms = 0;

    const pg_advisor::TableInfo *table(uint32_t relid) const;
};

class PgaCapturedWorkload;

// Runs the advisor over the captured workload of the current database (adhoc == nullptr; read
// here unless the caller already read it), or over one statement given as text (literals or
// $n parameters).
void pga_index_advice(const char *adhoc, PgaIndexAdvice &out,
                      PgaCapturedWorkload *workload = nullptr);

// Stable key of a candidate: "idx:" followed by 16 hex digits of a hash of its DDL.
std::string pga_recommendation_key(const pg_advisor::TableInfo &t, const pg_advisor::Candidate &c);

// Seq-scan hotspots of the captured workload of the current database; workload_ms: the total
// execution time of the statements read (for time shares).
void pga_seq_scan_hotspots(std::vector<pg_advisor::Hotspot> &out, double *workload_ms,
                           PgaCapturedWorkload *workload = nullptr);

// Statistics of this backend's last advisor run (for advisor.index_advice_stats).
const PgaIndexAdvice *pga_last_index_advice(void);

// A relation changed (relcache invalidation; InvalidOid: all): what-if costs that planned it
// are forgotten. Never raises.
void pga_whatif_relation_changed(unsigned int relid);
