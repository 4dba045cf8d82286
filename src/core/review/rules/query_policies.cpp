// Query-pattern rule over row-level security policies (QRY-13 of the catalogue): a policy whose
// condition calls a STABLE or VOLATILE function directly, so the function runs for every row the
// policy filters, where a scalar sub-select would run it once per statement.
#include <fmt/format.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "core/review/rules/query_rules.h"
#include "core/review/rules/relation_facts.h"
#include "core/review/rules/rule_text.h"
#include "core/common/no_postgres.h"

namespace pg_advisor::review::queries {

namespace {

// Functions that are evaluated per row in a filter: the application's STABLE or VOLATILE
// functions (the snapshot has those of non-system schemas) and current_setting(), the usual way
// to read the tenant or user of the session.
std::unordered_set<std::string> per_row_functions(const catalog::CatalogSnapshot &snap) {
    std::unordered_set<std::string> names{"current_setting"};
    for (const catalog::Function &f : snap.functions)
        if (f.volatility != 'i' && f.kind == 'f') names.insert(f.name);
    return names;
}

}  // namespace

// QRY-13: the generic form of splinter's auth_rls_initplan. Medium; lower on tables with fewer
// rows than the threshold (the per-row cost is small there).
void per_row_function_in_rls(RuleContext &cx) {
    const catalog::CatalogSnapshot &snap = cx.catalog();
    double min_rows = cx.threshold("per_row_function_in_rls_min_rows");
    std::unordered_set<std::string> names = per_row_functions(snap);
    for (const catalog::Policy &p : snap.policies) {
        const catalog::Table *t = snap.table(p.table);
        if (t == nullptr || !p.texts_known) continue;
        auto in_using = statement::per_row_calls(p.using_expr, names);
        auto in_check = statement::per_row_calls(p.check_expr, names);
        if (in_using.empty() && in_check.empty()) continue;
        std::vector<std::string> calls;
        for (const auto *list : {&in_using, &in_check})
            for (const statement::RowCall &c : *list)
                calls.push_back(c.name + "()");
        double rows = relation::table_rows(*t);
        std::string object = catalog::quote_ident(p.name) + " ON " + t->qualified();
        Finding f = cx.make("policy", object, p.name);
        if (rows >= 0 && rows < min_rows) f.severity = lower(f.severity);
        f.title = fmt::format("Policy {} calls {} once per row", object, text::join_words(calls));
        f.evidence.add("calls", calls)
            .add("using", p.using_expr)
            .add("with_check", p.check_expr)
            .add("estimated_rows", rows)
            .add("min_rows", min_rows);
        f.current_state = "USING (" + p.using_expr + ")" +
                          (p.check_expr.empty() ? "" : " WITH CHECK (" + p.check_expr + ")");
        f.recommendation =
            "Wrap the call in a scalar sub-select, so the planner evaluates it "
            "once per statement (an InitPlan) instead of once per row.";
        f.why =
            "A STABLE function's result does not change within a statement; as a sub-select "
            "it is computed once and the filter compares a constant, which indexes can use.";
        std::string alter = "ALTER POLICY " + object;
        std::string fix, undo;
        if (!in_using.empty()) {
            fix += " USING (" + statement::wrap_calls(p.using_expr, in_using) + ")";
            undo += " USING (" + p.using_expr + ")";
        }
        if (!in_check.empty()) {
            fix += " WITH CHECK (" + statement::wrap_calls(p.check_expr, in_check) + ")";
            undo += " WITH CHECK (" + p.check_expr + ")";
        }
        f.fix_sql = alter + fix + ";";
        f.undo_sql = alter + undo + ";";
        f.verify = "EXPLAIN a query on " + t->qualified() +
                   " as a role the policy applies to: the call appears once, as an InitPlan.";
        f.impact = rows > 0 ? rows : 0;
        f.impact_unit = "rows";
        cx.add(std::move(f));
    }
}

}  // namespace pg_advisor::review::queries
