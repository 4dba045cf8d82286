// What the HTML report's charts show, from the report model.
#include "core/report/html_parts.h"
#include "core/common/text_format.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

std::string describe(const BarChart &c) {
    std::string out;
    for (const Bar &b : c.bars)
        out += (out.empty() ? "" : "; ") + b.label + ": " + b.value_text;
    return out.empty() ? "No data." : out + ".";
}

}  // namespace

BarChart severity_chart(const Report &r) {
    BarChart c{"chart-severity", "Findings by severity"};
    for (size_t i = 0; i < r.severity_counts.size(); i++) {
        std::string name(review::severity_name(static_cast<review::Severity>(i)));
        double n = static_cast<double>(r.severity_counts[i]);
        c.bars.push_back({name, name + ": " + std::to_string(r.severity_counts[i]), n,
                          std::to_string(r.severity_counts[i]), "sev-" + name});
    }
    c.description = describe(c);
    return c;
}

BarChart area_chart(const Report &r) {
    BarChart c{"chart-area", "Findings by category"};
    for (const AreaSummary &a : r.areas)
        c.bars.push_back({std::string(area_name(a.area)), a.line.plain(),
                          static_cast<double>(a.findings), std::to_string(a.findings), "area"});
    c.description = describe(c);
    return c;
}

BarChart statements_chart(const Report &r) {
    BarChart c{"chart-statements", "Statements that take the most time"};
    for (const TopStatement &s : r.in.top_statements) {
        if (c.bars.size() == kMaxChartBars) break;
        std::string detail = "query id " + queryid_text(s.queryid) + ": " + s.query + " (" +
                             count_of(static_cast<size_t>(s.calls), "call", "calls") + ", " +
                             common::duration_ms(s.total_ms) + ")";
        c.bars.push_back(
            {s.query, detail, s.total_ms, common::duration_ms(s.total_ms), "statement"});
    }
    c.description = describe(c);
    return c;
}

BarChart loops_chart(const Report &r) {
    BarChart c{"chart-loops", "Time lost to each loop"};
    for (const FindingView &v : r.findings) {
        if (c.bars.size() == kMaxChartBars) break;
        if (!v.loop || v.finding->impact_unit != "ms" || v.finding->impact <= 0) continue;
        std::string label = "Finding " + std::to_string(v.number) + ": " + v.finding->title;
        c.bars.push_back(
            {label, label, v.finding->impact, common::duration_ms(v.finding->impact), "loop"});
    }
    c.description = describe(c);
    return c;
}

}  // namespace pg_advisor::report
