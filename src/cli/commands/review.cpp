// pg_advisor review: the review rules over a database's catalog and statistics, read over
// libpq with the extension's own queries (no extension needed on the server).
//
//   pg_advisor review [--dsn DSN] [--format text|tsv|json] [--rule ID]... [--set NAME=VALUE]...
//                     [--fail-on SEVERITY]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <string>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/libpq/catalog_loader.h"
#include "core/report/json_writer.h"
#include "core/report/report_model.h"
#include "core/review/engine.h"

namespace pg_advisor::cli {

namespace {

struct ReviewArgs {
    std::string dsn;
    std::string format = "text";
    review::ReviewOptions options;
    review::Settings settings;
    bool fail_on_set = false;
    review::Severity fail_on = review::Severity::Info;
};

void usage() {
    fmt::print(stderr,
               "usage: pg_advisor review [--dsn DSN] [--format text|tsv|json] [--rule ID]...\n"
               "                         [--set NAME=VALUE]... [--fail-on SEVERITY]\n");
}

// Parses the arguments; returns false (after printing why) on a usage error.
bool parse(const Args &args, ReviewArgs &out) {
    for (size_t i = 0; i < args.size(); i++) {
        const std::string &a = args[i];
        auto value = [&](const char *flag) -> const std::string * {
            if (i + 1 >= args.size()) {
                fmt::print(stderr, "pg_advisor review: {} needs a value\n", flag);
                return nullptr;
            }
            return &args[++i];
        };
        const std::string *v = nullptr;
        if (a == "--dsn") {
            if (!(v = value("--dsn"))) return false;
            out.dsn = *v;
        } else if (a == "--format") {
            if (!(v = value("--format"))) return false;
            if (*v != "text" && *v != "tsv" && *v != "json") {
                fmt::print(stderr, "pg_advisor review: unknown format \"{}\" (text, tsv, json)\n",
                           *v);
                return false;
            }
            out.format = *v;
        } else if (a == "--rule") {
            if (!(v = value("--rule"))) return false;
            if (review::find_rule(*v) == nullptr) {
                fmt::print(stderr, "pg_advisor review: no rule \"{}\"\n", *v);
                return false;
            }
            out.options.only_rules.push_back(*v);
        } else if (a == "--set") {
            if (!(v = value("--set")) || !parse_set_arg("review", *v, out.settings)) return false;
        } else if (a == "--fail-on") {
            if (!(v = value("--fail-on")) || !parse_severity_arg("review", *v, &out.fail_on))
                return false;
            out.fail_on_set = true;
        } else if (out.dsn.empty() && !a.empty() && a[0] != '-') {
            out.dsn = a;
        } else {
            fmt::print(stderr, "pg_advisor review: unknown argument \"{}\"\n", a);
            return false;
        }
    }
    return true;
}

void print_text(const review::ReviewResult &r) {
    for (const review::Finding &f : r.findings)
        fmt::print("{:<8} {:<28} {}  {}\n", review::severity_name(f.severity), f.rule, f.object,
                   f.title);
    size_t ran = 0, skipped = 0;
    for (const review::RuleOutcome &o : r.outcomes) {
        if (o.ran) ran++;
        if (!o.ran && !o.disabled) skipped++;
    }
    fmt::print("{} findings from {} rules ({} not checked)\n", r.findings.size(), ran, skipped);
    for (const review::RuleOutcome &o : r.outcomes)
        if (!o.ran && !o.disabled) fmt::print("  not checked: {}: {}\n", o.rule->id, o.reason);
}

void print_tsv(const review::ReviewResult &r) {
    for (const review::Finding &f : r.findings)
        fmt::print("{}\t{}\t{}\t{}\n", f.rule, review::severity_name(f.severity), f.object,
                   f.title);
}

void print_json(const review::ReviewResult &r) {
    report::JsonWriter w;
    w.begin_array();
    for (const review::Finding &f : r.findings) {
        w.begin_object().field("finding_key", f.finding_key).field("rule", f.rule);
        w.field("category", review::category_name(f.category));
        w.field("severity", review::severity_name(f.severity));
        w.field("object_type", f.object_type).field("object", f.object).field("title", f.title);
        w.key("evidence").value(report::evidence_json(f.evidence));
        w.field("recommendation", f.recommendation).field("fix_sql", f.fix_sql);
        w.field("undo_sql", f.undo_sql).field("impact", f.impact).end_object();
    }
    w.end_array();
    fmt::print("{}", w.take());
}

}  // namespace

int review_command(const Args &args) {
    ReviewArgs a;
    if (!parse(args, a)) {
        usage();
        return kExitUsage;
    }
    catalog::CatalogSnapshot snap;
    try {
        snap = load_catalog(a.dsn);
    } catch (const std::exception &e) {
        fmt::print(stderr, "pg_advisor review: {}\n", e.what());
        return kExitUsage;
    }
    workload::WorkloadSnapshot workload;
    workload.available = false;
    workload.unavailable_reason =
        "the command line reads the catalog and statistics only; captured statements need the "
        "pg_advisor extension";
    review::ReviewInput in{snap, workload, a.settings};
    a.options.now = snap.database.now;
    review::ReviewResult result = review::run_review(in, a.options);
    if (a.format == "json")
        print_json(result);
    else if (a.format == "tsv")
        print_tsv(result);
    else
        print_text(result);
    if (a.fail_on_set)
        for (const review::Finding &f : result.findings)
            if (f.severity <= a.fail_on) return kExitFindings;
    return kExitOk;
}

}  // namespace pg_advisor::cli
