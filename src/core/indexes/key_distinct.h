// Distinct values of an index key (what btree deduplication works with), which sets the size of
// an index that does not exist yet: n entries with d distinct keys take d index tuples plus a
// 6-byte heap pointer per duplicate.
//
// A single column's distinct count comes from pg_stats. For several columns pg_stats only
// bounds it: at least the largest column's count, at most the product of all (and the rows);
// for a partial index, at least one value.
// Where the bounds give index sizes within 5% or 8 pages of each other, the upper bound is used
// (the larger, more conservative size); otherwise the table is sampled (the caller does it) and the
// combinations counted in the sample are scaled to the table with the Haas-Stokes (Duj1)
// estimator ANALYZE uses for n_distinct, then clamped to the bounds.
#pragma once

#include "core/indexes/index_candidates.h"

namespace pg_advisor {

struct KeyDistinct {
    // 0: not known, every entry counted as its own index tuple (INCLUDE columns, expression
    // keys, a column without statistics, or a key type whose operator class cannot
    // deduplicate: numeric, float, ...)
    double low = 0;
    double high = 0;
    bool needs_sample = false;
};

KeyDistinct key_distinct_bounds(const TableInfo &table, const Candidate &c);

// Haas-Stokes Duj1: sample_rows rows in the sample, sample_distinct distinct values among them,
// singletons of those seen once, total_rows in the table. Returns 0 for an empty sample.
double duj1_estimate(double sample_rows, double sample_distinct, double singletons,
                     double total_rows);

}  // namespace pg_advisor
