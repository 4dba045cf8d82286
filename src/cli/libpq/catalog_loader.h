// Fills a CatalogSnapshot over libpq with the same SQL the extension runs over SPI
// (core/catalog/snapshot_sql.h). Only this folder talks to libpq.
#pragma once

#include <string>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::cli {

// Connects with a libpq connection string or URI; pins the session's search_path to
// "pg_catalog, pg_temp" and turns jit off (as the extension does for the same queries), then reads
// the snapshot in one read-only transaction (REPEATABLE READ, so every section sees the same
// moment). Throws std::runtime_error with libpq's message on connection or query errors, and
// catalog::SnapshotError on rows that do not parse.
catalog::CatalogSnapshot load_catalog(const std::string &dsn);

}  // namespace pg_advisor::cli
