// DDL review inside the server: parsing statements with the server's own parser, the session's
// migration state, and the linter run with the database's facts. advisor.lint_ddl and the
// ProcessUtility hook share it. C++ results: call behind the error boundary (PostgreSQL errors
// arrive as PgError). Include after postgres.h.
#pragma once

#include <string_view>
#include <vector>

#include "core/ddl/lint.h"
#include "core/ddl/migration_state.h"
#include "core/ddl/schema_change.h"

// The statements of a script, each parsed on its own (raw_parser in a subtransaction): a
// statement that does not parse carries parse_error and error_offset (byte offset in the
// script), and the others are still translated.
std::vector<pg_advisor::ddl::Statement> pga_ddl_parse_script(std::string_view script);

// Parses one statement's text on its own (as above) and translates it.
void pga_ddl_parse_statement(pg_advisor::ddl::Statement &stmt);

// The session as it is now: inside a transaction block or not, lock_timeout and
// statement_timeout in force.
void pga_ddl_session_state(pg_advisor::ddl::MigrationState &state);

// Prefetches the facts the statements need and lints them from `state` with the review's
// settings (thresholds, pg_advisor.disabled_rules).
pg_advisor::ddl::LintResult pga_ddl_lint(const std::vector<pg_advisor::ddl::Statement> &statements,
                                         pg_advisor::ddl::MigrationState &state, bool live);
