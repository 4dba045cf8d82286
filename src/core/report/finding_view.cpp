// One finding as the report shows it: the rule's texts where it gave them, otherwise wording
// chosen from what the finding is (a loop, an index to build or drop, something else).
#include <cctype>
#include <cstdlib>

#include "core/report/report_model.h"
#include "core/common/text_format.h"
#include "core/report/text_format.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::report {

namespace {

using review::Finding;

bool contains_nocase(std::string_view text, std::string_view word) {
    for (size_t i = 0; i + word.size() <= text.size(); i++) {
        size_t k = 0;
        while (k < word.size() && std::toupper(static_cast<unsigned char>(text[i + k])) ==
                                      std::toupper(static_cast<unsigned char>(word[k])))
            k++;
        if (k == word.size()) return true;
    }
    return false;
}

bool looks_like_sql(std::string_view text) {
    static constexpr std::string_view kStarts[] = {
        "SELECT", "INSERT", "UPDATE", "DELETE",  "WITH",   "CREATE",  "ALTER",
        "DROP",   "GRANT",  "REVOKE", "COMMENT", "VACUUM", "REINDEX", "SET"};
    size_t start = text.find_first_not_of(" \t\n");
    if (start == std::string_view::npos) return false;
    for (std::string_view k : kStarts) {
        std::string_view head = text.substr(start, k.size());
        if (head.size() == k.size() && contains_nocase(head, k) &&
            (start + k.size() == text.size() ||
             !std::isalnum(static_cast<unsigned char>(text[start + k.size()]))))
            return true;
    }
    return false;
}

std::string display_value(const JsonValue &v) {
    if (v.is(JsonValue::Type::String) || v.is(JsonValue::Type::Number)) return v.text;
    if (v.is(JsonValue::Type::Array)) {
        bool strings = true;
        std::string out;
        for (const JsonValue &item : v.items) {
            strings = strings && item.is(JsonValue::Type::String);
            out += (out.empty() ? "" : ", ") + item.text;
        }
        if (strings) return out;
    }
    return to_json(v);
}

void add_evidence(FindingView &v, const Finding &f) {
    v.evidence_json = evidence_json(f.evidence);
    for (const auto &[name, value] : v.evidence_json.members)
        v.evidence.push_back({name, display_value(value)});
}

BeforeAfter numbers(const JsonValue &evidence, std::string_view before, std::string_view after) {
    const JsonValue *b = evidence.find(before);
    const JsonValue *a = evidence.find(after);
    if (!b || !a || !b->is(JsonValue::Type::Number) || !a->is(JsonValue::Type::Number)) return {};
    return {true, b->number(), a->number()};
}

// "21 -> 2" (or "21 → 2"): the loop detector's expected query counts.
BeforeAfter expected_queries(const JsonValue &evidence) {
    const JsonValue *e = evidence.find("expected_queries");
    if (!e || !e->is(JsonValue::Type::String)) return {};
    const char *s = e->text.c_str();
    char *end = nullptr;
    double before = std::strtod(s, &end);
    if (end == s) return {};
    while (*end && !std::isdigit(static_cast<unsigned char>(*end)))
        end++;
    if (!*end) return {};
    return {true, before, std::strtod(end, nullptr)};
}

std::string first_sentence(const std::string &text) {
    size_t end = text.find(". ");
    return end == std::string::npos ? text : text.substr(0, end + 1);
}

Rich impact_text(const FindingView &v) {
    const Finding &f = *v.finding;
    Rich out;
    const std::string &unit = f.impact_unit;
    if (f.impact == 0 && !v.queries.known && !v.cost.known)
        return Rich("Not measured; it is ranked by its severity (")
            .add(review::severity_name(f.severity))
            .add(").");
    if (f.impact != 0) {
        if (unit == "ms") {
            out.add("About " + common::duration_ms(f.impact) +
                    " of database time over the captured period.");
        } else if (unit == "bytes") {
            out.add(common::bytes(f.impact) + " of storage.");
        } else if (unit == "cost") {
            out.add("Impact score: " + common::number(f.impact, 1) + " planner cost units.");
        } else if (unit == "rows") {
            out.add(common::number(f.impact, 0) + " rows involved.");
        } else if (unit == "calls") {
            out.add(common::number(f.impact, 0) + " calls over the captured period.");
        } else {
            out.add("Impact " + common::number(f.impact, 2) + (unit.empty() ? "" : " " + unit) +
                    ".");
        }
    }
    if (v.queries.known)
        out.add(std::string(out.empty() ? "" : " ") + "Each occurrence runs " +
                common::number(v.queries.before, 0) + " queries where " +
                common::number(v.queries.after, 0) + " would do.");
    if (v.cost.known && v.cost.before > 0) {
        double saving = (v.cost.before - v.cost.after) / v.cost.before;
        out.add(std::string(out.empty() ? "" : " ") + "The estimated cost falls from " +
                common::number(v.cost.before, 1) + " to " + common::number(v.cost.after, 1) + " (" +
                common::percent(saving) + " less).");
    }
    return out;
}

Rich issue_text(const FindingView &v) {
    const Finding &f = *v.finding;
    Rich out(f.title);
    if (!f.title.empty() && f.title.back() != '.') out.add(".");
    if (v.rule && v.rule->title) {
        out.add(" Found by the check “").add(v.rule->title).add("”");
        if (v.rule->catalogue_id && *v.rule->catalogue_id)
            out.add(" (").add(v.rule->catalogue_id).add(")");
        if (!f.object.empty()) {
            out.add(" on ").add(f.object_type.empty() ? "" : f.object_type + " ").code(f.object);
        }
        out.add(".");
    }
    if (f.first_seen != 0) out.add(" First seen " + utc_minute(f.first_seen));
    if (f.last_seen != 0)
        out.add(std::string(f.first_seen ? ", last" : " Last") + " seen " +
                utc_minute(f.last_seen));
    if (f.first_seen != 0 || f.last_seen != 0) out.add(".");
    return out;
}

Rich why_text(const FindingView &v) {
    const Finding &f = *v.finding;
    if (!f.why.empty()) return Rich(f.why);
    if (v.loop) {
        Rich out(
            "One set-based query replaces the loop: fewer round trips and less database time "
            "per request");
        if (v.queries.known)
            out.add(", " + common::number(v.queries.before, 0) + " queries become " +
                    common::number(v.queries.after, 0));
        return out.add(".");
    }
    if (contains_nocase(f.fix_sql, "CREATE INDEX") || contains_nocase(f.fix_sql, "CREATE UNIQUE")) {
        Rich out(
            "With the index the planner can find the rows directly instead of reading the "
            "whole table");
        if (v.cost.known)
            out.add(": the estimated cost falls from " + common::number(v.cost.before, 1) + " to " +
                    common::number(v.cost.after, 1));
        return out.add(".");
    }
    if (contains_nocase(f.fix_sql, "DROP INDEX"))
        return Rich(
            "Every insert and update maintains every index of the table; removing one that "
            "does not help saves that work, its storage and vacuum time.");
    return Rich(
        "It removes the cost or risk described under Impact, and the finding no longer "
        "appears in the next review.");
}

std::vector<Rich> default_steps(const FindingView &v) {
    const Finding &f = *v.finding;
    if (v.loop)
        return {
            Rich("Find the code that runs the loop: the application tags under Location point "
                 "to it, otherwise search for the statement."),
            Rich("Apply the change shown under Recommended fix (eager loading or a bulk write)."),
            Rich("Add a test that counts the queries of the request (see How to verify)."),
            Rich("Deploy, then compare the query counts in the next review.")};
    if (f.fix_sql.empty())
        return {Rich("Review the evidence below with the team that owns the object."),
                Rich("Decide on the change and apply it through your usual migration process."),
                Rich("Run the review again to confirm the finding is gone.")};
    Rich run = contains_nocase(f.fix_sql, "CONCURRENTLY")
                   ? Rich("Run it outside a transaction block: ")
                         .code("CONCURRENTLY")
                         .add(" does not block reads or writes, but cannot run inside ")
                         .code("BEGIN")
                         .add(" … ")
                         .code("COMMIT")
                         .add(".")
                   : Rich(
                         "Apply it through your usual migration process, at a quiet time if it "
                         "changes a large table.");
    return {Rich("Read the SQL above and try it on a staging copy first."), run,
            Rich("Check the result as described under How to verify; keep the undo SQL at hand.")};
}

Rich verify_text(const FindingView &v) {
    const Finding &f = *v.finding;
    if (!f.verify.empty()) return Rich(f.verify);
    if (v.loop) {
        Rich out("Count the queries of one request in a test, e.g. with Django's ");
        out.code("CaptureQueriesContext").add(", or set ");
        out.code("pg_advisor.n_plus_one_action = 'error'");
        out.add(" for the test role so that the loop fails the test.");
        if (v.queries.known)
            out.add(" Before the fix: " + common::number(v.queries.before, 0) +
                    " queries; after: " + common::number(v.queries.after, 0) + ".");
        return out;
    }
    if (contains_nocase(f.fix_sql, "CREATE INDEX") || contains_nocase(f.fix_sql, "CREATE UNIQUE")) {
        Rich out("Run ");
        out.code("EXPLAIN").add(" on the statement: the plan should use the new index");
        if (v.cost.known)
            out.add(" and the estimated cost should fall from " + common::number(v.cost.before, 1) +
                    " to about " + common::number(v.cost.after, 1));
        return out.add(".");
    }
    return Rich("Run the review again: this finding should no longer appear.");
}

Rich undo_text(const FindingView &v) {
    const Finding &f = *v.finding;
    if (!f.undo_sql.empty())
        return Rich("If the change causes trouble, this restores the previous state:");
    if (v.loop) return Rich("The fix is in the application code: revert that change to undo it.");
    if (f.fix_sql.empty())
        return Rich("There is no SQL to undo: the fix is a decision for the team.");
    return Rich("No undo SQL is given: note the current definition before applying the fix.");
}

}  // namespace

FindingView build_finding_view(const Finding &f, const review::RuleInfo *rule) {
    FindingView v;
    v.finding = &f;
    v.rule = rule;
    v.loop = is_loop(f);
    for (const auto &[name, value] : f.tags)
        if (name == "framework") v.framework = value;
    add_evidence(v, f);
    v.queries = numbers(v.evidence_json, "queries_before", "queries_after");
    if (!v.queries.known) v.queries = expected_queries(v.evidence_json);
    v.cost = numbers(v.evidence_json, "cost_before", "cost_after");
    if (!v.cost.known) v.cost = numbers(v.evidence_json, "total_cost_before", "total_cost_after");
    v.issue = issue_text(v);
    v.impact = impact_text(v);
    v.current_state = f.current_state;
    v.current_state_is_sql = looks_like_sql(v.current_state);
    if (!f.recommendation.empty()) {
        v.fix = Rich(f.recommendation);
    } else {
        v.fix = Rich(f.fix_sql.empty() ? "Review this finding with the team that owns the object."
                                       : "Apply the SQL below.");
    }
    v.why = why_text(v);
    for (const std::string &s : f.steps)
        v.steps.emplace_back(s);
    if (v.steps.empty()) v.steps = default_steps(v);
    v.verify = verify_text(v);
    v.undo = undo_text(v);
    v.action = Rich(first_sentence(f.recommendation.empty() ? f.title : f.recommendation));
    return v;
}

JsonValue evidence_json(const review::Evidence &e) {
    std::string text = e.json();
    JsonValue parsed;
    if (parse_json(text, &parsed) && parsed.is(JsonValue::Type::Object)) return parsed;
    JsonValue raw;
    raw.type = JsonValue::Type::String;
    raw.text = text;
    parsed = JsonValue();
    parsed.type = JsonValue::Type::Object;
    parsed.members.emplace_back("unparsed", raw);
    return parsed;
}

}  // namespace pg_advisor::report
