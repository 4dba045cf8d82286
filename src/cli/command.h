// The pg_advisor command's subcommands: each is one function taking its arguments (after the
// subcommand's name) and returning the process exit status.
#pragma once

#include <string>
#include <vector>

namespace pg_advisor::cli {

using Args = std::vector<std::string>;

// Exit statuses: 0 success (and, for checks, nothing at or above the failure threshold),
// 1 findings at or above --fail-on, 2 usage or connection errors.
constexpr int kExitOk = 0;
constexpr int kExitFindings = 1;
constexpr int kExitUsage = 2;

int review_command(const Args &args);
int report_command(const Args &args);
int lint_command(const Args &args);
int analyze_log_command(const Args &args);

}  // namespace pg_advisor::cli
