// The public entry points (report.h): build the model once, lay it out.
#include "core/report/report.h"

#include <stdexcept>

#include "core/report/render.h"
#include "core/report/slug.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

std::string render(const ReportInput &in, std::string_view format) {
    if (format == "markdown") return render_markdown(in);
    if (format == "json") return render_json(in);
    if (format == "html") return render_html(in);
    throw std::invalid_argument("unknown report format \"" + std::string(format) +
                                "\": use markdown, json or html");
}

std::string render_markdown(const ReportInput &in) {
    return markdown_summary(build_report(in), Links::InPage);
}

std::string render_json(const ReportInput &in) {
    return json_report(build_report(in));
}

std::string render_html(const ReportInput &in) {
    return html_report(build_report(in));
}

void count_catalog(ReportInput &in, const catalog::CatalogSnapshot &snap) {
    for (const catalog::Table &t : snap.tables) {
        if ((t.relkind != 'r' && t.relkind != 'p') || t.extension_member) continue;
        in.tables++;
        in.indexes += static_cast<int64_t>(t.indexes.size());
    }
}

std::vector<ReportFile> export_files(const ReportInput &in) {
    Report r = build_report(in);
    std::string base = export_basename(in.date);
    std::vector<ReportFile> files;
    files.push_back({base + ".md", markdown_summary(r, Links::Files)});
    for (const FindingView &v : r.findings)
        files.push_back({v.file, markdown_finding_file(r, v)});
    files.push_back({base + ".json", json_report(r)});
    files.push_back({base + ".html", html_report(r)});
    return files;
}

}  // namespace pg_advisor::report
