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

size_t rule_position(const std::string &id) {
    const std::vector<const RuleInfo *> &rules = all_rules();
    for (size_t i = 0; i < rules.size(); i++)
        if (id == rules[i]->id) return i;
    return rules.size();
}

// Folds findings that share a fix_key into the most severe one (then the first rule).
void consolidate(std::vector<Finding> &findings, std::vector<RuleOutcome> &outcomes) {
    std::unordered_map<std::string, size_t> kept;  // fix_key -> index of the kept finding
    std::vector<std::vector<const Finding *>> folded(findings.size());
    std::vector<bool> drop(findings.size(), false);
    for (size_t i = 0; i < findings.size(); i++) {
        const Finding &f = findings[i];
        if (f.fix_key.empty()) continue;
        auto [it, fresh] = kept.emplace(f.fix_key, i);
        if (fresh) continue;
        const Finding &k = findings[it->second];
        bool better = f.severity < k.severity ||
                      (f.severity == k.severity && rule_position(f.rule) < rule_position(k.rule));
        size_t loser = better ? it->second : i;
        if (better) {
            folded[i] = std::move(folded[it->second]);
            folded[it->second].clear();
            it->second = i;
        }
        folded[it->second].push_back(&findings[loser]);
        drop[loser] = true;
    }
    std::vector<Finding> out;
    for (size_t i = 0; i < findings.size(); i++) {
        if (drop[i]) continue;
        Finding f = findings[i];
        if (!folded[i].empty()) {
            std::string also = "[";
            for (const Finding *o : folded[i]) {
                also += (also.size() > 1 ? ", " : "") + std::string("{\"rule\": ") +
                        json::quote(o->rule) + ", \"title\": " + json::quote(o->title) +
                        ", \"finding_key\": " + json::quote(o->finding_key) + "}";
                for (uint64_t q : o->queryids)
                    if (std::find(f.queryids.begin(), f.queryids.end(), q) == f.queryids.end())
                        f.queryids.push_back(q);
                for (RuleOutcome &oc : outcomes)
                    if (oc.rule && o->rule == oc.rule->id && oc.findings > 0) {
                        oc.findings--;
                        oc.merged++;
                    }
            }
            f.evidence.add_json("also_reported_by", also + "]");
        }
        out.push_back(std::move(f));
    }
    findings = std::move(out);
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
        auto started = std::chrono::steady_clock::now();
        try {
            rule->run(cx);
        } catch (const std::exception &e) {
            outcome.reason = std::string("the rule failed: ") + e.what();
            result.outcomes.push_back(outcome);
            continue;
        }
        outcome.elapsed_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
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
    consolidate(result.findings, result.outcomes);
    std::sort(result.findings.begin(), result.findings.end(), ranks_before);
    std::sort(result.suppressed.begin(), result.suppressed.end(), ranks_before);
    return result;
}

}  // namespace pg_advisor::review
