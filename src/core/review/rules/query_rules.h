// The rule functions of the query-pattern family; their registry table is in queries.cpp.
// Every one reads the captured workload and skips, with the reason, when there is none.
#pragma once

#include <string>
#include <vector>

#include "core/review/registry.h"
#include "core/review/rules/statement_shape.h"

namespace pg_advisor::review::queries {

// query_loops.cpp: the N+1 detector's loop findings.
void n_plus_one(RuleContext &cx);
void bulk_write_loop(RuleContext &cx);
void duplicate_query(RuleContext &cx);

// query_statements.cpp: statement counters and texts.
void slow_statement(RuleContext &cx);
void workload_outlier(RuleContext &cx);
void large_offset_pagination(RuleContext &cx);
void select_star_wide(RuleContext &cx);
void count_for_existence(RuleContext &cx);
void unparameterized_or_shape_explosion(RuleContext &cx);
void unbounded_result(RuleContext &cx);

// query_policies.cpp: row-level security policies as statements run them.
void per_row_function_in_rls(RuleContext &cx);

// Statements of one role with the same collapsed shape (statement_shape.h), judged together:
// the identity of a statement finding is its role and shape, never a query id (which changes
// after a dump and restore).
struct StatementGroup {
    std::string role;
    std::string shape;
    const workload::StatementEvidence *top = nullptr;  // the member with the most time
    std::vector<const workload::StatementEvidence *> members;
    double calls = 0, total_ms = 0, rows = 0;
    double literal_calls = -1;  // -1 when no member tracks it
    int64_t max_offset = -1;
    std::vector<uint64_t> queryids;
    statement::Shape parsed;  // of top's text
    double mean_ms() const { return calls > 0 ? total_ms / calls : 0; }
    std::string identity() const { return role + "\n" + shape; }
};

// The statements grouped (top-level ones only when asked), in first-seen order; linear, and
// made once per review for all the query rules.
const std::vector<StatementGroup> &statement_groups(const RuleContext &cx, bool toplevel_only);
// A finding about a group: object is the shortened statement text, identity role and shape;
// query, queryids, tags and application filled.
Finding statement_finding(const RuleContext &cx, const StatementGroup &g);
// False (after cx.skip with the reason) when no workload was captured.
bool workload_available(RuleContext &cx);

}  // namespace pg_advisor::review::queries
