// pg_advisor command line: offline analysis with the same core as the extension.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <pg_query.h>

#include <cstring>
#include <string_view>

namespace {

void print_usage() {
    fmt::print(
        "pg_advisor {} - workload advisor for PostgreSQL\n"
        "\n"
        "Usage:\n"
        "  pg_advisor --version     print the version of the tool and its libraries\n"
        "  pg_advisor --help        show this help\n",
        PG_ADVISOR_VERSION);
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2) {
        print_usage();
        return 2;
    }
    std::string_view arg = argv[1];
    if (arg == "--version" || arg == "version") {
        fmt::print("pg_advisor {} (libpg_query for PostgreSQL {}, libpq {})\n", PG_ADVISOR_VERSION,
                   PG_VERSION, PQlibVersion());
        return 0;
    }
    if (arg == "--help" || arg == "-h" || arg == "help") {
        print_usage();
        return 0;
    }
    fmt::print(stderr, "pg_advisor: unknown command \"{}\"; see pg_advisor --help\n", arg);
    return 2;
}
