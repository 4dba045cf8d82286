#include "core/review/registry.h"

#include <stdexcept>

#include "core/common/no_postgres.h"

namespace pg_advisor::review {

double Settings::get(std::string_view name) const {
    auto it = values_.find(std::string(name));
    if (it != values_.end()) return it->second;
    for (const Threshold *t : all_thresholds())
        if (name == t->name) return t->default_value;
    throw std::out_of_range("no review rule declares the threshold \"" + std::string(name) + "\"");
}

Finding RuleContext::make(std::string object_type, std::string object, std::string identity) const {
    Finding f;
    f.rule = rule_.id;
    f.category = rule_.category;
    f.severity = rule_.default_severity;
    f.object_type = std::move(object_type);
    f.object = std::move(object);
    f.identity = std::move(identity);
    return f;
}

void RuleContext::add(Finding f) {
    if (f.rule.empty()) f.rule = rule_.id;
    f.category = rule_.category;
    findings_.push_back(std::move(f));
}

void RuleContext::skip(std::string reason) {
    skipped_ = true;
    skip_reason_ = std::move(reason);
}

const std::vector<const RuleInfo *> &all_rules() {
    static const std::vector<const RuleInfo *> rules = [] {
        std::vector<const RuleInfo *> v;
        for (const std::vector<RuleInfo> *family : {&index_rules(), &schema_rules(), &query_rules(),
                                                    &operations_rules(), &security_rules()})
            for (const RuleInfo &r : *family)
                v.push_back(&r);
        return v;
    }();
    return rules;
}

const std::vector<const RuleInfo *> &ddl_rules() {
    static const std::vector<const RuleInfo *> rules = [] {
        std::vector<const RuleInfo *> v;
        for (const RuleInfo &r : migration_rules())
            v.push_back(&r);
        for (const RuleInfo *r : all_rules())
            if (r->ddl != nullptr) v.push_back(r);
        return v;
    }();
    return rules;
}

const RuleInfo *find_rule(std::string_view id) {
    for (const RuleInfo *r : all_rules())
        if (id == r->id) return r;
    for (const RuleInfo &r : migration_rules())
        if (id == r.id) return &r;
    return nullptr;
}

std::vector<const Threshold *> all_thresholds() {
    std::vector<const Threshold *> out;
    for (const RuleInfo *r : all_rules())
        for (const Threshold &t : r->thresholds)
            out.push_back(&t);
    for (const RuleInfo &r : migration_rules())
        for (const Threshold &t : r.thresholds)
            out.push_back(&t);
    return out;
}

}  // namespace pg_advisor::review
