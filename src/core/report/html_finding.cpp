// One finding of the HTML report: the same sections as its Markdown file.
#include "core/report/html_parts.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

using review::Finding;

std::string h4(std::string_view text) {
    return "<h4>" + std::string(text) + "</h4>\n";
}

std::string para(const Rich &text) {
    return "<p>" + html_rich(text) + "</p>\n";
}

std::string meta(const FindingView &v) {
    const Finding &f = *v.finding;
    std::string out = "<p class=\"meta\">" + html_severity(f.severity);
    if (v.is_new) out += " <span class=\"new\">new since the last review</span>";
    out +=
        " " + html_escape(area_and_topic(v)) + " · rule <code>" + html_escape(f.rule) + "</code>";
    if (v.rule && v.rule->catalogue_id && *v.rule->catalogue_id)
        out += " (" + html_escape(v.rule->catalogue_id) + ")";
    return out + " · key <code>" + html_escape(f.finding_key) + "</code></p>\n";
}

std::string location(const FindingView &v) {
    const Finding &f = *v.finding;
    std::string out = h4("Location") + "<ul>\n";
    if (!f.object.empty())
        out += "<li>Object: " + html_escape(f.object_type) + " <code>" + html_escape(f.object) +
               "</code></li>\n";
    if (!f.queryids.empty()) {
        out += "<li>Statement: query id";
        for (size_t i = 0; i < f.queryids.size(); i++)
            out += std::string(i ? ", " : " ") + "<code>" + queryid_text(f.queryids[i]) + "</code>";
        out += "</li>\n";
    }
    if (!f.tags.empty()) {
        out += "<li>Application:";
        for (size_t i = 0; i < f.tags.size(); i++)
            out += std::string(i ? ", " : " ") + "<code>" + html_escape(f.tags[i].first) + "=" +
                   html_escape(f.tags[i].second) + "</code>";
        out += "</li>\n";
    } else if (v.loop) {
        out +=
            "<li>Application: no tags captured; sqlcommenter or marginalia comments would name "
            "the controller and action.</li>\n";
    }
    out += "</ul>\n";
    return f.query.empty() ? out : out + html_pre(f.query, "sql");
}

std::string current_state(const FindingView &v) {
    std::string out = h4("Current state");
    if (!v.current_state.empty())
        out += v.current_state_is_sql ? html_pre(v.current_state, "sql")
                                      : "<p>" + html_escape(v.current_state) + "</p>\n";
    if (v.evidence.empty())
        return v.current_state.empty() ? out + "<p>No further evidence was recorded.</p>\n" : out;
    out +=
        "<table>\n<thead><tr><th scope=\"col\">Evidence</th><th scope=\"col\">Value</th></tr>"
        "</thead>\n<tbody>\n";
    for (const EvidenceItem &e : v.evidence)
        out +=
            "<tr><td>" + html_escape(e.name) + "</td><td>" + html_escape(e.value) + "</td></tr>\n";
    return out + "</tbody>\n</table>\n";
}

std::string fix(const FindingView &v) {
    const Finding &f = *v.finding;
    std::string out = h4("Recommended fix") + para(v.fix);
    if (!f.fix_sql.empty()) out += html_pre(f.fix_sql, "sql");
    if (!f.orm_fix.empty())
        out += "<p>In the application" +
               (v.framework.empty() ? "" : " (" + html_escape(v.framework) + ")") + ":</p>\n" +
               html_pre(f.orm_fix);
    return out;
}

}  // namespace

std::string html_finding(const FindingView &v) {
    const Finding &f = *v.finding;
    std::string out = "<article class=\"finding\" id=\"" + v.anchor + "\">\n<h3>Finding " +
                      std::to_string(v.number) + ": " + html_escape(f.title) + "</h3>\n";
    out += meta(v) + h4("Issue") + para(v.issue) + location(v);
    out += h4("Impact") + para(v.impact) + current_state(v) + fix(v);
    out += h4("Why this helps") + para(v.why) + h4("Implementation steps") + "<ol>\n";
    for (const Rich &s : v.steps)
        out += "<li>" + html_rich(s) + "</li>\n";
    out += "</ol>\n" + h4("How to verify") + para(v.verify) + h4("Undo") + para(v.undo);
    if (!f.undo_sql.empty()) out += html_pre(f.undo_sql, "sql");
    return out + "</article>\n";
}

}  // namespace pg_advisor::report
