// The output formats of `pg_advisor lint`: text, json, sarif (2.1.0, as GitHub code scanning
// reads it) and github (workflow command annotations).
#pragma once

#include <string>
#include <vector>

#include "core/ddl/lint.h"
#include "core/ddl/schema_change.h"

namespace pg_advisor::cli {

// One linted file.
struct LintedFile {
    std::string file;  // as given ("-" is shown as "<stdin>")
    std::string text;  // what was parsed (psql meta-commands blanked)
    std::vector<ddl::Statement> statements;
    ddl::LintResult result;
};

struct ParseErrorAt {
    const LintedFile *file;
    const ddl::Statement *statement;
    int line;
    int column;
};

std::vector<ParseErrorAt> parse_errors(const std::vector<LintedFile> &files);

// The one-line message of a finding: its title and the why (lock, blocks, size).
std::string finding_message(const review::Finding &f);

std::string format_text(const std::vector<LintedFile> &files);
std::string format_json(const std::vector<LintedFile> &files);
std::string format_sarif(const std::vector<LintedFile> &files, const std::string &version);
std::string format_github(const std::vector<LintedFile> &files);

}  // namespace pg_advisor::cli
