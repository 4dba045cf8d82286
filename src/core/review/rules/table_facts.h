// Facts about tables and indexes that the indexing and schema rules read: sizes, row counts,
// traffic, names as SQL, and lookups built once per rule run (every one linear in the
// snapshot's size). Storage options and the shared notion of a user table: relation_facts.h;
// numbers for people: rule_text.h.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::review::facts {

using catalog::CatalogSnapshot;
using catalog::Column;
using catalog::Index;
using catalog::Table;

// The server's block size (setting block_size, 8192 when unknown).
double block_size(const CatalogSnapshot &cat);
// Heap and TOAST bytes (relpages x block size: no function that locks the table).
double table_bytes(const Table &t, double block);
double index_bytes(const Index &ix, double block);
// Rows: reltuples when the table was vacuumed or analysed, else n_live_tup, else 0.
double table_rows(const Table &t);
// Tables and partitioned tables the user made (relation::is_user_table).
bool is_user_table(const Table &t);
// Tables whose columns and keys are designed by the user: is_user_table() and not a partition
// (partitions inherit their columns, keys and constraints from the partitioned table).
bool is_designed_table(const Table &t);
// UPDATE + DELETE, INSERT + UPDATE + DELETE of the statistics; -1 when unknown.
int64_t updates_and_deletes(const Table &t);
int64_t writes(const Table &t);
// All scans of the table (sequential + index); -1 when unknown.
int64_t scans(const Table &t);

// A column by attribute number (binary search on the attnum-ordered columns), null if absent.
const Column *column_at(const Table &t, int16_t attnum);
// The column's name quoted where needed ("#<attnum>" when unknown).
std::string column_sql(const Table &t, int16_t attnum);
std::string column_name(const Table &t, int16_t attnum);
// "a, b" (quoted where needed).
std::string column_list_sql(const Table &t, const std::vector<int16_t> &attnums);
std::vector<std::string> column_names(const Table &t, const std::vector<int16_t> &attnums);

// "schema"."index" (indexes live in their table's schema).
std::string index_object(const Table &t, const Index &ix);
// "schema"."table"."column".
std::string column_object(const Table &t, const Column &c);

// The key columns of an index as text: column names, "(expression)", or "?" when unknown.
std::vector<std::string> key_names(const Table &t, const Index &ix);

// Sizes and counts for people (rule_text.h): "1.5 GB", "12 kB"; "1,234,567".
std::string human_bytes(double bytes);
std::string human_count(double n);
// "12.5%" of a fraction (0.125).
std::string human_percent(double fraction);
// "2026-01-31 12:00 UTC" (empty for 0).
std::string human_time(catalog::Micros t);

// Largest value of a smallint / integer / bigint column type (0 for other types).
int64_t integer_type_max(uint32_t type_oid);

// Index usable to look rows up by its leading columns: valid and ready, or being built.
bool index_usable(const Index &ix);

// Which indexes of one table serve lookups by a set of columns: for every usable full (not
// partial) btree index and every prefix of its plain key columns, the prefix as a set. Hash
// indexes serve their one column. Built in time linear in the index keys.
class LookupCoverage {
  public:
    explicit LookupCoverage(const Table &t);
    // Indexes whose leading key columns are exactly `columns`, in any order.
    const std::vector<const Index *> &covering(const std::vector<int16_t> &columns) const;

  private:
    std::unordered_map<std::string, std::vector<const Index *>> by_set_;
};

// Table lookups the snapshot does not have: partitions by parent, index by oid.
struct IndexRef {
    const Table *table = nullptr;
    const Index *index = nullptr;
};
std::unordered_map<uint32_t, std::vector<const Table *>> partitions_by_parent(
    const CatalogSnapshot &cat);
std::unordered_map<uint32_t, IndexRef> indexes_by_oid(const CatalogSnapshot &cat);

// A table with its partitions: a partitioned table has no rows, pages or counters of its own,
// so its figures are the sums over its partitions (at every level); any other table's are its
// own. Counters are -1 when no partition has them.
struct TableTotals {
    double rows = 0;
    double bytes = 0;
    int64_t updates = -1;
    int64_t deletes = -1;
    int64_t updates_and_deletes() const {
        return updates < 0 || deletes < 0 ? -1 : updates + deletes;
    }
};
TableTotals table_totals(const Table &t,
                         const std::unordered_map<uint32_t, std::vector<const Table *>> &partitions,
                         double block);
// Views and materialized views reading each table (from Table::view_reads).
std::unordered_map<uint32_t, std::vector<const Table *>> views_reading(const CatalogSnapshot &cat);
// Tables by "schema"."name" as findings and workload evidence spell them.
std::unordered_map<std::string, const Table *> tables_by_name(const CatalogSnapshot &cat);

}  // namespace pg_advisor::review::facts
