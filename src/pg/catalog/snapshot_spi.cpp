// The catalog snapshot over SPI (see snapshot_spi.h).
#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/catalog/snapshot_sql.h"

extern "C" {
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
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
        pga_run_as(role, kPgaSafeSearchPath, [&] { run_query(sql, into, out); });
    else
        run_query(sql, into, out);
}

void run_query(const char *sql, MemoryContext into, TextRows *out) {
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    // Catalog functions only: the role's schemas never come first.
    int nestlevel = NewGUCNestLevel();
    (void)set_config_option("search_path", kPgaSafeSearchPath, PGC_USERSET, PGC_S_SESSION,
                            GUC_ACTION_SAVE, true, 0, false);
    // Compiling a catalog query would take longer than running it.
    (void)set_config_option("jit", "off", PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                            false);
    int rc = SPI_execute(sql, true, 0);
    if (rc != SPI_OK_SELECT)
        elog(ERROR, "catalog snapshot query failed: %s", SPI_result_code_string(rc));
    TupleDesc desc = SPI_tuptable->tupdesc;
    out->nrows = SPI_processed;
    out->ncols = desc->natts;
    out->values = static_cast<char **>(
        MemoryContextAllocHuge(into, sizeof(char *) * Max(out->nrows * out->ncols, 1)));
    // Each row deformed once and each column's output function looked up once (SPI_getvalue
    // does both per value: a third of the time on 70,000 columns).
    FmgrInfo *output = static_cast<FmgrInfo *>(palloc(sizeof(FmgrInfo) * Max(out->ncols, 1)));
    for (int c = 0; c < out->ncols; c++) {
        Oid func;
        bool varlena;
        getTypeOutputInfo(TupleDescAttr(desc, c)->atttypid, &func, &varlena);
        fmgr_info(func, &output[c]);
    }
    Datum *values = static_cast<Datum *>(palloc(sizeof(Datum) * Max(out->ncols, 1)));
    bool *nulls = static_cast<bool *>(palloc(sizeof(bool) * Max(out->ncols, 1)));
    MemoryContext spi_cxt = MemoryContextSwitchTo(into);  // the texts outlive SPI_finish()
    for (uint64 r = 0; r < out->nrows; r++) {
        heap_deform_tuple(SPI_tuptable->vals[r], desc, values, nulls);
        for (int c = 0; c < out->ncols; c++)
            out->values[r * out->ncols + c] =
                nulls[c] ? NULL : OutputFunctionCall(&output[c], values[c]);
    }
    MemoryContextSwitchTo(spi_cxt);
    AtEOXact_GUC(false, nestlevel);
    SPI_finish();
}

TextRows read_rows(const std::string &sql, MemoryContext rows_cxt, Oid as_role = InvalidOid) {
    TextRows result{};
    pga_pg_subxact([&] { run_query_as(as_role, sql.c_str(), rows_cxt, &result); });
    return result;
}

std::vector<Row> text_rows(const std::string &sql, MemoryContext rows_cxt,
                           Oid as_role = InvalidOid) {
    TextRows result = read_rows(sql, rows_cxt, as_role);
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

// SET client_min_messages = debug2 shows each section's rows and time.
void load_section(CatalogSnapshot &snap, const SnapshotSection &section, MemoryContext rows_cxt) {
    auto started = std::chrono::steady_clock::now();
    TextRows rows = read_rows(section.sql(snap.database.server_version_num), rows_cxt);
    auto read = std::chrono::steady_clock::now();
    load_rows(
        snap, section,
        TextCells{rows.values, static_cast<size_t>(rows.nrows), static_cast<size_t>(rows.ncols)});
    MemoryContextReset(rows_cxt);
    auto loaded = std::chrono::steady_clock::now();
    if (message_level_is_interesting(DEBUG2))
        pga_pg_subxact([&] {
            elog(DEBUG2, "pg_advisor catalog section %s: %zu rows, query %.0f ms, load %.0f ms",
                 section.name, static_cast<size_t>(rows.nrows),
                 std::chrono::duration<double, std::milli>(read - started).count(),
                 std::chrono::duration<double, std::milli>(loaded - read).count());
        });
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
