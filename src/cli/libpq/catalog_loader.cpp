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

Result exec(PGconn *conn, const std::string &sql, const char *what) {
    Result res(PQexec(conn, sql.c_str()), &PQclear);
    ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        std::string message = PQerrorMessage(conn);
        while (!message.empty() && message.back() == '\n')
            message.pop_back();
        throw std::runtime_error(std::string("reading ") + what + ": " + message);
    }
    return res;
}

std::vector<catalog::Row> rows_of(PGresult *res) {
    std::vector<catalog::Row> rows;
    int n = PQntuples(res), cols = PQnfields(res);
    rows.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; i++) {
        catalog::Row row;
        row.reserve(static_cast<size_t>(cols));
        for (int c = 0; c < cols; c++) {
            if (PQgetisnull(res, i, c))
                row.emplace_back(std::nullopt);
            else
                row.emplace_back(std::string(PQgetvalue(res, i, c),
                                             static_cast<size_t>(PQgetlength(res, i, c))));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

void load_section(PGconn *conn, catalog::CatalogSnapshot &snap,
                  const catalog::SnapshotSection &section) {
    std::string sql = section.sql(snap.database.server_version_num);
    Result res = exec(conn, sql, section.name);
    catalog::load_rows(snap, section, rows_of(res.get()));
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
