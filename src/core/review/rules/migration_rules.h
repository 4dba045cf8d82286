// The rule functions of the migration family (MIG, review_checks.md §3.4); their registry table
// is in migrations.cpp. Each takes one change of one statement (core/ddl/lint.h) and adds a
// finding that says the lock the change takes and what it blocks, whether the table is rewritten
// or scanned, the table's size and rows when the database is known, and the safe alternative as
// SQL steps with quoted identifiers. A table created earlier in the same migration (offline) or
// transaction (live) is never a risk.
#pragma once

#include <string>

#include "core/ddl/lint.h"

namespace pg_advisor::review::migration {

// migration_indexes.cpp: building, dropping and rebuilding indexes.
void index_not_concurrent(ddl::DdlRuleContext &cx);  // MIG-01

// --- Shared helpers (migration_common.cpp) ------------------------------------------------

// How a change affects its table: the evidence and the sentence every finding carries.
struct Impact {
    ddl::LockMode lock = ddl::LockMode::None;
    bool rewrite = false;  // the table (and its indexes) are rewritten
    bool scan = false;     // the table is read in full under the lock
};

// The table facts when the database is known (live or --dsn), nullopt offline or when the table
// does not exist yet.
std::optional<ddl::TableFacts> table_facts(const ddl::DdlRuleContext &cx, const ddl::Name &table);

// Whether the rule should stay silent for this table: created earlier in this migration or
// transaction.
bool no_risk(const ddl::DdlRuleContext &cx, const ddl::Name &table);

// Adds to the finding the evidence (lock, blocks, rewrite, scan, table_bytes, table_rows) and
// appends to f.why the sentence "Takes ACCESS EXCLUSIVE on "public"."orders" (blocks reads and
// writes) and rewrites the table (1.2 GB, about 3,400,000 rows)." Raises the severity one step
// when the table is at least migration_large_table_bytes, and lowers it to info when the table is
// known to be below migration_small_table_bytes.
void describe_impact(review::Finding &f, const ddl::DdlRuleContext &cx, const ddl::Name &table,
                     const Impact &impact);

}  // namespace pg_advisor::review::migration
