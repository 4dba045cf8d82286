// The migration linter (see lint.h).
#include "core/ddl/lint.h"

#include <algorithm>

#include "core/common/no_postgres.h"

namespace pg_advisor::ddl {

review::Finding DdlRuleContext::make(std::string object_type, std::string object,
                                     std::string identity) const {
    review::Finding f;
    f.rule = rule_.id;
    f.category = rule_.category;
    f.severity = rule_.default_severity;
    f.object_type = std::move(object_type);
    f.object = std::move(object);
    f.identity = std::move(identity);
    f.query = statement().text;
    return f;
}

void DdlRuleContext::add(review::Finding f) {
    if (f.rule.empty()) f.rule = rule_.id;
    f.category = rule_.category;
    f.finding_key = review::finding_key(f.rule, f.object, f.identity);
    findings_.push_back(std::move(f));
}

namespace {

bool listed(const std::vector<std::string> &ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

LintResult lint(const std::vector<Statement> &statements, const Facts &facts, MigrationState &state,
                const LintOptions &options) {
    static const review::Settings kDefaults;
    const review::Settings &settings = options.settings ? *options.settings : kDefaults;
    LintResult result;
    result.statements = statements.size();
    for (size_t i = 0; i < statements.size(); i++) {
        const Statement &stmt = statements[i];
        std::vector<DdlFinding> here;
        for (const Change &change : stmt.changes) {
            for (const review::RuleInfo *rule : review::ddl_rules()) {
                if (listed(options.disabled_rules, rule->id)) continue;
                DdlRuleContext cx(statements, i, change, state, facts, settings, *rule,
                                  options.live);
                rule->ddl(cx);
                for (review::Finding &f : cx.findings()) {
                    if (listed(stmt.ignored_rules, f.rule)) {
                        result.ignored++;
                        continue;
                    }
                    // one finding per rule and object per statement (ALTER TABLE a, b, ...)
                    bool dup = std::any_of(here.begin(), here.end(), [&](const DdlFinding &d) {
                        return d.finding.finding_key == f.finding_key;
                    });
                    if (dup) continue;
                    here.push_back({std::move(f), i, stmt.line, stmt.column});
                }
            }
        }
        std::stable_sort(here.begin(), here.end(), [](const DdlFinding &a, const DdlFinding &b) {
            return a.finding.severity < b.finding.severity;
        });
        for (DdlFinding &d : here)
            result.findings.push_back(std::move(d));
        state.apply(stmt);
    }
    return result;
}

}  // namespace pg_advisor::ddl
