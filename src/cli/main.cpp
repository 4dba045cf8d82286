// pg_advisor command line: offline analysis with the same core as the extension. A table of
// subcommands, each in commands/.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <pg_query.h>

#include <string>
#include <string_view>

#include "cli/command.h"

namespace {

using pg_advisor::cli::Args;

int version_command(const Args &) {
    fmt::print("pg_advisor {} (libpg_query for PostgreSQL {}, libpq {})\n", PG_ADVISOR_VERSION,
               PG_VERSION, PQlibVersion());
    return pg_advisor::cli::kExitOk;
}

struct Subcommand {
    const char *name;
    int (*run)(const Args &);
    const char *summary;
};

const Subcommand kSubcommands[] = {
    {"analyze-log", pg_advisor::cli::analyze_log_command,
     "find N+1 loops, write loops and duplicate queries in server logs"},
    {"review", pg_advisor::cli::review_command,
     "review a database's schema, indexes, statistics and security over libpq"},
    {"report", pg_advisor::cli::report_command,
     "write the review report files (Markdown, JSON, HTML) of a database under a directory"},
    {"lint", pg_advisor::cli::lint_command,
     "check migration SQL files for unsafe schema changes (offline, or --dsn for live sizes)"},
    {"version", version_command, "print the version of the tool and its libraries"},
};

void print_usage() {
    fmt::print("pg_advisor {} - workload advisor for PostgreSQL\n\nUsage:\n", PG_ADVISOR_VERSION);
    for (const Subcommand &c : kSubcommands)
        fmt::print("  pg_advisor {:<12} {}\n", c.name, c.summary);
    fmt::print("  pg_advisor --help        show this help\n");
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage();
        return pg_advisor::cli::kExitUsage;
    }
    std::string_view name = argv[1];
    if (name == "--version") name = "version";
    if (name == "--help" || name == "-h" || name == "help") {
        print_usage();
        return pg_advisor::cli::kExitOk;
    }
    Args args(argv + 2, argv + argc);
    for (const Subcommand &c : kSubcommands)
        if (name == c.name) return c.run(args);
    fmt::print(stderr, "pg_advisor: unknown command \"{}\"; see pg_advisor --help\n", name);
    return pg_advisor::cli::kExitUsage;
}
