// Which verified candidates to recommend for the workload. Input: the what-if costs of each
// statement without and with each candidate (src/pg/whatif_planner plans them), how often each
// statement runs, and how much each table is written. Rules:
//   - a candidate serves a statement when the planner used it, the statement cost at least
//     min_initial_cost before, and the cost fell by at least min_saving_pct;
//   - a wider index (one that extends a narrower candidate's keys) keeps a statement only if it
//     beats the narrower one by wider_margin_pct more;
//   - benefit = sum over served statements of calls x (cost before - cost after); write overhead
//     = rows written x the cost of one index insertion (cpu_index_tuple_cost + a descent of
//     log2(rows) comparisons) x the share of rows the index holds; candidates whose
//     overhead exceeds their benefit are rejected;
//   - greedy: repeatedly take the candidate with the largest marginal benefit per byte (what the
//     already chosen indexes leave to gain, counting a statement only if the index still cuts
//     its current cost by min_saving_pct), at most max_per_table new indexes per table;
//   - then statements that several indexes serve only together (joins, see WhatIfCombo): if
//     the combination cuts the statement's current cost by min_saving_pct, its missing members
//     are chosen too.
// Every candidate ends with a decision and a reason, chosen or not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/indexes/index_candidates.h"

namespace pg_advisor {

struct AdvisorSettings {
    double min_initial_cost = 100;
    double min_saving_pct = 50;
    double wider_margin_pct = 20;
    size_t max_per_table = 3;
    double write_cost_per_row = 0.05;
};

struct WhatIfCost {
    size_t candidate;  // index into the candidate list
    uint64_t queryid;
    double cost_before = 0;
    double cost_after = 0;
    bool used = false;  // the plan with the candidate uses it
    std::string error;  // planning failed: why
};

// A statement planned with all its candidates at once (statements reading several tables):
// the candidates the plan used and its cost. Indexes that help only together (a filter index on
// one table and a join-key index on the other) are found this way.
struct WhatIfCombo {
    uint64_t queryid;
    double cost_before = 0;
    double cost_after = 0;
    std::vector<size_t> used;  // candidate indexes
};

struct StatementCalls {
    uint64_t queryid;
    double calls;
};

struct TableWrites {
    uint32_t relid;
    double rows_written;      // inserted + updated + deleted rows over the same period as the calls
    double cost_per_row = 0;  // planner cost of maintaining one index entry (0: the setting's)
};

struct ServedStatement {
    uint64_t queryid;
    double calls;
    double cost_before;
    double cost_after;
};

struct IndexDecision {
    size_t candidate;
    bool chosen = false;
    std::vector<ServedStatement> served;  // statements it serves (when chosen: as chosen)
    // Chosen: over the statements it serves. Not chosen: over every statement it was planned
    // with (cost after = cost before where the planner did not use it), benefit as if chosen.
    double calls = 0;
    double cost_before = 0;  // calls-weighted per execution
    double cost_after = 0;
    double saving_pct = 0;
    double benefit = 0;  // net of write overhead
    double write_overhead = 0;
    double size_bytes = 0;
    std::string reason;
    std::vector<std::string> notes;  // per statement: why it is or is not served
};

std::vector<IndexDecision> select_indexes(const std::vector<TableInfo> &tables,
                                          const std::vector<Candidate> &candidates,
                                          const std::vector<WhatIfCost> &costs,
                                          const std::vector<StatementCalls> &calls,
                                          const std::vector<TableWrites> &writes,
                                          const AdvisorSettings &settings,
                                          const std::vector<WhatIfCombo> &combos = {});

}  // namespace pg_advisor
