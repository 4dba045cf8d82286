// The database's answers for the migration rules (core/ddl/facts.h), read before the linter
// runs: the rules call Facts from C++ frames, so nothing here may call PostgreSQL lazily.
// prefetch() reads, for every table, index, type and function the statements name, what the
// calling role may see (a table it holds no privilege on stays unknown), without taking a lock
// on any of them: sizes from the relation files, rows from pg_class, columns with parser-style
// type names, indexes with their key columns, the captured statements that name the table
// (those the role may see, pg_stat_statements' rule), other sessions' locks on it, function
// volatility and enum labels.
//
// Call prefetch() inside the error boundary (PostgreSQL errors arrive as PgError). Include after
// postgres.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/ddl/facts.h"
#include "core/ddl/schema_change.h"

class PgaServerFacts : public pg_advisor::ddl::Facts {
  public:
    void prefetch(const std::vector<pg_advisor::ddl::Statement> &statements);

    bool live() const override { return true; }
    int server_version() const override { return server_version_; }
    std::optional<pg_advisor::ddl::TableFacts> table(
        const pg_advisor::ddl::Name &name) const override;
    std::optional<pg_advisor::ddl::IndexFacts> index(
        const pg_advisor::ddl::Name &name) const override;
    std::vector<pg_advisor::ddl::QueryUse> queries_using(const pg_advisor::ddl::Name &table,
                                                         const std::string &column) const override;
    std::vector<pg_advisor::ddl::LockHolder> conflicting_locks(
        const pg_advisor::ddl::Name &table, pg_advisor::ddl::LockMode mode) const override;
    std::optional<char> function_volatility(const std::string &name) const override;
    std::vector<std::string> enum_labels(const pg_advisor::ddl::Name &type) const override;

    // The volatility and enum answers read, as JSON ({"functions": {...}, "enums": {...}}).
    std::string other_json() const;

  private:
    struct Use {
        pg_advisor::ddl::QueryUse query;
        std::vector<std::string> identifiers;  // lower case (quoted ones as written)
    };
    struct Held {
        pg_advisor::ddl::LockHolder holder;
        pg_advisor::ddl::LockMode mode;
    };
    struct Table {
        pg_advisor::ddl::TableFacts facts;
        std::vector<Use> uses;
        std::vector<Held> locks;
    };
    int server_version_ = 0;
    std::map<std::string, std::string> table_keys_;               // name as written -> resolved key
    std::map<std::string, Table> tables_;                         // resolved key
    std::map<std::string, pg_advisor::ddl::IndexFacts> indexes_;  // as written and resolved
    std::map<std::string, char> volatility_;
    std::map<std::string, std::vector<std::string>> enums_;

    const Table *find(const pg_advisor::ddl::Name &name) const;
    void read_table(const pg_advisor::ddl::Name &name);
    void read_index(const pg_advisor::ddl::Name &name);
    void read_function(const std::string &name);
    void read_enum(const pg_advisor::ddl::Name &name);
    void read_uses();
};
