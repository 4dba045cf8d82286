// What the database knows that a migration's text does not: table sizes, existing indexes and
// columns, the captured queries that still use an object, the sessions holding locks right now.
// Offline (`pg_advisor lint` without --dsn) nothing is known and every answer is empty; the
// server (src/pg/ddl) answers from its catalogs and captured workload without taking a lock;
// `pg_advisor lint --dsn` answers over libpq. Rules must read "unknown" as unknown: a finding
// that needs a size to be worth reporting says so rather than guessing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ddl/schema_change.h"

namespace pg_advisor::ddl {

struct IndexFacts {
    Name name;                         // schema-qualified
    Name table;                        // schema-qualified
    std::vector<std::string> columns;  // key columns (expressions as text), in order
    bool unique = false;
    bool primary = false;
    bool valid = true;
    bool partial = false;
    std::string constraint;  // the constraint it backs, "" when none
    int64_t bytes = -1;
};

struct ColumnFacts {
    std::string name;
    TypeSpec type;  // parser-style name ("int4", "varchar" {20}) so rules compare with the model
    bool not_null = false;
};

struct TableFacts {
    Name name;           // schema-qualified (as resolved by search_path)
    int64_t bytes = -1;  // heap + TOAST + indexes; -1 unknown
    double rows = -1;    // reltuples; -1 unknown (never analyzed)
    bool partitioned = false;
    std::vector<ColumnFacts> columns;
    std::vector<IndexFacts> indexes;
};

// A captured statement that uses an object (for drops and renames).
struct QueryUse {
    uint64_t queryid = 0;
    std::string text;
    int64_t calls = 0;
};

// A session holding or waiting for a lock that conflicts with the one a change needs.
struct LockHolder {
    int pid = 0;
    std::string mode;  // "RowExclusiveLock"
    bool granted = true;
    double xact_seconds = 0;  // how long its transaction has been open
    std::string state;        // "active", "idle in transaction", ...
    std::string query;        // its current or last statement (clipped), "" when not visible
};

// Whether the rules may ask Facts::queries_using about this change (drops and renames, which
// name the captured statements that still use the object): a front end that prefetches facts
// reads the captured workload only then.
bool asks_captured_queries(const Change &c);

class Facts {
  public:
    virtual ~Facts() = default;
    // True when answers come from a live database (messages say "unknown offline" otherwise).
    virtual bool live() const { return false; }
    // server_version_num, 0 unknown.
    virtual int server_version() const { return 0; }
    virtual std::optional<TableFacts> table(const Name &) const { return std::nullopt; }
    virtual std::optional<IndexFacts> index(const Name &) const { return std::nullopt; }
    // Captured statements that use the table (column "") or one of its columns.
    virtual std::vector<QueryUse> queries_using(const Name & /*table*/,
                                                const std::string & /*column*/) const {
        return {};
    }
    // Sessions other than ours whose locks on the table conflict with `mode`, or whose
    // transactions are old enough that a queued lock would wait behind them.
    virtual std::vector<LockHolder> conflicting_locks(const Name & /*table*/,
                                                      LockMode /*mode*/) const {
        return {};
    }
    // provolatile of a function by name: 'v', 's', 'i'; nullopt when unknown (rules then use
    // their own list of well-known volatile functions).
    virtual std::optional<char> function_volatility(const std::string & /*name*/) const {
        return std::nullopt;
    }
    // Labels of an enum type, in order; empty when unknown.
    virtual std::vector<std::string> enum_labels(const Name & /*type*/) const { return {}; }
};

}  // namespace pg_advisor::ddl
