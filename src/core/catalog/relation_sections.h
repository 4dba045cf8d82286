// Shared pieces of the relation family of snapshot sections (relation_sections.cpp,
// index_sections.cpp); see catalog/snapshot_sql.h for the rules every query follows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/catalog/snapshot_sql.h"

namespace pg_advisor::catalog {

// The CTEs every relation query starts with: `reader` (whether the role sees every table),
// `rel` (oid, nspname, relname, relkind of the relations the role may see) and `locked` (oids
// of relations another session holds or awaits an ACCESS EXCLUSIVE lock on).
std::string relation_ctes();

// The table a row refers to (null when it is not in the snapshot, e.g. created after the tables
// section was read); fails the row when the column is not an oid.
Table *table_of(CatalogSnapshot &snap, const RowReader &r, size_t col);
uint32_t oid_of(const RowReader &r, size_t col);
std::vector<int16_t> attnums(const RowReader &r, size_t col);

// Splits pg_get_expr() of an expression list ("lower(b), (a + 1)") at its top-level commas.
std::vector<std::string> split_expressions(std::string_view list);

const SnapshotSection &index_section();
const SnapshotSection &constraint_section();
const SnapshotSection &sequence_section();

}  // namespace pg_advisor::catalog
