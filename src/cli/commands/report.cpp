// pg_advisor report: the files advisor.export_report writes (the summary, one file per finding,
// JSON and HTML), written on this machine under --out. With pg_advisor 0.3.0 or later in the
// database the extension renders them (captured workload included: advisor.export_files());
// otherwise, or with --local, the catalog is read over libpq and the same catalog rules run here
// (a managed database without the extension still gets its schema review).
//
//   pg_advisor report --dsn DSN --out DIR [--format all|markdown|json|html] [--local]
//                     [--set NAME=VALUE]...
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/libpq/catalog_loader.h"
#include "cli/libpq/server_report.h"
#include "core/report/report.h"
#include "core/review/engine.h"

namespace pg_advisor::cli {

namespace {

namespace fs = std::filesystem;

struct ReportArgs {
    std::string dsn;
    std::string out;
    std::string format = "all";
    bool local = false;
    review::Settings settings;
};

void usage() {
    fmt::print(stderr,
               "usage: pg_advisor report --dsn DSN --out DIR [--format all|markdown|json|html]\n"
               "                         [--local] [--set NAME=VALUE]...\n");
}

bool parse(const Args &args, ReportArgs &out) {
    for (size_t i = 0; i < args.size(); i++) {
        const std::string &a = args[i];
        bool takes_value = a == "--dsn" || a == "--out" || a == "--format" || a == "--set";
        if (takes_value && i + 1 >= args.size()) {
            fmt::print(stderr, "pg_advisor report: {} needs a value\n", a);
            return false;
        }
        if (a == "--dsn") {
            out.dsn = args[++i];
        } else if (a == "--out") {
            out.out = args[++i];
        } else if (a == "--format") {
            out.format = args[++i];
            if (out.format != "all" && out.format != "markdown" && out.format != "json" &&
                out.format != "html") {
                fmt::print(stderr,
                           "pg_advisor report: unknown format \"{}\" (all, markdown, json, html)\n",
                           out.format);
                return false;
            }
        } else if (a == "--set") {
            if (!parse_set_arg("report", args[++i], out.settings)) return false;
        } else if (a == "--local") {
            out.local = true;
        } else {
            fmt::print(stderr, "pg_advisor report: unknown argument \"{}\"\n", a);
            return false;
        }
    }
    if (out.out.empty()) {
        fmt::print(stderr, "pg_advisor report: --out DIR is required\n");
        return false;
    }
    return true;
}

// The review run here: catalog over libpq, the catalog rules, the report's files.
std::vector<report::ReportFile> local_files(const ReportArgs &a) {
    catalog::CatalogSnapshot snap = load_catalog(a.dsn);
    workload::WorkloadSnapshot workload;
    workload.available = false;
    workload.unavailable_reason =
        "the report was made by the command line from the catalog and statistics; captured "
        "statements need the pg_advisor extension in the database";
    review::ReviewInput in{snap, workload, a.settings};
    review::ReviewOptions options;
    options.now = snap.database.now;
    review::ReviewResult result = review::run_review(in, options);
    report::ReportInput rin(result);
    rin.database = snap.database.name;
    rin.server_version = "PostgreSQL " + snap.database.server_version;
    rin.generated_at = snap.database.now;
    std::time_t secs = static_cast<std::time_t>(snap.database.now / 1000000);
    std::tm tm{};
    localtime_r(&secs, &tm);
    char date[16];
    std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
    rin.date = date;
    rin.time_zone = tm.tm_zone ? tm.tm_zone : "UTC";
    report::count_catalog(rin, snap);
    rin.capture_available = false;
    rin.capture_reason = workload.unavailable_reason;
    return report::export_files(rin);
}

bool wanted(const std::string &path, const std::string &format) {
    if (format == "all") return true;
    auto ends = [&](const char *suffix) {
        size_t n = std::strlen(suffix);
        return path.size() >= n && path.compare(path.size() - n, n, suffix) == 0;
    };
    if (format == "json") return ends(".json");
    if (format == "html") return ends(".html");
    return ends(".md");
}

void write_file(const fs::path &path, const std::string &content) {
    fs::create_directories(path.parent_path());
    std::ofstream f(path, std::ios::binary);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    f.close();
    if (!f)
        throw std::runtime_error("could not write " + path.string() + ": " + std::strerror(errno));
}

// Writes the files into a staging directory under `out`, then renames each top-level entry into
// place (a finding folder replaces the old one whole, so no stale finding file survives).
std::vector<std::string> write_all(const std::string &out,
                                   const std::vector<report::ReportFile> &files) {
    fs::path dir = fs::absolute(out);
    fs::create_directories(dir);
    fs::path stage = dir / (".pg_advisor-report-" + std::to_string(getpid()));
    fs::remove_all(stage);
    std::vector<std::string> written;
    std::set<std::string> tops;
    for (const report::ReportFile &f : files) {
        fs::path rel = fs::path(f.path).lexically_normal();
        bool inside = !rel.empty() && rel.is_relative();
        for (const fs::path &part : rel)
            if (part == "." || part == ".." || part.empty()) inside = false;
        if (!inside)
            throw std::runtime_error("refusing a report path outside the directory: " + f.path);
        write_file(stage / rel, f.content);
        tops.insert(rel.begin()->string());
        written.push_back((dir / rel).string());
    }
    for (const std::string &top : tops) {
        fs::remove_all(dir / top);
        fs::rename(stage / top, dir / top);
    }
    fs::remove_all(stage);
    return written;
}

}  // namespace

int report_command(const Args &args) {
    ReportArgs a;
    if (!parse(args, a)) {
        usage();
        return kExitUsage;
    }
    try {
        std::vector<report::ReportFile> files;
        std::string why_not = "--local was given";
        std::optional<std::vector<report::ReportFile>> server;
        if (!a.local) server = server_export_files(a.dsn, &why_not);
        if (server) {
            files = std::move(*server);
        } else {
            fmt::print(stderr, "pg_advisor report: reviewing the catalog here ({})\n", why_not);
            files = local_files(a);
        }
        std::vector<report::ReportFile> chosen;
        for (report::ReportFile &f : files)
            if (wanted(f.path, a.format)) chosen.push_back(std::move(f));
        for (const std::string &p : write_all(a.out, chosen))
            fmt::print("{}\n", p);
    } catch (const std::exception &e) {
        fmt::print(stderr, "pg_advisor report: {}\n", e.what());
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace pg_advisor::cli
