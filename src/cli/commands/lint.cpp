// pg_advisor lint: the migration rules over SQL files, offline through libpg_query, or with a
// database's sizes, locks and captured queries over libpq (--dsn). Each file is one migration,
// linted from a fresh migration state.
//
//   pg_advisor lint [--format text|json|sarif|github] [--fail-on SEVERITY] [--dsn DSN]
//                   [--set NAME=VALUE]... PATH...
//
// Exit status: 0 nothing at or above --fail-on (default high) and every statement parsed,
// 1 a finding at or above --fail-on or a statement that does not parse, 2 usage errors,
// unreadable inputs, or a database that cannot be reached.
#include <fmt/format.h>

#include <algorithm>

#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/libpq/live_facts.h"
#include "cli/lint/input.h"
#include "cli/lint/output.h"
#include "cli/pg_query/parse.h"
#include "core/ddl/lint.h"

namespace pg_advisor::cli {

namespace {

struct LintArgs {
    bool help = false;
    std::string format = "text";
    review::Severity fail_on = review::Severity::High;
    std::string dsn;
    review::Settings settings;
    std::vector<std::string> only_rules;  // --rule: only these (default: every migration rule)
    std::vector<std::string> paths;
};

void usage() {
    fmt::print(stderr,
               "usage: pg_advisor lint [--format text|json|sarif|github] [--fail-on SEVERITY]\n"
               "                       [--dsn DSN] [--set NAME=VALUE]... [--rule ID]... PATH...\n"
               "  PATH: a .sql file, a directory (its *.sql files, recursively), or - for stdin\n"
               "  exit status: 0 clean, 1 findings at or above --fail-on (default high) or\n"
               "  statements that do not parse, 2 usage, read or connection errors\n");
}

bool bad(const std::string &message) {
    fmt::print(stderr, "pg_advisor lint: {}\n", message);
    return false;
}

bool parse(const Args &args, LintArgs &out) {
    bool only_paths = false;
    for (size_t i = 0; i < args.size(); i++) {
        const std::string &a = args[i];
        if (only_paths || a == "-" || a.empty() || a[0] != '-') {
            out.paths.push_back(a);
            continue;
        }
        if (a == "--") {
            only_paths = true;
            continue;
        }
        if (a == "--help" || a == "-h") {
            out.help = true;
            return false;
        }
        if (a != "--format" && a != "--fail-on" && a != "--dsn" && a != "--set" && a != "--rule")
            return bad("unknown argument \"" + a + "\"");
        if (i + 1 >= args.size()) return bad(a + " needs a value");
        const std::string &v = args[++i];
        if (a == "--format") {
            if (v != "text" && v != "json" && v != "sarif" && v != "github")
                return bad("unknown format \"" + v + "\" (text, json, sarif, github)");
            out.format = v;
        } else if (a == "--fail-on") {
            if (!parse_severity_arg("lint", v, &out.fail_on)) return false;
        } else if (a == "--dsn") {
            out.dsn = v;
        } else if (a == "--rule") {
            const review::RuleInfo *r = review::find_rule(v);
            if (r == nullptr || r->ddl == nullptr)
                return bad("no migration rule \"" + v +
                           "\" (SELECT rule FROM advisor.rules WHERE "
                           "category = 'migration')");
            out.only_rules.push_back(v);
        } else if (!parse_set_arg("lint", v, out.settings)) {
            return false;
        }
    }
    if (out.paths.empty()) return bad("no PATH given");
    return true;
}

// "1 file", "2 files".
std::string counted(size_t n, const char *what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

LintedFile lint_file(const std::string &path, std::string text, const ddl::Facts &facts,
                     const ddl::LintOptions &options) {
    LintedFile f;
    f.file = path == "-" ? "<stdin>" : path;
    f.text = blank_psql_meta_commands(text);
    f.statements = parse_script(f.text);
    ddl::MigrationState state;
    f.result = ddl::lint(f.statements, facts, state, options);
    return f;
}

std::string render(const LintArgs &a, const std::vector<LintedFile> &files) {
    if (a.format == "json") return format_json(files);
    if (a.format == "sarif") return format_sarif(files, PG_ADVISOR_VERSION);
    if (a.format == "github") return format_github(files);
    return format_text(files);
}

int status_of(const LintArgs &a, const std::vector<LintedFile> &files) {
    if (!parse_errors(files).empty()) return kExitFindings;
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings)
            if (d.finding.severity <= a.fail_on) return kExitFindings;
    return kExitOk;
}

}  // namespace

int lint_command(const Args &args) {
    LintArgs a;
    if (!parse(args, a)) {
        usage();
        return a.help ? kExitOk : kExitUsage;
    }
    std::vector<std::string> files;
    std::string error;
    if (!expand_paths(a.paths, &files, &error)) {
        fmt::print(stderr, "pg_advisor lint: {}\n", error);
        return kExitUsage;
    }
    std::unique_ptr<ddl::Facts> facts;
    try {
        if (a.dsn.empty())
            facts = std::make_unique<ddl::Facts>();
        else
            facts = std::make_unique<LibpqFacts>(a.dsn);
    } catch (const std::exception &e) {
        fmt::print(stderr, "pg_advisor lint: {}\n", e.what());
        return kExitUsage;
    }
    ddl::LintOptions options;
    options.settings = &a.settings;
    if (!a.only_rules.empty())
        for (const review::RuleInfo *r : review::ddl_rules())
            if (std::find(a.only_rules.begin(), a.only_rules.end(), r->id) == a.only_rules.end())
                options.disabled_rules.push_back(r->id);
    std::vector<LintedFile> linted;
    bool read_failed = false;
    try {
        for (const std::string &path : files) {
            std::string text;
            if (!read_input(path, &text, &error)) {
                fmt::print(stderr, "pg_advisor lint: {}\n", error);
                read_failed = true;
                continue;
            }
            linted.push_back(lint_file(path, std::move(text), *facts, options));
        }
    } catch (const std::exception &e) {
        fmt::print(stderr, "pg_advisor lint: {}\n", e.what());
        return kExitUsage;
    }
    fmt::print("{}", render(a, linted));
    size_t findings = 0, statements = 0;
    for (const LintedFile &f : linted) {
        findings += f.result.findings.size();
        statements += f.statements.size();
    }
    if (a.format == "text")
        fmt::print(stderr, "{}, {}, {}, {}\n", counted(linted.size(), "file"),
                   counted(statements, "statement"), counted(findings, "finding"),
                   counted(parse_errors(linted).size(), "parse error"));
    if (read_failed) return kExitUsage;
    return status_of(a, linted);
}

}  // namespace pg_advisor::cli
