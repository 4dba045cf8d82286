// SQL text of index and constraint definitions, as pg_get_indexdef() and
// pg_get_constraintdef() print them, built from the catalog facts of the snapshot. The
// snapshot builds them itself: the server's functions open the table (so they would queue
// behind DDL) and cost tens of microseconds each, too much for 30,000 indexes.
#pragma once

#include <string>
#include <vector>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::catalog {

// CREATE [UNIQUE] INDEX name ON [ONLY] schema.table USING am (keys) [INCLUDE (...)]
// [NULLS NOT DISTINCT] [WITH (...)] [WHERE predicate]; "" when an expression or the predicate
// is not known (the table was ddl_locked).
std::string index_definition(const Table &t, const Index &ix);

// PRIMARY KEY (...) / UNIQUE [NULLS NOT DISTINCT] (...) with the backing index's INCLUDE and
// storage options; "" when the index is not in the snapshot.
std::string key_constraint_definition(const Table &t, const Constraint &c, bool deferred);

// FOREIGN KEY (...) REFERENCES schema.table(...) [MATCH FULL] [ON UPDATE ...] [ON DELETE ...]
// [DEFERRABLE [INITIALLY DEFERRED]]: the referenced table always schema-qualified.
std::string foreign_key_definition(const Table &t, const Constraint &c,
                                   const std::string &ref_table,
                                   const std::vector<std::string> &ref_columns, bool deferred);

}  // namespace pg_advisor::catalog
