// What `pg_advisor lint` reads: migration files as real tools write them (psql scripts,
// `alembic upgrade --sql`, Django `sqlmigrate`, Rails structure.sql, Flyway and golang-migrate
// files), directories of them, and standard input.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pg_advisor::cli {

// psql meta-command lines (\set, \connect, \i, \echo, ...; a backslash outside any string,
// quoted identifier, dollar quote or comment starts one and it runs to the end of the line)
// blanked out with spaces, byte for byte, so offsets, lines and columns stay those of the file.
// A query-ending meta-command (\g, \gx, \gset, \gexec, \gdesc, \crosstabview, \watch) ends the
// statement as ';' would. `\i` is not followed. `\;` becomes ';' and psql variable references
// (:name, :'name', :"name") lose their colon, so what psql sends parses.
std::string blank_psql_meta_commands(std::string_view text);

// The files to lint for the PATH arguments: a file as given, a directory's *.sql files found
// recursively (sorted by path; golang-migrate's *.down.sql left out), "-" for standard input.
// Returns false and sets *error for a path that does not exist.
bool expand_paths(const std::vector<std::string> &paths, std::vector<std::string> *files,
                  std::string *error);

// Reads a file ("-": standard input) whole; false and *error when it cannot be read.
bool read_input(const std::string &path, std::string *text, std::string *error);

}  // namespace pg_advisor::cli
