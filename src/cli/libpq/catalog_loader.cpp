#include "cli/libpq/catalog_loader.h"

#include <libpq-fe.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/catalog/snapshot_sql.h"

namespace pg_advisor::cli {

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Runs one statement; on failure throws with `doing` ("reading the snapshot") and libpq's
// message.
Result run(PGconn *conn, const std::string &sql, const std::string &doing) {
    Result res(PQexec(conn, sql.c_str()), &PQclear);
    ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        std::string message = PQerrorMessage(conn);
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        throw std::runtime_error(doing + ": " + message);
    }
    return res;
}

Result exec(PGconn *conn, const std::string &sql, const char *what) {
    return run(conn, sql, std::string("reading ") + what);
}

// The session settings the extension runs its catalog queries under (pg/catalog/
// snapshot_spi.cpp): the snapshot SQL names functions and operators unqualified, so a
// search_path set for the database or the role (ALTER DATABASE ... SET search_path = evil,
// pg_catalog) would let objects of that schema stand in for them and run as whoever runs
// `pg_advisor review`. Set for the session, before any other statement.
void pin_session(PGconn *conn) {
    run(conn,
        "SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', false), "
        "pg_catalog.set_config('jit', 'off', false)",
        "pinning search_path to pg_catalog and turning jit off");
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
    Connection conn(PQconnectdb(dsn.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn.get());
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        throw std::runtime_error("could not connect: " + message);
    }
    pin_session(conn.get());
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
