#include "cli/args.h"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

namespace pg_advisor::cli {

bool parse_set_arg(const char *command, const std::string &v, review::Settings &settings) {
    size_t eq = v.find('=');
    char *end = nullptr;
    double number = eq == std::string::npos ? 0 : std::strtod(v.c_str() + eq + 1, &end);
    if (eq == std::string::npos || end == v.c_str() + eq + 1 || *end != '\0') {
        fmt::print(stderr, "pg_advisor {}: --set takes NAME=NUMBER, not \"{}\"\n", command, v);
        return false;
    }
    std::string name = v.substr(0, eq);
    try {
        (void)settings.get(name);
    } catch (const std::out_of_range &e) {
        fmt::print(stderr, "pg_advisor {}: {}\n", command, e.what());
        return false;
    }
    settings.set(name, number);
    return true;
}

bool parse_severity_arg(const char *command, const std::string &v, review::Severity *out) {
    if (review::parse_severity(v, out)) return true;
    fmt::print(stderr,
               "pg_advisor {}: unknown severity \"{}\" (critical, high, medium, low, info)\n",
               command, v);
    return false;
}

}  // namespace pg_advisor::cli
