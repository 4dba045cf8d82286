// Markdown layout: the summary sections, and each finding as a section or a file of its own.
#include <string>

#include "core/report/render.h"
#include "core/report/slug.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

using review::Finding;

std::string heading(int level, std::string_view text) {
    return std::string(static_cast<size_t>(level), '#') + " " + std::string(text) + "\n\n";
}

// A code span inside a table cell: GitHub tables split at every unescaped pipe.
std::string cell_code(std::string_view text) {
    std::string code = md_code(text), out;
    for (char c : code)
        out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

std::string link(const FindingView &v, Links links) {
    return links == Links::Files ? v.file : "#" + v.anchor;
}

void overview(std::string &out, const Report &r) {
    out += heading(2, "Overview");
    out += "- **Scope:** " + md_rich(r.scope) + "\n";
    out += "- **Captured statistics:** " + md_rich(r.period) + "\n";
    out += "- **Analysed:** " + md_rich(r.analysed) + "\n";
    out += "- **Findings:** " + md_rich(r.counts) + "\n";
    out += "- **Checks:** " + md_rich(r.checks) + "\n";
    out += "- **Recommended priority:** " + md_rich(r.priority) + "\n";
    out += "- **Generated:** " + r.generated + " (report date " + r.in.date +
           (r.in.time_zone.empty() ? "" : ", " + md_text(r.in.time_zone)) + ")\n\n";
}

void capture(std::string &out, const Report &r) {
    if (r.capture_steps.empty()) return;
    out += heading(2, "No workload captured yet");
    out += md_rich(r.capture_intro) + "\n\n";
    for (size_t i = 0; i < r.capture_steps.size(); i++)
        out += std::to_string(i + 1) + ". " + md_rich(r.capture_steps[i]) + "\n";
    out += "\n";
}

void categories(std::string &out, const Report &r) {
    out += heading(2, "Findings by category");
    out += "| Area | Findings | Summary |\n|---|---:|---|\n";
    for (const AreaSummary &a : r.areas)
        out += "| " + std::string(area_name(a.area)) + " | " + std::to_string(a.findings) + " | " +
               md_rich(a.line) + " |\n";
    out += "\n";
}

void actions(std::string &out, const Report &r, Links links) {
    out += heading(2, "Prioritised action items");
    if (r.findings.empty()) {
        out += "Nothing to do right now.\n\n";
        return;
    }
    for (const FindingView &v : r.findings) {
        out += std::to_string(v.number) + ". **" +
               std::string(review::severity_name(v.finding->severity)) + "**" +
               (v.is_new ? " (new)" : "") + ": [" + md_text(v.finding->title) + "](" +
               link(v, links) + ")";
        if (!v.action.empty()) out += " — " + md_rich(v.action);
        out += "\n";
    }
    out += "\n";
}

void history(std::string &out, const Report &r, Links links) {
    if (!r.history) return;
    const History &h = *r.history;
    out += heading(2, "Changes since the last review");
    out += md_rich(h.text) + "\n\n";
    if (!h.new_findings.empty()) {
        out += "New findings:\n\n";
        for (size_t n : h.new_findings) {
            const FindingView &v = r.findings[n - 1];
            out += "- [Finding " + std::to_string(n) + ": " + md_text(v.finding->title) + "](" +
                   link(v, links) + ")\n";
        }
        out += "\n";
    }
    if (h.resolved.empty()) return;
    out += "Resolved:\n\n| Severity | Rule | Object | Title | Key |\n|---|---|---|---|---|\n";
    for (const PreviousFinding &p : h.resolved)
        out += "| " + std::string(review::severity_name(p.severity)) + " | " + cell_code(p.rule) +
               " | " + cell_code(p.object) + " | " + md_text(p.title) + " | " +
               cell_code(p.finding_key) + " |\n";
    out += "\n";
}

void good_patterns(std::string &out, const Report &r) {
    out += heading(2, "Good patterns found");
    if (r.passed.empty()) {
        out += r.checks_ran ? "Every check that ran found something to improve this time.\n\n"
                            : "No checks ran in this review.\n\n";
        return;
    }
    for (const PassedCheck &p : r.passed)
        out += "- " + md_text(p.sentence) + "\n";
    out += "\n";
}

void metrics(std::string &out, const Report &r) {
    out += heading(2, "Success metrics");
    for (const Metric &m : r.metrics)
        out += "- " + md_rich(m.text) + "\n";
    out += "\n";
}

void not_checked(std::string &out, const Report &r) {
    out += heading(2, "Not checked");
    if (r.not_checked.empty()) {
        out += "Every check ran.\n\n";
        return;
    }
    std::string off;
    for (const NotChecked &n : r.not_checked) {
        if (n.disabled) {
            off += (off.empty() ? "" : ", ") + md_code(n.rule);
            continue;
        }
        out +=
            "- **" + md_text(n.title) + "** (" + md_code(n.rule) + "): " + md_text(n.reason) + "\n";
    }
    if (!off.empty()) out += "- Turned off (pg_advisor.disabled_rules): " + off + "\n";
    out += "\n";
}

void suppressed(std::string &out, const Report &r) {
    out += heading(2, "Suppressed");
    if (r.suppressed.empty()) {
        out += "No findings are suppressed.\n\n";
        return;
    }
    out += md_rich(r.suppressed_intro) + "\n\n";
    out += "| Severity | Rule | Object | Title | Key |\n|---|---|---|---|---|\n";
    for (const PreviousFinding &p : r.suppressed)
        out += "| " + std::string(review::severity_name(p.severity)) + " | " + cell_code(p.rule) +
               " | " + cell_code(p.object) + " | " + md_text(p.title) + " | " +
               cell_code(p.finding_key) + " |\n";
    out += "\n";
}

std::string meta_line(const FindingView &v) {
    const Finding &f = *v.finding;
    std::string out = "**Severity:** " + std::string(review::severity_name(f.severity)) +
                      " · **Area:** " + area_and_topic(v) + " · **Rule:** " + md_code(f.rule);
    if (v.rule && v.rule->catalogue_id && *v.rule->catalogue_id)
        out += " (" + md_text(v.rule->catalogue_id) + ")";
    out += " · **Key:** " + md_code(f.finding_key);
    if (v.is_new) out += " · **New since the last review**";
    return out + "\n\n";
}

void location(std::string &out, const FindingView &v, int level) {
    const Finding &f = *v.finding;
    out += heading(level, "Location");
    if (!f.object.empty())
        out += "- **Object:** " + (f.object_type.empty() ? "" : md_text(f.object_type) + " ") +
               md_code(f.object) + "\n";
    if (!f.queryids.empty()) {
        out += "- **Statement:** query id";
        for (size_t i = 0; i < f.queryids.size(); i++)
            out += (i ? ", " : " ") + md_code(queryid_text(f.queryids[i]));
        out += "\n";
    }
    if (!f.tags.empty()) {
        out += "- **Application:**";
        for (size_t i = 0; i < f.tags.size(); i++)
            out += (i ? ", " : " ") + md_code(f.tags[i].first + "=" + f.tags[i].second);
        out += "\n";
    } else if (v.loop) {
        out +=
            "- **Application:** no tags captured; sqlcommenter or marginalia comments would "
            "name the controller and action.\n";
    }
    out += "\n";
    if (!f.query.empty()) out += md_block(f.query, "sql") + "\n";
}

void current_state(std::string &out, const FindingView &v, int level) {
    out += heading(level, "Current state");
    if (!v.current_state.empty()) {
        out += v.current_state_is_sql ? md_block(v.current_state, "sql")
                                      : md_text(v.current_state) + "\n";
        out += "\n";
    }
    if (v.evidence.empty()) {
        if (v.current_state.empty()) out += "No further evidence was recorded.\n\n";
        return;
    }
    out += "| Evidence | Value |\n|---|---|\n";
    for (const EvidenceItem &e : v.evidence)
        out += "| " + md_text(e.name) + " | " + md_text(e.value) + " |\n";
    out += "\n";
}

void fix(std::string &out, const FindingView &v, int level) {
    const Finding &f = *v.finding;
    out += heading(level, "Recommended fix");
    out += md_rich(v.fix) + "\n\n";
    if (!f.fix_sql.empty()) out += md_block(f.fix_sql, "sql") + "\n";
    if (!f.orm_fix.empty()) {
        out += "In the application" +
               (v.framework.empty() ? "" : " (" + md_text(v.framework) + ")") + ":\n\n" +
               md_block(f.orm_fix) + "\n";
    }
}

void finding_body(std::string &out, const FindingView &v, int level) {
    const Finding &f = *v.finding;
    out += meta_line(v);
    out += heading(level, "Issue") + md_rich(v.issue) + "\n\n";
    location(out, v, level);
    out += heading(level, "Impact") + md_rich(v.impact) + "\n\n";
    current_state(out, v, level);
    fix(out, v, level);
    out += heading(level, "Why this helps") + md_rich(v.why) + "\n\n";
    out += heading(level, "Implementation steps");
    for (size_t i = 0; i < v.steps.size(); i++)
        out += std::to_string(i + 1) + ". " + md_rich(v.steps[i]) + "\n";
    out += "\n" + heading(level, "How to verify") + md_rich(v.verify) + "\n\n";
    out += heading(level, "Undo") + md_rich(v.undo) + "\n\n";
    if (!f.undo_sql.empty()) out += md_block(f.undo_sql, "sql") + "\n";
}

}  // namespace

std::string md_rich(const Rich &text) {
    std::string out;
    for (const Span &s : text.spans())
        out += s.code ? md_code(s.text) : md_text(s.text);
    return out;
}

std::string markdown_summary(const Report &r, Links links) {
    std::string out = heading(1, md_text(r.title));
    overview(out, r);
    out += heading(2, "Summary") + md_rich(r.summary) + "\n\n";
    capture(out, r);
    categories(out, r);
    actions(out, r, links);
    history(out, r, links);
    good_patterns(out, r);
    metrics(out, r);
    not_checked(out, r);
    suppressed(out, r);
    if (links == Links::InPage && !r.findings.empty()) {
        out += heading(2, "Findings");
        for (const FindingView &v : r.findings) {
            out += "<a id=\"" + v.anchor + "\"></a>\n\n";
            out += heading(
                3, "Finding " + std::to_string(v.number) + ": " + md_text(v.finding->title));
            finding_body(out, v, 4);
        }
    }
    while (out.size() > 1 && out[out.size() - 2] == '\n')
        out.pop_back();
    return out;
}

std::string markdown_finding_file(const Report &r, const FindingView &v) {
    std::string out =
        heading(1, "Finding " + std::to_string(v.number) + ": " + md_text(v.finding->title));
    out += "[Back to the summary](../" + export_basename(r.in.date) + ".md)\n\n";
    finding_body(out, v, 2);
    while (out.size() > 1 && out[out.size() - 2] == '\n')
        out.pop_back();
    return out;
}

}  // namespace pg_advisor::report
