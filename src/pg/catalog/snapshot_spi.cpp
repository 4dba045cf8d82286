// The catalog snapshot over SPI (see snapshot_spi.h).
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/snapshot_sql.h"

extern "C" {
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/memutils.h"
}

#include "pg/boundary/lock_scope.h"
#include "pg/boundary/pg_guard.h"
#include "pg/boundary/run_as.h"
#include "pg/catalog/snapshot_spi.h"
#include "pg/compat.h"

using namespace pg_advisor::catalog;

namespace {

// One query's result as plain palloc'd text (NULL for SQL NULL), copied out of SPI's memory.
struct TextRows {
    uint64 nrows;
    int ncols;
    char **values;  // nrows * ncols
};

void run_query(const char *sql, MemoryContext into, TextRows *out);

// run_query(), as another role when one is given.
void run_query_as(Oid role, const char *sql, MemoryContext into, TextRows *out) {
    if (OidIsValid(role))
        pga_run_as(role, [&] { run_query(sql, into, out); });
    else
        run_query(sql, into, out);
}

void run_query(const char *sql, MemoryContext into, TextRows *out) {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    // Catalog functions only: the role's schemas never come first.
    int nestlevel = NewGUCNestLevel();
    (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    int rc = SPI_execute(sql, true, 0);
    if (rc != SPI_OK_SELECT)
        elog(ERROR, "catalog snapshot query failed: %s", SPI_result_code_string(rc));
    TupleDesc desc = SPI_tuptable->tupdesc;
    out->nrows = SPI_processed;
    out->ncols = desc->natts;
    out->values = static_cast<char **>(
        MemoryContextAllocHuge(into, sizeof(char *) * Max(out->nrows * out->ncols, 1)));
    for (uint64 r = 0; r < out->nrows; r++)
        for (int c = 0; c < out->ncols; c++) {
            char *v = SPI_getvalue(SPI_tuptable->vals[r], desc, c + 1);
            out->values[r * out->ncols + c] = v ? MemoryContextStrdup(into, v) : NULL;
        }
    AtEOXact_GUC(false, nestlevel);
    SPI_finish();
}

std::vector<Row> text_rows(const std::string &sql, MemoryContext rows_cxt,
                           Oid as_role = InvalidOid) {
    TextRows result{};
    pga_pg_subxact([&] { run_query_as(as_role, sql.c_str(), rows_cxt, &result); });
    std::vector<Row> rows(result.nrows);
    for (uint64 r = 0; r < result.nrows; r++) {
        rows[r].reserve(result.ncols);
        for (int c = 0; c < result.ncols; c++) {
            const char *v = result.values[r * result.ncols + c];
            rows[r].push_back(v ? std::optional<std::string>(v) : std::nullopt);
        }
    }
    MemoryContextReset(rows_cxt);
    return rows;
}

void load_section(CatalogSnapshot &snap, const SnapshotSection &section, MemoryContext rows_cxt) {
    load_rows(snap, section, text_rows(section.sql(snap.database.server_version_num), rows_cxt));
}

// A memory context for query results, deleted when the work is done (or fails).
template <class Fn>
void with_rows_context(Fn &&fn) {
    MemoryContext rows_cxt = nullptr;
    MemoryContext caller = CurrentMemoryContext;
    pga_pg_subxact([&] {
        rows_cxt = AllocSetContextCreate(caller, "pg_advisor query rows", ALLOCSET_DEFAULT_SIZES);
    });
    try {
        fn(rows_cxt);
    } catch (...) {
        MemoryContextDelete(rows_cxt);
        throw;
    }
    MemoryContextDelete(rows_cxt);
}

}  // namespace

void pga_read_catalog_snapshot(CatalogSnapshot &out) {
    with_rows_context([&](MemoryContext rows_cxt) {
        pga_with_released_locks([&] {
            load_section(out, database_section(), rows_cxt);
            for (const SnapshotSection *section : snapshot_sections())
                if (section->available == nullptr || section->available(out))
                    load_section(out, *section, rows_cxt);
        });
    });
    finish_snapshot(out);
}

std::vector<Row> pga_spi_rows(const std::string &sql, Oid as_role) {
    std::vector<Row> rows;
    with_rows_context([&](MemoryContext rows_cxt) { rows = text_rows(sql, rows_cxt, as_role); });
    return rows;
}
