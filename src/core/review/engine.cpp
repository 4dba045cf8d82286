#include "core/review/engine.h"

#include <algorithm>
#include <exception>

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

}  // namespace

ReviewResult run_review(const ReviewInput &in, const ReviewOptions &options) {
    ReviewResult result;
    result.generated_at = options.now;
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
        try {
            rule->run(cx);
        } catch (const std::exception &e) {
            outcome.reason = std::string("the rule failed: ") + e.what();
            result.outcomes.push_back(outcome);
            continue;
        }
        if (cx.skipped()) {
            outcome.reason = cx.skip_reason();
            result.outcomes.push_back(outcome);
            continue;
        }
        outcome.ran = true;
        for (Finding &f : cx.findings()) {
            stamp(f, options);
            bool suppressed =
                std::any_of(options.suppressions.begin(), options.suppressions.end(),
                            [&](const Suppression &s) { return s.matches(f, options.now); });
            if (suppressed) {
                outcome.suppressed++;
                result.suppressed.push_back(std::move(f));
            } else {
                outcome.findings++;
                result.findings.push_back(std::move(f));
            }
        }
        result.outcomes.push_back(outcome);
    }
    std::sort(result.findings.begin(), result.findings.end(), ranks_before);
    std::sort(result.suppressed.begin(), result.suppressed.end(), ranks_before);
    return result;
}

}  // namespace pg_advisor::review
