// Size of a btree index that does not exist yet, from the table's statistics.
//
// Two models:
//   - Statistics (default): what CREATE INDEX builds: leaf entries of MAXALIGN(8-byte tuple
//     header + key and INCLUDE data) plus a 4-byte line pointer, leaves filled to 90% (the
//     default fillfactor), duplicates deduplicated into posting-list tuples (the key, then 6
//     bytes per heap row, each tuple at most a tenth of a page), inner levels up to a single
//     root, plus the metapage. The height is what the cost model charges for the descent.
//   - HypoPG: HypoPG's estimate (entry = data + 8 bytes per column + MAXALIGN(4 bytes per
//     column), 30% slack, no metapage, unknown height), so that pg_advisor's what-if costs can
//     be compared with HypoPG's, and with tools built on it, index for index.
#pragma once

#include <cstdint>

namespace pg_advisor {

enum class SizeModel : uint8_t { Statistics = 0, HypoPG = 1 };

struct BtreeSize {
    double entry_bytes = 0;  // per index entry, as the model counts it
    double pages = 1;        // total, in 8 kB blocks
    int height = -1;         // levels above the leaves; -1: unknown (the planner assumes 0)
};

// data_width: average bytes of the key and INCLUDE values of one entry; columns: their number;
// distinct_keys: distinct key values when known (> 0) and the index can deduplicate (no
// INCLUDE): duplicates then share posting-list tuples.
BtreeSize estimate_btree(SizeModel model, double tuples, double data_width, int columns,
                         double distinct_keys = 0);

}  // namespace pg_advisor
