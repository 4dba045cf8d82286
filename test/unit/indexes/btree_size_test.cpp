#include "core/indexes/btree_size.h"

#include <gtest/gtest.h>

#include <cmath>

using pg_advisor::BtreeSize;
using pg_advisor::estimate_btree;
using pg_advisor::SizeModel;

// Sizes PostgreSQL 15 builds (pg_relation_size after CREATE INDEX, see test/e2e/index_oracle)
// next to the model's.

TEST(BtreeSize, UniqueKeys) {
    // 100,000 bigint keys: 20 bytes each at 90% of 8152 bytes: 273 leaves, a root, the metapage.
    BtreeSize s = estimate_btree(SizeModel::Statistics, 100000, 8, 1);
    EXPECT_DOUBLE_EQ(s.pages, 275);
    EXPECT_EQ(s.height, 1);
}

TEST(BtreeSize, FewDuplicatesPerKeyPayForThePostingListHeader) {
    // 180,000 rows, 60,000 bigint keys (3 rows each): posting tuples of MAXALIGN(16 + 18) + 4
    // = 44 bytes, 360 leaves; PostgreSQL builds 364 pages (2912 kB).
    BtreeSize s = estimate_btree(SizeModel::Statistics, 180000, 8, 1, 60000);
    EXPECT_DOUBLE_EQ(s.pages, 362);
}

TEST(BtreeSize, ManyDuplicatesPerKey) {
    // 100,000 rows, 1,000 (int, int) keys of 100 rows: 620-byte posting tuples, 85 leaves;
    // PostgreSQL builds 86 pages (688 kB).
    BtreeSize s = estimate_btree(SizeModel::Statistics, 100000, 8, 2, 1000);
    EXPECT_DOUBLE_EQ(s.pages, 87);
    // 500 rows per key: posting tuples hold at most 132 pointers (a tenth of a page), so each
    // key takes three full ones (MAXALIGN(16 + 792) + 4 bytes) and one of 104 pointers.
    BtreeSize big = estimate_btree(SizeModel::Statistics, 100000, 8, 2, 200);
    double per_key = 3 * (808 + 4) + (640 + 4);
    EXPECT_DOUBLE_EQ(big.pages, std::ceil(200 * per_key / (8152 * 0.9)) + 2);
}

TEST(BtreeSize, KeysTooWideToDeduplicate) {
    // 800-byte keys leave no room for two heap pointers in a tenth of a page.
    BtreeSize dup = estimate_btree(SizeModel::Statistics, 10000, 800, 1, 100);
    BtreeSize unique = estimate_btree(SizeModel::Statistics, 10000, 800, 1);
    EXPECT_DOUBLE_EQ(dup.pages, unique.pages);
}
