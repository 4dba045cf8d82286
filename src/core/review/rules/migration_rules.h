// The rule functions of the migration family (MIG, review_checks.md §3.4); their registry table
// is in migrations.cpp. Each takes one change of one statement (core/ddl/lint.h) and adds a
// finding that says the lock the change takes and what it blocks, whether the table is rewritten
// or scanned, the table's size and rows when the database is known, and the safe alternative as
// SQL steps with quoted identifiers. A table created earlier in the same migration (offline) or
// transaction (live) is never a risk.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/ddl/lint.h"

namespace pg_advisor::review::migration {

// migration_indexes.cpp: building, dropping and rebuilding indexes.
void index_not_concurrent(ddl::DdlRuleContext &cx);       // MIG-01
void drop_index_not_concurrent(ddl::DdlRuleContext &cx);  // MIG-02
void reindex_not_concurrent(ddl::DdlRuleContext &cx);     // MIG-03
void concurrent_in_transaction(ddl::DdlRuleContext &cx);  // MIG-04
void cic_timeout_misfit(ddl::DdlRuleContext &cx);         // MIG-25
void replace_index_order(ddl::DdlRuleContext &cx);        // MIG-33
void new_fk_without_index(ddl::DdlRuleContext &cx);       // MIG-34
void index_version_bug(ddl::DdlRuleContext &cx);          // MIG-35

// migration_constraints.cpp: adding and validating constraints, domains.
void fk_without_not_valid(ddl::DdlRuleContext &cx);      // MIG-05
void check_without_not_valid(ddl::DdlRuleContext &cx);   // MIG-06
void validate_in_same_txn(ddl::DdlRuleContext &cx);      // MIG-07
void add_unique_constraint(ddl::DdlRuleContext &cx);     // MIG-14
void add_primary_key(ddl::DdlRuleContext &cx);           // MIG-15
void add_exclusion_constraint(ddl::DdlRuleContext &cx);  // MIG-16
void domain_constraints(ddl::DdlRuleContext &cx);        // MIG-28

// migration_columns.cpp: adding and changing columns.
void set_not_null_scan(ddl::DdlRuleContext &cx);              // MIG-08
void add_required_column(ddl::DdlRuleContext &cx);            // MIG-09
void add_column_volatile_default(ddl::DdlRuleContext &cx);    // MIG-10
void add_stored_generated(ddl::DdlRuleContext &cx);           // MIG-11
void add_serial_or_identity_column(ddl::DdlRuleContext &cx);  // MIG-12
void column_type_rewrite(ddl::DdlRuleContext &cx);            // MIG-13
void drop_not_null(ddl::DdlRuleContext &cx);                  // MIG-22

// migration_drops.cpp: renames and drops that break the application.
void rename_column(ddl::DdlRuleContext &cx);           // MIG-17
void rename_table_or_schema(ddl::DdlRuleContext &cx);  // MIG-18
void enum_change(ddl::DdlRuleContext &cx);             // MIG-19
void drop_column(ddl::DdlRuleContext &cx);             // MIG-20
void destructive_drop(ddl::DdlRuleContext &cx);        // MIG-21

// migration_transactions.cpp: settings, transactions, backfills and the locks held right now.
void missing_lock_timeout(ddl::DdlRuleContext &cx);       // MIG-23
void missing_statement_timeout(ddl::DdlRuleContext &cx);  // MIG-24
void non_idempotent_ddl(ddl::DdlRuleContext &cx);         // MIG-29
void transaction_hygiene(ddl::DdlRuleContext &cx);        // MIG-30
void backfill_under_ddl_lock(ddl::DdlRuleContext &cx);    // MIG-31
void lock_queue_risk_now(ddl::DdlRuleContext &cx);        // MIG-32

// migration_maintenance.cpp: partitions and table maintenance.
void partition_detach_not_concurrent(ddl::DdlRuleContext &cx);  // MIG-26
void full_table_rewrite_maintenance(ddl::DdlRuleContext &cx);   // MIG-27

// migration_keys.cpp: the ddl function of the schema rule int_key_design (SCH-03).
void int_key_design_ddl(ddl::DdlRuleContext &cx);

// --- Shared helpers (migration_common.cpp) ------------------------------------------------

// Where the keyword `word` (lower case) stands in a statement, outside comments, strings and
// quoted identifiers, in any case: [begin, end) of its first (or last) occurrence; false when
// absent. Fixes that edit the statement as written (add CONCURRENTLY, IF NOT EXISTS, RESTRICT)
// insert there.
bool find_keyword(std::string_view sql, std::string_view word, bool last, size_t *begin,
                  size_t *end);

// How a change affects its table: the evidence and the sentence every finding carries.
struct Impact {
    ddl::LockMode lock = ddl::LockMode::None;
    bool rewrite = false;  // the table (and its indexes) are rewritten
    bool scan = false;     // the table is read in full under the lock
    // The table's size weighs the severity (info below migration_small_table_bytes, one step
    // up from migration_large_table_bytes). False for rules whose risk is not the lock's
    // duration (renames and drops break readers of any size).
    bool by_size = true;
    bool maybe_rewrite = false;  // rewrite not known (evidence rewrite = "unknown")
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
// known to be below migration_small_table_bytes (only when impact.by_size).
void describe_impact(review::Finding &f, const ddl::DdlRuleContext &cx, const ddl::Name &table,
                     const Impact &impact);

// The table a change acts on: the index's table for CreateIndex, the facts' table of the index
// for DropIndex / REINDEX INDEX (empty when unknown), the target otherwise.
ddl::Name change_table(const ddl::DdlRuleContext &cx, const ddl::Change &c);

// The strongest table lock a change takes on its table (None for transaction control, settings
// and statements on no table).
ddl::LockMode change_lock(const ddl::Change &c);

// "table"."column" (the finding object of column rules).
std::string column_object(const ddl::Name &table, const std::string &column);
std::string quoted(const std::string &identifier);                 // catalog::quote_ident
std::string quoted_list(const std::vector<std::string> &columns);  // a, "B", c

// The name PostgreSQL gives a constraint left unnamed: orders_customer_id_fkey, orders_pkey,
// orders_email_key, orders_check, orders_excl.
std::string constraint_name(const ddl::Name &table, const ddl::Constraint &c);

// The captured queries that use the table (column "" = the table itself): their ids go into
// f.queryids, their texts into evidence "queries" and the count into "query_count". Returns the
// number of queries.
size_t add_queries(review::Finding &f, const ddl::DdlRuleContext &cx, const ddl::Name &table,
                   const std::string &column);

}  // namespace pg_advisor::review::migration
