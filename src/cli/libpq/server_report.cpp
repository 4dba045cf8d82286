#include "cli/libpq/server_report.h"

#include "cli/libpq/connection.h"

namespace pg_advisor::cli {

std::optional<std::vector<report::ReportFile>> server_export_files(const std::string &dsn,
                                                                   std::string *why_not) {
    Connection conn = connect_pinned(dsn);
    Result check = run(conn.get(),
                       "SELECT to_regprocedure('advisor.export_files()') IS NOT NULL, "
                       "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_advisor')",
                       "looking for the pg_advisor extension");
    bool has_function = PQgetvalue(check.get(), 0, 0)[0] == 't';
    bool has_extension = PQgetvalue(check.get(), 0, 1)[0] == 't';
    if (!has_function) {
        *why_not = has_extension ? "the pg_advisor extension is older than 0.3.0 (ALTER EXTENSION "
                                   "pg_advisor UPDATE to use its captured workload)"
                                 : "the pg_advisor extension is not installed in this database";
        return std::nullopt;
    }
    Result may =
        run(conn.get(), "SELECT has_function_privilege('advisor.export_files()', 'EXECUTE')",
            "checking the privilege on advisor.export_files()");
    if (PQgetvalue(may.get(), 0, 0)[0] != 't') {
        *why_not = "this role may not execute advisor.export_files()";
        return std::nullopt;
    }
    Result res = run(conn.get(), "SELECT path, content FROM advisor.export_files()",
                     "running advisor.export_files()");
    std::vector<report::ReportFile> files;
    for (int i = 0; i < PQntuples(res.get()); i++)
        files.push_back({PQgetvalue(res.get(), i, 0),
                         std::string(PQgetvalue(res.get(), i, 1),
                                     static_cast<size_t>(PQgetlength(res.get(), i, 1)))});
    return files;
}

}  // namespace pg_advisor::cli
