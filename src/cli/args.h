// Arguments several subcommands share, parsed and explained once.
#pragma once

#include <string>

#include "core/review/finding.h"
#include "core/review/registry.h"

namespace pg_advisor::cli {

// --set NAME=NUMBER: a rule threshold. On a malformed value or a name no rule declares, prints
// "pg_advisor <command>: <why>" to stderr and returns false.
bool parse_set_arg(const char *command, const std::string &value, review::Settings &settings);

// --fail-on SEVERITY. On an unknown name, prints why (with the names) and returns false.
bool parse_severity_arg(const char *command, const std::string &value, review::Severity *out);

}  // namespace pg_advisor::cli
