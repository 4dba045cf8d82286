// Facts about a relation the rules share: its storage options (pg_class.reloptions, kept as
// "name=value" strings in catalog::Table::options) read the way the server reads them, and its
// size.
#pragma once

#include <optional>
#include <string>

#include "core/catalog/catalog_snapshot.h"

namespace pg_advisor::review::relation {

// The value of option `name`, or nothing when the relation does not set it.
std::optional<std::string> reloption(const catalog::Table &t, const std::string &name);
// A boolean option as the server reads it (true/on/yes/1 and their prefixes, any case);
// `fallback` when not set or not a boolean.
bool reloption_bool(const catalog::Table &t, const std::string &name, bool fallback);
// A numeric option, or `fallback` when not set or not a number.
double reloption_number(const catalog::Table &t, const std::string &name, double fallback);
// Parses a PostgreSQL boolean ("on", "t", "yes", "1", ...); false when it is not one.
bool parse_pg_bool(const std::string &value, bool *out);

// Estimated rows: reltuples when the server has an estimate, else the live-row counter, else -1.
double table_rows(const catalog::Table &t);
// An ordinary or partitioned table of the user's (not temporary, not created by an extension).
bool is_user_table(const catalog::Table &t);

}  // namespace pg_advisor::review::relation
