#include "cli/libpq/catalog_loader.h"

#include <libpq-fe.h>

#include <string>
#include <vector>

#include "cli/libpq/connection.h"
#include "core/catalog/snapshot_sql.h"

namespace pg_advisor::cli {

namespace {

Result exec(PGconn *conn, const std::string &sql, const char *what) {
    return run(conn, sql, std::string("reading ") + what);
}

// The result's texts, read in place.
void load_section(PGconn *conn, catalog::CatalogSnapshot &snap,
                  const catalog::SnapshotSection &section) {
    std::string sql = section.sql(snap.database.server_version_num);
    Result res = exec(conn, sql, section.name);
    PGresult *r = res.get();
    size_t n = static_cast<size_t>(PQntuples(r)), cols = static_cast<size_t>(PQnfields(r));
    std::vector<const char *> cells(n * cols);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < cols; c++) {
            int row = static_cast<int>(i), col = static_cast<int>(c);
            cells[i * cols + c] = PQgetisnull(r, row, col) ? nullptr : PQgetvalue(r, row, col);
        }
    catalog::load_rows(snap, section, catalog::TextCells{cells.data(), n, cols});
}

}  // namespace

catalog::CatalogSnapshot load_catalog(const std::string &dsn) {
    Connection conn = connect_pinned(dsn);
    exec(conn.get(), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "the snapshot");
    catalog::CatalogSnapshot snap;
    load_section(conn.get(), snap, catalog::database_section());
    for (const catalog::SnapshotSection *section : catalog::snapshot_sections())
        if (section->available == nullptr || section->available(snap))
            load_section(conn.get(), snap, *section);
    exec(conn.get(), "COMMIT", "the snapshot");
    catalog::finish_snapshot(snap);
    return snap;
}

}  // namespace pg_advisor::cli
