#include "core/indexes/btree_size.h"

#include <algorithm>
#include <cmath>

#include "core/common/no_postgres.h"

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

// Leaf bytes (tuples and line pointers) of one key value with `dups` heap rows, deduplicated as
// a sorted build does: posting-list tuples (the key, then 6 bytes per heap pointer) of at most
// 10% of a page (nbtsort.c's limit), a lone row as a plain tuple.
double key_bytes(double dups, double keysize) {
    constexpr double kMaxPosting = 808;  // MAXALIGN_DOWN(8192 / 10) - line pointer, aligned
    const double per_posting = std::floor((kMaxPosting - keysize) / kHeapPointer);
    if (per_posting < 2) return dups * (keysize + 4);  // a key too wide to deduplicate
    double full = std::floor(dups / per_posting);
    double rest = dups - full * per_posting;
    double bytes = full * (maxalign(keysize + kHeapPointer * per_posting) + 4);
    if (rest >= 2)
        bytes += maxalign(keysize + kHeapPointer * rest) + 4;
    else if (rest >= 1)
        bytes += keysize + 4;
    return bytes;
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
    if (distinct_keys >= 1 && distinct_keys < tuples) {
        // Duplicates as CREATE INDEX packs them: on average tuples / distinct_keys per key,
        // between the two whole numbers around it.
        double keysize = maxalign(8 + data_width);
        double dups = tuples / distinct_keys;
        double low = std::floor(dups), share_high = dups - low;
        bytes = distinct_keys * ((1 - share_high) * key_bytes(low, keysize) +
                                 share_high * key_bytes(low + 1, keysize));
    }
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
