#include "core/indexes/key_distinct.h"

#include <algorithm>

#include "core/indexes/btree_size.h"
#include "core/common/no_postgres.h"

namespace pg_advisor {

KeyDistinct key_distinct_bounds(const TableInfo &t, const Candidate &c) {
    KeyDistinct k;
    if (!c.include.empty() || c.keys.empty()) return k;
    double rows = std::max(t.reltuples * c.predicate_fraction, 1.0);
    double low = 1, high = 1;
    for (const IndexKey &key : c.keys) {
        const ColumnInfo *col = key.attnum ? t.column(key.attnum) : nullptr;
        if (col == nullptr || !col->dedup || col->n_distinct == 0) return k;  // no statistics
        double d = std::max(std::min(t.distinct_values(*col), rows), 1.0);
        low = std::max(low, d);
        high = std::min(high * d, rows);
    }
    // A partial index keeps a subset of the rows, whose values can be far fewer than the
    // table's (the predicate may pick them): only the upper bound stays.
    if (!c.predicate.empty()) low = 1;
    k.low = low;
    k.high = high;
    if ((c.keys.size() > 1 || !c.predicate.empty()) && high > low) {
        double width = index_data_width(t, c);
        int columns = static_cast<int>(c.keys.size());
        double small = estimate_btree(SizeModel::Statistics, rows, width, columns, low).pages;
        double large = estimate_btree(SizeModel::Statistics, rows, width, columns, high).pages;
        k.needs_sample = large > small * 1.05 && large - small >= 8;
    }
    return k;
}

double duj1_estimate(double n, double d, double f1, double total) {
    if (n <= 0 || d <= 0) return 0;
    if (n >= total) return d;  // the whole table was read
    double denominator = n - f1 + f1 * n / total;
    double estimate = denominator > 0 ? n * d / denominator : total;
    return std::min(std::max(estimate, d), total);
}

}  // namespace pg_advisor
