// pg_advisor analyze-log: N+1 loops, row-by-row write loops and duplicate queries found in
// server logs (stderr, csvlog, jsonlog; plain or gzip) by the extension's own detector.
//
//   pg_advisor analyze-log [--format text|json|markdown] [--prefix LOG_LINE_PREFIX]
//                          [--min-repeats N] [--idle-gap-ms N] LOG...
#include <fmt/format.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/log/analyzer.h"
#include "cli/log/line_source.h"
#include "cli/log/readers.h"
#include "core/report/json_writer.h"
#include "core/common/text_buffer.h"
#include "core/loops/loop_fixes.h"

namespace pg_advisor::cli {

namespace {

using log::Finding;

struct AnalyzeArgs {
    std::string format = "text";
    std::string prefix;
    log::AnalyzerOptions options;
    std::vector<std::string> files;
};

void usage(std::FILE *to = stderr) {
    fmt::print(to,
               "usage: pg_advisor analyze-log [--format text|json|markdown] [--prefix "
               "LOG_LINE_PREFIX]\n"
               "                              [--min-repeats N] [--idle-gap-ms N] LOG...\n");
}

bool parse_number(const std::string &flag, const std::string &v, int64_t &out) {
    char *end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || n <= 0) {
        fmt::print(stderr, "pg_advisor analyze-log: {} takes a positive number, not \"{}\"\n", flag,
                   v);
        return false;
    }
    out = n;
    return true;
}

bool parse(const Args &args, AnalyzeArgs &out) {
    for (size_t i = 0; i < args.size(); i++) {
        const std::string &a = args[i];
        bool has_value = i + 1 < args.size();
        if (a == "--format" || a == "--prefix" || a == "--min-repeats" || a == "--idle-gap-ms") {
            if (!has_value) {
                fmt::print(stderr, "pg_advisor analyze-log: {} needs a value\n", a);
                return false;
            }
            const std::string &v = args[++i];
            int64_t n = 0;
            if (a == "--format") {
                if (v != "text" && v != "json" && v != "markdown") {
                    fmt::print(stderr,
                               "pg_advisor analyze-log: unknown format \"{}\" (text, json, "
                               "markdown)\n",
                               v);
                    return false;
                }
                out.format = v;
            } else if (a == "--prefix") {
                log::PrefixMatcher m;
                std::string why;
                if (!m.compile(v, &why)) {
                    fmt::print(stderr, "pg_advisor analyze-log: --prefix: {}\n", why);
                    return false;
                }
                out.prefix = v;
            } else if (!parse_number(a, v, n)) {
                return false;
            } else if (a == "--min-repeats") {
                out.options.min_repeats = static_cast<uint32_t>(n);
            } else {
                out.options.idle_gap_us = n * 1000;
            }
        } else if (a == "--help" || a == "-h") {
            usage(stdout);
            std::exit(kExitOk);
        } else if (a.size() > 1 && a[0] == '-') {
            fmt::print(stderr, "pg_advisor analyze-log: unknown option \"{}\"\n", a);
            return false;
        } else {
            out.files.push_back(a);
        }
    }
    if (out.files.empty()) {
        fmt::print(stderr, "pg_advisor analyze-log: no log file given\n");
        return false;
    }
    return true;
}

// The first non-empty line of a file (format sniffing), or "".
std::string first_line(const std::string &path) {
    if (path == "-") return {};
    log::LineSource src;
    if (!src.open(path)) return {};
    std::string_view line;
    while (src.next(line))
        if (!line.empty()) return std::string(line);
    return {};
}

// Reads one log file into the analyser; false (after printing why) if it cannot be read.
bool read_file(const std::string &path, const std::string &prefix, log::Analyzer &analyzer,
               size_t &skipped) {
    log::LogFormat format = log::guess_format(path, first_line(path));
    log::LineSource src;
    if (!src.open(path)) {
        fmt::print(stderr, "pg_advisor analyze-log: {}: {}\n", path, src.error());
        return false;
    }
    std::unique_ptr<log::RecordReader> reader = log::make_reader(format, src, prefix);
    log::LogRecord rec;
    while (reader->next(rec))
        analyzer.add(rec);
    skipped += reader->skipped_lines();
    if (!src.error().empty()) {
        fmt::print(stderr, "pg_advisor analyze-log: {}: {}\n", path, src.error());
        return false;
    }
    return true;
}

// ---- Describing a finding (what the extension reads from the catalog, read from the text).

struct Described {
    std::string suggested_sql, orm_fix, expected_queries, reason;
    uint64_t typical_repeats = 0;
};

std::string unqualified(const std::string &relation) {
    std::string name =
        relation.substr(relation.rfind('.') == std::string::npos ? 0 : relation.rfind('.') + 1);
    if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
    return name;
}

bool ends_with(const std::string &s, const std::string &suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The parent's column that references the child's key: "<child table>_id", singular or not.
std::string parent_fk(const Finding &f, const std::string &child_table) {
    for (const std::string &col : f.parent_id_columns) {
        std::string stem = col.substr(0, col.size() - 3);
        if (ends_with(child_table, stem) || ends_with(child_table, stem + "s") ||
            ends_with(child_table, stem + "es"))
            return col;
    }
    return {};
}

Described describe(const Finding &f, uint32_t min_repeats) {
    const FindingEntry &e = f.entry;
    Described d;
    d.typical_repeats = e.typical_repeats();
    std::string table = unqualified(f.child_relation);
    if (table.empty()) table = "the child table";
    std::string key_sql = f.child_key_column.empty() ? "" : log::display_name(f.child_key_column);
    LoopFixInput fix;
    fix.kind = static_cast<LoopKind>(e.key.kind);
    fix.command = e.child_command;
    fix.child_text = f.child_text;
    fix.parent_text = f.parent_text;
    fix.child_table = table;
    fix.child_table_sql = f.child_relation.empty() ? "the_child_table" : f.child_relation;
    fix.key_column = f.child_key_column;
    fix.key_column_sql = key_sql;
    fix.key_is_unique = f.child_key_column == "id";
    std::string fk = fix.key_is_unique ? parent_fk(f, table) : "";
    fix.parent_fk_column = fk;
    fix.aggregate = f.child_aggregate;
    fix.framework = f.framework;
    fix.typical_repeats = d.typical_repeats;
    std::vector<char> sql(8192), orm(2048), reason(2048);
    char expected[64];
    TextBuffer sql_buf(sql.data(), sql.size()), orm_buf(orm.data(), orm.size());
    TextBuffer reason_buf(reason.data(), reason.size()), expected_buf(expected, sizeof expected);
    write_suggested_sql(fix, sql_buf);
    write_orm_fix(fix, orm_buf);
    write_expected_queries(fix, expected_buf);
    LoopReasonInput r = loop_reason_input(e, fix.kind, fix.child_table, f.parent_text, min_repeats);
    write_loop_reason(r, reason_buf);
    d.suggested_sql = std::string(sql_buf.view());
    d.orm_fix = std::string(orm_buf.view());
    d.expected_queries = std::string(expected_buf.view());
    d.reason = std::string(reason_buf.view());
    return d;
}

std::string timestamp(int64_t us) {
    if (us == 0) return {};
    time_t secs = static_cast<time_t>(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    return fmt::format("{}.{:06d}", buf, static_cast<int>(us % 1000000));
}

// ---- Output.

// A text member, or null where there is none.
void text_or_null(report::JsonWriter &w, const char *key, const std::string &value, bool null) {
    if (null)
        w.key(key).null();
    else
        w.field(key, value);
}

void write_finding(report::JsonWriter &w, const Finding &f, const Described &d) {
    const FindingEntry &e = f.entry;
    auto kind = static_cast<LoopKind>(e.key.kind);
    char key[FindingEntry::kFindingKeySize];
    e.finding_key(key);
    bool parent = e.key.parent_queryid != 0;
    w.begin_object().field("finding_key", key).field("kind", loop_kind_name(kind));
    if (parent)
        w.field("parent_queryid", static_cast<int64_t>(e.key.parent_queryid));
    else
        w.key("parent_queryid").null();
    text_or_null(w, "parent_query", f.parent_text, !parent);
    w.field("child_queryid", static_cast<int64_t>(e.key.child_queryid));
    w.field("child_query", f.child_text);
    text_or_null(w, "child_relation", f.child_relation, f.child_relation.empty());
    text_or_null(w, "parent_relation", f.parent_relation, f.parent_relation.empty() || !parent);
    w.field("occurrences", static_cast<int64_t>(e.occurrences));
    w.field("executions", static_cast<int64_t>(e.executions));
    w.field("max_repeats", static_cast<int64_t>(e.max_repeats));
    w.field("typical_repeats", static_cast<int64_t>(d.typical_repeats));
    w.field("distinct_params", static_cast<int64_t>(e.max_distinct));
    w.field("child_total_ms", static_cast<double>(e.child_total_ns) / 1e6);
    w.field("first_seen", timestamp(e.first_seen)).field("last_seen", timestamp(e.last_seen));
    w.key("tags").begin_object();
    size_t pos = 0;
    std::string_view k, v;
    while (next_serialized_tag(f.tags, pos, k, v))
        w.key(k).string(v);
    w.end_object();
    text_or_null(w, "framework", f.framework, f.framework.empty());
    w.field("suggested_sql", d.suggested_sql).field("orm_fix", d.orm_fix);
    w.field("expected_queries", d.expected_queries).field("reason", d.reason);
    w.field("scope_kind", scope_kind_name(static_cast<ScopeKind>(e.scope_kind)));
    w.field("example_scope", std::string(e.example_scope()));
    w.field("user", f.user).field("database", f.database).end_object();
}

void print_json(const log::Analyzer &a, size_t skipped) {
    report::JsonWriter w;
    w.begin_object().key("findings").begin_array();
    for (const Finding *f : a.findings())
        write_finding(w, *f, describe(*f, a.options().min_repeats));
    w.end_array().field("statements", static_cast<int64_t>(a.statements()));
    w.field("sessions", static_cast<int64_t>(a.sessions()));
    w.field("skipped_lines", static_cast<int64_t>(skipped)).end_object();
    fmt::print("{}", w.take());
}

std::string indent(const std::string &text, const char *pad) {
    std::string out;
    for (char c : text) {
        out.push_back(c);
        if (c == '\n') out += pad;
    }
    return out;
}

void print_text(const log::Analyzer &a, size_t skipped) {
    auto findings = a.findings();
    for (const Finding *f : findings) {
        const FindingEntry &e = f->entry;
        Described d = describe(*f, a.options().min_repeats);
        fmt::print("{} on {}: {} occurrence(s), {} executions, up to {} in one {}\n",
                   loop_kind_name(static_cast<LoopKind>(e.key.kind)),
                   f->child_relation.empty() ? "?" : f->child_relation, e.occurrences, e.executions,
                   e.max_repeats, scope_kind_name(static_cast<ScopeKind>(e.scope_kind)));
        if (!f->parent_text.empty())
            fmt::print("  parent:   {}\n", indent(f->parent_text, "            "));
        fmt::print("  child:    {}\n", indent(f->child_text, "            "));
        fmt::print("  reason:   {}\n", d.reason);
        fmt::print("  fix:      {}\n", d.orm_fix);
        fmt::print("  queries:  {}\n", d.expected_queries);
        fmt::print("  sql:      {}\n\n", indent(d.suggested_sql, "            "));
    }
    fmt::print("{} finding(s); {} statements in {} sessions; {} line(s) skipped\n", findings.size(),
               a.statements(), a.sessions(), skipped);
}

std::string md_cell(const std::string &s) {
    std::string out;
    for (char c : s) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out.push_back(c);
    }
    return out;
}

void print_markdown(const log::Analyzer &a, size_t skipped) {
    auto findings = a.findings();
    fmt::print(
        "# pg_advisor analyze-log\n\n{} finding(s) in {} statements from {} sessions "
        "({} line(s) skipped).\n\n",
        findings.size(), a.statements(), a.sessions(), skipped);
    if (findings.empty()) return;
    fmt::print(
        "| kind | child relation | parent relation | occurrences | executions | max "
        "repeats | scope |\n|---|---|---|---:|---:|---:|---|\n");
    for (const Finding *f : findings) {
        const FindingEntry &e = f->entry;
        fmt::print("| {} | {} | {} | {} | {} | {} | {} |\n",
                   loop_kind_name(static_cast<LoopKind>(e.key.kind)), md_cell(f->child_relation),
                   md_cell(f->parent_relation), e.occurrences, e.executions, e.max_repeats,
                   scope_kind_name(static_cast<ScopeKind>(e.scope_kind)));
    }
    int n = 0;
    for (const Finding *f : findings) {
        Described d = describe(*f, a.options().min_repeats);
        fmt::print("\n## {}. {} on {}\n\n{}\n\n", ++n,
                   loop_kind_name(static_cast<LoopKind>(f->entry.key.kind)),
                   f->child_relation.empty() ? "?" : f->child_relation, d.reason);
        if (!f->parent_text.empty())
            fmt::print("Parent query:\n\n```sql\n{}\n```\n\n", f->parent_text);
        fmt::print("Child query:\n\n```sql\n{}\n```\n\n", f->child_text);
        fmt::print("Fix: {} (queries: {})\n\n```sql\n{}\n```\n", d.orm_fix, d.expected_queries,
                   d.suggested_sql);
    }
}

}  // namespace

int analyze_log_command(const Args &args) {
    AnalyzeArgs a;
    if (!parse(args, a)) {
        usage();
        return kExitUsage;
    }
    log::Analyzer analyzer(a.options);
    size_t skipped = 0;
    bool ok = true;
    for (const std::string &path : a.files)
        ok = read_file(path, a.prefix, analyzer, skipped) && ok;
    analyzer.finish();
    if (a.format == "json")
        print_json(analyzer, skipped);
    else if (a.format == "markdown")
        print_markdown(analyzer, skipped);
    else
        print_text(analyzer, skipped);
    return ok ? kExitOk : kExitUsage;
}

}  // namespace pg_advisor::cli
