// Output formats of pg_advisor lint (see output.h).
#include "cli/lint/output.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/report/report_model.h"
#include "core/report/json_writer.h"
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

void sarif_location(report::JsonWriter &w, const std::string &file, int line, int column) {
    w.begin_array().begin_object().key("physicalLocation").begin_object();
    w.key("artifactLocation").begin_object().field("uri", artifact_uri(file)).end_object();
    w.key("region").begin_object();
    w.field("startLine", int64_t{line}).field("startColumn", int64_t{column});
    w.end_object().end_object().end_object().end_array();
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
    report::JsonWriter w;
    w.begin_object().field("files", files.size()).field("statements", statements);
    w.key("findings").begin_array();
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings) {
            const review::Finding &x = d.finding;
            w.begin_object().field("file", f.file);
            w.field("line", int64_t{d.line}).field("column", int64_t{d.column});
            w.field("rule", x.rule).field("severity", review::severity_name(x.severity));
            w.field("message", finding_message(x)).field("fix_sql", x.fix_sql);
            w.field("object", x.object).field("title", x.title);
            w.field("recommendation", x.recommendation);
            w.key("evidence").value(report::evidence_json(x.evidence)).end_object();
        }
    w.end_array().key("parse_errors").begin_array();
    for (const ParseErrorAt &e : parse_errors(files)) {
        w.begin_object().field("file", e.file->file);
        w.field("line", int64_t{e.line}).field("column", int64_t{e.column});
        w.field("message", e.statement->parse_error).end_object();
    }
    w.end_array().end_object();
    return w.take();
}

std::string format_sarif(const std::vector<LintedFile> &files, const std::string &version) {
    // The rules that have results, in first-seen order (parse errors as "parse_error").
    std::vector<std::string> rules;
    auto rule_index = [&](const std::string &id) {
        auto it = std::find(rules.begin(), rules.end(), id);
        if (it != rules.end()) return static_cast<size_t>(it - rules.begin());
        rules.push_back(id);
        return rules.size() - 1;
    };
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings)
            rule_index(d.finding.rule);
    if (!parse_errors(files).empty()) rule_index("parse_error");

    report::JsonWriter w;
    w.begin_object().field("version", "2.1.0");
    w.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    w.key("runs").begin_array().begin_object().key("tool").begin_object().key("driver");
    w.begin_object().field("name", "pg_advisor").field("version", version).key("rules");
    w.begin_array();
    for (const std::string &id : rules) {
        const review::RuleInfo *info = review::find_rule(id);
        w.begin_object().field("id", id).field("name", id).key("shortDescription");
        w.begin_object().field("text", info ? info->title : "The statement does not parse");
        w.end_object().key("defaultConfiguration").begin_object();
        w.field("level", info ? sarif_level(info->default_severity) : "error");
        w.end_object().end_object();
    }
    w.end_array().end_object().end_object().key("results").begin_array();
    auto result = [&](const std::string &rule, const char *level, const std::string &message,
                      const std::string &file, int line, int column) {
        w.begin_object().field("ruleId", rule).field("ruleIndex", rule_index(rule));
        w.field("level", level).key("message").begin_object().field("text", message);
        w.end_object().key("locations");
        sarif_location(w, file, line, column);
        w.end_object();
    };
    for (const LintedFile &f : files)
        for (const ddl::DdlFinding &d : f.result.findings)
            result(d.finding.rule, sarif_level(d.finding.severity), finding_message(d.finding),
                   f.file, d.line, d.column);
    for (const ParseErrorAt &e : parse_errors(files))
        result("parse_error", "error", e.statement->parse_error, e.file->file, e.line, e.column);
    w.end_array().end_object().end_array().end_object();
    return w.take();
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
