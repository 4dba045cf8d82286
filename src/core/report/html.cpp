// HTML layout: one self-contained page with the summary sections, the charts and every finding.
#include "core/report/html_parts.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

std::string section(std::string_view id, std::string_view title, const std::string &body) {
    return "<section aria-labelledby=\"" + std::string(id) + "\">\n<h2 id=\"" + std::string(id) +
           "\">" + std::string(title) + "</h2>\n" + body + "</section>\n";
}

std::string figure(const BarChart &chart, std::string_view empty_text) {
    std::string out = "<figure>\n<figcaption>" + html_escape(chart.title) + "</figcaption>\n";
    out += chart.bars.empty() ? "<p>" + std::string(empty_text) + "</p>\n" : svg_bar_chart(chart);
    return out + "</figure>\n";
}

std::string overview(const Report &r) {
    auto line = [](std::string_view name, const std::string &value) {
        return "<tr><th scope=\"row\">" + std::string(name) + "</th><td>" + value + "</td></tr>\n";
    };
    std::string generated = html_escape(r.generated) + " (report date " + html_escape(r.in.date) +
                            (r.in.time_zone.empty() ? "" : ", " + html_escape(r.in.time_zone)) +
                            ")";
    std::string body = "<table>\n<tbody>\n" + line("Scope", html_rich(r.scope)) +
                       line("Captured statistics", html_rich(r.period)) +
                       line("Analysed", html_rich(r.analysed)) +
                       line("Findings", html_rich(r.counts)) + line("Checks", html_rich(r.checks)) +
                       line("Recommended priority", html_rich(r.priority)) +
                       line("Generated", generated) + "</tbody>\n</table>\n";
    return section("overview", "Overview", body);
}

std::string capture(const Report &r) {
    if (r.capture_steps.empty()) return "";
    std::string body = "<div class=\"notice\">\n<p>" + html_rich(r.capture_intro) + "</p>\n<ol>\n";
    for (const Rich &s : r.capture_steps)
        body += "<li>" + html_rich(s) + "</li>\n";
    return section("capture", "No workload captured yet", body + "</ol>\n</div>\n");
}

std::string categories(const Report &r) {
    std::string body = "<div class=\"charts\">\n" + figure(severity_chart(r), "") +
                       figure(area_chart(r), "") + "</div>\n";
    body +=
        "<table>\n<thead><tr><th scope=\"col\">Area</th><th scope=\"col\">Findings</th>"
        "<th scope=\"col\">Summary</th></tr></thead>\n<tbody>\n";
    for (const AreaSummary &a : r.areas)
        body += "<tr><th scope=\"row\">" + html_escape(area_name(a.area)) +
                "</th><td class=\"num\">" + std::to_string(a.findings) + "</td><td>" +
                html_rich(a.line) + "</td></tr>\n";
    return section("categories", "Findings by category", body + "</tbody>\n</table>\n");
}

std::string finding_link(const FindingView &v) {
    return "<a href=\"#" + v.anchor + "\">" + html_escape(v.finding->title) + "</a>";
}

std::string actions(const Report &r) {
    if (r.findings.empty())
        return section("actions", "Prioritised action items", "<p>Nothing to do right now.</p>\n");
    std::string body = "<ol>\n";
    for (const FindingView &v : r.findings) {
        body += "<li>" + html_severity(v.finding->severity) +
                (v.is_new ? " <span class=\"new\">new</span>" : "") + " " + finding_link(v);
        if (!v.action.empty()) body += " — " + html_rich(v.action);
        body += "</li>\n";
    }
    return section("actions", "Prioritised action items", body + "</ol>\n");
}

std::string brief_table(const std::vector<PreviousFinding> &items) {
    std::string out =
        "<table>\n<thead><tr><th scope=\"col\">Severity</th><th scope=\"col\">Rule"
        "</th><th scope=\"col\">Object</th><th scope=\"col\">Title</th>"
        "<th scope=\"col\">Key</th></tr></thead>\n<tbody>\n";
    for (const PreviousFinding &p : items)
        out += "<tr><td>" + html_severity(p.severity) + "</td><td><code>" + html_escape(p.rule) +
               "</code></td><td><code>" + html_escape(p.object) + "</code></td><td>" +
               html_escape(p.title) + "</td><td><code>" + html_escape(p.finding_key) +
               "</code></td></tr>\n";
    return out + "</tbody>\n</table>\n";
}

std::string history(const Report &r) {
    if (!r.history) return "";
    const History &h = *r.history;
    std::string body = "<p>" + html_rich(h.text) + "</p>\n";
    if (!h.new_findings.empty()) {
        body += "<p>New findings:</p>\n<ul>\n";
        for (size_t n : h.new_findings)
            body += "<li>Finding " + std::to_string(n) + ": " + finding_link(r.findings[n - 1]) +
                    "</li>\n";
        body += "</ul>\n";
    }
    if (!h.resolved.empty()) body += "<p>Resolved:</p>\n" + brief_table(h.resolved);
    return section("history", "Changes since the last review", body);
}

std::string time_charts(const Report &r) {
    std::string body = "<div class=\"charts\">\n" +
                       figure(statements_chart(r), "No statement timings were captured.") +
                       figure(loops_chart(r), "No N+1 or write loop with measured time.") +
                       "</div>\n";
    return section("time", "Where the time goes", body);
}

std::string lists(const Report &r) {
    std::string good = "<ul>\n";
    for (const PassedCheck &p : r.passed)
        good += "<li>" + html_escape(p.sentence) + "</li>\n";
    good = r.passed.empty() ? std::string(r.checks_ran ? "<p>Every check that ran found something "
                                                         "to improve this time.</p>\n"
                                                       : "<p>No checks ran in this review.</p>\n")
                            : good + "</ul>\n";
    std::string metrics = "<ul>\n";
    for (const Metric &m : r.metrics)
        metrics += "<li>" + html_rich(m.text) + "</li>\n";
    std::string missing = "<ul>\n", off;
    for (const NotChecked &n : r.not_checked) {
        if (n.disabled) {
            off += (off.empty() ? "" : ", ") + ("<code>" + html_escape(n.rule) + "</code>");
            continue;
        }
        missing += "<li><strong>" + html_escape(n.title) + "</strong> (<code>" +
                   html_escape(n.rule) + "</code>): " + html_escape(n.reason) + "</li>\n";
    }
    if (!off.empty()) missing += "<li>Turned off (pg_advisor.disabled_rules): " + off + "</li>\n";
    missing = r.not_checked.empty() ? "<p>Every check ran.</p>\n" : missing + "</ul>\n";
    std::string suppressed = r.suppressed.empty() ? "<p>No findings are suppressed.</p>\n"
                                                  : "<p>" + html_rich(r.suppressed_intro) +
                                                        "</p>\n" + brief_table(r.suppressed);
    return section("good", "Good patterns found", good) +
           section("metrics", "Success metrics", metrics + "</ul>\n") +
           section("not-checked", "Not checked", missing) +
           section("suppressed", "Suppressed", suppressed);
}

}  // namespace

std::string html_rich(const Rich &text) {
    std::string out;
    for (const Span &s : text.spans())
        out += s.code ? "<code>" + html_escape(s.text) + "</code>" : html_escape(s.text);
    return out;
}

std::string html_severity(review::Severity s) {
    std::string name(review::severity_name(s));
    return "<span class=\"sev sev-" + name + "\">" + name + "</span>";
}

std::string html_pre(std::string_view code, std::string_view language) {
    std::string cls = language.empty() ? "" : " class=\"language-" + std::string(language) + "\"";
    return "<pre><code" + cls + ">" + html_escape(code) + "</code></pre>\n";
}

std::string html_report(const Report &r) {
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>" +
        html_escape(r.title) + "</title>\n<style>" + kHtmlStyle +
        "</style>\n</head>\n<body>\n<main>\n<h1>" + html_escape(r.title) + "</h1>\n";
    out += overview(r);
    out += section("summary", "Summary", "<p class=\"summary\">" + html_rich(r.summary) + "</p>\n");
    out += capture(r) + categories(r) + actions(r) + history(r) + time_charts(r) + lists(r);
    if (!r.findings.empty()) {
        std::string body;
        for (const FindingView &v : r.findings)
            body += html_finding(v);
        out += section("findings", "Findings", body);
    }
    return out + "</main>\n</body>\n</html>\n";
}

}  // namespace pg_advisor::report
