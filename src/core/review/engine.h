// The review engine: runs every enabled rule over the snapshots, gives each finding its stable
// key and its first/last seen times, sets suppressed findings aside and ranks the rest.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/review/finding.h"
#include "core/review/registry.h"

namespace pg_advisor::review {

// A suppression: one finding (by key), or one rule on one object (rule + object), until a time
// (0: for good).
struct Suppression {
    std::string finding_key;  // "" for a rule-wide suppression
    std::string rule;         // rule-wide: the rule id
    std::string object;       // rule-wide: the object as findings name it ("" = every object)
    std::string reason;
    int64_t until = 0;  // microseconds since the epoch, 0 = no expiry
    bool matches(const Finding &f, int64_t now) const;
};

struct RuleOutcome {
    const RuleInfo *rule = nullptr;
    bool ran = false;  // false: disabled or skipped (see reason)
    bool disabled = false;
    std::string reason;   // why it did not run
    size_t findings = 0;  // visible findings
    size_t suppressed = 0;
    size_t merged = 0;      // findings folded into another rule's finding of the same fix
    double elapsed_ms = 0;  // how long the rule took (wall clock)
};

struct ReviewResult {
    std::vector<Finding> findings;      // ranked (ranks_before), not suppressed
    std::vector<Finding> suppressed;    // set aside by a suppression
    std::vector<RuleOutcome> outcomes;  // one per rule of the registry, in registry order
    int64_t generated_at = 0;
};

struct ReviewOptions {
    int64_t now = 0;  // microseconds since the epoch
    std::vector<Suppression> suppressions;
    std::vector<std::string> disabled_rules;  // rule ids
    // When a finding key was first seen (from earlier snapshots); findings not in it were
    // first seen now (or when the evidence says, for captured loops).
    std::unordered_map<std::string, int64_t> first_seen;
    // Run only these rules (empty: all). For tests and the command line.
    std::vector<std::string> only_rules;
    // Milliseconds on a monotonic clock, read before and after each rule (elapsed_ms); empty:
    // std::chrono::steady_clock. Tests set it to get exact timings.
    std::function<double()> clock_ms;
};

// Runs the rules. A rule that throws is reported as not run with the exception's message; the
// other rules still run. A rule's findings with one finding_key are one finding. Findings with
// the same fix_key are one defect: the first rule's in registry order is kept (its key, rule and
// text, so the key does not move when severities change) at the highest severity among them,
// with "also_reported_by" in its evidence (rule, title and key of each other) and their
// statements. Suppressions apply after that: one matching the kept finding or any folded one
// sets the defect aside.
ReviewResult run_review(const ReviewInput &in, const ReviewOptions &options);

}  // namespace pg_advisor::review
