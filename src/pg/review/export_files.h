// advisor.export_report's file system side: who may export, where (only under
// pg_advisor.export_directory: absolute paths, no "..", no symbolic link leading out), and
// writing each file to a temporary name renamed into place. C++ results (PgError on refusal or
// I/O error). Include after postgres.h.
#pragma once

#include <string>
#include <vector>

#include "core/report/report.h"

// Checks the caller's privileges and the path; creates the directory when missing; returns its
// resolved path.
std::string pga_export_target(const char *directory);

// Writes the report's files under dir; returns their absolute paths (summary first).
std::vector<std::string> pga_write_export(const std::string &dir,
                                          const std::vector<pg_advisor::report::ReportFile> &files);
