#include "core/review/engine.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <unordered_map>

#include "core/common/json.h"

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

bool Suppression::matches(const Finding &f, int64_t now) const {
    if (until != 0 && until <= now) return false;
    if (!finding_key.empty()) return finding_key == f.finding_key;
    return rule == f.rule && (object.empty() || object == f.object);
}

namespace {

bool listed(const std::vector<std::string> &ids, const char *id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Key and times of a finding the rule produced.
void stamp(Finding &f, const ReviewOptions &options) {
    f.finding_key = finding_key(f.rule, f.object, f.identity);
    auto it = options.first_seen.find(f.finding_key);
    int64_t seen = it != options.first_seen.end() ? it->second : options.now;
    // Captured loops know when they were first seen; earlier snapshots may know better.
    f.first_seen = f.first_seen != 0 ? std::min(f.first_seen, seen) : seen;
    if (f.last_seen == 0) f.last_seen = options.now;
}

// Adds the statements of `from` that `into` does not list.
void add_statements(Finding &into, const Finding &from) {
    for (uint64_t q : from.queryids)
        if (std::find(into.queryids.begin(), into.queryids.end(), q) == into.queryids.end())
            into.queryids.push_back(q);
}

// A rule's findings, stamped, one per finding key: a repeated key (the same defect on the same
// object found twice) is merged into the first, with the higher severity and every statement.
std::vector<Finding> one_per_key(std::vector<Finding> &findings, const ReviewOptions &options) {
    std::vector<Finding> out;
    std::unordered_map<std::string, size_t> at;  // finding_key -> index in out
    for (Finding &f : findings) {
        stamp(f, options);
        auto [it, fresh] = at.emplace(f.finding_key, out.size());
        if (fresh) {
            out.push_back(std::move(f));
            continue;
        }
        Finding &first = out[it->second];
        first.severity = std::min(first.severity, f.severity);
        first.impact = std::max(first.impact, f.impact);
        first.first_seen = std::min(first.first_seen, f.first_seen);
        add_statements(first, f);
    }
    return out;
}

// Findings that share a fix_key are one defect: the first in registry order (the findings
// arrive in that order) is kept, with its key and rule, at the highest severity of the group;
// the others are folded into it ("also_reported_by"), their statements added. Returns, for
// each kept finding, the findings folded into it.
std::vector<std::vector<Finding>> consolidate(std::vector<Finding> &findings) {
    std::unordered_map<std::string, size_t> kept;  // fix_key -> index in out
    std::vector<Finding> out;
    std::vector<std::vector<Finding>> folded;
    for (Finding &f : findings) {
        if (!f.fix_key.empty()) {
            auto it = kept.find(f.fix_key);
            if (it != kept.end()) {
                Finding &k = out[it->second];
                k.severity = std::min(k.severity, f.severity);
                add_statements(k, f);
                folded[it->second].push_back(std::move(f));
                continue;
            }
            kept.emplace(f.fix_key, out.size());
        }
        out.push_back(std::move(f));
        folded.emplace_back();
    }
    for (size_t i = 0; i < out.size(); i++) {
        if (folded[i].empty()) continue;
        std::string also = "[";
        for (const Finding &o : folded[i])
            also += (also.size() > 1 ? ", " : "") + std::string("{\"rule\": ") +
                    json::quote(o.rule) + ", \"title\": " + json::quote(o.title) +
                    ", \"finding_key\": " + json::quote(o.finding_key) + "}";
        out[i].evidence.add_json("also_reported_by", also + "]");
    }
    findings = std::move(out);
    return folded;
}

RuleOutcome *outcome_of(std::vector<RuleOutcome> &outcomes, const std::string &rule) {
    for (RuleOutcome &oc : outcomes)
        if (oc.rule && rule == oc.rule->id) return &oc;
    return nullptr;
}

}  // namespace

ReviewResult run_review(const ReviewInput &in, const ReviewOptions &options) {
    ReviewResult result;
    result.generated_at = options.now;
    std::vector<Finding> found;  // every rule's findings, in registry order
    auto now_ms = [&options] {
        if (options.clock_ms) return options.clock_ms();
        return std::chrono::duration<double, std::milli>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    };
    for (const RuleInfo *rule : all_rules()) {
        RuleOutcome outcome;
        outcome.rule = rule;
        if (!options.only_rules.empty() && !listed(options.only_rules, rule->id)) {
            outcome.disabled = true;
            outcome.reason = "not selected";
            result.outcomes.push_back(outcome);
            continue;
        }
        if (listed(options.disabled_rules, rule->id)) {
            outcome.disabled = true;
            outcome.reason = "disabled (pg_advisor.disabled_rules)";
            result.outcomes.push_back(outcome);
            continue;
        }
        RuleContext cx(in, *rule);
        double started = now_ms();
        try {
            rule->run(cx);
        } catch (const std::exception &e) {
            outcome.reason = std::string("the rule failed: ") + e.what();
            result.outcomes.push_back(outcome);
            continue;
        }
        outcome.elapsed_ms = now_ms() - started;
        if (cx.skipped()) {
            outcome.reason = cx.skip_reason();
            result.outcomes.push_back(outcome);
            continue;
        }
        outcome.ran = true;
        for (Finding &f : one_per_key(cx.findings(), options))
            found.push_back(std::move(f));
        result.outcomes.push_back(outcome);
    }
    // One finding per defect first, so that what is kept (and its key) does not depend on
    // suppressions; a suppression of the kept key or of any folded one sets the defect aside.
    std::vector<std::vector<Finding>> folded = consolidate(found);
    auto suppressed_by = [&](const Finding &f) {
        return std::any_of(options.suppressions.begin(), options.suppressions.end(),
                           [&](const Suppression &s) { return s.matches(f, options.now); });
    };
    for (size_t i = 0; i < found.size(); i++) {
        bool suppressed = suppressed_by(found[i]) ||
                          std::any_of(folded[i].begin(), folded[i].end(), suppressed_by);
        for (const Finding &o : folded[i])
            if (RuleOutcome *oc = outcome_of(result.outcomes, o.rule)) oc->merged++;
        if (RuleOutcome *oc = outcome_of(result.outcomes, found[i].rule))
            (suppressed ? oc->suppressed : oc->findings)++;
        (suppressed ? result.suppressed : result.findings).push_back(std::move(found[i]));
    }
    std::sort(result.findings.begin(), result.findings.end(), ranks_before);
    std::sort(result.suppressed.begin(), result.suppressed.end(), ranks_before);
    return result;
}

}  // namespace pg_advisor::review
