// libpq connections of the command line: opened with the session settings the extension runs
// its own catalog SQL under (search_path pinned to pg_catalog, pg_temp; jit off), and statements
// run with errors turned into exceptions. Only src/cli/libpq talks to libpq.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace pg_advisor::cli {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Connects with a libpq connection string or URI and pins the session (see above): a
// search_path set for the database or the role (ALTER DATABASE ... SET search_path = evil,
// pg_catalog) would otherwise let objects of that schema stand in for the unqualified functions
// of our SQL and run as whoever runs pg_advisor. Throws std::runtime_error with libpq's message.
// When session_search_path is given, it receives the session's own schemas first
// (pg_catalog.current_schemas(false), qualified, so the session's search_path cannot stand in),
// for resolving a migration's unqualified names as its session would.
Connection connect_pinned(const std::string &dsn, std::string *session_search_path = nullptr);

// libpq's last error message, without its trailing newline.
std::string last_error(PGconn *conn);

// Runs one statement; on failure throws std::runtime_error with `doing` ("reading the
// snapshot") and libpq's message.
Result run(PGconn *conn, const std::string &sql, const std::string &doing);

}  // namespace pg_advisor::cli
