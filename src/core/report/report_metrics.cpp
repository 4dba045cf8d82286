// Success metrics: what "done" looks like in numbers, from the findings' evidence.
#include "core/report/report_model.h"
#include "core/common/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

// Where a loop lives: its application tags (controller#action, route or job), else its object.
Rich loop_place(const FindingView &v) {
    std::string controller, action, route, job;
    for (const auto &[name, value] : v.finding->tags) {
        if (name == "controller") controller = value;
        if (name == "action") action = value;
        if (name == "route") route = value;
        if (name == "job") job = value;
    }
    if (!controller.empty())
        return Rich().code(action.empty() ? controller : controller + "#" + action);
    if (!route.empty()) return Rich().code(route);
    if (!job.empty()) return Rich().code(job);
    return Rich().code(v.finding->object);
}

Metric queries_metric(const FindingView &v) {
    Metric m{"queries_per_request"};
    m.finding = v.number;
    m.now = v.queries.before;
    m.target = v.queries.after;
    m.unit = "queries";
    m.text.add("Finding " + std::to_string(v.number) + " (").append(loop_place(v));
    bool job = false;
    for (const auto &tag : v.finding->tags)
        job = job || tag.first == "job";
    m.text.add("): " + common::number(m.now, 0) +
               (job ? " queries per run" : " queries per request") + " today, " +
               common::number(m.target, 0) + " after the fix.");
    return m;
}

Metric cost_metric(const FindingView &v) {
    Metric m{"index_cost"};
    m.finding = v.number;
    m.now = v.cost.before;
    m.target = v.cost.after;
    m.unit = "cost";
    m.text.add("Finding " + std::to_string(v.number) + " (").code(v.finding->object);
    m.text.add("): estimated cost " + common::number(m.now, 1) + " today, " +
               common::number(m.target, 1) + " with the index.");
    return m;
}

Metric count_metric(const char *kind, const char *label, size_t now) {
    Metric m{kind};
    m.now = static_cast<double>(now);
    m.unit = "findings";
    m.text.add(std::string(label) + ": " + std::to_string(now) +
               (now ? " today, 0 when done." : " today; keep it that way."));
    return m;
}

}  // namespace

void add_metrics(Report &r) {
    double loop_ms = 0;
    for (const FindingView &v : r.findings) {
        if (v.queries.known) r.metrics.push_back(queries_metric(v));
        if (v.cost.known) r.metrics.push_back(cost_metric(v));
        if (v.loop && v.finding->impact_unit == "ms") loop_ms += v.finding->impact;
    }
    if (loop_ms > 0) {
        Metric m{"loop_time"};
        m.now = loop_ms;
        m.unit = "ms";
        m.text.add("Time spent in N+1 and write loops: " + common::duration_ms(loop_ms) +
                   " over the captured period today, close to nothing once they are fixed.");
        r.metrics.push_back(m);
    }
    r.metrics.push_back(
        count_metric("critical_findings", "Critical findings", r.severity_counts[0]));
    r.metrics.push_back(
        count_metric("high_findings", "High-priority findings", r.severity_counts[1]));
}

}  // namespace pg_advisor::report
