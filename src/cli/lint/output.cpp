// Output formats of pg_advisor lint (see output.h).
#include "cli/lint/output.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/common/json.h"
#include "core/review/registry.h"

namespace pg_advisor::cli {

namespace {

using review::Severity;

const char *sarif_level(Severity s) {
    if (s <= Severity::High) return "error";
    if (s == Severity::Medium) return "warning";
    return "note";
}

const char *github_level(Severity s) {
    if (s <= Severity::High) return "error";
    if (s == Severity::Medium) return "warning";
    return "notice";
}

// Workflow command escaping: data and property values.
std::string github_escape(const std::string &s, bool property) {
    std::string out;
    for (char c : s) {
        if (c == '%')
            out += "%25";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else if (property && c == ':')
            out += "%3A";
        else if (property && c == ',')
            out += "%2C";
        else
            out += c;
    }
    return out;
}

// A SARIF artifact URI: the path as given, "./" dropped.
std::string artifact_uri(const std::string &file) {
    std::string f = file;
    while (f.rfind("./", 0) == 0)
        f.erase(0, 2);
    return f == "<stdin>" ? "stdin" : f;
}

std::string sarif_location(const std::string &file, int line, int column) {
    return fmt::format(
        "[{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": {}}}, \"region\": "
        "{{\"startLine\": {}, \"startColumn\": {}}}}}}}]",
        json::quote(artifact_uri(file)), line, column);
}

}  // namespace

std::vector<ParseErrorAt> parse_errors(const std::vector<LintedFile> &files) {
    std::vector<ParseErrorAt> out;
    for (const LintedFile &f : files)
        for (const ddl::Statement &st : f.statements) {
            if (st.parse_error.empty()) continue;
            int line = 1, column = 1;
            ddl::line_and_column(f.text, st.error_offset, &line, &column);
            out.push_back({&f, &st, line, column});
        }
    return out;
}

std::string finding_message(const review::Finding &f) {
    std::string m = f.title.empty() ? f.rule : f.title;
    if (!f.why.empty()) m += ": " + f.why;
    std::replace(m.begin(), m.end(), '\n', ' ');
    return m;
}

std::string format_text(const std::vector<LintedFile> &files) {
    std::string out;
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings)
            out +=
                fmt::format("{}:{}:{} {} {} {}\n", f.file, d.line, d.column, d.finding.rule,
                            review::severity_name(d.finding.severity), finding_message(d.finding));
    for (const ParseErrorAt &e : parse_errors(files))
        out += fmt::format("{}:{}:{} parse_error error {}\n", e.file->file, e.line, e.column,
                           e.statement->parse_error);
    return out;
}

std::string format_json(const std::vector<LintedFile> &files) {
    size_t statements = 0;
    for (const LintedFile &f : files)
        statements += f.statements.size();
    std::string out = fmt::format("{{\"files\": {}, \"statements\": {}, \"findings\": [",
                                  files.size(), statements);
    bool first = true;
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings) {
            const review::Finding &x = d.finding;
            out += first ? "\n  " : ",\n  ";
            first = false;
            out += fmt::format(
                "{{\"file\": {}, \"line\": {}, \"column\": {}, \"rule\": {}, \"severity\": {}, "
                "\"message\": {}, \"fix_sql\": {}, \"object\": {}, \"title\": {}, "
                "\"recommendation\": {}, \"evidence\": {}}}",
                json::quote(f.file), d.line, d.column, json::quote(x.rule),
                json::quote(review::severity_name(x.severity)), json::quote(finding_message(x)),
                json::quote(x.fix_sql), json::quote(x.object), json::quote(x.title),
                json::quote(x.recommendation), x.evidence.json());
        }
    out += first ? "], \"parse_errors\": [" : "\n], \"parse_errors\": [";
    first = true;
    for (const ParseErrorAt &e : parse_errors(files)) {
        out += first ? "\n  " : ",\n  ";
        first = false;
        out += fmt::format("{{\"file\": {}, \"line\": {}, \"column\": {}, \"message\": {}}}",
                           json::quote(e.file->file), e.line, e.column,
                           json::quote(e.statement->parse_error));
    }
    out += first ? "]}\n" : "\n]}\n";
    return out;
}

std::string format_sarif(const std::vector<LintedFile> &files, const std::string &version) {
    // the rules that have results, in first-seen order (parse errors as "parse_error")
    std::vector<std::string> rules;
    auto rule_index = [&](const std::string &id) {
        auto it = std::find(rules.begin(), rules.end(), id);
        if (it != rules.end()) return static_cast<size_t>(it - rules.begin());
        rules.push_back(id);
        return rules.size() - 1;
    };
    std::string results;
    auto add = [&](const std::string &rule, const char *level, const std::string &message,
                   const std::string &file, int line, int column) {
        size_t index = rule_index(rule);
        results += results.empty() ? "\n    " : ",\n    ";
        results += fmt::format(
            "{{\"ruleId\": {}, \"ruleIndex\": {}, \"level\": \"{}\", \"message\": {{\"text\": "
            "{}}}, "
            "\"locations\": {}}}",
            json::quote(rule), index, level, json::quote(message),
            sarif_location(file, line, column));
    };
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings)
            add(d.finding.rule, sarif_level(d.finding.severity), finding_message(d.finding), f.file,
                d.line, d.column);
    for (const ParseErrorAt &e : parse_errors(files))
        add("parse_error", "error", e.statement->parse_error, e.file->file, e.line, e.column);
    std::string driver_rules;
    for (const std::string &id : rules) {
        const review::RuleInfo *info = review::find_rule(id);
        std::string title = info ? info->title : "The statement does not parse";
        std::string level = info ? sarif_level(info->default_severity) : "error";
        driver_rules += driver_rules.empty() ? "\n        " : ",\n        ";
        driver_rules += fmt::format(
            "{{\"id\": {}, \"name\": {}, \"shortDescription\": {{\"text\": {}}}, "
            "\"defaultConfiguration\": {{\"level\": \"{}\"}}}}",
            json::quote(id), json::quote(id), json::quote(title), level);
    }
    return fmt::format(
        "{{\"version\": \"2.1.0\", \"$schema\": "
        "\"https://json.schemastore.org/sarif-2.1.0.json\", \"runs\": [{{\n  \"tool\": "
        "{{\"driver\": {{\"name\": \"pg_advisor\", \"version\": {}, \"rules\": "
        "[{}]}}}},\n  \"results\": "
        "[{}]}}]}}\n",
        json::quote(version), driver_rules, results);
}

std::string format_github(const std::vector<LintedFile> &files) {
    std::string out;
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings)
            out += fmt::format("::{} file={},line={},col={},title={}::{}\n",
                               github_level(d.finding.severity), github_escape(f.file, true),
                               d.line, d.column, github_escape(d.finding.rule, true),
                               github_escape(finding_message(d.finding), false));
    for (const ParseErrorAt &e : parse_errors(files))
        out += fmt::format("::error file={},line={},col={},title=parse_error::{}\n",
                           github_escape(e.file->file, true), e.line, e.column,
                           github_escape(e.statement->parse_error, false));
    return out;
}

}  // namespace pg_advisor::cli
