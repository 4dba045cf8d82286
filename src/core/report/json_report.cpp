// JSON layout of the report model; docs/report.schema.json describes it.
#include "core/report/json_writer.h"
#include "core/report/render.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

using review::Finding;

constexpr int64_t kFormatVersion = 1;

void time_field(JsonWriter &w, std::string_view name, int64_t us) {
    w.key(name);
    if (us == 0) {
        w.null();
    } else {
        w.string(utc_timestamp(us));
    }
}

void overview(JsonWriter &w, const Report &r) {
    const ReportInput &in = r.in;
    w.key("overview").begin_object();
    w.field("database", in.database).field("server_version", in.server_version);
    w.field("scope", r.scope.plain());
    w.key("period").begin_object();
    time_field(w, "start", in.period_start);
    time_field(w, "end", in.period_end);
    w.field("text", r.period.plain()).end_object();
    w.key("analysed").begin_object();
    w.field("tables", in.tables).field("indexes", in.indexes).field("statements", in.statements);
    w.field("migrations", in.migrations).field("text", r.analysed.plain()).end_object();
    w.key("counts").begin_object();
    for (size_t i = 0; i < r.severity_counts.size(); i++)
        w.field(review::severity_name(static_cast<review::Severity>(i)), r.severity_counts[i]);
    w.field("total", r.findings.size()).field("text", r.counts.plain()).end_object();
    w.key("checks").begin_object();
    w.field("ran", r.checks_ran).field("passed", r.passed.size());
    w.field("not_checked", r.not_checked.size()).field("suppressed", r.suppressed.size());
    w.field("text", r.checks.plain()).end_object();
    w.field("priority", r.priority.plain());
    w.end_object();
}

void capture(JsonWriter &w, const Report &r) {
    w.key("capture").begin_object();
    w.field("available", r.in.capture_available).field("reason", r.in.capture_reason);
    w.key("steps").begin_array();
    for (const Rich &s : r.capture_steps)
        w.string(s.plain());
    w.end_array().end_object();
}

void categories(JsonWriter &w, const Report &r) {
    w.key("categories").begin_array();
    for (const AreaSummary &a : r.areas) {
        w.begin_object().field("area", area_id(a.area)).field("name", area_name(a.area));
        w.field("count", a.findings).key("topics").begin_array();
        for (const auto &[topic, n] : a.topics)
            w.begin_object().field("topic", topic).field("count", n).end_object();
        w.end_array().field("passed", a.passed).field("line", a.line.plain()).end_object();
    }
    w.end_array();
}

void action_items(JsonWriter &w, const Report &r) {
    w.key("action_items").begin_array();
    for (const FindingView &v : r.findings) {
        w.begin_object().field("number", v.number).field("finding_key", v.finding->finding_key);
        w.field("severity", review::severity_name(v.finding->severity));
        w.field("title", v.finding->title).field("text", v.action.plain());
        w.field("file", v.file).field("anchor", v.anchor).field("is_new", v.is_new).end_object();
    }
    w.end_array();
}

void brief(JsonWriter &w, const PreviousFinding &p) {
    w.begin_object().field("finding_key", p.finding_key).field("rule", p.rule);
    w.field("object", p.object).field("title", p.title);
    w.field("severity", review::severity_name(p.severity)).end_object();
}

void checks(JsonWriter &w, const Report &r) {
    w.key("good_patterns").begin_array();
    for (const PassedCheck &p : r.passed)
        w.begin_object()
            .field("rule", p.rule)
            .field("title", p.title)
            .field("sentence", p.sentence)
            .end_object();
    w.end_array().key("not_checked").begin_array();
    for (const NotChecked &n : r.not_checked)
        w.begin_object()
            .field("rule", n.rule)
            .field("title", n.title)
            .field("reason", n.reason)
            .field("disabled", n.disabled)
            .end_object();
    w.end_array().key("suppressed").begin_object().field("count", r.suppressed.size());
    w.key("findings").begin_array();
    for (const PreviousFinding &p : r.suppressed)
        brief(w, p);
    w.end_array().end_object();
}

void metrics(JsonWriter &w, const Report &r) {
    w.key("success_metrics").begin_array();
    for (const Metric &m : r.metrics) {
        w.begin_object().field("kind", m.kind).field("text", m.text.plain()).key("finding");
        if (m.finding) {
            w.integer(static_cast<int64_t>(m.finding));
        } else {
            w.null();
        }
        w.field("now", m.now).field("target", m.target).field("unit", m.unit).end_object();
    }
    w.end_array();
}

void history(JsonWriter &w, const Report &r) {
    w.key("history");
    if (!r.history) {
        w.null();
        return;
    }
    const History &h = *r.history;
    w.begin_object();
    time_field(w, "previous_at", h.previous_at);
    w.field("text", h.text.plain()).key("new_findings").begin_array();
    for (size_t n : h.new_findings)
        w.integer(static_cast<int64_t>(n));
    w.end_array().key("resolved").begin_array();
    for (const PreviousFinding &p : h.resolved)
        brief(w, p);
    w.end_array().field("not_rechecked", h.not_rechecked).end_object();
}

void top_statements(JsonWriter &w, const Report &r) {
    w.key("top_statements").begin_array();
    for (const TopStatement &s : r.in.top_statements)
        w.begin_object()
            .field("queryid", queryid_text(s.queryid))
            .field("query", s.query)
            .field("calls", s.calls)
            .field("total_ms", s.total_ms)
            .end_object();
    w.end_array();
}

void before_after(JsonWriter &w, std::string_view name, const BeforeAfter &b) {
    w.key(name);
    if (!b.known) {
        w.null();
        return;
    }
    w.begin_object().field("before", b.before).field("after", b.after).end_object();
}

void finding_location(JsonWriter &w, const Finding &f) {
    w.field("object_type", f.object_type).field("object", f.object).field("identity", f.identity);
    w.key("queryids").begin_array();
    for (uint64_t q : f.queryids)
        w.string(queryid_text(q));
    w.end_array().field("query", f.query).key("tags").begin_array();
    for (const auto &[name, value] : f.tags)
        w.begin_object().field("name", name).field("value", value).end_object();
    w.end_array();
}

void finding_texts(JsonWriter &w, const FindingView &v) {
    const Finding &f = *v.finding;
    w.field("issue", v.issue.plain());
    w.key("impact").begin_object().field("value", f.impact).field("unit", f.impact_unit);
    w.field("text", v.impact.plain()).end_object();
    w.field("current_state", f.current_state).field("current_state_is_sql", v.current_state_is_sql);
    w.key("evidence").value(v.evidence_json);
    w.field("recommendation", f.recommendation).field("fix", v.fix.plain());
    w.field("fix_sql", f.fix_sql).field("orm_fix", f.orm_fix).field("framework", v.framework);
    w.field("why", v.why.plain()).key("steps").begin_array();
    for (const Rich &s : v.steps)
        w.string(s.plain());
    w.end_array().field("verify", v.verify.plain());
    w.field("undo", v.undo.plain()).field("undo_sql", f.undo_sql);
}

void finding(JsonWriter &w, const FindingView &v) {
    const Finding &f = *v.finding;
    w.begin_object().field("number", v.number).field("finding_key", f.finding_key);
    w.field("file", v.file).field("anchor", v.anchor).field("slug", v.slug);
    w.field("rule", f.rule).field("rule_title", v.rule && v.rule->title ? v.rule->title : "");
    w.field("catalogue_id", v.rule && v.rule->catalogue_id ? v.rule->catalogue_id : "");
    w.field("category", review::category_name(f.category)).field("area", area_id(v.area));
    w.field("topic", v.topic).field("severity", review::severity_name(f.severity));
    w.field("is_new", v.is_new).field("loop", v.loop).field("title", f.title);
    finding_location(w, f);
    finding_texts(w, v);
    before_after(w, "queries", v.queries);
    before_after(w, "cost", v.cost);
    time_field(w, "first_seen", f.first_seen);
    time_field(w, "last_seen", f.last_seen);
    w.end_object();
}

}  // namespace

std::string json_report(const Report &r) {
    JsonWriter w;
    w.begin_object().field("format", "pg_advisor.report").field("format_version", kFormatVersion);
    w.field("title", r.title).field("date", r.in.date).field("time_zone", r.in.time_zone);
    time_field(w, "generated_at", r.in.generated_at);
    overview(w, r);
    w.field("summary", r.summary.plain()).field("all_clear", r.all_clear);
    capture(w, r);
    categories(w, r);
    action_items(w, r);
    checks(w, r);
    metrics(w, r);
    history(w, r);
    top_statements(w, r);
    w.key("findings").begin_array();
    for (const FindingView &v : r.findings)
        finding(w, v);
    w.end_array().end_object();
    return w.take();
}

}  // namespace pg_advisor::report
