// The rule registry: one table of every review rule (id, category, default severity, title,
// thresholds, function). Each family file (review/rules/*.cpp) lists its rules; adding a rule is
// one function, one line in its family's table, one fixture folder (test/rules/<id>/) and its
// tests. src/pg turns every threshold into a setting pg_advisor.<threshold name>; the command
// line takes --set <name>=<value>.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/catalog/catalog_snapshot.h"
#include "core/review/finding.h"
#include "core/workload/workload_snapshot.h"

namespace pg_advisor::ddl {
class DdlRuleContext;
}

namespace pg_advisor::review {

struct Threshold {
    const char *name;  // setting name without the prefix: "fk_missing_index_min_rows"
    double default_value;
    double min_value;
    double max_value;
    const char *description;  // one line, for pg_settings and the README
};

// Current threshold values: the registry's defaults unless overridden.
class Settings {
  public:
    void set(std::string name, double value) { values_[std::move(name)] = value; }
    // The value of a threshold, or its registry default; throws std::out_of_range for a name
    // no rule declares.
    double get(std::string_view name) const;

  private:
    std::unordered_map<std::string, double> values_;
};

// What several rules derive from the same input (statement groups, for instance), computed
// by the first rule that asks and kept for the rest of the review.
class DerivedValues {
  public:
    template <class T, class Make>
    const T &get(const std::string &key, Make &&make) {
        auto it = values_.find(key);
        if (it == values_.end()) it = values_.emplace(key, std::make_shared<T>(make())).first;
        return *static_cast<const T *>(it->second.get());
    }

  private:
    std::unordered_map<std::string, std::shared_ptr<const void>> values_;
};

struct ReviewInput {
    const catalog::CatalogSnapshot &catalog;
    const workload::WorkloadSnapshot &workload;
    const Settings &settings;
    mutable DerivedValues derived{};
};

struct RuleInfo;

// What a rule function gets: its input, and where its findings go.
class RuleContext {
  public:
    RuleContext(const ReviewInput &in, const RuleInfo &rule) : in_(in), rule_(rule) {}

    const catalog::CatalogSnapshot &catalog() const { return in_.catalog; }
    const workload::WorkloadSnapshot &workload() const { return in_.workload; }
    double threshold(std::string_view name) const { return in_.settings.get(name); }
    // A value derived from the input, made once per review (DerivedValues).
    template <class T, class Make>
    const T &derived(const std::string &key, Make &&make) const {
        return in_.derived.get<T>(key, std::forward<Make>(make));
    }
    const RuleInfo &rule() const { return rule_; }

    // A finding with the rule's id, category and default severity filled in.
    Finding make(std::string object_type, std::string object, std::string identity) const;
    void add(Finding f);
    // The rule could not check anything (no evidence, e.g. no statistics window): reported as
    // "not checked" with the reason instead of passing silently.
    void skip(std::string reason);

    bool skipped() const { return skipped_; }
    const std::string &skip_reason() const { return skip_reason_; }
    std::vector<Finding> &findings() { return findings_; }

  private:
    const ReviewInput &in_;
    const RuleInfo &rule_;
    std::vector<Finding> findings_;
    bool skipped_ = false;
    std::string skip_reason_;
};

using RuleFn = void (*)(RuleContext &);
// A migration rule: called for every change of every statement of a migration (core/ddl/lint.h).
using DdlRuleFn = void (*)(::pg_advisor::ddl::DdlRuleContext &);

struct RuleInfo {
    const char *id;            // snake_case, the catalogue's name: "fk_missing_index"
    const char *catalogue_id;  // "IDX-01", "" for rules outside the catalogue
    Category category;
    Severity default_severity;
    const char *title;   // "Foreign key without an index"
    const char *passed;  // said when the rule finds nothing: "Every foreign key is indexed."
    std::vector<Threshold> thresholds;
    RuleFn run;               // over the catalog and workload snapshots; nullptr for DDL-only rules
    DdlRuleFn ddl = nullptr;  // over schema changes (migration rules, int_key_design)
};

// The families (one file each under review/rules/).
const std::vector<RuleInfo> &index_rules();
const std::vector<RuleInfo> &schema_rules();
const std::vector<RuleInfo> &query_rules();
const std::vector<RuleInfo> &operations_rules();
const std::vector<RuleInfo> &security_rules();
const std::vector<RuleInfo> &migration_rules();  // DDL only (run == nullptr)

// Every rule the catalog review runs (run != nullptr), in family order; ids are unique (checked
// by the unit tests).
const std::vector<const RuleInfo *> &all_rules();
// Every rule with a `ddl` function: the migration family, then catalog rules that also judge
// schema changes (int_key_design).
const std::vector<const RuleInfo *> &ddl_rules();
// A rule of either list.
const RuleInfo *find_rule(std::string_view id);
// Every threshold of every rule, catalog and DDL (for settings).
std::vector<const Threshold *> all_thresholds();

}  // namespace pg_advisor::review
