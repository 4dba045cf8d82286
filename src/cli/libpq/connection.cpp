#include "cli/libpq/connection.h"

#include <stdexcept>

namespace pg_advisor::cli {

std::string last_error(PGconn *conn) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n')
        message.pop_back();
    return message;
}

Result run(PGconn *conn, const std::string &sql, const std::string &doing) {
    Result res(PQexec(conn, sql.c_str()), &PQclear);
    ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        throw std::runtime_error(doing + ": " + last_error(conn));
    return res;
}

Connection connect_pinned(const std::string &dsn, std::string *session_search_path) {
    Connection conn(PQconnectdb(dsn.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK)
        throw std::runtime_error("could not connect: " + last_error(conn.get()));
    if (session_search_path) {
        Result path = run(conn.get(), "SELECT pg_catalog.current_schemas(false)::pg_catalog.text",
                          "reading the session's search_path");
        *session_search_path = PQgetisnull(path.get(), 0, 0) ? "{}" : PQgetvalue(path.get(), 0, 0);
    }
    run(conn.get(),
        "SELECT pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', false), "
        "pg_catalog.set_config('jit', 'off', false)",
        "pinning search_path to pg_catalog and turning jit off");
    return conn;
}

}  // namespace pg_advisor::cli
