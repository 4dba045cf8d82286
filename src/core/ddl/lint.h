// The migration linter: runs every migration rule (review/registry.h, rules with a `ddl`
// function) over the statements of a migration, in order, with the database's facts and the
// migration state before each statement. The live server calls it with one statement at a
// time and its per-backend state; advisor.lint_ddl and `pg_advisor lint` with a whole script.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/ddl/facts.h"
#include "core/ddl/migration_state.h"
#include "core/ddl/schema_change.h"
#include "core/review/finding.h"
#include "core/review/registry.h"

namespace pg_advisor::ddl {

// One finding, placed on the statement that causes it.
struct DdlFinding {
    review::Finding finding;
    size_t statement = 0;  // index into the statements given
    int line = 1;          // the statement's first token
    int column = 1;
};

struct LintOptions {
    const review::Settings *settings = nullptr;  // nullptr: registry defaults
    std::vector<std::string> disabled_rules;
    // Live: the statement is about to run in this session (lock_queue_risk_now and the
    // transaction state come from the server); offline: a file is read from its start.
    bool live = false;
};

struct LintResult {
    std::vector<DdlFinding> findings;  // in statement order, then severity
    size_t statements = 0;
    size_t ignored = 0;  // findings silenced by pg_advisor:ignore comments
};

// Lints `statements` starting from `state` (updated to the state after the last statement).
LintResult lint(const std::vector<Statement> &statements, const Facts &facts, MigrationState &state,
                const LintOptions &options = {});

// What a migration rule sees: one change of one statement, the state before the statement,
// the whole input (to look ahead), the facts, and where its findings go.
class DdlRuleContext {
  public:
    DdlRuleContext(const std::vector<Statement> &all, size_t index, const Change &change,
                   const MigrationState &state, const Facts &facts,
                   const review::Settings &settings, const review::RuleInfo &rule, bool live)
        : all_(all),
          index_(index),
          change_(change),
          state_(state),
          facts_(facts),
          settings_(settings),
          rule_(rule),
          live_(live) {}

    const Statement &statement() const { return all_[index_]; }
    const Change &change() const { return change_; }
    const MigrationState &state() const { return state_; }
    const Facts &facts() const { return facts_; }
    bool live() const { return live_; }
    // The statements after this one (offline: the rest of the file; live: none).
    const std::vector<Statement> &all() const { return all_; }
    size_t index() const { return index_; }
    double threshold(std::string_view name) const { return settings_.get(name); }
    const review::RuleInfo &rule() const { return rule_; }

    // A finding with the rule's id, category and default severity filled in.
    review::Finding make(std::string object_type, std::string object, std::string identity) const;
    void add(review::Finding f);
    std::vector<review::Finding> &findings() { return findings_; }

  private:
    const std::vector<Statement> &all_;
    size_t index_;
    const Change &change_;
    const MigrationState &state_;
    const Facts &facts_;
    const review::Settings &settings_;
    const review::RuleInfo &rule_;
    bool live_;
    std::vector<review::Finding> findings_;
};

}  // namespace pg_advisor::ddl
