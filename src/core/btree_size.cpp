#include "core/btree_size.h"

#include <algorithm>
#include <cmath>

#include "core/no_postgres.h"

namespace pg_advisor {

namespace {

constexpr double kBlockSize = 8192;
constexpr double kUsable = kBlockSize - 24 - 16;  // page header, btree special space
constexpr double kLeafFill = 0.90;                // BTREE_DEFAULT_FILLFACTOR
constexpr double kHypoSlack = 1.30;               // HypoPG: (200 - 90 + 20) / 100
constexpr double kHeapPointer = 6;                // a TID in a posting list

double maxalign(double n) {
    return std::ceil(n / 8) * 8;
}

}  // namespace

BtreeSize estimate_btree(SizeModel model, double tuples, double data_width, int columns,
                         double distinct_keys) {
    BtreeSize s;
    tuples = std::max(tuples, 0.0);
    if (model == SizeModel::HypoPG) {
        s.entry_bytes = data_width + 8.0 * columns + maxalign(4.0 * columns);
        s.pages = std::max(1.0, std::floor(tuples * s.entry_bytes * kHypoSlack / kUsable));
        s.height = -1;
        return s;
    }
    s.entry_bytes = maxalign(8 + data_width) + 4;
    double bytes = tuples * s.entry_bytes;
    if (distinct_keys >= 1 && distinct_keys < tuples)
        bytes = distinct_keys * s.entry_bytes + (tuples - distinct_keys) * kHeapPointer;
    double level = std::max(1.0, std::ceil(bytes / (kUsable * kLeafFill)));
    double total = level;
    double fanout = std::max(2.0, std::floor(kUsable / s.entry_bytes));
    s.height = 0;
    while (level > 1) {
        level = std::ceil(level / fanout);
        total += level;
        s.height++;
    }
    s.pages = total + 1;  // metapage
    return s;
}

}  // namespace pg_advisor
