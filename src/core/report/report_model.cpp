#include "core/report/report_model.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "core/report/slug.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

using review::Category;
using review::Finding;
using review::RuleInfo;

constexpr std::string_view kAreaIds[kAreaCount] = {"security", "performance", "data_safety",
                                                   "schema_quality", "operations"};
constexpr std::string_view kAreaNames[kAreaCount] = {"Security", "Performance", "Data safety",
                                                     "Model and schema quality", "Operations"};

bool is_constraint_rule(std::string_view rule) {
    const std::vector<std::string_view> &rules = constraint_rule_ids();
    return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

Area area_of(Category c, std::string_view rule, std::string_view object_type) {
    switch (c) {
        case Category::Security:
            return Area::Security;
        case Category::Indexing:
        case Category::Query:
            return Area::Performance;
        case Category::Migration:
            return Area::DataSafety;
        case Category::Operations:
            return Area::Operations;
        case Category::Schema:
            break;
    }
    return is_constraint_rule(rule) || object_type == "constraint" ? Area::DataSafety
                                                                   : Area::SchemaQuality;
}

std::string topic_of(const Finding &f) {
    switch (f.category) {
        case Category::Security:
            return "security";
        case Category::Indexing:
            return "indexing";
        case Category::Query:
            return is_loop(f) ? "N+1 and write loops" : "queries";
        case Category::Migration:
            return "migrations";
        case Category::Operations:
            return "operations";
        case Category::Schema:
            break;
    }
    return finding_area(f) == Area::DataSafety ? "constraints" : "schema design";
}

// Rule metadata by id: the outcomes' (the registry the review ran with), else the registry.
const RuleInfo *rule_of(const review::ReviewResult &r, std::string_view id) {
    for (const review::RuleOutcome &o : r.outcomes)
        if (o.rule && id == o.rule->id) return o.rule;
    return review::find_rule(id);
}

const review::RuleOutcome *outcome_of(const review::ReviewResult &r, std::string_view id) {
    for (const review::RuleOutcome &o : r.outcomes)
        if (o.rule && id == o.rule->id) return &o;
    return nullptr;
}

void add_findings(Report &r) {
    std::vector<const Finding *> ranked;
    for (const Finding &f : r.in.review.findings)
        ranked.push_back(&f);
    std::stable_sort(ranked.begin(), ranked.end(), [](const Finding *a, const Finding *b) {
        return review::ranks_before(*a, *b);
    });
    SlugSet slugs;
    std::string folder = export_basename(r.in.date);
    for (const Finding *f : ranked) {
        FindingView v = build_finding_view(*f, rule_of(r.in.review, f->rule));
        v.number = r.findings.size() + 1;
        v.area = finding_area(*f);
        v.topic = topic_of(*f);
        v.slug = slugs.unique(finding_slug(f->rule, f->object));
        std::string name = finding_file_name(v.number, v.slug);
        v.file = folder + "/" + name;
        v.anchor = name.substr(0, name.size() - 3);  // without ".md"
        r.severity_counts[static_cast<size_t>(f->severity)]++;
        r.findings.push_back(std::move(v));
    }
    r.all_clear = r.findings.empty();
}

bool has_findings_of(const review::ReviewResult &r, std::string_view rule) {
    auto of_rule = [rule](const Finding &f) { return f.rule == rule; };
    return std::any_of(r.findings.begin(), r.findings.end(), of_rule) ||
           std::any_of(r.suppressed.begin(), r.suppressed.end(), of_rule);
}

void add_outcomes(Report &r) {
    for (const review::RuleOutcome &o : r.in.review.outcomes) {
        if (!o.rule) continue;
        std::string title = o.rule->title ? o.rule->title : o.rule->id;
        if (!o.ran) {
            r.not_checked.push_back({o.rule->id, title, o.reason, o.disabled});
            continue;
        }
        r.checks_ran++;
        if (has_findings_of(r.in.review, o.rule->id)) continue;
        std::string sentence =
            o.rule->passed && *o.rule->passed ? o.rule->passed : title + ": nothing to report.";
        r.passed.push_back({o.rule->id, title, sentence});
    }
}

void add_areas(Report &r) {
    for (size_t i = 0; i < kAreaCount; i++)
        r.areas.push_back(AreaSummary{static_cast<Area>(i)});
    for (const FindingView &v : r.findings) {
        AreaSummary &a = r.areas[static_cast<size_t>(v.area)];
        a.findings++;
        auto it = std::find_if(a.topics.begin(), a.topics.end(),
                               [&v](const auto &t) { return t.first == v.topic; });
        if (it == a.topics.end()) {
            a.topics.emplace_back(v.topic, 1);
        } else {
            it->second++;
        }
    }
    for (const review::RuleOutcome &o : r.in.review.outcomes)
        if (o.rule && o.ran)
            r.areas[static_cast<size_t>(area_of(o.rule->category, o.rule->id, ""))].ran++;
    for (const PassedCheck &p : r.passed) {
        const RuleInfo *rule = rule_of(r.in.review, p.rule);
        if (rule) r.areas[static_cast<size_t>(area_of(rule->category, rule->id, ""))].passed++;
    }
}

PreviousFinding summary_of(const Finding &f) {
    return {f.finding_key, f.rule, f.object, f.title, f.severity};
}

void add_history(Report &r) {
    if (!r.in.previous) return;
    History h;
    h.previous_at = r.in.previous->taken_at;
    std::unordered_set<std::string> before, now;
    for (const PreviousFinding &p : r.in.previous->findings)
        before.insert(p.finding_key);
    for (FindingView &v : r.findings) {
        now.insert(v.finding->finding_key);
        v.is_new = before.count(v.finding->finding_key) == 0;
        if (v.is_new) h.new_findings.push_back(v.number);
    }
    for (const Finding &f : r.in.review.suppressed)
        now.insert(f.finding_key);
    for (const PreviousFinding &p : r.in.previous->findings) {
        if (now.count(p.finding_key)) continue;
        const review::RuleOutcome *o = outcome_of(r.in.review, p.rule);
        if (o && !o->ran) {
            h.not_rechecked++;
        } else {
            h.resolved.push_back(p);
        }
    }
    std::stable_sort(
        h.resolved.begin(), h.resolved.end(),
        [](const PreviousFinding &a, const PreviousFinding &b) { return a.severity < b.severity; });
    r.history = std::move(h);
}

}  // namespace

Rich &Rich::add(std::string_view words) {
    if (words.empty()) return *this;
    if (!spans_.empty() && !spans_.back().code) {
        spans_.back().text += words;
    } else {
        spans_.push_back({std::string(words), false});
    }
    return *this;
}

Rich &Rich::code(std::string_view code_text) {
    spans_.push_back({std::string(code_text), true});
    return *this;
}

Rich &Rich::append(const Rich &other) {
    for (const Span &s : other.spans_) {
        if (s.code) {
            code(s.text);
        } else {
            add(s.text);
        }
    }
    return *this;
}

std::string Rich::plain() const {
    std::string out;
    for (const Span &s : spans_)
        out += s.code ? "`" + s.text + "`" : s.text;
    return out;
}

std::string_view area_id(Area a) {
    return kAreaIds[static_cast<size_t>(a)];
}

std::string_view area_name(Area a) {
    return kAreaNames[static_cast<size_t>(a)];
}

const std::vector<std::string_view> &loop_rule_ids() {
    static const std::vector<std::string_view> ids = {"n_plus_one", "bulk_write_loop"};
    return ids;
}

const std::vector<std::string_view> &constraint_rule_ids() {
    static const std::vector<std::string_view> ids = {"no_primary_key",
                                                      "nullable_fk",
                                                      "fk_type_mismatch",
                                                      "not_valid_constraint_left",
                                                      "duplicate_or_overlapping_fk",
                                                      "sequence_or_key_near_overflow"};
    return ids;
}

bool is_loop(const Finding &f) {
    const std::vector<std::string_view> &rules = loop_rule_ids();
    return !f.orm_fix.empty() || std::find(rules.begin(), rules.end(), f.rule) != rules.end();
}

Area finding_area(const Finding &f) {
    return area_of(f.category, f.rule, f.object_type);
}

std::string area_and_topic(const FindingView &v) {
    std::string area(area_name(v.area));
    std::string lower = area;
    for (char &c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == v.topic ? area : area + " (" + v.topic + ")";
}

Report build_report(const ReportInput &in) {
    if (!valid_date(in.date))
        throw std::invalid_argument("the report date must be YYYY-MM-DD, not \"" + in.date + "\"");
    Report r(in);
    add_findings(r);
    add_outcomes(r);
    for (const Finding &f : in.review.suppressed)
        r.suppressed.push_back(summary_of(f));
    add_history(r);
    add_areas(r);
    add_metrics(r);
    add_wording(r);
    return r;
}

}  // namespace pg_advisor::report
