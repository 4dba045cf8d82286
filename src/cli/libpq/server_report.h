// The report files the extension renders (advisor.export_files()), fetched over libpq so
// `pg_advisor report` writes the same files as advisor.export_report on the client's machine.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/report/report.h"

namespace pg_advisor::cli {

// The files, or nullopt (with *why_not) when the database has no pg_advisor 0.3.0 or later or the
// role may not execute advisor.export_files(). Throws std::runtime_error on connection errors.
std::optional<std::vector<report::ReportFile>> server_export_files(const std::string &dsn,
                                                                   std::string *why_not);

}  // namespace pg_advisor::cli
