// Query-pattern rules over the N+1 detector's loop findings (advisor.n_plus_one): one review
// finding per loop of the rule's kind. The identity is the kind, the normalised parent and child
// texts and the application tags that locate the loop — never query ids. Loops that share an
// identity (the same loop seen under several roles) are reported once with their counts summed.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/rules/query_rules.h"
#include "core/review/rules/rule_text.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::queries {

using workload::LoopEvidence;

bool workload_available(RuleContext &cx) {
    if (cx.workload().available) return true;
    cx.skip(cx.workload().unavailable_reason.empty() ? "no statements were captured"
                                                     : cx.workload().unavailable_reason);
    return false;
}

namespace {

std::string loop_identity(const LoopEvidence &l) {
    std::vector<std::string> tags;
    for (const auto &[k, v] : l.tags)
        tags.push_back(k + "=" + v);
    std::sort(tags.begin(), tags.end());
    return l.kind + "\n" + text::squash_space(l.parent_query) + "\n" +
           text::squash_space(l.child_query) + "\n" + text::comma(tags);
}

// Loops of one kind, merged by identity, in first-seen order.
std::vector<LoopEvidence> merged_loops(const workload::WorkloadSnapshot &w, const char *kind,
                                       std::vector<std::string> &identities) {
    std::vector<LoopEvidence> out;
    std::unordered_map<std::string, size_t> index;
    for (const LoopEvidence &l : w.loops) {
        if (l.kind != kind) continue;
        std::string id = loop_identity(l);
        auto [it, fresh] = index.emplace(id, out.size());
        if (fresh) {
            out.push_back(l);
            identities.push_back(id);
            continue;
        }
        LoopEvidence &m = out[it->second];
        m.occurrences += l.occurrences;
        m.executions += l.executions;
        m.child_total_ms += l.child_total_ms;
        m.max_repeats = std::max(m.max_repeats, l.max_repeats);
        m.distinct_params = std::max(m.distinct_params, l.distinct_params);
        if (l.first_seen > 0 && (m.first_seen == 0 || l.first_seen < m.first_seen))
            m.first_seen = l.first_seen;
        m.last_seen = std::max(m.last_seen, l.last_seen);
    }
    return out;
}

std::string loop_title(const LoopEvidence &l, const std::string &target) {
    double per = l.typical_repeats > 0 ? l.typical_repeats : l.max_repeats;
    if (l.kind == "n_plus_one")
        return fmt::format("N+1: {} is queried once per parent row (about {} times per {})", target,
                           text::count(per), l.scope_kind.empty() ? "unit of work" : l.scope_kind);
    if (l.kind == "bulk_write_loop")
        return fmt::format("Row-by-row writes to {}: about {} single-row statements per {}", target,
                           text::count(per), l.scope_kind.empty() ? "unit of work" : l.scope_kind);
    return fmt::format("The same query on {} runs up to {} times with the same parameters", target,
                       text::count(l.max_repeats));
}

void report_loops(RuleContext &cx, const char *kind, const char *high_threshold) {
    if (!workload_available(cx)) return;
    double high_ms = cx.threshold(high_threshold);
    std::vector<std::string> identities;
    std::vector<LoopEvidence> loops = merged_loops(cx.workload(), kind, identities);
    for (size_t i = 0; i < loops.size(); i++) {
        const LoopEvidence &l = loops[i];
        bool relation = !l.child_relation.empty();
        std::string target = relation ? l.child_relation : text::shorten(l.child_query, 80);
        Finding f = cx.make(relation ? "table" : "statement", target, identities[i]);
        if (l.child_total_ms >= high_ms) f.severity = raise(f.severity);
        f.title = loop_title(l, target);
        f.evidence.add("occurrences", l.occurrences)
            .add("executions", l.executions)
            .add("max_repeats", l.max_repeats)
            .add("typical_repeats", l.typical_repeats)
            .add("distinct_params", l.distinct_params)
            .add("child_total_ms", l.child_total_ms)
            .add("expected_queries", l.expected_queries)
            .add("parent_query", l.parent_query)
            .add("parent_relation", l.parent_relation)
            .add("framework", l.framework)
            .add("scope_kind", l.scope_kind)
            .add("example_scope", l.example_scope)
            .add("high_total_ms", high_ms);
        f.query = l.child_query;
        f.tags = l.tags;
        f.orm_fix = l.orm_fix;
        f.fix_sql = l.suggested_sql;
        f.recommendation =
            l.orm_fix.empty() ? "Load the rows in one set-based statement." : l.orm_fix;
        f.why = l.reason;
        f.current_state = l.parent_query.empty()
                              ? "Repeated: " + l.child_query
                              : "After: " + l.parent_query + "\nRepeated: " + l.child_query;
        f.verify =
            l.expected_queries.empty()
                ? "Count the queries of one unit of work before and after the change."
                : fmt::format(
                      "Count the queries of one {}: {} (now -> after the fix). "
                      "In tests, SET pg_advisor.n_plus_one_action = 'error' "
                      "makes a new loop fail.",
                      l.scope_kind.empty() ? "unit of work" : l.scope_kind, l.expected_queries);
        for (uint64_t q : {l.child_queryid, l.parent_queryid})
            if (q != 0) f.queryids.push_back(q);
        f.impact = l.child_total_ms;
        f.impact_unit = "ms";
        f.first_seen = l.first_seen;
        f.last_seen = l.last_seen;
        cx.add(std::move(f));
    }
}

}  // namespace

// QRY-03: a child statement run once per row of a parent statement within one unit of work.
void n_plus_one(RuleContext &cx) {
    report_loops(cx, "n_plus_one", "n_plus_one_high_total_ms");
}

// QRY-04 (row_by_row_writes in the catalogue; named after the detector's kind): single-row
// INSERT/UPDATE/DELETE of one shape repeated in one unit of work.
void bulk_write_loop(RuleContext &cx) {
    report_loops(cx, "bulk_write_loop", "bulk_write_loop_high_total_ms");
}

// The same statement with the same parameters repeated in one unit of work (cache or hoist).
void duplicate_query(RuleContext &cx) {
    report_loops(cx, "duplicate_query", "duplicate_query_high_total_ms");
}

}  // namespace pg_advisor::review::queries
