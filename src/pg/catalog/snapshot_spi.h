// The catalog snapshot inside the server: the same SQL the command line sends over libpq
// (core/catalog/snapshot_sql.h), run over SPI as the calling role, read-only, with
// search_path pinned to pg_catalog so no object of the role's schemas can stand in for a
// catalog function. Catalog locks end with the call (pga_with_released_locks).
//
// C++ results: call from inside pga_sql_call(); PostgreSQL errors arrive as PgError, rows that
// do not parse as catalog::SnapshotError. Include after postgres.h.
#pragma once

#include <string>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/catalog/snapshot_sql.h"

void pga_read_catalog_snapshot(pg_advisor::catalog::CatalogSnapshot &out);

// Runs one read-only query of pg_advisor's own over SPI, with search_path pinned to pg_catalog,
// and returns its rows as text (std::nullopt for NULL): as the current user, or as as_role in a
// security-restricted operation (boundary/run_as.h).
std::vector<pg_advisor::catalog::Row> pga_spi_rows(const std::string &sql,
                                                   Oid as_role = InvalidOid);
