// What a migration has done so far, followed statement by statement: the transaction it is in,
// the lock_timeout and statement_timeout in force, the tables and indexes it created, the locks
// its transaction holds. Rules read the state as it was before the statement they look at
// (a table created earlier in the same migration is no risk, as in squawk); the engine applies
// each statement after the rules ran. The live server keeps one per backend, carried across
// statements and reset at transaction end where the transaction's part is concerned.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/ddl/schema_change.h"

namespace pg_advisor::ddl {

struct MigrationState {
    bool in_transaction = false;  // inside BEGIN ... COMMIT (or a live transaction block)
    int begin_depth = 0;          // BEGIN seen without COMMIT/ROLLBACK (nested BEGINs count)
    // Milliseconds; 0 = no limit; -1 = unknown (offline, nothing set in the file: the database's
    // default applies, which a rule cannot know).
    int64_t lock_timeout_ms = -1;
    int64_t statement_timeout_ms = -1;
    // SET LOCAL values revert at transaction end: the values before the transaction.
    int64_t lock_timeout_outside_ms = -1;
    int64_t statement_timeout_outside_ms = -1;
    bool lock_timeout_local = false;
    bool statement_timeout_local = false;

    std::vector<Name> created_tables;        // in this migration (offline) / transaction (live)
    std::vector<Name> transaction_tables;    // created in the current transaction
    std::vector<IndexSpec> created_indexes;  // with their names in created_index_names
    std::vector<Name> created_index_names;
    std::vector<Name> dropped_indexes;
    // Tables on which the current transaction already holds ACCESS EXCLUSIVE from DDL.
    std::vector<Name> exclusive_tables;
    // Constraints added NOT VALID in the current transaction (table + name).
    std::vector<std::pair<Name, std::string>> not_valid_in_transaction;

    // Whether the migration recorded no table, index, lock or constraint yet; forgets them all
    // (live: ROLLBACK TO a savepoint taken before any of them).
    bool records_nothing() const;
    void forget_records();
    // Whether it is as constructed (nothing recorded, no timeout seen).
    bool is_initial() const;

    bool created(const Name &table) const;  // by this migration (or transaction, live)
    bool holds_exclusive(const Name &table) const;

    // Folds one statement in (after the rules saw it).
    void apply(const Statement &stmt);
    // The transaction ended (live: at commit or abort).
    void end_transaction(bool committed);
};

// Parses a duration setting as PostgreSQL does for lock_timeout / statement_timeout: a number
// with an optional unit (us, ms, s, min, h, d; none = ms). -1 when it cannot be read.
int64_t parse_timeout_ms(const std::string &value);

// Names compare equal when they are the same name and either is unqualified (search_path may
// resolve it to the other): offline, "orders" and "public.orders" are one table.
bool same_table(const Name &a, const Name &b);

}  // namespace pg_advisor::ddl
